package npm

import (
	"os"
	"testing"
)

// The tests use example hosts as the default registries, as a user's
// .npmrc would name them.
func TestMain(m *testing.M) {
	SetDefaultRegistries([]string{"https://registry.npm.example/", "https://registry.yarn.example"})
	os.Exit(m.Run())
}
