package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"time"

	"github.com/airlock-sec/airlock/internal/knownbad"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/store"
)

// impactJSON is the result of `airlock impact`, also the webhook body.
type impactJSON struct {
	Tool      model.Tool     `json:"tool"`
	Time      time.Time      `json:"time"`
	Store     string         `json:"store"`
	Checked   int            `json:"package_versions_checked"`
	New       []impactMatch  `json:"new"`
	Known     int            `json:"previously_reported"`
	Sightings []sightingJSON `json:"sightings"`
	Summary   map[string]int `json:"summary"`
}

type impactMatch struct {
	Advisory  model.AdvisoryRef `json:"advisory"`
	Malicious bool              `json:"malicious"`
	Severity  model.Severity    `json:"severity"`
	Ecosystem string            `json:"ecosystem"`
	Name      string            `json:"name"`
	Version   string            `json:"version"`
	// Environments counts where it is installed now; Removed where it was.
	Environments int `json:"environments"`
	Removed      int `json:"removed"`
}

// impactBatch bounds one advisory lookup.
const impactBatch = 2000

func runImpact(args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("impact", flag.ContinueOnError)
	dsn := dbFlag(fs)
	webhook := fs.String("webhook", "", "POST the result as JSON to this URL (retried with backoff; bounded by --webhook-timeout)")
	whTimeout := fs.Duration("webhook-timeout", 60*time.Second, "give up on the webhook after this long")
	format := fs.String("format", "text", "output format: text or json")
	all := fs.Bool("all", false, "report every match, not only those new since the last run")
	usage := "airlock impact [--db DSN] [--webhook URL] [--format text|json] [--all]\n\nRe-evaluates the whole inventory against the advisory database and reports what newly matches.\nexit codes: 0 nothing new, 1 new matches, 2 usage or input error, 3 webhook failed (matches stay unreported)"
	pos, err := parseFlags(fs, args, stderr, usage)
	if err != nil {
		return ExitUsage, err
	}
	if len(pos) > 0 {
		return ExitUsage, usagef("unexpected argument %q", pos[0])
	}
	if *format != "text" && *format != "json" {
		return ExitUsage, usagef("--format %q is not allowed (allowed: text, json)", *format)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	st, err := store.OpenExisting(ctx, *dsn)
	if err != nil {
		if err == store.ErrNotExist {
			return ExitUsage, fmt.Errorf("no store at %s; run \"airlock db update\" and record environments first", describeDSN(*dsn))
		}
		return ExitUsage, err
	}
	defer st.Close()
	res, keys, err := evaluateImpact(ctx, st, *all)
	if err != nil {
		return ExitUsage, err
	}
	res.Tool = model.Tool{Name: "airlock", Version: Version}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return ExitUsage, err
		}
	} else {
		writeImpactText(stdout, res)
	}
	if *webhook != "" && len(res.New) > 0 {
		body, _ := json.Marshal(res)
		if err := postWebhook(ctx, *webhook, body, *whTimeout); err != nil {
			fmt.Fprintf(stderr, "airlock impact: webhook: %v; the matches stay unreported and are sent again next run\n", err)
			return ExitFailure, nil
		}
	}
	if len(keys) > 0 {
		if err := st.MarkImpactReported(ctx, keys, res.Time); err != nil {
			return ExitUsage, err
		}
	}
	if len(res.New) > 0 {
		return ExitFail, nil
	}
	return ExitOK, nil
}

// evaluateImpact matches every package version in the inventory. It
// returns the matches not reported before (all with all) and their keys.
func evaluateImpact(ctx context.Context, st *store.Store, all bool) (*impactJSON, []store.ImpactKey, error) {
	res := &impactJSON{Time: time.Now().UTC(), Store: st.Describe(), New: []impactMatch{}, Sightings: []sightingJSON{}, Summary: map[string]int{}}
	reported, err := st.ImpactReported(ctx)
	if err != nil {
		return nil, nil, err
	}
	var pkgs []model.Package
	err = st.InventoryPackages(ctx, func(eco, name string, versions []string) error {
		for _, v := range versions {
			pkgs = append(pkgs, model.Package{Ecosystem: model.Ecosystem(eco), Name: name, Version: v})
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	res.Checked = len(pkgs)
	m := knownbad.New(st)
	var keys []store.ImpactKey
	for start := 0; start < len(pkgs); start += impactBatch {
		batch := pkgs[start:min(start+impactBatch, len(pkgs))]
		known, _, err := m.Match(ctx, batch)
		if err != nil {
			return nil, nil, err
		}
		for i, ks := range known {
			p := batch[i]
			for _, k := range ks {
				key := store.ImpactKey{AdvisoryID: k.Ref.ID, Ecosystem: string(p.Ecosystem), Name: p.Name, Version: p.Version}
				if _, ok := reported[key]; ok && !all {
					res.Known++
					continue
				}
				ss, err := st.Where(ctx, string(p.Ecosystem), p.Name, []string{p.Version})
				if err != nil {
					return nil, nil, err
				}
				im := impactMatch{Advisory: k.Ref, Malicious: k.Malicious, Severity: k.Severity, Ecosystem: string(p.Ecosystem), Name: p.Name, Version: p.Version}
				for _, s := range ss {
					if s.Present {
						im.Environments++
					} else {
						im.Removed++
					}
					res.Sightings = append(res.Sightings, toSightingJSON(s, k.Ref.ID))
				}
				res.New = append(res.New, im)
				if _, ok := reported[key]; !ok {
					keys = append(keys, key)
				}
				if k.Malicious {
					res.Summary["malicious"]++
				} else {
					res.Summary["vulnerable"]++
				}
			}
		}
	}
	sort.SliceStable(res.New, func(i, j int) bool {
		a, b := res.New[i], res.New[j]
		if a.Malicious != b.Malicious {
			return a.Malicious
		}
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		return a.Ecosystem+a.Name+a.Version < b.Ecosystem+b.Name+b.Version
	})
	return res, keys, nil
}

func writeImpactText(w io.Writer, r *impactJSON) {
	fmt.Fprintf(w, "checked %d package versions in the inventory against the advisory database\n", r.Checked)
	if len(r.New) == 0 {
		fmt.Fprintf(w, "nothing new (%d match(es) reported before)\n", r.Known)
		return
	}
	for _, m := range r.New {
		kind := "VULNERABLE"
		if m.Malicious {
			kind = "MALICIOUS"
		}
		fmt.Fprintf(w, "%-10s %s:%s@%s  %s  installed in %d environment(s), %d removed\n", kind, m.Ecosystem, m.Name, m.Version, m.Advisory.ID, m.Environments, m.Removed)
		for _, s := range r.Sightings {
			if s.Ecosystem == m.Ecosystem && s.Name == m.Name && s.Version == m.Version && s.Advisory == m.Advisory.ID {
				state := "present"
				if !s.Present {
					state = "removed"
				}
				fmt.Fprintf(w, "    %s:%s  %s, last seen %s\n", s.Host, s.Path, state, s.LastSeen.Format(time.RFC3339))
			}
		}
	}
	fmt.Fprintf(w, "%d new match(es): %d malicious, %d vulnerable\n", len(r.New), r.Summary["malicious"], r.Summary["vulnerable"])
}

// postWebhook POSTs body, retrying failures (network errors, 429, 5xx)
// with exponential backoff until timeout.
func postWebhook(ctx context.Context, url string, body []byte, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{Timeout: 15 * time.Second}
	backoff := 500 * time.Millisecond
	var last error
	for attempt := 1; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "airlock/"+Version)
		resp, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
			switch {
			case resp.StatusCode >= 200 && resp.StatusCode < 300:
				return nil
			case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
				last = fmt.Errorf("attempt %d: %s", attempt, resp.Status)
			default:
				return fmt.Errorf("%s (not retried)", resp.Status)
			}
		} else {
			last = fmt.Errorf("attempt %d: %v", attempt, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("gave up after %d attempt(s) in %s: %v", attempt, timeout, last)
		case <-time.After(backoff):
		}
		if backoff < 8*time.Second {
			backoff *= 2
		}
	}
}
