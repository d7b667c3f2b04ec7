package pin

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"
)

var update = flag.Bool("update-pin", false, "rewrite the golden files in testdata")

const (
	shaCheckout4 = "11bd71901bbe5b1630ceea73d27597364c9af683"
	shaCheckout3 = "f43a0e5ff2bd294095638e18286ca9a3d1956744"
	shaMain      = "85e6279cec87321a52edac9c87bce653a07cf6c2"
	shaSetupGo   = "0a12ed9d6a96ab950c8f026ed9f722fe0da7ef32"
	shaCodeQL    = "eb055d739abdc2e8de2e4ca3a6a3d0b9b5e4c6b2"
	shaReusable  = "2222222222222222222222222222222222222222"
	shaBeta      = "3333333333333333333333333333333333333333"
)

type fakeTag struct{ name, sha string }

type fakeRepo struct {
	refs map[string]string // branch or tag → sha
	tags []fakeTag
}

// fakeGitHub serves the two REST endpoints GitHubResolver uses, with two
// tags a page so that pagination is exercised.
type fakeGitHub struct {
	mu       sync.Mutex
	repos    map[string]*fakeRepo
	requests map[string]int // path → count
	headers  []http.Header
	// limit, when set, answers every request with this status as a rate
	// limit.
	limit int
}

func newFakeGitHub() *fakeGitHub {
	tags := func(ts ...fakeTag) *fakeRepo {
		r := &fakeRepo{refs: map[string]string{}, tags: ts}
		for _, t := range ts {
			r.refs[t.name] = t.sha
		}
		return r
	}
	checkout := tags(
		fakeTag{"v4.2.2", shaCheckout4}, fakeTag{"v4.2", shaCheckout4}, fakeTag{"v4.1.0", "4444444444444444444444444444444444444444"},
		fakeTag{"v4", shaCheckout4}, fakeTag{"v3.6.0", shaCheckout3}, fakeTag{"v3", shaCheckout3}, fakeTag{"v2", "5555555555555555555555555555555555555555"})
	checkout.refs["main"] = shaMain
	beta := tags(fakeTag{"nightly", shaBeta}, fakeTag{"v2.0.0-rc1", shaBeta})
	beta.refs["main"] = shaBeta
	return &fakeGitHub{
		requests: map[string]int{},
		repos: map[string]*fakeRepo{
			"actions/checkout":     checkout,
			"actions/setup-go":     tags(fakeTag{"v5.0.2", shaSetupGo}, fakeTag{"v5", shaSetupGo}),
			"github/codeql-action": tags(fakeTag{"v3.26.0", shaCodeQL}, fakeTag{"v3", shaCodeQL}),
			"octo-org/reusable":    tags(fakeTag{"v1.0.0", shaReusable}, fakeTag{"v1", shaReusable}),
			"octo-org/beta":        beta,
		},
	}
}

func (f *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests[r.URL.Path]++
	f.headers = append(f.headers, r.Header.Clone())
	limit := f.limit
	f.mu.Unlock()
	if limit != 0 {
		w.Header().Set("X-RateLimit-Limit", "60")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", "1700000000")
		w.WriteHeader(limit)
		fmt.Fprint(w, `{"message":"API rate limit exceeded for 127.0.0.1."}`)
		return
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if len(parts) < 4 || parts[0] != "repos" {
		http.NotFound(w, r)
		return
	}
	repo := f.repos[strings.ToLower(parts[1]+"/"+parts[2])]
	notFound := func() {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message":"Not Found"}`)
	}
	if repo == nil {
		notFound()
		return
	}
	switch {
	case parts[3] == "commits" && len(parts) >= 5:
		if r.Header.Get("Accept") != "application/vnd.github.sha" {
			http.Error(w, "bad accept", http.StatusBadRequest)
			return
		}
		sha, ok := repo.refs[strings.Join(parts[4:], "/")]
		if !ok {
			w.WriteHeader(http.StatusUnprocessableEntity)
			fmt.Fprintf(w, `{"message":"No commit found for SHA: %s"}`, strings.Join(parts[4:], "/"))
			return
		}
		fmt.Fprint(w, sha)
	case parts[3] == "tags" && len(parts) == 4:
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		const per = 2
		from, to := (page-1)*per, min(page*per, len(repo.tags))
		if from < to && to < len(repo.tags) {
			// RequestURI keeps any prefix a StripPrefix handler removed.
			next, _ := url.ParseRequestURI(r.RequestURI)
			q := next.Query()
			q.Set("page", strconv.Itoa(page+1))
			next.RawQuery = q.Encode()
			w.Header().Set("Link", fmt.Sprintf(`<http://%s%s>; rel="next", <http://%s/last>; rel="last"`, r.Host, next.String(), r.Host))
		}
		var items []string
		for _, t := range repo.tags[min(from, len(repo.tags)):max(to, min(from, len(repo.tags)))] {
			items = append(items, fmt.Sprintf(`{"name":%q,"commit":{"sha":%q,"url":"x"},"zipball_url":"x"}`, t.name, t.sha))
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, "[%s]", strings.Join(items, ","))
	default:
		notFound()
	}
}

func (f *fakeGitHub) count(prefix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for p, c := range f.requests {
		if strings.HasPrefix(p, prefix) {
			n += c
		}
	}
	return n
}

func startFake(t *testing.T) (*fakeGitHub, *GitHubResolver) {
	t.Helper()
	f := newFakeGitHub()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, NewGitHubResolver(srv.URL, "test-token", srv.Client())
}

func loadTestMap(t testing.TB) *MapResolver {
	t.Helper()
	m, err := LoadMap(filepath.Join("testdata", "map.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func errText(errs []error) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString(e.Error())
		b.WriteString("\n")
	}
	return b.String()
}

// TestGolden pins every testdata/*.in.yml with the fake GitHub API and
// with the offline map, and compares with *.out.yml (and the errors with
// *.errs). Run with -update-pin to rewrite them.
func TestGolden(t *testing.T) {
	ins, err := filepath.Glob(filepath.Join("testdata", "*.in.yml"))
	if err != nil || len(ins) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, in := range ins {
		base := strings.TrimSuffix(in, ".in.yml")
		t.Run(filepath.Base(base), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			_, gh := startFake(t)
			resolvers := []struct {
				name string
				r    Resolver
			}{{"github", gh}, {"map", loadTestMap(t)}}
			for i, rv := range resolvers {
				out, changes, errs := File(context.Background(), in, data, rv.r)
				if i == 0 && *update {
					if err := os.WriteFile(base+".out.yml", out, 0o644); err != nil {
						t.Fatal(err)
					}
					if len(errs) > 0 {
						os.WriteFile(base+".errs", []byte(errText(errs)), 0o644)
					} else {
						os.Remove(base + ".errs")
					}
				}
				want, err := os.ReadFile(base + ".out.yml")
				if err != nil {
					t.Fatal(err)
				}
				if string(out) != string(want) {
					t.Errorf("%s: output differs from %s.out.yml:\n%s", rv.name, base, Diff(base+".out.yml", want, out))
				}
				if rv.name == "github" {
					wantErrs, _ := os.ReadFile(base + ".errs")
					if got := errText(errs); got != string(wantErrs) {
						t.Errorf("%s: errors:\n%s\nwant:\n%s", rv.name, got, wantErrs)
					}
				} else if (len(errs) == 0) != !fileExists(base+".errs") {
					t.Errorf("%s: errors %q, want some only when %s.errs exists", rv.name, errText(errs), base)
				}
				checkChanges(t, in, data, out, changes)
				checkStructure(t, data, out)
				// Idempotence: a second run changes nothing.
				out2, changes2, _ := File(context.Background(), in, out, rv.r)
				if string(out2) != string(out) || len(changes2) != 0 {
					t.Errorf("%s: second run is not a no-op: %d changes\n%s", rv.name, len(changes2), Diff(in, out, out2))
				}
			}
		})
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// checkChanges verifies that each Change names a line whose old and new
// text hold Old and New, and that no other line changed.
func checkChanges(t *testing.T, path string, in, out []byte, changes []Change) {
	t.Helper()
	a, b := splitLines(string(in)), splitLines(string(out))
	if len(a) != len(b) {
		t.Fatalf("line count changed: %d → %d", len(a), len(b))
	}
	changed := map[int]bool{}
	for _, c := range changes {
		if c.Path != path || c.Line < 1 || c.Line > len(a) {
			t.Errorf("bad change %+v", c)
			continue
		}
		changed[c.Line] = true
		if !strings.Contains(a[c.Line-1], c.Old) || !strings.Contains(b[c.Line-1], c.New) {
			t.Errorf("line %d: change %q → %q does not match %q → %q", c.Line, c.Old, c.New, a[c.Line-1], b[c.Line-1])
		}
	}
	for i := range a {
		if a[i] != b[i] && !changed[i+1] {
			t.Errorf("line %d changed without a Change: %q → %q", i+1, a[i], b[i])
		}
	}
}

var pinnedValue = regexp.MustCompile(`^[^@]+@[0-9a-f]{40}$`)

// checkStructure verifies that out parses to the documents of in with
// only uses values changed, each into a pin of the same action.
func checkStructure(t *testing.T, in, out []byte) {
	t.Helper()
	da, err := parseDocs(in)
	if err != nil {
		return
	}
	db, err := parseDocs(out)
	if err != nil {
		t.Fatalf("output does not parse: %v", err)
	}
	if len(da) != len(db) {
		t.Fatalf("%d documents, want %d", len(db), len(da))
	}
	var walk func(a, b *yaml.Node)
	walk = func(a, b *yaml.Node) {
		if a.Kind != b.Kind || a.Tag != b.Tag || a.Anchor != b.Anchor || a.Style != b.Style || len(a.Content) != len(b.Content) {
			t.Fatalf("structure differs at line %d", a.Line)
		}
		if a.Value != b.Value {
			name, _, _ := strings.Cut(a.Value, "@")
			if !pinnedValue.MatchString(b.Value) || !strings.HasPrefix(b.Value, name+"@") {
				t.Errorf("line %d: %q became %q", a.Line, a.Value, b.Value)
			}
		}
		for i := range a.Content {
			walk(a.Content[i], b.Content[i])
		}
	}
	for i := range da {
		walk(da[i], db[i])
	}
}

func TestFileBasics(t *testing.T) {
	m := loadTestMap(t)
	in := "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n"
	out, changes, errs := File(context.Background(), "w.yml", []byte(in), m)
	want := "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@" + shaCheckout4 + " # v4.2.2\n"
	if string(out) != want || len(errs) != 0 {
		t.Fatalf("got %q %v", out, errs)
	}
	if len(changes) != 1 || changes[0] != (Change{Path: "w.yml", Line: 4, Old: "actions/checkout@v4", New: "actions/checkout@" + shaCheckout4 + " # v4.2.2"}) {
		t.Fatalf("changes %+v", changes)
	}

	// Not YAML: unchanged, one error.
	bad := []byte("jobs: [\n")
	out, changes, errs = File(context.Background(), "bad.yml", bad, m)
	if string(out) != string(bad) || len(changes) != 0 || len(errs) != 1 {
		t.Fatalf("bad YAML: %q %v %v", out, changes, errs)
	}

	// Flow mapping: no comment, reported in New.
	in = "jobs:\n  a:\n    steps: [{uses: actions/checkout@v4, with: {x: 1}}]\n"
	out, changes, _ = File(context.Background(), "w.yml", []byte(in), m)
	if len(changes) != 1 || changes[0].New != "actions/checkout@"+shaCheckout4 || strings.Contains(string(out), "#") {
		t.Fatalf("flow: %q %+v", out, changes)
	}

	// Docker refs are reported as not handled.
	in = "jobs:\n  a:\n    steps:\n      - uses: docker://alpine:3\n"
	out, changes, errs = File(context.Background(), "w.yml", []byte(in), m)
	if string(out) != in || len(changes) != 0 || len(errs) != 1 || !errors.Is(errs[0], ErrNotHandled) {
		t.Fatalf("docker: %q %v %v", out, changes, errs)
	}
	var re *RefError
	if !errors.As(errs[0], &re) || re.Line != 4 || re.Ref != "docker://alpine:3" {
		t.Fatalf("docker error %#v", errs[0])
	}

	// A cancelled context fails each ref and changes nothing.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in = "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-go@v5\n"
	out, changes, errs = File(ctx, "w.yml", []byte(in), m)
	if string(out) != in || len(changes) != 0 || len(errs) != 2 || !errors.Is(errs[0], context.Canceled) {
		t.Fatalf("cancelled: %q %v %v", out, changes, errs)
	}
}

// badResolver returns whatever it is told to.
type badResolver struct{ sha, tag string }

func (b badResolver) Resolve(context.Context, string, string, string) (string, string, error) {
	return b.sha, b.tag, nil
}

func TestFileDistrustsResolver(t *testing.T) {
	in := "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n"
	// Not a SHA.
	out, changes, errs := File(context.Background(), "w.yml", []byte(in), badResolver{sha: "main"})
	if string(out) != in || len(changes) != 0 || len(errs) != 1 {
		t.Fatalf("%q %v %v", out, changes, errs)
	}
	// A tag that would break out of the comment: the ref is written instead.
	out, _, errs = File(context.Background(), "w.yml", []byte(in), badResolver{sha: shaMain, tag: "v1\nevil: true"})
	if want := "      - uses: actions/checkout@" + shaMain + " # v4\n"; !strings.HasSuffix(string(out), want) || len(errs) != 0 {
		t.Fatalf("%q %v", out, errs)
	}
	// Upper-case SHAs are written in lower case.
	out, _, _ = File(context.Background(), "w.yml", []byte(in), badResolver{sha: strings.ToUpper(shaMain), tag: "v4.0.0"})
	if !strings.Contains(string(out), shaMain+" # v4.0.0") {
		t.Fatalf("%q", out)
	}
}

func TestGitHubResolver(t *testing.T) {
	f, g := startFake(t)
	ctx := context.Background()
	cases := []struct{ owner, repo, ref, sha, tag string }{
		{"actions", "checkout", "v4", shaCheckout4, "v4.2.2"},
		{"actions", "checkout", "v4.2", shaCheckout4, "v4.2.2"},
		{"actions", "checkout", "v4.2.2", shaCheckout4, "v4.2.2"},
		{"actions", "checkout", "v3", shaCheckout3, "v3.6.0"},
		{"actions", "checkout", "main", shaMain, ""},
		{"Actions", "Checkout", "v4", shaCheckout4, "v4.2.2"},
		{"octo-org", "beta", "main", shaBeta, "v2.0.0-rc1"},
	}
	for _, c := range cases {
		sha, tag, err := g.Resolve(ctx, c.owner, c.repo, c.ref)
		if err != nil || sha != c.sha || tag != c.tag {
			t.Errorf("%s/%s@%s = %q, %q, %v; want %q, %q", c.owner, c.repo, c.ref, sha, tag, err, c.sha, c.tag)
		}
	}
	// Tags were listed once for checkout, across all four pages.
	if n := f.count("/repos/actions/checkout/tags"); n != 4 {
		t.Errorf("checkout tag pages fetched %d times, want 4 (one listing, cached)", n)
	}
	// Identical lookups are cached.
	g.Resolve(ctx, "actions", "checkout", "v4")
	f.mu.Lock()
	n := f.requests["/repos/actions/checkout/commits/v4"]
	f.mu.Unlock()
	if n != 1 {
		t.Errorf("commits/v4 fetched %d times, want 1", n)
	}
	// Every request carries the token, a User-Agent and the API version.
	f.mu.Lock()
	for _, h := range f.headers {
		if h.Get("Authorization") != "Bearer test-token" || h.Get("User-Agent") == "" || h.Get("X-GitHub-Api-Version") == "" {
			t.Errorf("request headers %v", h)
			break
		}
	}
	f.mu.Unlock()

	// Unknown refs and repositories name the ref.
	for _, c := range [][3]string{{"actions", "checkout", "v99"}, {"octo-org", "nope", "v1"}} {
		_, _, err := g.Resolve(ctx, c[0], c[1], c[2])
		if err == nil || !strings.Contains(err.Error(), c[0]+"/"+c[1]+"@"+c[2]) || !errors.Is(err, errNoRef) {
			t.Errorf("%v: err %v", c, err)
		}
	}
	// Refs that are not git refs never reach the server.
	for _, ref := range []string{"../../user", "a//b", "."} {
		if _, _, err := g.Resolve(ctx, "actions", "checkout", ref); err == nil {
			t.Errorf("ref %q accepted", ref)
		}
	}
	if n := f.count("/user"); n != 0 {
		t.Errorf("path traversal reached the server")
	}
}

func TestGitHubResolverNoToken(t *testing.T) {
	f := newFakeGitHub()
	srv := httptest.NewServer(f)
	defer srv.Close()
	g := NewGitHubResolver(srv.URL+"/", "", nil)
	if _, _, err := g.Resolve(context.Background(), "actions", "setup-go", "v5"); err != nil {
		t.Fatal(err)
	}
	for _, h := range f.headers {
		if h.Get("Authorization") != "" {
			t.Fatalf("Authorization sent without a token: %v", h)
		}
	}
}

func TestGitHubRateLimit(t *testing.T) {
	for _, status := range []int{http.StatusForbidden, http.StatusTooManyRequests} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			f := newFakeGitHub()
			f.limit = status
			srv := httptest.NewServer(f)
			defer srv.Close()
			g := NewGitHubResolver(srv.URL, "", srv.Client())
			_, _, err := g.Resolve(context.Background(), "actions", "checkout", "v4")
			var rl *RateLimitError
			if !errors.As(err, &rl) || rl.Status != status || rl.Reset.Unix() != 1700000000 {
				t.Fatalf("err %v", err)
			}
			msg := err.Error()
			for _, want := range []string{"rate limit", "GITHUB_TOKEN", "2023-11-14T22:13:20Z", "X-RateLimit-Reset"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			// The whole file: every ref fails with the same clear error,
			// and the API is not asked again.
			in := "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-go@v5\n"
			out, changes, errs := File(context.Background(), "w.yml", []byte(in), g)
			if string(out) != in || len(changes) != 0 || len(errs) != 2 || !errors.As(errs[1], &rl) {
				t.Fatalf("%q %v %v", out, changes, errs)
			}
			if n := f.count("/"); n != 1 {
				t.Errorf("%d requests after the rate limit, want 1", n)
			}
		})
	}
	// An authenticated client is not told to set a token.
	e := &RateLimitError{Status: 403, Authenticated: true}
	if strings.Contains(e.Error(), "set GITHUB_TOKEN") {
		t.Errorf("%q", e.Error())
	}
}

func TestGitHubForbiddenNotRateLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"message":"Resource protected by organization SAML enforcement."}`)
	}))
	defer srv.Close()
	g := NewGitHubResolver(srv.URL, "t", srv.Client())
	_, _, err := g.Resolve(context.Background(), "a", "b", "v1")
	var rl *RateLimitError
	if err == nil || errors.As(err, &rl) || !strings.Contains(err.Error(), "SAML") {
		t.Fatalf("err %v", err)
	}
}

func TestNextLink(t *testing.T) {
	g := NewGitHubResolver("https://api.github.com", "", nil)
	cur := "https://api.github.com/repos/a/b/tags?per_page=100"
	cases := map[string]string{
		`<https://api.github.com/repositories/1/tags?per_page=100&page=2>; rel="next", <https://api.github.com/repositories/1/tags?page=5>; rel="last"`: "https://api.github.com/repositories/1/tags?per_page=100&page=2",
		`<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=3>; rel="next"`:                                                  "https://api.github.com/x?page=3",
		`</repositories/1/tags?page=2>; rel=next`:         "https://api.github.com/repositories/1/tags?page=2",
		`<https://evil.example/tags?page=2>; rel="next"`:  "",
		`<http://api.github.com/tags?page=2>; rel="next"`: "",
		`<https://api.github.com/x?page=9>; rel="last"`:   "",
		``:        "",
		`garbage`: "",
	}
	for link, want := range cases {
		if got := g.nextLink(cur, link); got != want {
			t.Errorf("nextLink(%q) = %q, want %q", link, got, want)
		}
	}
}

func TestBestTag(t *testing.T) {
	cases := []struct {
		ref  string
		tags []string
		want string
	}{
		{"v4", []string{"v4", "v4.2", "v4.2.2"}, "v4.2.2"},
		{"v4", []string{"v4.2.2", "v4", "v4.2"}, "v4.2.2"},
		{"v1.2.3", []string{"v1.2.4", "v1.2.3"}, "v1.2.3"},
		{"v1", []string{"v1.2.4", "v1.2.3", "v1"}, "v1.2.4"},
		{"main", []string{"latest", "v2.0.0-rc1", "v1.9"}, "v2.0.0-rc1"},
		{"main", []string{"v2.0.0-rc1", "v2.0.0"}, "v2.0.0"},
		{"v4", []string{"v5.0.0", "v4.2"}, "v4.2"},
		{"main", []string{"latest", "nightly"}, ""},
		{"main", nil, ""},
		{"4", []string{"4", "4.1.0"}, "4.1.0"},
	}
	for _, c := range cases {
		if got := bestTag(c.ref, c.tags); got != c.want {
			t.Errorf("bestTag(%q, %q) = %q, want %q", c.ref, c.tags, got, c.want)
		}
	}
}

func TestMapResolver(t *testing.T) {
	m := loadTestMap(t)
	ctx := context.Background()
	for _, c := range []struct{ owner, repo, ref, sha, tag string }{
		{"actions", "checkout", "v4", shaCheckout4, "v4.2.2"}, // derived from the other refs
		{"actions", "checkout", "v3", shaCheckout3, "v3.6.0"}, // given
		{"actions", "checkout", "main", shaMain, ""},
		{"ACTIONS", "CHECKOUT", "v4.2", shaCheckout4, "v4.2.2"},
	} {
		sha, tag, err := m.Resolve(ctx, c.owner, c.repo, c.ref)
		if err != nil || sha != c.sha || tag != c.tag {
			t.Errorf("%s/%s@%s = %q %q %v", c.owner, c.repo, c.ref, sha, tag, err)
		}
	}
	if _, _, err := m.Resolve(ctx, "actions", "checkout", "V4"); err == nil || !strings.Contains(err.Error(), "actions/checkout@V4") {
		t.Errorf("refs must match exactly: %v", err)
	}
	pins := m.Pins()
	if pins["actions/checkout@v4"] != shaCheckout4 || pins["github/codeql-action@v3"] != shaCodeQL || len(pins) != m.Len() {
		t.Errorf("pins %v", pins)
	}

	j, err := ParseMap("m.json", []byte(`{"actions/checkout@v4": {"sha": "`+strings.ToUpper(shaCheckout4)+`", "tag": "v4.2.2"},
		"github/codeql-action/init@v3": "`+shaCodeQL+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	if sha, tag, err := j.Resolve(ctx, "actions", "checkout", "v4"); sha != shaCheckout4 || tag != "v4.2.2" || err != nil {
		t.Errorf("json: %q %q %v", sha, tag, err)
	}
	if sha, _, err := j.Resolve(ctx, "github", "codeql-action", "v3"); sha != shaCodeQL || err != nil {
		t.Errorf("json sub-path: %q %v", sha, err)
	}

	for _, bad := range []string{
		"actions/checkout@v4\n",
		"actions/checkout@v4 nothex\n",
		"actions/checkout " + shaMain + "\n",
		"checkout@v4 " + shaMain + "\n",
		"a/b@v1 " + shaMain + " v1 extra\n",
		"a/b@v1 " + shaMain + "\na/b@v1 " + shaBeta + "\n",
		`{"a/b@v1": {"sha": 1}}`,
		`{"a/b@v1": {"sha": "x"}}`,
		`{"a/b@v1": `,
	} {
		if _, err := ParseMap("bad", []byte(bad)); err == nil {
			t.Errorf("ParseMap(%q) accepted", bad)
		}
	}
	if _, err := ParseMap("ok", []byte("\ufeff# c\n\n  a/b@v1 "+shaMain+" v1.0.0 # trailing\r\n")); err != nil {
		t.Errorf("comments, BOM and CRLF: %v", err)
	}

	big := filepath.Join(t.TempDir(), "big.txt")
	os.WriteFile(big, []byte(strings.Repeat("#", MaxMapSize+1)), 0o644)
	if _, err := LoadMap(big); err == nil {
		t.Error("oversized map accepted")
	}
	if _, err := LoadMap(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("missing map accepted")
	}
}

func TestVersionComment(t *testing.T) {
	for c, want := range map[string]bool{
		"": true, " v4": true, "v4.1": true, " 4.2.2": true, " tag=v4": true, " pin@v4": true,
		" v1.0.0-rc.1": true, " main": false, " keep": false, " v4 keep": false, " airlock: ignore[x]": false,
	} {
		if got := isVersionComment(c, "none"); got != want {
			t.Errorf("isVersionComment(%q) = %v", c, got)
		}
	}
	if !isVersionComment(" main", "main") {
		t.Error("the old ref is a version comment")
	}
}

func TestDiff(t *testing.T) {
	old := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\n"
	new := strings.Replace(strings.Replace(old, "b\n", "B\n", 1), "m\n", "M\n", 1)
	want := "--- f.yml\n+++ f.yml\n" +
		"@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n" +
		"@@ -10,5 +10,5 @@\n j\n k\n l\n-m\n+M\n n\n"
	if got := Diff("f.yml", []byte(old), []byte(new)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// Close changes share a hunk.
	new2 := strings.Replace(strings.Replace(old, "b\n", "B\n", 1), "h\n", "H\n", 1)
	if got := Diff("f", []byte(old), []byte(new2)); strings.Count(got, "@@ -") != 1 {
		t.Errorf("one hunk expected:\n%s", got)
	}
	if Diff("f", []byte(old), []byte(old)) != "" {
		t.Error("equal inputs")
	}
	// No newline at the end, CRLF kept.
	got := Diff("f", []byte("x\r\ny"), []byte("x\r\nz"))
	if want := "--- f\n+++ f\n@@ -1,2 +1,2 @@\n x\r\n-y\n\\ No newline at end of file\n+z\n\\ No newline at end of file\n"; got != want {
		t.Errorf("got %q", got)
	}
	for _, c := range [][2]string{
		{old, new}, {old, new2}, {"", "a\n"}, {"a\n", ""}, {"a\nb\n", "a\nx\ny\nb\n"}, {"a", "a\n"}, {"x\ny", "x\ny\nz"},
		{old, strings.Replace(old, "g\n", "", 1)},
	} {
		if got := applyDiff(t, c[0], Diff("f", []byte(c[0]), []byte(c[1]))); got != c[1] {
			t.Errorf("applying the diff of %q → %q gives %q", c[0], c[1], got)
		}
	}
}

// applyDiff applies a unified diff made by Diff, checking its hunk
// headers and context.
func applyDiff(t testing.TB, old, diff string) string {
	t.Helper()
	if diff == "" {
		return old
	}
	a := splitLines(old)
	dl := splitLines(diff)
	if len(dl) < 2 || !strings.HasPrefix(dl[0], "--- ") || !strings.HasPrefix(dl[1], "+++ ") {
		t.Fatalf("bad headers in %q", diff)
	}
	var out []string
	pos := 0 // next line of a to copy
	hdr := regexp.MustCompile(`^@@ -(\d+),(\d+) \+(\d+),(\d+) @@\n$`)
	for i := 2; i < len(dl); {
		m := hdr.FindStringSubmatch(dl[i])
		if m == nil {
			t.Fatalf("bad hunk header %q in\n%s", dl[i], diff)
		}
		as, _ := strconv.Atoi(m[1])
		ac, _ := strconv.Atoi(m[2])
		bs, _ := strconv.Atoi(m[3])
		bc, _ := strconv.Atoi(m[4])
		start := as - 1
		if ac == 0 {
			start = as
		}
		out = append(out, a[pos:start]...)
		if bc > 0 && len(out) != bs-1 || bc == 0 && len(out) != bs {
			t.Fatalf("hunk %q: new start %d, at %d", dl[i], bs, len(out)+1)
		}
		pos = start
		i++
		var nA, nB int
		for i < len(dl) && !strings.HasPrefix(dl[i], "@@ ") {
			line := dl[i]
			i++
			noNL := i < len(dl) && dl[i] == "\\ No newline at end of file\n"
			if noNL {
				i++
			}
			text := line[1:]
			if noNL {
				text = strings.TrimSuffix(text, "\n")
			}
			switch line[0] {
			case ' ', '-':
				if pos >= len(a) || a[pos] != text {
					t.Fatalf("context/deletion %q does not match old line %d", text, pos+1)
				}
				pos++
				nA++
				if line[0] == ' ' {
					out = append(out, text)
					nB++
				}
			case '+':
				out = append(out, text)
				nB++
			default:
				t.Fatalf("bad diff line %q", line)
			}
		}
		if nA != ac || nB != bc {
			t.Fatalf("hunk counts %d,%d; header says %d,%d", nA, nB, ac, bc)
		}
	}
	out = append(out, a[pos:]...)
	return strings.Join(out, "")
}

func TestFindUsesOrder(t *testing.T) {
	docs, err := parseDocs([]byte("runs:\n  steps:\n    - uses: b/b@v1\n    - uses: a/a@v1\njobs:\n  x: {uses: c/c@v1}\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range findUses(docs) {
		got = append(got, n.Value)
	}
	if !sort.SliceIsSorted(got, func(i, j int) bool { return false }) || strings.Join(got, " ") != "b/b@v1 a/a@v1 c/c@v1" {
		t.Errorf("got %v", got)
	}
}

func TestGitHubResolverBasePathAndConcurrency(t *testing.T) {
	f := newFakeGitHub()
	mux := http.NewServeMux()
	mux.Handle("/api/v3/", http.StripPrefix("/api/v3", f))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	g := NewGitHubResolver(srv.URL+"/api/v3/", "", srv.Client())
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sha, tag, err := g.Resolve(context.Background(), "actions", "checkout", "v4")
			if err != nil || sha != shaCheckout4 || tag != "v4.2.2" {
				t.Errorf("%q %q %v", sha, tag, err)
			}
		}()
	}
	wg.Wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	if n := f.requests["/repos/actions/checkout/commits/v4"]; n != 1 {
		t.Errorf("commits/v4 fetched %d times by concurrent callers, want 1", n)
	}

	if _, _, err := NewGitHubResolver("ftp://x", "", nil).Resolve(context.Background(), "a", "b", "v1"); err == nil || !strings.Contains(err.Error(), "ftp://x") {
		t.Errorf("bad base URL: %v", err)
	}
}

func TestTokenFromEnv(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "gh")
	if TokenFromEnv() != "gh" {
		t.Error("GH_TOKEN not used")
	}
	t.Setenv("GITHUB_TOKEN", "ghp")
	if TokenFromEnv() != "ghp" {
		t.Error("GITHUB_TOKEN not preferred")
	}
}

// TestApplyVerifiedDropsBadEdits checks the safety net: an edit that would
// change anything but its own value is dropped, the others are kept.
func TestApplyVerifiedDropsBadEdits(t *testing.T) {
	data := []byte("jobs:\n  a: {uses: a/b@v1}\n  b: {uses: c/d@v1}\n")
	docs, err := parseDocs(data)
	if err != nil {
		t.Fatal(err)
	}
	nodes := findUses(docs)
	if len(nodes) != 2 {
		t.Fatalf("%d nodes", len(nodes))
	}
	ia, ic := strings.Index(string(data), "a/b@v1"), strings.Index(string(data), "c/d@v1")
	good := edit{start: ia, end: ia + 6, text: "a/b@" + shaMain, node: nodes[0], value: "a/b@" + shaMain}
	// A comment in the middle of a flow mapping breaks the document.
	bad := edit{start: ic, end: ic + 6, text: "c/d@" + shaMain + " # v1", node: nodes[1], value: "c/d@" + shaMain}
	if string(data[good.start:good.end]) != "a/b@v1" || string(data[bad.start:bad.end]) != "c/d@v1" {
		t.Fatalf("offsets: %q %q", data[good.start:good.end], data[bad.start:bad.end])
	}
	out, applied, failed := applyVerified(data, docs, []edit{good, bad})
	if len(applied) != 1 || len(failed) != 1 || failed[0].node != nodes[1] {
		t.Fatalf("applied %d failed %d", len(applied), len(failed))
	}
	if want := "jobs:\n  a: {uses: a/b@" + shaMain + "}\n  b: {uses: c/d@v1}\n"; string(out) != want {
		t.Fatalf("got %q", out)
	}
}
