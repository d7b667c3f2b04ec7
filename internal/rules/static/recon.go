package static

import (
	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// Recon flags collection of host and user identity: the payload of
// dependency-confusion callbacks and the first step of most stealers.
type Recon struct{}

func (Recon) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/recon",
		Title: "collects host or user identity",
		Description: "Hostname, user name, working directory, OS details, network interfaces and public-IP lookups (`socket.gethostname`, `getpass.getuser`, " +
			"`os.hostname()`, `os.userInfo()`, `whoami`, `ipinfo.io`). Low severity alone; sent over the network from install-time code it is the " +
			"signature of a dependency-confusion callback.",
		Severity:     model.Low,
		Capabilities: []model.Capability{model.CapRecon},
	}
}

var reconCallees = map[string]string{
	"socket.gethostname": "hostname", "platform.node": "hostname", "os.uname": "OS details", "getpass.getuser": "user name", "os.getlogin": "user name",
	"os.hostname": "hostname", "os.userInfo": "user name", "os.networkInterfaces": "network interfaces", "platform.uname": "OS details",
	"socket.getfqdn": "hostname", "os.homedir": "home directory", "pwd.getpwuid": "user name", "uuid.getnode": "MAC address",
	"os.getuid": "", "os.getcwd": "", "process.cwd": "",
}

var reconCommands = map[string]string{"whoami": "user name", "hostname": "hostname", "uname": "OS details", "id": "user name", "ipconfig": "network interfaces", "ifconfig": "network interfaces", "systeminfo": "OS details"}

var ipLookupHosts = []indicator{{"ipinfo.io", "public IP lookup"}, {"ifconfig.me", "public IP lookup"}, {"api.ipify.org", "public IP lookup"}, {"ip-api.com", "public IP lookup"},
	{"checkip.amazonaws.com", "public IP lookup"}, {"icanhazip.com", "public IP lookup"}, {"ipapi.co", "public IP lookup"}, {"myexternalip.com", "public IP lookup"}, {"wtfismyip", "public IP lookup"}}

func (Recon) Check(in *rules.Input, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		seen := map[string]bool{}
		for _, c := range u.Calls {
			what, ok := reconCallees[c.Callee]
			if !ok || what == "" || seen[what] {
				continue
			}
			seen[what] = true
			fd := rules.AtCall(u, c, model.Low, "collects "+what+" with "+shortQuote(c.Callee), model.CapRecon)
			fd.Evidence = c.Text
			r.Report(fd)
		}
		for _, s := range u.Strings {
			if ind, ok := firstMatch(s.Value, ipLookupHosts); ok && !seen[ind.label] && len(s.Value) < 200 {
				seen[ind.label] = true
				fd := rules.At(u, s.Line, model.Low, "looks up the machine's public IP via "+shortQuote(ind.sub), model.CapRecon, model.CapNetwork)
				fd.Evidence = s.Value
				r.Report(fd)
			}
		}
		eachCommand(u, func(c analyze.Command, words []string) {
			p := cmdName(words)
			if what, ok := reconCommands[p]; ok && !seen[what] && (u.Unit.Lang != analyze.Shell || u.Unit.Context == model.Install || u.Unit.Context == model.Startup) {
				seen[what] = true
				r.Report(model.Finding{Severity: model.Low, Path: u.Unit.Path, Line: c.Line, Layers: u.Unit.Layers, Context: u.Unit.Context,
					Message: "collects " + what + " with " + shortQuote(p), Evidence: c.Raw, Capabilities: []model.Capability{model.CapRecon}})
			}
		})
	})
}
