package npm

import (
	"bufio"
	"bytes"
	"path/filepath"
	"strings"

	"github.com/airlock-sec/airlock/internal/artifact/safeio"
)

// RegistriesFromConfig lists the registry URLs the user's own npm and yarn
// configuration names, for SetDefaultRegistries: the npm_config_registry
// environment variable, "registry=" and "@scope:registry=" lines of the
// project's and the user's .npmrc, and npmRegistryServer /
// npmScopes.*.npmRegistryServer of .yarnrc.yml. airlock never assumes a
// registry host of its own. Unreadable files are skipped.
func RegistriesFromConfig(projectDir, home string, getenv func(string) string) []string {
	var out []string
	add := func(v string) {
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		if strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://") {
			out = append(out, v)
		}
	}
	for _, k := range []string{"npm_config_registry", "NPM_CONFIG_REGISTRY", "YARN_NPM_REGISTRY_SERVER"} {
		if v := getenv(k); v != "" {
			add(v)
		}
	}
	var dirs []string
	if projectDir != "" {
		dirs = append(dirs, projectDir)
	}
	if home != "" {
		dirs = append(dirs, home)
	}
	for _, d := range dirs {
		sc := bufio.NewScanner(bytes.NewReader(readConfig(filepath.Join(d, ".npmrc"))))
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), "=")
			k = strings.TrimSpace(k)
			if ok && (k == "registry" || strings.HasPrefix(k, "@") && strings.HasSuffix(k, ":registry")) {
				add(v)
			}
		}
		sc = bufio.NewScanner(bytes.NewReader(readConfig(filepath.Join(d, ".yarnrc.yml"))))
		for sc.Scan() {
			k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), ":")
			if ok && k == "npmRegistryServer" {
				add(v)
			}
		}
	}
	return out
}

// readConfig reads a small configuration file; nil when absent.
func readConfig(p string) []byte {
	b, err := safeio.ReadFile(p, 1<<20)
	if err != nil {
		return nil
	}
	return b
}
