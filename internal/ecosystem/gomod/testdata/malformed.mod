module example.com/bad

go 1.22
go 1.23
go one

require (
	github.com/ok/first v1.0.0
	github.com/short/version v1.2
	github.com/branch/name master
	github.com/no/version
	github.com/too/many v1.0.0 v2.0.0
	github.com/major/v2 v1.0.0
	github.com/needs/suffix v2.0.0
	github.com/bad/build v1.0.0+meta
	github.com/bad/incompat v1.0.0+incompatible
	github.com/bad/date v0.0.0-20241399000000-abcdefabcdef
	`github.com/backquoted/path` v1.0.0
	github.com/bad"quote v1.0.0
	"github.com/bad\qescape" v1.0.0
	github.com/UPPER/Case v1.0.0
	Github.com/upper/host v1.0.0
	github.com/x/v1 v1.0.0
	github.com/comment/* x */ v1.0.0
	github.com/unterminated "v1.0.0
	nodot/module v1.0.0
	github.com/ok/second v1.1.0
)

require github.com/ok/third v1.2.0 /* block comment */
require github.com/ok/fourth v1.3.0 extra
frobnicate github.com/ok/fifth v1.0.0

replace github.com/a/b => github.com/c/d
replace github.com/a/b => github.com/c/d@v1.0.0
replace github.com/a/b => ./dir v1.0.0
replace github.com/a/b v1.0.0 github.com/c/d v1.0.0
replace github.com/a/b => nodot v1.0.0
replace github.com/a/b => ../one
replace github.com/a/b => ../two

retract [v1.0.0 v1.1.0]
retract [v1.0.0,
retract v1.0.0 v1.1.0
retract latest

unknown (
	whatever goes here
)

require (
	github.com/ok/sixth v1.4.0
