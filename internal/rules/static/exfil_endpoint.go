package static

import (
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// ExfilEndpoint flags hosts used to receive stolen data: chat webhooks,
// paste and file-drop sites, tunnels, out-of-band interaction collectors
// and raw public IP addresses.
type ExfilEndpoint struct{}

func (ExfilEndpoint) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/exfil-endpoint",
		Title: "talks to an exfiltration endpoint",
		Description: "URLs and hosts that attackers use to receive data: Discord and Slack webhooks, the Telegram bot API, paste and file-drop sites, " +
			"tunnels (ngrok, trycloudflare, localtunnel, serveo), out-of-band collectors used by dependency-confusion callbacks (interactsh `oast.*`, Burp Collaborator, " +
			"pipedream, requestbin, webhook.site, dnslog, ceye) and URLs whose host is a raw public IP address. Legitimate libraries rarely hard-code these; " +
			"SDKs for the services themselves are the known exception and score low unless other findings line up.",
		Severity:     model.High,
		Capabilities: []model.Capability{model.CapExfilHost},
	}
}

var exfilHosts = []indicator{
	{"discord.com/api/webhooks", "Discord webhook"}, {"discordapp.com/api/webhooks", "Discord webhook"}, {"canary.discord.com/api/webhooks", "Discord webhook"},
	{"api.telegram.org/bot", "Telegram bot API"}, {"hooks.slack.com/services", "Slack webhook"},
	{"pastebin.com", "paste site"}, {"paste.ee", "paste site"}, {"hastebin.com", "paste site"}, {"ghostbin", "paste site"}, {"rentry.co", "paste site"},
	{"transfer.sh", "file drop"}, {"file.io", "file drop"}, {"anonfiles.com", "file drop"}, {"gofile.io", "file drop"}, {"temp.sh", "file drop"}, {"bashupload.com", "file drop"},
	{".ngrok.io", "ngrok tunnel"}, {".ngrok-free.app", "ngrok tunnel"}, {".ngrok.app", "ngrok tunnel"}, {"trycloudflare.com", "cloudflare quick tunnel"},
	{".loca.lt", "localtunnel"}, {"serveo.net", "serveo tunnel"}, {"localhost.run", "ssh tunnel"}, {"pinggy", "tunnel"},
	{".oast.fun", "interactsh collector"}, {".oast.pro", "interactsh collector"}, {".oast.live", "interactsh collector"}, {".oast.site", "interactsh collector"},
	{".oast.online", "interactsh collector"}, {".oast.me", "interactsh collector"}, {"interact.sh", "interactsh collector"}, {"interactsh", "interactsh collector"},
	{"burpcollaborator.net", "Burp Collaborator"}, {"oastify.com", "Burp Collaborator"}, {"pipedream.net", "pipedream collector"},
	{"requestbin", "request collector"}, {"webhook.site", "request collector"}, {"beeceptor.com", "request collector"}, {"requestcatcher.com", "request collector"},
	{"ceye.io", "DNS/HTTP collector"}, {"dnslog.cn", "DNS collector"}, {"dnslog.link", "DNS collector"}, {"canarytokens.com", "canary collector"},
	{"cdn.discordapp.com/attachments", "Discord CDN attachment (payload hosting)"}, {"media.discordapp.net/attachments", "Discord CDN attachment (payload hosting)"},
	{"hookbin.com", "request collector"}, {"mockbin", "request collector"}, {"xss.ht", "collector"}, {"bxss.me", "collector"},
}

// chatClients are library entry points that post to chat webhooks or bots.
var chatClients = map[string]string{
	"discord.js.WebhookClient": "Discord webhook", "new discord.js.WebhookClient": "Discord webhook",
	"discord_webhook.DiscordWebhook": "Discord webhook", "dhooks.Webhook": "Discord webhook", "discord.Webhook.from_url": "Discord webhook",
	"discord.SyncWebhook.from_url": "Discord webhook", "telebot.TeleBot": "Telegram bot API", "telegram.Bot": "Telegram bot API",
	"node-telegram-bot-api": "Telegram bot API", "new node-telegram-bot-api": "Telegram bot API",
}

func (ExfilEndpoint) Check(in *rules.Input, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		seen := map[string]bool{}
		for _, c := range u.Calls {
			if what, ok := chatClients[c.Callee]; ok && !seen[what] {
				seen[what] = true
				fd := rules.AtCall(u, c, model.High, "posts through a "+what+" client "+shortQuote(c.Callee), model.CapExfilHost, model.CapNetwork)
				fd.Evidence = c.Text
				r.Report(fd)
			}
		}
		for _, s := range u.Strings {
			if len(s.Value) > 8192 {
				continue
			}
			if ind, ok := firstMatch(s.Value, exfilHosts); ok {
				if !plausibleHostUse(s.Value, ind.sub) {
					continue
				}
				if seen[ind.label] {
					continue
				}
				seen[ind.label] = true
				fd := rules.At(u, s.Line, model.High, "contacts "+ind.label+" "+shortQuote(s.Value), model.CapExfilHost, model.CapNetwork)
				fd.Evidence = s.Value
				r.Report(fd)
				continue
			}
			prose := strings.ContainsAny(strings.TrimSpace(s.Value), " \n") && u.Unit.Context != model.Install && u.Unit.Context != model.Startup && len(u.Unit.Layers) == 0
			for _, raw := range urlsIn(s.Value) {
				h := hostOf(raw)
				if publicIP(h) && !seen[h] && !prose {
					seen[h] = true
					fd := rules.At(u, s.Line, model.Medium, "contacts a raw IP address "+shortQuote(raw), model.CapExfilHost, model.CapNetwork)
					fd.Evidence = s.Value
					r.Report(fd)
				}
			}
		}
	})
}

// plausibleHostUse rejects matches that are words in prose (a long
// sentence that mentions pastebin) rather than an address.
func plausibleHostUse(s, sub string) bool {
	if strings.Contains(s, "://") || !strings.Contains(strings.TrimSpace(s), " ") {
		return true
	}
	_ = sub
	return false
}
