package static

import (
	"bytes"
	"regexp"
	"strconv"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// CryptoDrainer flags browser code that hooks wallet providers or network
// APIs and carries lists of crypto addresses to swap in.
type CryptoDrainer struct{}

func (CryptoDrainer) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/crypto-drainer",
		Title: "browser crypto-drainer",
		Description: "The September 2025 chalk/debug compromise appended code that hooked `window.ethereum.request`, `fetch` and `XMLHttpRequest` and rewrote " +
			"recipient addresses to the closest of a long list of attacker wallets. Reported when a file both replaces a wallet provider's or the browser's network functions (assigns `ethereum.request`, `window.fetch`, `XMLHttpRequest.prototype.send`) " +
			"and embeds many wallet addresses; wallet SDKs that only call the provider are not.",
		Severity:     model.Critical,
		Ecosystems:   []model.Ecosystem{model.NPM},
		Capabilities: []model.Capability{model.CapDrainer},
	}
}

var (
	ethAddr = regexp.MustCompile(`0x[a-fA-F0-9]{40}\b`)
	btcAddr = regexp.MustCompile(`\b(bc1[a-z0-9]{25,59}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})\b`)
	solAddr = regexp.MustCompile(`\bT[1-9A-HJ-NP-Za-km-z]{33}\b`)
)

func (CryptoDrainer) Check(in *rules.Input, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		if u.Unit.Lang != analyze.JavaScript {
			return
		}
		t := u.Unit.Text
		// a hook replaces the function; calling it is what wallet SDKs do
		if !replacesHook(t) {
			return
		}
		addrs := 0
		seen := map[string]bool{}
		for _, s := range u.Strings {
			for _, re := range []*regexp.Regexp{ethAddr, btcAddr, solAddr} {
				for _, m := range re.FindAllString(s.Value, 50) {
					if !seen[m] {
						seen[m] = true
						addrs++
					}
				}
			}
		}
		if addrs >= 10 {
			r.Report(rules.At(u, lineOf(t, "ethereum"), model.Critical, "replaces wallet or network APIs and embeds "+strconv.Itoa(addrs)+" wallet addresses to swap in", model.CapDrainer))
		}
	})
}

var hookTargets = [][]byte{[]byte("ethereum.request"), []byte("ethereum.send"), []byte("ethereum.sendAsync"), []byte("prototype.open"),
	[]byte("prototype.send"), []byte("window.fetch"), []byte("globalThis.fetch"), []byte("self.fetch")}

// replacesHook reports whether code assigns to a wallet or network
// function (x.ethereum.request = …, window.fetch = …) or redefines
// window.ethereum. Plain byte scans: this runs on every bundle.
func replacesHook(t []byte) bool {
	for _, target := range hookTargets {
		rest := t
		for {
			i := bytes.Index(rest, target)
			if i < 0 {
				break
			}
			j := i + len(target)
			for j < len(rest) && (rest[j] == ' ' || rest[j] == '\t') {
				j++
			}
			if j+1 < len(rest) && rest[j] == '=' && rest[j+1] != '=' {
				return true
			}
			rest = rest[i+len(target):]
		}
	}
	rest := t
	for {
		i := bytes.Index(rest, []byte("defineProperty("))
		if i < 0 {
			return false
		}
		arg := rest[i+len("defineProperty("):]
		if len(arg) > 64 {
			arg = arg[:64]
		}
		a := bytes.ReplaceAll(arg, []byte(" "), nil)
		if (bytes.HasPrefix(a, []byte("window,")) || bytes.HasPrefix(a, []byte("globalThis,"))) &&
			(bytes.Contains(a, []byte("ethereum")) || bytes.Contains(a, []byte("fetch")) || bytes.Contains(a, []byte("solana"))) {
			return true
		}
		rest = rest[i+1:]
	}
}
