// Command gen writes the data of the OSV-Scanner comparison benchmark
// (bench/osv-compare.sh): OSV bulk-export zips for PyPI and npm, a pinned
// requirements.txt, a lockfileVersion 3 package-lock.json, and the findings
// the data was built to produce (expected.json).
//
//	go run ./bench/osv/gen -out DIR [-seed 1] [-npm-lock bench/osv/testdata/package-lock.json]
//
// Every advisory is written against a version history of its package built
// around the lockfile's pinned versions, so whether it affects a pin is known
// by construction: hits (introduced 0 / introduced–fixed / last_affected /
// several ranges / versions lists) and near misses (the pin is the fix,
// introduced just above, last_affected just below, versions that skip it).
// The mix also has MAL- records (introduced 0 with no fix, or versions
// lists; some with a GHSA malware alias), GHSA+PYSEC alias pairs (linked both
// ways, one way, or by a shared CVE only), withdrawn records, PEP 440
// pre/post/dev/local/epoch versions, npm pre-releases, advisories naming a
// package of the other ecosystem, and a large majority of advisories on
// packages that are in neither lockfile, like a real database.
//
// Output is deterministic for a given seed and inputs. Standard library only.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

type config struct {
	out          string
	seed         int64
	pypiPins     int
	npmPackages  int
	npmLock      string
	registry     string
	pypiAdv      int
	npmAdv       int
	hitShare     float64
	malShare     float64
	crossDecoys  int
	withdrawnPct int
}

// finding is one expected (package version, alias group).
type finding struct {
	Ecosystem string   `json:"ecosystem"`
	Name      string   `json:"name"`
	Version   string   `json:"version"`
	IDs       []string `json:"ids"`
}

type counts struct {
	records, mal, withdrawn, ghsa, pysec, onLock, concepts int
}

type builder struct {
	cfg      config
	r        *rand.Rand
	ids      *ids
	eco      string
	recs     []*record
	findings []finding
	c        counts
	taken    map[string]bool // names in use in this ecosystem (lockfile + noise)
}

func main() {
	var cfg config
	flag.StringVar(&cfg.out, "out", "", "output directory (created)")
	flag.Int64Var(&cfg.seed, "seed", 1, "random seed")
	flag.IntVar(&cfg.pypiPins, "pypi-pins", 300, "pinned requirements in requirements.txt")
	flag.IntVar(&cfg.npmPackages, "npm-packages", 1000, "entries of the synthetic package-lock.json (unused with -npm-lock)")
	flag.StringVar(&cfg.npmLock, "npm-lock", "", "use this real package-lock.json (lockfileVersion 2/3) instead of a synthetic one")
	flag.StringVar(&cfg.registry, "registry", "", "base URL for \"resolved\" in the synthetic package-lock.json (omitted if empty)")
	flag.IntVar(&cfg.pypiAdv, "pypi-advisories", 2600, "OSV records in PyPI.zip (at least; lockfile advisories come first)")
	flag.IntVar(&cfg.npmAdv, "npm-advisories", 3000, "OSV records in npm.zip (at least)")
	flag.Float64Var(&cfg.hitShare, "hit-share", 0.35, "share of lockfile package names that get advisories (PyPI; npm gets half of it)")
	flag.Float64Var(&cfg.malShare, "mal-share", 0.15, "share of MAL- records in each zip")
	flag.IntVar(&cfg.crossDecoys, "cross-decoys", 12, "advisories per zip naming a package of the other ecosystem's lockfile")
	flag.IntVar(&cfg.withdrawnPct, "withdrawn-pct", 3, "percent of lockfile concepts whose records are withdrawn")
	flag.Parse()
	if cfg.out == "" {
		fmt.Fprintln(os.Stderr, "gen: -out DIR is required")
		os.Exit(2)
	}
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(cfg config) error {
	if err := os.MkdirAll(cfg.out, 0o755); err != nil {
		return err
	}
	// Separate streams, so that one part's size does not shift another's data.
	rReq := rand.New(rand.NewSource(cfg.seed*7 + 1))
	rLock := rand.New(rand.NewSource(cfg.seed*7 + 2))
	rPy := rand.New(rand.NewSource(cfg.seed*7 + 3))
	rNpm := rand.New(rand.NewSource(cfg.seed*7 + 4))
	idgen := &ids{r: rand.New(rand.NewSource(cfg.seed*7 + 5)), seen: map[string]bool{}, n: map[string]int{}}

	// requirements.txt
	pins, req := genRequirements(rReq, cfg.pypiPins, cfg.seed)
	if err := os.WriteFile(filepath.Join(cfg.out, "requirements.txt"), req, 0o644); err != nil {
		return err
	}
	var pyPkgs []*pkgModel
	for _, p := range pins {
		h := pyHistory([]pyVer{p.ver}, rPy)
		pyPkgs = append(pyPkgs, &pkgModel{eco: "PyPI", name: p.norm, pins: []string{p.ver.String()}, hist: h})
	}

	// package-lock.json
	lockOut := filepath.Join(cfg.out, "package-lock.json")
	lockSrc := "synthetic"
	if cfg.npmLock != "" {
		data, err := os.ReadFile(cfg.npmLock)
		if err != nil {
			return err
		}
		if err := os.WriteFile(lockOut, data, 0o644); err != nil {
			return err
		}
		lockSrc = "real (" + cfg.npmLock + ")"
	} else {
		if err := os.WriteFile(lockOut, genPackageLock(rLock, cfg.npmPackages, cfg.registry), 0o644); err != nil {
			return err
		}
	}
	byName, entries, err := readPackageLock(lockOut)
	if err != nil {
		return err
	}
	var npmPkgs []*pkgModel
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	unique, skipped := 0, 0
	for _, n := range names {
		var vs []npmVer
		for _, s := range byName[n] {
			if v, ok := parseNpm(s); ok {
				vs = append(vs, v)
			} else {
				skipped++
			}
		}
		unique += len(byName[n])
		if len(vs) == 0 {
			continue
		}
		h := npmHistory(vs, rNpm)
		m := &pkgModel{eco: "npm", name: n, hist: h}
		for _, v := range vs {
			m.pins = append(m.pins, v.String())
		}
		npmPkgs = append(npmPkgs, m)
	}

	py := &builder{cfg: cfg, r: rPy, ids: idgen, eco: "PyPI", taken: map[string]bool{}}
	npm := &builder{cfg: cfg, r: rNpm, ids: idgen, eco: "npm", taken: map[string]bool{}}
	for _, m := range pyPkgs {
		py.taken[m.name] = true
	}
	for _, m := range npmPkgs {
		npm.taken[m.name] = true
	}
	lockIndex["PyPI"] = map[string]*pkgModel{}
	lockIndex["npm"] = map[string]*pkgModel{}
	for _, m := range pyPkgs {
		lockIndex["PyPI"][m.name] = m
	}
	for _, m := range npmPkgs {
		lockIndex["npm"][m.name] = m
	}
	py.lockfileConcepts(pyPkgs, cfg.hitShare)
	npm.lockfileConcepts(npmPkgs, cfg.hitShare/2)
	// Decoys: the other lockfile's names, in this ecosystem's zip; they must
	// not match (a scanner keys advisories by ecosystem too).
	py.decoys(npmPkgs, cfg.crossDecoys)
	npm.decoys(pyPkgs, cfg.crossDecoys)
	py.noise(cfg.pypiAdv)
	npm.noise(cfg.npmAdv)

	for _, b := range []*builder{py, npm} {
		data, err := zipRecords(b.recs)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(cfg.out, b.eco+".zip"), data, 0o644); err != nil {
			return err
		}
	}
	all := append(append([]finding(nil), py.findings...), npm.findings...)
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.Ecosystem != b.Ecosystem {
			return a.Ecosystem < b.Ecosystem
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.Version != b.Version {
			return a.Version < b.Version
		}
		return a.IDs[0] < b.IDs[0]
	})
	exp, _ := json.MarshalIndent(map[string]any{"generator": "bench/osv/gen", "seed": cfg.seed, "findings": all}, "", "  ")
	if err := os.WriteFile(filepath.Join(cfg.out, "expected.json"), append(exp, '\n'), 0o644); err != nil {
		return err
	}

	var st strings.Builder
	fmt.Fprintf(&st, "seed %d\n", cfg.seed)
	fmt.Fprintf(&st, "requirements.txt: %d pins\n", len(pins))
	fmt.Fprintf(&st, "package-lock.json: %s, %d entries, %d distinct name@version, %d names (%d versions not SemVer, no advisories)\n", lockSrc, entries, unique, len(byName), skipped)
	for _, b := range []*builder{py, npm} {
		fmt.Fprintf(&st, "%s.zip: %d records (%d MAL, %d GHSA, %d PYSEC, %d withdrawn); %d on lockfile packages in %d concepts; expected findings %d\n",
			b.eco, b.c.records, b.c.mal, b.c.ghsa, b.c.pysec, b.c.withdrawn, b.c.onLock, b.c.concepts, len(b.findings))
	}
	fmt.Fprintf(&st, "total: %d records, %d expected findings\n", py.c.records+npm.c.records, len(all))
	fmt.Print(st.String())
	return os.WriteFile(filepath.Join(cfg.out, "stats.txt"), []byte(st.String()), 0o644)
}

// ---------------------------------------------------------------- concepts

// concept is one vulnerability: one to three records (alias group) over one
// or more packages.
type concept struct {
	kind      string // "ghsa", "pysec", "pair", "mal", "mal+ghsa"
	targets   []target
	withdrawn bool
	onLock    bool
}

func (b *builder) lockfileConcepts(pkgs []*pkgModel, share float64) {
	r := b.r
	for _, m := range pkgs {
		if r.Float64() >= share {
			if r.Intn(60) == 0 { // a lone MAL record on a lockfile package
				b.emit(b.malConcept(m, true))
			}
			continue
		}
		k := 1 + r.Intn(3)
		if r.Intn(6) == 0 {
			k += 2 + r.Intn(4) // a frequently-hit package (Django, lodash...)
		}
		for i := 0; i < k; i++ {
			if r.Intn(40) == 0 {
				b.emit(b.malConcept(m, true))
				continue
			}
			c := concept{kind: b.vulnKind(), onLock: true}
			c.targets = []target{{m, b.scenarioFor(m, r.Intn(100) < 68)}}
			if r.Intn(20) == 0 { // a second package in the same advisory
				o := pkgs[r.Intn(len(pkgs))]
				if o != m {
					c.targets = append(c.targets, target{o, b.scenarioFor(o, r.Intn(2) == 0)})
				}
			}
			c.withdrawn = r.Intn(100) < b.cfg.withdrawnPct
			b.emit(c)
		}
	}
}

func (b *builder) decoys(other []*pkgModel, n int) {
	if len(other) == 0 {
		return
	}
	for i := 0; i < n; i++ {
		o := other[b.r.Intn(len(other))]
		name := o.name
		if b.eco == "PyPI" {
			name = normPyPI(strings.TrimPrefix(strings.ReplaceAll(name, "/", "-"), "@"))
			if b.taken[name] {
				continue
			}
		} else if b.taken[name] {
			continue
		}
		m := b.noisePkg(name)
		b.emit(concept{kind: b.vulnKind(), targets: []target{{m, scenario{spans: []span{{-1, -1, false}}}}}})
	}
}

func (b *builder) noise(total int) {
	r := b.r
	wantMal := int(float64(total) * b.cfg.malShare)
	for b.c.mal < wantMal {
		m := b.noisePkg("")
		b.emit(b.malConcept(m, false))
	}
	for b.c.records < total {
		m := b.noisePkg("")
		for k := 1 + r.Intn(3); k > 0 && b.c.records < total; k-- {
			p := m.hist.pins[0]
			sc := hitScenario(r, p, len(m.hist.vs))
			if r.Intn(2) == 0 {
				sc = missScenario(r, p, len(m.hist.vs))
			}
			b.finish(&sc)
			b.emit(concept{kind: b.vulnKind(), targets: []target{{m, sc}}, withdrawn: r.Intn(200) == 0})
		}
	}
}

// noisePkg is a package in neither lockfile (or name, a decoy).
func (b *builder) noisePkg(name string) *pkgModel {
	r := b.r
	for name == "" {
		if b.eco == "PyPI" {
			name = pyName(r)
		} else {
			name = npmName(r)
		}
		if b.taken[name] {
			name = ""
		}
	}
	b.taken[name] = true
	m := &pkgModel{eco: b.eco, name: name}
	if b.eco == "PyPI" {
		pin := randPyPin(r)
		m.hist = pyHistory([]pyVer{pin}, r)
		m.pins = []string{pin.String()}
	} else {
		pin := randNpmPin(r)
		m.hist = npmHistory([]npmVer{pin}, r)
		m.pins = []string{pin.String()}
	}
	return m
}

func (b *builder) vulnKind() string {
	x := b.r.Intn(100)
	if b.eco == "npm" {
		return "ghsa"
	}
	switch {
	case x < 30:
		return "ghsa"
	case x < 50:
		return "pysec"
	default:
		return "pair"
	}
}

// scenarioFor covers (hit) or misses one pin of m, chosen at random; with
// several pins the others fall where they fall.
func (b *builder) scenarioFor(m *pkgModel, hit bool) scenario {
	p := m.hist.pins[b.r.Intn(len(m.hist.pins))]
	var sc scenario
	if hit {
		sc = hitScenario(b.r, p, len(m.hist.vs))
	} else {
		sc = missScenario(b.r, p, len(m.hist.vs))
	}
	b.finish(&sc)
	return sc
}

func (b *builder) finish(sc *scenario) {
	if len(sc.spans) > 1 {
		sc.layout = b.r.Intn(3)
	}
	if len(sc.spans) > 0 {
		pct := 30
		if b.eco == "PyPI" {
			pct = 55
		}
		sc.enumer = b.r.Intn(100) < pct
	}
}

func (b *builder) malConcept(m *pkgModel, onLock bool) concept {
	r := b.r
	c := concept{kind: "mal", onLock: onLock}
	if r.Intn(10) < 3 {
		c.kind = "mal+ghsa"
	}
	var sc scenario
	switch x := r.Intn(10); {
	case x < 6:
		sc.spans = []span{{-1, -1, false}}
	case x < 8: // the pinned version itself was malicious
		sc.versions = []int{m.hist.pins[0]}
	default: // other versions were
		for i := range m.hist.vs {
			if !contains(m.pins, m.hist.vs[i]) && r.Intn(3) == 0 {
				sc.versions = append(sc.versions, i)
			}
		}
		if len(sc.versions) == 0 {
			sc.spans = []span{{-1, -1, false}}
		}
	}
	c.targets = []target{{m, sc}}
	c.withdrawn = r.Intn(100) < 2 // false positives get withdrawn
	return c
}

var (
	epochStart = time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)
	epochEnd   = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
)

// emit writes the records of a concept and the findings it must produce.
func (b *builder) emit(c concept) {
	r := b.r
	b.c.concepts++
	published := randTime(r, epochStart, epochEnd)
	modified := randTime(r, published, published.Add(400*24*time.Hour))
	year := published.Year()
	main := c.targets[0].pkg
	rangeType := "ECOSYSTEM"
	if b.eco == "npm" && r.Intn(10) < 8 {
		rangeType = "SEMVER" // GitHub's npm advisories use SEMVER ranges
	}
	w := weaknesses[r.Intn(len(weaknesses))]
	cve := fmt.Sprintf("CVE-%d-%d", year, 10000+r.Intn(40000)+b.c.concepts)
	for b.ids.seen[cve] {
		cve = fmt.Sprintf("CVE-%d-%d", year, 10000+r.Intn(80000))
	}
	b.ids.seen[cve] = true

	base := func(id string) *record {
		rec := &record{SchemaVersion: "1.6.0", ID: id, Modified: stamp(modified), Published: stamp(published)}
		for _, t := range c.targets {
			rec.Affected = append(rec.Affected, affectedEntries(t, rangeType, r)...)
		}
		return rec
	}
	var recs []*record
	switch c.kind {
	case "mal", "mal+ghsa":
		mal := base(b.ids.seq("MAL", year, 4))
		mal.Summary = fmt.Sprintf("Malicious code in %s (%s)", main.name, b.eco)
		mal.Details = "\n---\n_-= Per source details. Do not edit below this line.=-_\n\n## Source: ossf-package-analysis\nThe package ran code at install time that exfiltrated environment variables and credentials to a remote host."
		origin := map[string]any{"source": "ossf-package-analysis", "sha256": fmt.Sprintf("%064x", r.Uint64()), "import_time": stamp(modified), "modified_time": stamp(modified)}
		mal.DatabaseSpecific = map[string]any{"malicious-packages-origins": []any{origin}}
		mal.References = []reference{{"REPORT", "https://github.com/ossf/malicious-packages/issues/" + fmt.Sprint(1000+r.Intn(90000))}}
		recs = append(recs, mal)
		if c.kind == "mal+ghsa" {
			g := base(b.ids.ghsa())
			g.Summary = fmt.Sprintf("Malicious code in %s", main.name)
			g.Details = "Any computer that has this package installed or running should be considered fully compromised."
			g.DatabaseSpecific = map[string]any{"cwe_ids": []string{"CWE-506"}, "severity": "CRITICAL", "github_reviewed": true, "github_reviewed_at": stamp(modified)}
			g.Severity = []severity{{"CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}}
			mal.Aliases = []string{g.ID}
			recs = append(recs, g)
		}
	default:
		var g, p *record
		if c.kind == "ghsa" || c.kind == "pair" {
			g = base(b.ids.ghsa())
			g.Summary = fmt.Sprintf("%s in %s", w.what, main.name)
			g.Details = lorem(r, main.name, w.what)
			g.Severity = []severity{{"CVSS_V3", cvss(r)}}
			if r.Intn(8) == 0 {
				g.Severity = append(g.Severity, severity{"CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N"})
			}
			g.DatabaseSpecific = map[string]any{"cwe_ids": []string{w.cwe}, "severity": []string{"LOW", "MODERATE", "HIGH", "CRITICAL"}[r.Intn(4)], "github_reviewed": true, "github_reviewed_at": stamp(modified), "nvd_published_at": stamp(published)}
			g.References = []reference{{"ADVISORY", "https://nvd.nist.gov/vuln/detail/" + cve}, {"WEB", fmt.Sprintf("https://github.com/%s/%s/commit/%040x", main.name, main.name, r.Uint64())}, {"PACKAGE", "https://github.com/" + main.name}}
			if c.kind == "ghsa" && r.Intn(5) == 0 {
				// no CVE assigned
			} else {
				g.Aliases = []string{cve}
			}
			b.c.ghsa++
			recs = append(recs, g)
		}
		if c.kind == "pysec" || c.kind == "pair" {
			p = base(b.ids.seq("PYSEC", year, 0))
			p.Details = lorem(r, main.name, w.what)
			p.References = []reference{{"WEB", "https://github.com/pypa/advisory-database/tree/main/vulns/" + main.name}}
			if c.kind == "pysec" && r.Intn(4) == 0 {
				// no aliases at all
			} else {
				p.Aliases = []string{cve}
			}
			b.c.pysec++
			recs = append(recs, p)
			if c.kind == "pair" && r.Intn(10) == 0 {
				// The two databases disagree: PYSEC's ranges are redrawn.
				p.Affected = nil
				for _, t := range c.targets {
					t2 := target{t.pkg, b.scenarioFor(t.pkg, r.Intn(2) == 0)}
					p.Affected = append(p.Affected, affectedEntries(t2, rangeType, r)...)
				}
			}
		}
		if g != nil && p != nil {
			switch x := r.Intn(10); {
			case x < 6: // linked both ways
				g.Aliases = append(g.Aliases, p.ID)
				p.Aliases = append(p.Aliases, g.ID)
			case x < 8: // only PYSEC names GHSA
				p.Aliases = append(p.Aliases, g.ID)
			default: // only the CVE in common
				g.Aliases = []string{cve}
				p.Aliases = []string{cve}
			}
		}
	}
	if c.withdrawn {
		w := stamp(modified.Add(72 * time.Hour))
		// In a pair, sometimes only one side is withdrawn.
		if len(recs) == 2 && r.Intn(3) == 0 {
			recs[0].Withdrawn = w
		} else {
			for _, rec := range recs {
				rec.Withdrawn = w
			}
		}
	}
	for _, rec := range recs {
		sort.Strings(rec.Aliases)
		b.recs = append(b.recs, rec)
		b.c.records++
		if strings.HasPrefix(rec.ID, "MAL-") {
			b.c.mal++
		}
		if rec.Withdrawn != "" {
			b.c.withdrawn++
		}
		if c.onLock {
			b.c.onLock++
		}
	}
	b.expect(recs)
}

// expect adds, for every lockfile pin a non-withdrawn record of the group
// affects, one finding whose IDs are those records' IDs and aliases. It reads
// the records back (not the scenarios), so it holds for PYSEC ranges redrawn
// apart from GHSA's too.
func (b *builder) expect(recs []*record) {
	type key struct{ name, version string }
	group := map[key]map[string]bool{}
	var order []key
	for _, rec := range recs {
		if rec.Withdrawn != "" {
			continue
		}
		for _, hit := range b.hits(rec) {
			k := key{hit[0], hit[1]}
			if group[k] == nil {
				group[k] = map[string]bool{}
				order = append(order, k)
			}
			group[k][rec.ID] = true
			for _, a := range rec.Aliases {
				group[k][a] = true
			}
		}
	}
	for _, k := range order {
		var idl []string
		for id := range group[k] {
			idl = append(idl, id)
		}
		sort.Strings(idl)
		b.findings = append(b.findings, finding{Ecosystem: strings.ToLower(b.eco), Name: k.name, Version: k.version, IDs: idl})
	}
}

// hits lists the lockfile (name, version) pins a record affects, evaluated
// on history indices: versions lists, then ranges in OSV's event semantics.
func (b *builder) hits(rec *record) [][2]string {
	var out [][2]string
	seen := map[[2]string]bool{}
	for _, a := range rec.Affected {
		m := b.lockPkg(a.Package.Name)
		if m == nil {
			continue
		}
		h := m.hist
		for pi, pin := range m.pins {
			idx := h.pins[pi]
			hit := contains(a.Versions, pin)
			for _, rg := range a.Ranges {
				if rangeHits(rg, idx, h) {
					hit = true
				}
			}
			k := [2]string{m.name, pin}
			if hit && !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}

func rangeHits(rg osvRange, idx int, h history) bool {
	affected := false
	for _, e := range rg.Events { // written in ascending order
		switch {
		case e.Introduced != "":
			if !affected {
				affected = e.Introduced == "0" || idx >= h.index(e.Introduced)
			}
		case e.Fixed != "":
			if affected {
				affected = idx < h.index(e.Fixed)
			}
		case e.LastAffected != "":
			if affected {
				affected = idx <= h.index(e.LastAffected)
			}
		}
	}
	return affected
}

var lockIndex = map[string]map[string]*pkgModel{}

func (b *builder) lockPkg(name string) *pkgModel {
	return lockIndex[b.eco][name]
}
