package static

import (
	"regexp"

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
	drainerHook = regexp.MustCompile(`(?:ethereum\.request|ethereum\.send(?:Async)?|prototype\.(?:open|send)|(?:window|globalThis|self)\.fetch)\s*=[^=]|defineProperty\(\s*(?:window|globalThis)\s*,\s*['"](?:ethereum|fetch|solana)['"]`)
	ethAddr     = regexp.MustCompile(`0x[a-fA-F0-9]{40}\b`)
	btcAddr     = regexp.MustCompile(`\b(bc1[a-z0-9]{25,59}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})\b`)
	solAddr     = regexp.MustCompile(`\bT[1-9A-HJ-NP-Za-km-z]{33}\b`)
)

func (CryptoDrainer) Check(in *rules.Input, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		if u.Unit.Lang != analyze.JavaScript {
			return
		}
		t := u.Unit.Text
		// a hook replaces the function; calling it is what wallet SDKs do
		if !drainerHook.Match(t) {
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
			r.Report(rules.At(u, lineOf(t, "ethereum"), model.Critical, "replaces wallet or network APIs and embeds "+itoa(addrs)+" wallet addresses to swap in", model.CapDrainer))
		}
	})
}
