// Module comment: this file exercises most of the go.mod grammar.
// Deprecated: use example.com/platform/v3 instead.
module "example.com/platform/v2"

go 1.23.0

toolchain go1.24.2

godebug (
	default=go1.21
	panicnil=1
)

godebug asynctimerchan=0

require (
	github.com/google/uuid v1.6.0
	github.com/spf13/cobra v1.8.1
	golang.org/x/sync v0.10.0
	gopkg.in/yaml.v3 v3.0.1
	k8s.io/client-go v0.31.2
	"github.com/quoted/path" v1.0.0 // quoted paths are allowed
	github.com/old/lib v2.3.4+incompatible
	github.com/forked/thing v1.4.0
	github.com/local/helper v0.0.0-00010101000000-000000000000
	example.com/monorepo/sub v0.2.0

	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/spf13/pflag v1.0.5 // indirect; kept for tests
	golang.org/x/sys v0.28.0 //indirect
	golang.org/x/text v0.21.0 // indirect
	gopkg.in/check.v1 v0.0.0-20161208181325-20d25e280405 // indirect
	github.com/pseudo/prerelease v1.3.0-rc.1.0.20240102030405-0123456789ab // indirect
	github.com/pseudo/release v1.2.4-0.20231231235959-abcdefabcdef // indirect
	github.com/not/indirect v1.0.0 // indirectly useful, but not "indirect"
)

require github.com/single/line v1.0.0

require github.com/single/indirect v1.1.0 // indirect

require ()

exclude github.com/google/uuid v1.5.0

exclude (
	golang.org/x/sys v0.27.0
	golang.org/x/sys v0.26.0
)

replace github.com/forked/thing => github.com/ourorg/thing v1.4.1-fix.1

replace (
	github.com/local/helper => ./internal/helper
	github.com/spf13/pflag v1.0.5 => ../pflag
	example.com/monorepo/sub v0.2.0 => example.com/monorepo/sub v0.2.1
	example.com/monorepo/sub => example.com/monorepo/other v0.9.0
	github.com/not/required => /abs/path
	"github.com/quoted/path" => "../quoted dir"
)

retract v2.0.1 // published by mistake

retract (
	[v2.1.0, v2.1.9] // broken build
	v2.0.0-rc.1
)

tool golang.org/x/tools/cmd/stringer

tool (
	github.com/local/helper/cmd/gen
	k8s.io/code-generator/cmd/deepcopy-gen
)

ignore ./node_modules
