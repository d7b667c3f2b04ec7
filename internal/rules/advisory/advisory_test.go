package advisory

import (
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

func run(in *rules.Input) []model.Finding { return rules.Run(in, List()) }

func TestMaliciousAtDeclaration(t *testing.T) {
	in := &rules.Input{
		Package: model.Package{Ecosystem: model.PyPI, Name: "litellm", Version: "1.82.8"},
		Declared: []model.Dependency{
			{Name: "litellm", Version: "1.82.8", Path: "poetry.lock", Line: 40},
			{Name: "litellm", Version: "1.82.8", Path: "requirements.txt", Line: 3},
		},
		Known: []rules.Known{{Ref: model.AdvisoryRef{ID: "MAL-2026-2144", Aliases: []string{"GHSA-x"}, Summary: "malicious"}, Malicious: true, Severity: model.Critical}},
	}
	fs := run(in)
	if len(fs) != 1 {
		t.Fatalf("findings %+v", fs)
	}
	f := fs[0]
	if f.Rule != "advisory/malicious" || f.Severity != model.Critical || f.Path != "poetry.lock" || f.Line != 40 ||
		!strings.Contains(f.Evidence, "also declared at requirements.txt:3") || f.Advisory.ID != "MAL-2026-2144" ||
		!strings.Contains(f.Message, `"MAL-2026-2144" (GHSA-x)`) {
		t.Fatalf("finding %+v", f)
	}
}

func TestVulnerableAtMetadata(t *testing.T) {
	in := &rules.Input{
		Package: model.Package{Ecosystem: model.NPM, Name: "lodash", Version: "4.17.20"},
		Files:   []*rules.File{{Path: "lib/index.js"}, {Path: "package.json"}},
		Known:   []rules.Known{{Ref: model.AdvisoryRef{ID: "GHSA-y", Fixed: []string{"4.17.21"}}, Severity: model.High}},
	}
	fs := run(in)
	if len(fs) != 1 || fs[0].Rule != "advisory/vulnerable" || fs[0].Path != "package.json" || fs[0].Severity != model.High ||
		!strings.Contains(fs[0].Message, "fixed in 4.17.21") {
		t.Fatalf("findings %+v", fs)
	}
	in.Known[0].Ref.Fixed = nil
	if fs := run(in); !strings.Contains(fs[0].Message, "no fixed version is known") {
		t.Fatalf("message %q", fs[0].Message)
	}
}

func TestUnpinnedAndNothing(t *testing.T) {
	in := &rules.Input{
		Package:  model.Package{Ecosystem: model.PyPI, Name: "flask"},
		Declared: []model.Dependency{{Name: "flask", Constraint: ">=2", Unpinned: true, Path: "requirements.txt", Line: 4}},
	}
	fs := run(in)
	if len(fs) != 1 || fs[0].Rule != "lockfile/unpinned" || fs[0].Line != 4 || !strings.Contains(fs[0].Message, "(>=2)") {
		t.Fatalf("findings %+v", fs)
	}
	// a pinned, unadvised package: nothing
	if fs := run(&rules.Input{Package: model.Package{Name: "ok", Version: "1"}, Declared: []model.Dependency{{Name: "ok", Version: "1", Path: "uv.lock"}}}); len(fs) != 0 {
		t.Fatalf("findings %+v", fs)
	}
}
