package static

import (
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// Network reports that code sends data over the network. It is a
// capability, not a verdict: scoring combines it with what is sent.
type Network struct{}

func (Network) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/network",
		Title: "sends or fetches data over the network",
		Description: "HTTP clients (`requests`, `urllib`, `http.client`, `httpx`, `aiohttp`, `fetch`, `http(s).request`, `axios`, XHR), raw sockets and network tools run as commands " +
			"(`curl`, `wget`, `nslookup`, `Invoke-WebRequest`). Reported once per file as low severity; POST/PUT of collected data is medium. " +
			"On its own this never blocks: HTTP clients make requests.",
		Severity:     model.Medium,
		Capabilities: []model.Capability{model.CapNetwork},
	}
}

var netCallees = map[string]string{
	"requests.get": "get", "requests.post": "post", "requests.put": "put", "requests.request": "request", "requests.Session": "session",
	"urllib.request.urlopen": "get", "urllib2.urlopen": "get", "urllib.urlopen": "get", "urllib.request.Request": "request", "urllib2.Request": "request",
	"urllib.request.urlretrieve": "get", "urllib.urlretrieve": "get",
	"http.client.HTTPSConnection": "conn", "http.client.HTTPConnection": "conn", "httplib.HTTPSConnection": "conn", "httplib.HTTPConnection": "conn",
	"httpx.get": "get", "httpx.post": "post", "httpx.Client": "session", "httpx.AsyncClient": "session", "aiohttp.ClientSession": "session",
	"socket.create_connection": "socket", "ftplib.FTP": "conn", "smtplib.SMTP": "conn", "smtplib.SMTP_SSL": "conn",
	"fetch": "request", "https.request": "request", "http.request": "request", "https.get": "get", "http.get": "get",
	"axios.post": "post", "axios.get": "get", "axios": "request", "net.connect": "socket", "net.createConnection": "socket", "tls.connect": "socket",
	"new XMLHttpRequest": "request", "XMLHttpRequest": "request", "new WebSocket": "socket", "navigator.sendBeacon": "post",
	"Invoke-WebRequest":    "get",
	"socket.gethostbyname": "dns", "socket.gethostbyname_ex": "dns", "socket.getaddrinfo": "dns", "dns.resolver.resolve": "dns", "dns.resolver.query": "dns",
	"dns.lookup": "dns", "dns.resolve": "dns", "dns.resolve4": "dns", "dns.resolveTxt": "dns",
}

func (Network) Check(in *rules.Input, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		reported := false
		for _, c := range u.Calls {
			kind, ok := netCallees[c.Callee]
			if !ok {
				if rawSocketCall(c.Callee) {
					kind, ok = "socket", true
				} else {
					continue
				}
			}
			sev := model.Low
			msg := "makes network requests with " + shortQuote(c.Callee)
			if kind == "post" || kind == "put" || methodIs(c, "POST") || methodIs(c, "PUT") || c.Keywords["data"] != "" && strings.HasSuffix(c.Callee, "urlopen") {
				sev = model.Medium
				msg = "sends data with " + shortQuote(c.Callee)
			}
			if reported && sev == model.Low {
				continue
			}
			reported = true
			fd := rules.AtCall(u, c, sev, msg, model.CapNetwork)
			fd.Evidence = c.Text
			r.Report(fd)
		}
		eachCommand(u, func(c analyze.Command, words []string) {
			p := cmdName(words)
			if networkTools[p] && !(reported && u.Unit.Lang == analyze.Shell) {
				reported = true
				r.Report(model.Finding{Severity: model.Low, Path: u.Unit.Path, Line: c.Line, Layers: u.Unit.Layers, Context: u.Unit.Context,
					Message: "runs network tool " + shortQuote(p), Evidence: c.Raw, Capabilities: []model.Capability{model.CapNetwork, model.CapProcess}})
			}
		})
	})
}

func methodIs(c analyze.Call, m string) bool {
	v, ok := c.Keywords["method"]
	return ok && strings.EqualFold(strings.Trim(v, `"'`), m)
}

// rawSocketCall: connect/send on a socket object (s = socket.socket();
// s.connect(...); sock = new net.Socket(); sock.connect(...)).
func rawSocketCall(callee string) bool {
	for _, p := range []string{"socket.socket().", "socket.create_connection().", "net.Socket().", "net.connect().", "tls.connect().", "dgram.createSocket()."} {
		if strings.HasPrefix(callee, p) {
			switch callee[len(p):] {
			case "connect", "connect_ex", "send", "sendall", "sendto", "write":
				return true
			}
		}
	}
	return false
}
