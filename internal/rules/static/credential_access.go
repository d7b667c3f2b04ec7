package static

import (
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// CredentialAccess flags references to where secrets live.
type CredentialAccess struct{}

func (CredentialAccess) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/credential-access",
		Title: "reads credential or secret stores",
		Description: "Paths of SSH keys, cloud credentials (`~/.aws`, gcloud, azure), `~/.kube/config`, the Kubernetes service-account token, docker config, " +
			"`.npmrc`, `.pypirc`, `.git-credentials`, `.netrc`, `.env` files, shell history, browser profiles and cookie stores, Discord and Telegram session stores, and crypto wallets. " +
			"Reading one is normal for a cloud SDK or an SSH library, so the finding alone is medium severity; it scores high only together with network, decoding or exfiltration findings in the same file.",
		Severity:     model.Medium,
		Capabilities: []model.Capability{model.CapCredentials},
	}
}

var credentialIndicators = []indicator{
	{".ssh/id_", "SSH private key"}, {".ssh/", "SSH directory"}, {"id_rsa", "SSH private key"}, {"id_ed25519", "SSH private key"}, {"authorized_keys", "SSH authorized keys"},
	{".aws/credentials", "AWS credentials"}, {".aws/config", "AWS config"}, {".aws", "AWS credentials"},
	{"gcloud/credentials", "gcloud credentials"}, {"application_default_credentials.json", "gcloud credentials"}, {".config/gcloud", "gcloud config"},
	{".azure/", "Azure credentials"}, {"accesstokens.json", "Azure tokens"},
	{".kube/config", "Kubernetes config"}, {"serviceaccount/token", "Kubernetes service-account token"},
	{".docker/config.json", "docker credentials"}, {".npmrc", "npm token file"}, {".pypirc", "PyPI token file"}, {".git-credentials", "git credentials"},
	{".netrc", "netrc credentials"}, {".pgpass", "PostgreSQL passwords"}, {".my.cnf", "MySQL credentials"}, {".gnupg", "GnuPG keyring"},
	{".bash_history", "shell history"}, {".zsh_history", "shell history"}, {"consolehost_history", "PowerShell history"},
	{"/login data", "browser saved passwords"}, {"\\login data", "browser saved passwords"}, {"/cookies", "browser cookies"}, {"\\cookies", "browser cookies"}, {"/local state", "browser key store"}, {"\\local state", "browser key store"},
	{"google/chrome", "Chrome profile"}, {"google\\chrome", "Chrome profile"}, {"mozilla/firefox", "Firefox profile"}, {"mozilla\\firefox", "Firefox profile"},
	{"bravesoftware", "Brave profile"}, {"microsoft/edge", "Edge profile"}, {"microsoft\\edge", "Edge profile"}, {"key4.db", "Firefox key store"}, {"logins.json", "Firefox passwords"},
	{"discord/local storage", "Discord token store"}, {"discord\\local storage", "Discord token store"}, {"discordcanary", "Discord token store"}, {"discordptb", "Discord token store"},
	{"telegram desktop", "Telegram session"}, {"/tdata", "Telegram session"}, {"\\tdata", "Telegram session"},
	{"wallet.dat", "crypto wallet"}, {"exodus", "Exodus wallet"}, {"electrum", "Electrum wallet"}, {"atomic/local storage", "Atomic wallet"}, {"metamask", "MetaMask wallet"},
	{"nkbihfbeogaeaoehlefnkodbefgpgknn", "MetaMask extension storage"}, {"ethereum/keystore", "Ethereum keystore"}, {"solana/id.json", "Solana keypair"},
	{"local storage/leveldb", "browser or Discord token store"}, {"local storage\\leveldb", "browser or Discord token store"},
	{"dqw4w9wgxcq", "encrypted Discord token marker"}, {"mfa\\.[\\w-]{84}", "Discord token pattern"}, {"[\\w-]{24}\\.[\\w-]{6}\\.[\\w-]", "Discord token pattern"},
	{"/etc/shadow", "system password hashes"}, {"keychain", "OS keychain"}, {"filezilla", "FileZilla saved passwords"},
}

// exactCredentialNames are file names of browser and wallet secret stores,
// matched only when a string is exactly the name (a path part).
var exactCredentialNames = map[string]string{
	"login data": "browser saved passwords", "local state": "browser key store", "web data": "browser autofill store",
	"key4.db": "Firefox key store", "logins.json": "Firefox passwords", "wallet.dat": "crypto wallet", "cookies.sqlite": "Firefox cookies",
}

// dotenvIndicator is matched exactly: a string that is a path to a .env file.
func isDotenv(s string) bool {
	return s == ".env" || len(s) > 5 && (s[len(s)-5:] == "/.env" || s[len(s)-5:] == "\\.env")
}

func (CredentialAccess) Check(in *rules.Input, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		seen := map[string]bool{}
		prose := proseApplies(u)
		for _, s := range u.Strings {
			label := ""
			if ind, ok := firstMatch(s.Value, credentialIndicators); ok {
				if ind.sub == ".aws" && !containsWord(s.Value, ".aws") {
					continue
				}
				if ind.sub == "exodus" && len(s.Value) > 60 || ind.sub == "electrum" && len(s.Value) > 60 || ind.sub == "keychain" && len(s.Value) > 60 {
					continue
				}
				label = ind.label
			} else if isDotenv(s.Value) {
				label = ".env file"
			} else if l, ok := exactCredentialNames[strings.ToLower(s.Value)]; ok {
				label = l
			}
			if label == "" || seen[label] || prose && isProse(s.Value) {
				continue
			}
			seen[label] = true
			fd := rules.At(u, s.Line, model.Medium, "references "+label+" "+shortQuote(s.Value), model.CapCredentials)
			fd.Evidence = s.Value
			r.Report(fd)
		}
	})
}

// containsWord checks that sub is followed by a path separator, a quote or
// the end (".aws" but not ".awsome").
func containsWord(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			j := i + len(sub)
			if j == len(s) || s[j] == '/' || s[j] == '\\' {
				return true
			}
		}
	}
	return false
}
