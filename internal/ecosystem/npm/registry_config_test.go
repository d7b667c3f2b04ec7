package npm

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestRegistriesFromConfig(t *testing.T) {
	proj, home := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(proj, ".npmrc"), []byte("registry=https://npm.corp.example/\n@acme:registry=https://acme.example/npm/\n//npm.corp.example/:_authToken=SECRET\n"), 0o600)
	os.WriteFile(filepath.Join(home, ".yarnrc.yml"), []byte("npmRegistryServer: \"https://yarn.corp.example\"\n"), 0o600)
	env := map[string]string{"npm_config_registry": "https://env.example/"}
	got := RegistriesFromConfig(proj, home, func(k string) string { return env[k] })
	want := []string{"https://env.example/", "https://npm.corp.example/", "https://acme.example/npm/", "https://yarn.corp.example"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
}

func TestClassifyResolvedWithoutConfiguredRegistry(t *testing.T) {
	SetDefaultRegistries(nil)
	defer SetDefaultRegistries([]string{"https://registry.npm.example/", "https://registry.yarn.example"})
	cases := []struct {
		url     string
		source  bool
		foreign bool
	}{
		{"https://any.mirror.example/a/-/a-1.0.0.tgz", false, false},
		{"https://any.mirror.example/b/-/b-1.0.0.tgz", true, true},
		{"https://files.example/a.tgz", true, false},
		{"http://any.mirror.example/a/-/a-1.0.0.tgz", true, false},
	}
	for _, c := range cases {
		src, foreign := classifyResolved("a", "1.0.0", c.url)
		if (src != "") != c.source || foreign != c.foreign {
			t.Errorf("%s: source %q foreign %v", c.url, src, foreign)
		}
	}
}
