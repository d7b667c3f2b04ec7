package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// A backend makes DSNs of fresh, isolated, empty stores of one kind.
type backend struct {
	name   string
	newDSN func(t testing.TB) string
}

func sqliteBackend() backend {
	return backend{SQLite, func(t testing.TB) string {
		return filepath.Join(t.TempDir(), "sub", "airlock.db")
	}}
}

func postgresBackend() backend { return backend{Postgres, postgresDSN} }

// postgresDSN creates a schema of its own on the server named by
// AIRLOCK_TEST_POSTGRES, returns a DSN whose search_path is that schema,
// and drops it when the test ends. Without the variable the test is skipped,
// or fails if AIRLOCK_REQUIRE_POSTGRES=1 (scripts/test.sh sets both).
func postgresDSN(t testing.TB) string {
	base := os.Getenv("AIRLOCK_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("AIRLOCK_REQUIRE_POSTGRES") == "1" {
			t.Fatal("AIRLOCK_REQUIRE_POSTGRES=1 but AIRLOCK_TEST_POSTGRES is unset: run scripts/test.sh, which starts a PostgreSQL server")
		}
		t.Skip("AIRLOCK_TEST_POSTGRES is unset: skipping the PostgreSQL back end (scripts/test.sh starts a server and sets it)")
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	schema := "airlock_test_" + randomHex(6)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		t.Fatalf("create test schema on %s: %v", base, err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		// Sessions still open (a store a failed test left) would block DROP.
		admin.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, schema)
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop test schema: %v", err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("application_name", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func TestSQLite(t *testing.T)   { runConformance(t, sqliteBackend()) }
func TestPostgres(t *testing.T) { runConformance(t, postgresBackend()) }

// runConformance is the behavior both back ends must share.
func runConformance(t *testing.T, be backend) {
	if be.name == Postgres {
		postgresDSN(t) // skip or fail early, once
	}
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, backend)
	}{
		{"Migrations", testMigrations},
		{"Advisories", testAdvisories},
		{"ImportRollback", testImportRollback},
		{"Aliases", testAliases},
		{"AdvisoriesForMany", testAdvisoriesForMany},
		{"RecordWhere", testRecordWhere},
		{"RecordSameTime", testRecordSameTime},
		{"WhereManyVersions", testWhereManyVersions},
		{"Impact", testImpact},
		{"ConcurrentWriters", testConcurrentWriters},
		{"CancelledRecord", testCancelledRecord},
		{"CancelledImport", testCancelledImport},
		{"RecordInvalid", testRecordInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, be) })
	}
}

func openT(t testing.TB, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var (
	t0 = time.Date(2026, 11, 1, 10, 0, 0, 123456789, time.UTC)
	t1 = t0.Add(24 * time.Hour)
	t2 = t1.Add(24 * time.Hour)
)

func testMigrations(t *testing.T, be backend) {
	ctx := context.Background()
	dsn := be.newDSN(t)
	// Concurrent first opens: one applies, the others wait or see it done.
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			s, err := Open(ctx, dsn)
			if err == nil {
				err = s.Close()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent Open: %v", err)
		}
	}
	s := openT(t, dsn) // and once more
	if s.Backend() != be.name {
		t.Errorf("Backend() = %q, want %q", s.Backend(), be.name)
	}
	ms, err := migrations(be.name)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(ms) {
		t.Errorf("schema_migrations has %d rows, want %d", n, len(ms))
	}
	// A schema from a newer airlock is refused.
	if _, err := s.db.Exec(s.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'future', 0)`), 9999); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, dsn); err == nil || !strings.Contains(err.Error(), "upgrade airlock") {
		t.Errorf("Open of a newer schema: err = %v, want one asking to upgrade", err)
	}
}

func adv(id string, mod time.Time, aliases []string, pkgs ...string) AdvisoryRecord {
	r := AdvisoryRecord{ID: id, Modified: mod, Aliases: aliases, JSON: []byte(fmt.Sprintf(`{"id":%q,"modified":%q}`, id, mod.Format(time.RFC3339Nano)))}
	for _, p := range pkgs {
		eco, name, _ := strings.Cut(p, "/")
		r.Packages = append(r.Packages, PackageKey{eco, name})
	}
	r.Malicious = strings.HasPrefix(id, "MAL-")
	return r
}

func importAll(t *testing.T, s *Store, source string, st SourceStatus, recs ...AdvisoryRecord) (changed []bool) {
	t.Helper()
	ctx := context.Background()
	im, err := s.BeginImport(ctx, source)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	for _, r := range recs {
		c, err := im.Put(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		changed = append(changed, c)
	}
	if err := im.Commit(ctx, st); err != nil {
		t.Fatal(err)
	}
	return changed
}

func docsIDs(t *testing.T, docs [][]byte) []string {
	t.Helper()
	var ids []string
	for _, d := range docs {
		s := string(d)
		i := strings.Index(s, `"id":"`)
		if i < 0 {
			t.Fatalf("doc %s has no id", s)
		}
		s = s[i+6:]
		ids = append(ids, s[:strings.IndexByte(s, '"')])
	}
	return ids
}

func testAdvisories(t *testing.T, be backend) {
	ctx := context.Background()
	s := openT(t, be.newDSN(t))
	changed := importAll(t, s, "https://osv.example/all.zip", SourceStatus{UpdatedAt: t1, ETag: `"e1"`, LastModified: "Mon, 02 Nov 2026 10:00:00 GMT"},
		adv("GHSA-1", t0, []string{"CVE-1"}, "PyPI/requests"),
		adv("MAL-2", t1, nil, "npm/evil", "PyPI/evil"),
		func() AdvisoryRecord { r := adv("PYSEC-3", t0, nil, "PyPI/requests"); r.Withdrawn = true; return r }(),
	)
	if !reflect.DeepEqual(changed, []bool{true, true, true}) {
		t.Errorf("first import changed = %v", changed)
	}
	total, mal, wd, err := s.AdvisoryCounts(ctx)
	if err != nil || total != 3 || mal != 1 || wd != 1 {
		t.Errorf("AdvisoryCounts = %d, %d, %d, %v; want 3, 1, 1", total, mal, wd, err)
	}
	st, ok, err := s.Source(ctx, "https://osv.example/all.zip")
	want := SourceStatus{Source: "https://osv.example/all.zip", UpdatedAt: t1, Records: 3, Changed: 3, Newest: t1,
		ETag: `"e1"`, LastModified: "Mon, 02 Nov 2026 10:00:00 GMT"}
	if err != nil || !ok || !reflect.DeepEqual(st, want) {
		t.Errorf("Source = %+v, %v, %v\nwant %+v", st, ok, err, want)
	}
	if _, ok, err := s.Source(ctx, "nope"); ok || err != nil {
		t.Errorf("Source(nope) = %v, %v", ok, err)
	}

	got, err := s.AdvisoriesFor(ctx, []PackageKey{{"PyPI", "requests"}, {"npm", "evil"}, {"PyPI", "requests"}, {"Go", "none"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !reflect.DeepEqual(docsIDs(t, got[PackageKey{"PyPI", "requests"}]), []string{"GHSA-1", "PYSEC-3"}) ||
		!reflect.DeepEqual(docsIDs(t, got[PackageKey{"npm", "evil"}]), []string{"MAL-2"}) {
		t.Errorf("AdvisoriesFor = %q", got)
	}

	// Incremental: older or equal Modified changes nothing; newer replaces
	// the record with its aliases and packages.
	changed = importAll(t, s, "https://osv.example/all.zip", SourceStatus{UpdatedAt: t2, ETag: `"e2"`},
		adv("GHSA-1", t0.Add(-time.Hour), nil, "PyPI/other"),
		adv("MAL-2", t1, nil, "npm/other"),
		adv("PYSEC-3", t1, []string{"CVE-3"}, "PyPI/urllib3"),
		adv("GO-4", t2, nil, "Go/example.com/m"),
	)
	if !reflect.DeepEqual(changed, []bool{false, false, true, true}) {
		t.Errorf("incremental import changed = %v, want [false false true true]", changed)
	}
	got, _ = s.AdvisoriesFor(ctx, []PackageKey{{"PyPI", "requests"}, {"PyPI", "urllib3"}, {"PyPI", "other"}})
	if !reflect.DeepEqual(docsIDs(t, got[PackageKey{"PyPI", "requests"}]), []string{"GHSA-1"}) ||
		!reflect.DeepEqual(docsIDs(t, got[PackageKey{"PyPI", "urllib3"}]), []string{"PYSEC-3"}) || len(got) != 2 {
		t.Errorf("after incremental import AdvisoriesFor = %q", got)
	}
	if docs, _ := s.AdvisoryJSON(ctx, "PYSEC-3"); len(docs) != 1 || !strings.Contains(string(docs[0]), t1.Format(time.RFC3339Nano)) {
		t.Errorf("PYSEC-3 not replaced: %q", docs)
	}
	total, _, wd, _ = s.AdvisoryCounts(ctx)
	if total != 4 || wd != 0 {
		t.Errorf("after incremental import total, withdrawn = %d, %d; want 4, 0", total, wd)
	}
	st, _, _ = s.Source(ctx, "https://osv.example/all.zip")
	if st.Records != 4 || st.Changed != 2 || !st.Newest.Equal(t2) || st.ETag != `"e2"` || !st.UpdatedAt.Equal(t2) {
		t.Errorf("after incremental import Source = %+v", st)
	}
	// A not-modified download: no Put, the counts stay.
	importAll(t, s, "https://osv.example/all.zip", SourceStatus{ETag: `"e2"`})
	st, _, _ = s.Source(ctx, "https://osv.example/all.zip")
	if st.Records != 4 || st.Changed != 0 || !st.Newest.Equal(t2) || !st.UpdatedAt.After(t2) {
		t.Errorf("after empty import Source = %+v", st)
	}
	// A second source.
	importAll(t, s, "/tmp/local", SourceStatus{}, adv("LOCAL-1", t0, nil, "npm/x"))
	srcs, err := s.Sources(ctx)
	if err != nil || len(srcs) != 2 || srcs[0].Source != "/tmp/local" || srcs[0].Records != 1 || srcs[1].Records != 4 {
		t.Errorf("Sources = %+v, %v", srcs, err)
	}
	var keys []PackageKey
	if err := s.EachAdvisoryPackage(ctx, func(k PackageKey) error { keys = append(keys, k); return nil }); err != nil {
		t.Fatal(err)
	}
	wantKeys := []PackageKey{{"Go", "example.com/m"}, {"PyPI", "evil"}, {"PyPI", "requests"}, {"PyPI", "urllib3"}, {"npm", "evil"}, {"npm", "x"}}
	if !reflect.DeepEqual(keys, wantKeys) {
		t.Errorf("EachAdvisoryPackage = %v\nwant %v", keys, wantKeys)
	}
	stop := errors.New("stop")
	if err := s.EachAdvisoryPackage(ctx, func(PackageKey) error { return stop }); err != stop {
		t.Errorf("EachAdvisoryPackage did not return fn's error: %v", err)
	}
}

func testImportRollback(t *testing.T, be backend) {
	ctx := context.Background()
	dsn := be.newDSN(t)
	s := openT(t, dsn)
	importAll(t, s, "src", SourceStatus{ETag: "v1"}, adv("A-1", t0, []string{"CVE-A"}, "npm/a"))

	im, err := s.BeginImport(ctx, "src")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []AdvisoryRecord{adv("A-1", t1, nil, "npm/b"), adv("A-2", t1, nil, "npm/a")} {
		if _, err := im.Put(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	// Not visible from another store before Commit.
	other := openT(t, dsn)
	if total, _, _, _ := other.AdvisoryCounts(ctx); total != 1 {
		t.Errorf("uncommitted import visible: %d records", total)
	}
	if err := im.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := im.Rollback(); err != nil {
		t.Errorf("second Rollback: %v", err)
	}
	got, _ := s.AdvisoriesFor(ctx, []PackageKey{{"npm", "a"}, {"npm", "b"}})
	if !reflect.DeepEqual(docsIDs(t, got[PackageKey{"npm", "a"}]), []string{"A-1"}) || len(got) != 1 {
		t.Errorf("after rollback AdvisoriesFor = %q", got)
	}
	if st, _, _ := s.Source(ctx, "src"); st.ETag != "v1" || st.Records != 1 {
		t.Errorf("after rollback Source = %+v", st)
	}
	if docs, _ := s.AdvisoryJSON(ctx, "CVE-A"); len(docs) != 1 {
		t.Errorf("after rollback alias lookup = %q", docs)
	}
	// Rollback after Commit is a no-op.
	im, err = s.BeginImport(ctx, "src")
	if err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(ctx, SourceStatus{}); err != nil {
		t.Fatal(err)
	}
	if err := im.Rollback(); err != nil {
		t.Errorf("Rollback after Commit: %v", err)
	}
}

func testAliases(t *testing.T, be backend) {
	ctx := context.Background()
	s := openT(t, be.newDSN(t))
	importAll(t, s, "src", SourceStatus{},
		adv("GHSA-x", t0, []string{"CVE-2026-1", "PYSEC-1"}, "PyPI/a"),
		adv("PYSEC-1", t0, []string{"CVE-2026-1", "GHSA-x"}, "PyPI/a"),
		adv("GO-1", t0, []string{"CVE-2026-2"}, "Go/m"),
	)
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"CVE-2026-1", []string{"GHSA-x", "PYSEC-1"}},
		{"GHSA-x", []string{"GHSA-x", "PYSEC-1"}},
		{"GO-1", []string{"GO-1"}},
		{"CVE-2026-2", []string{"GO-1"}},
		{"CVE-404", nil},
	} {
		docs, err := s.AdvisoryJSON(ctx, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if got := docsIDs(t, docs); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("AdvisoryJSON(%q) = %v, want %v", tc.q, got, tc.want)
		}
	}
}

func testAdvisoriesForMany(t *testing.T, be backend) {
	ctx := context.Background()
	s := openT(t, be.newDSN(t))
	var recs []AdvisoryRecord
	var keys []PackageKey
	for i := range 1500 {
		recs = append(recs, adv(fmt.Sprintf("X-%04d", i), t0, nil, fmt.Sprintf("npm/p%d", i)))
		keys = append(keys, PackageKey{"npm", fmt.Sprintf("p%d", i)}, PackageKey{"PyPI", fmt.Sprintf("p%d", i)})
	}
	importAll(t, s, "src", SourceStatus{}, recs...)
	start := time.Now()
	got, err := s.AdvisoriesFor(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("AdvisoriesFor(%d keys) took %v", len(keys), time.Since(start))
	if len(got) != 1500 {
		t.Fatalf("AdvisoriesFor found %d keys, want 1500", len(got))
	}
	for i := range 1500 {
		if ids := docsIDs(t, got[PackageKey{"npm", fmt.Sprintf("p%d", i)}]); len(ids) != 1 || ids[0] != fmt.Sprintf("X-%04d", i) {
			t.Fatalf("key p%d: %v", i, ids)
		}
	}
}

func pkgs(specs ...string) []InventoryPackage {
	var out []InventoryPackage
	for _, s := range specs {
		f := strings.Split(s, " ")
		out = append(out, InventoryPackage{f[0], f[1], f[2]})
	}
	return out
}

// sightings prints Where's answer compactly: host:path version first..last [gone].
func sightings(ss []Sighting) []string {
	var out []string
	for _, s := range ss {
		line := fmt.Sprintf("%s:%s %s %s..%s", s.Env.Host, s.Env.Path, s.Version, s.FirstSeen.Format("01-02"), s.LastSeen.Format("01-02"))
		if !s.Present {
			line += " gone"
		}
		out = append(out, line)
	}
	return out
}

func testRecordWhere(t *testing.T, be backend) {
	ctx := context.Background()
	s := openT(t, be.newDSN(t))
	e1, err := s.Record(ctx, Environment{Host: "h1", Path: "/srv/app/.venv", Project: "app", GitCommit: "c1", Kind: "venv"},
		pkgs("pypi requests 2.31.0", "pypi urllib3 2.0.0", "pypi requests 2.31.0"), t0)
	if err != nil {
		t.Fatal(err)
	}
	if e1.ID == 0 || !e1.FirstSeen.Equal(t0) || !e1.LastSeen.Equal(t0) || e1.Project != "app" {
		t.Errorf("Record returned %+v", e1)
	}
	if _, err := s.Record(ctx, Environment{Host: "h0", Path: "/p", Kind: "lockfile"}, pkgs("pypi requests 2.30.0", "npm left-pad 1.0.0"), t1); err != nil {
		t.Fatal(err)
	}
	// Second observation of e1: urllib3 upgraded, requests kept, new package.
	e1b, err := s.Record(ctx, Environment{Host: "h1", Path: "/srv/app/.venv", Project: "app", GitCommit: "c2", Kind: "venv"},
		pkgs("pypi requests 2.31.0", "pypi urllib3 2.2.0", "pypi idna 3.7"), t2)
	if err != nil {
		t.Fatal(err)
	}
	if e1b.ID != e1.ID || !e1b.FirstSeen.Equal(t0) || !e1b.LastSeen.Equal(t2) || e1b.GitCommit != "c2" {
		t.Errorf("second Record returned %+v", e1b)
	}

	check := func(name string, versions []string, want ...string) {
		t.Helper()
		got, err := s.Where(ctx, "pypi", name, versions)
		if err != nil {
			t.Fatal(err)
		}
		if g := sightings(got); !reflect.DeepEqual(g, want) {
			t.Errorf("Where(%s, %q) =\n%s\nwant\n%s", name, versions, strings.Join(g, "\n"), strings.Join(want, "\n"))
		}
	}
	check("requests", nil, "h0:/p 2.30.0 11-02..11-02", "h1:/srv/app/.venv 2.31.0 11-01..11-03")
	check("requests", []string{"2.31.0", "9"}, "h1:/srv/app/.venv 2.31.0 11-01..11-03")
	check("requests", []string{}) // matches nothing
	check("urllib3", nil, "h1:/srv/app/.venv 2.0.0 11-01..11-01 gone", "h1:/srv/app/.venv 2.2.0 11-03..11-03")
	check("nope", nil)

	got, _ := s.Where(ctx, "pypi", "idna", nil)
	if len(got) != 1 || got[0].Env.ID != e1.ID || got[0].Env.Kind != "venv" || got[0].Env.GitCommit != "c2" ||
		!got[0].Env.LastSeen.Equal(t2) || got[0].Ecosystem != "pypi" || got[0].Name != "idna" {
		t.Errorf("Where(idna) = %+v", got)
	}

	vs, err := s.Versions(ctx, "pypi", "urllib3")
	if err != nil || !reflect.DeepEqual(vs, []string{"2.0.0", "2.2.0"}) {
		t.Errorf("Versions(urllib3) = %v, %v", vs, err)
	}
	if vs, _ := s.Versions(ctx, "npm", "requests"); vs != nil {
		t.Errorf("Versions(npm requests) = %v", vs)
	}
	var inv []string
	err = s.InventoryPackages(ctx, func(eco, name string, versions []string) error {
		inv = append(inv, eco+" "+name+" "+strings.Join(versions, ","))
		return nil
	})
	wantInv := []string{"npm left-pad 1.0.0", "pypi idna 3.7", "pypi requests 2.30.0,2.31.0", "pypi urllib3 2.0.0,2.2.0"}
	if err != nil || !reflect.DeepEqual(inv, wantInv) {
		t.Errorf("InventoryPackages = %q, %v\nwant %q", inv, err, wantInv)
	}
	envs, err := s.Environments(ctx)
	if err != nil || len(envs) != 2 || envs[0].Host != "h0" || envs[1].ID != e1.ID || !envs[1].FirstSeen.Equal(t0) {
		t.Errorf("Environments = %+v, %v", envs, err)
	}

	// A package that comes back is present again, first seen unchanged.
	if _, err := s.Record(ctx, e1b, pkgs("pypi urllib3 2.0.0"), t2.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	check("urllib3", nil, "h1:/srv/app/.venv 2.0.0 11-01..11-03", "h1:/srv/app/.venv 2.2.0 11-03..11-03 gone")
	// An empty list: everything gone, nothing forgotten.
	if _, err := s.Record(ctx, e1b, nil, t2.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	check("requests", nil, "h0:/p 2.30.0 11-02..11-02", "h1:/srv/app/.venv 2.31.0 11-01..11-03 gone")
}

// Two observations with the same time still tell what went away.
func testRecordSameTime(t *testing.T, be backend) {
	ctx := context.Background()
	s := openT(t, be.newDSN(t))
	env := Environment{Host: "h", Path: "/p"}
	if _, err := s.Record(ctx, env, pkgs("npm a 1", "npm b 1"), t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record(ctx, env, pkgs("npm a 1"), t0); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Where(ctx, "npm", "b", nil)
	if len(got) != 1 || got[0].Present {
		t.Errorf("Where(b) = %+v, want one sighting, not present", got)
	}
	got, _ = s.Where(ctx, "npm", "a", nil)
	if len(got) != 1 || !got[0].Present {
		t.Errorf("Where(a) = %+v, want one sighting, present", got)
	}
}

func testWhereManyVersions(t *testing.T, be backend) {
	ctx := context.Background()
	s := openT(t, be.newDSN(t))
	if _, err := s.Record(ctx, Environment{Path: "/x"}, pkgs("go m v1.0.0", "go m v1.2.0"), t0); err != nil {
		t.Fatal(err)
	}
	versions := []string{"v1.2.0"}
	for i := range 3000 {
		versions = append(versions, fmt.Sprintf("v0.0.%d", i))
	}
	got, err := s.Where(ctx, "go", "m", versions)
	if err != nil || len(got) != 1 || got[0].Version != "v1.2.0" || got[0].Env.Host != "" {
		t.Errorf("Where with %d versions = %+v, %v", len(versions), got, err)
	}
}

func testImpact(t *testing.T, be backend) {
	ctx := context.Background()
	s := openT(t, be.newDSN(t))
	got, err := s.ImpactReported(ctx)
	if err != nil || len(got) != 0 {
		t.Fatalf("ImpactReported on an empty store = %v, %v", got, err)
	}
	k1 := ImpactKey{"GHSA-1", "pypi", "requests", "2.31.0"}
	k2 := ImpactKey{"MAL-2", "npm", "evil", "1.0.0"}
	if err := s.MarkImpactReported(ctx, []ImpactKey{k1, k1}, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkImpactReported(ctx, []ImpactKey{k1, k2}, t1); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkImpactReported(ctx, nil, t1); err != nil {
		t.Fatal(err)
	}
	got, err = s.ImpactReported(ctx)
	want := map[ImpactKey]time.Time{k1: t0, k2: t1}
	if err != nil || len(got) != 2 || !got[k1].Equal(t0) || !got[k2].Equal(t1) {
		t.Errorf("ImpactReported = %v, %v; want %v", got, err, want)
	}
}

// testConcurrentWriters writes from two stores at once, as two processes
// would: every write must land.
func testConcurrentWriters(t *testing.T, be backend) {
	ctx := context.Background()
	dsn := be.newDSN(t)
	stores := []*Store{openT(t, dsn), openT(t, dsn)}
	const envs, perEnv = 12, 400
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 4 {
		s := stores[w%2]
		wg.Go(func() {
			for i := range envs {
				var list []InventoryPackage
				for j := range perEnv {
					// Overlapping names: all writers create the same package versions.
					list = append(list, InventoryPackage{"npm", fmt.Sprintf("p%d", (j*7+i)%perEnv), strconv.Itoa(j % 3)})
				}
				if _, err := s.Record(ctx, Environment{Host: fmt.Sprintf("w%d", w), Path: fmt.Sprintf("/e%d", i)}, list, time.Time{}); err != nil {
					errs <- err
					return
				}
				if err := s.MarkImpactReported(ctx, []ImpactKey{{"A", "npm", "p1", strconv.Itoa(i)}}, time.Time{}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	// One environment recorded by both stores in turn: its packages end
	// as one of the two lists, never a mix.
	shared := Environment{Host: "shared", Path: "/shared"}
	lists := [][]InventoryPackage{pkgs("npm x 1", "npm y 1"), pkgs("npm y 1", "npm z 1")}
	for w := range 2 {
		wg.Go(func() {
			for i := range 10 {
				if _, err := stores[w].Record(ctx, shared, lists[(i+w)%2], time.Time{}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Go(func() {
		im, err := stores[1].BeginImport(ctx, "src")
		if err != nil {
			errs <- err
			return
		}
		defer im.Rollback()
		for i := range 200 {
			if _, err := im.Put(ctx, adv(fmt.Sprintf("C-%d", i), t0, nil, "npm/p1")); err != nil {
				errs <- err
				return
			}
		}
		if err := im.Commit(ctx, SourceStatus{}); err != nil {
			errs <- err
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent write: %v", err)
	}
	got, err := stores[0].Environments(ctx)
	if err != nil || len(got) != 4*envs+1 {
		t.Errorf("Environments = %d, %v; want %d", len(got), err, 4*envs+1)
	}
	var present []string
	for _, name := range []string{"x", "y", "z"} {
		ss, _ := stores[0].Where(ctx, "npm", name, nil)
		if len(ss) != 1 {
			t.Fatalf("Where(%s) = %+v", name, ss)
		}
		if ss[0].Present {
			present = append(present, name)
		}
	}
	if p := strings.Join(present, ","); p != "x,y" && p != "y,z" {
		t.Errorf("shared environment has %s, want x,y or y,z", p)
	}
	ss, err := stores[1].Where(ctx, "npm", "p1", nil)
	if err != nil || len(ss) != 4*envs {
		t.Errorf("Where(p1) = %d sightings, %v; want %d", len(ss), err, 4*envs)
	}
	if total, _, _, _ := stores[0].AdvisoryCounts(ctx); total != 200 {
		t.Errorf("AdvisoryCounts = %d, want 200", total)
	}
	if m, _ := stores[0].ImpactReported(ctx); len(m) != envs {
		t.Errorf("ImpactReported has %d keys, want %d", len(m), envs)
	}
}

// bigList is n distinct packages.
func bigList(n int) []InventoryPackage {
	out := make([]InventoryPackage, n)
	for i := range out {
		out[i] = InventoryPackage{"npm", fmt.Sprintf("pkg-%07d", i), "1.0.0"}
	}
	return out
}

// testCancelledRecord cancels a big Record midway: the error says so, and
// the environment keeps its previous observation, with nothing of the new.
func testCancelledRecord(t *testing.T, be backend) {
	dsn := be.newDSN(t)
	s := openT(t, dsn)
	env := Environment{Host: "h", Path: "/big", Project: "before"}
	if _, err := s.Record(context.Background(), env, pkgs("npm old 1"), t0); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var at int
	s.recordHook = func(n int) {
		if n >= 2*recordHookEvery && at == 0 {
			at = n
			cancel()
		}
	}
	env.Project = "after"
	_, err := s.Record(ctx, env, bigList(20*recordHookEvery), t1)
	s.recordHook = nil
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Record: err = %v, want context.Canceled", err)
	}
	if at == 0 {
		t.Fatal("the hook never cancelled")
	}
	assertUnchanged(t, openT(t, dsn), env)
}

// assertUnchanged checks that env still has only its first observation of
// testCancelledRecord and testKilledRecord.
func assertUnchanged(t *testing.T, s *Store, env Environment) {
	t.Helper()
	ctx := context.Background()
	envs, err := s.Environments(ctx)
	if err != nil || len(envs) != 1 || envs[0].Project != "before" || !envs[0].LastSeen.Equal(t0) {
		t.Errorf("after an interrupted Record Environments = %+v, %v", envs, err)
	}
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM inventory`).Scan(&n); err != nil || n != 1 {
		t.Errorf("after an interrupted Record inventory has %d rows (%v), want 1", n, err)
	}
	if ss, _ := s.Where(ctx, "npm", "old", nil); len(ss) != 1 || !ss[0].Present {
		t.Errorf("after an interrupted Record Where(old) = %+v", ss)
	}
	// And the store still works.
	if _, err := s.Record(ctx, env, pkgs("npm new 1"), t2); err != nil {
		t.Errorf("Record after an interrupted one: %v", err)
	}
}

func testCancelledImport(t *testing.T, be backend) {
	dsn := be.newDSN(t)
	s := openT(t, dsn)
	importAll(t, s, "src", SourceStatus{}, adv("A-1", t0, nil, "npm/a"))
	ctx, cancel := context.WithCancel(context.Background())
	im, err := s.BeginImport(ctx, "src")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := im.Put(ctx, adv("A-1", t1, nil, "npm/b")); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := im.Put(ctx, adv("A-2", t1, nil, "npm/b")); err == nil {
		t.Error("Put after cancel succeeded")
	}
	if err := im.Commit(ctx, SourceStatus{}); err == nil {
		t.Error("Commit after cancel succeeded")
	}
	im.Rollback()
	got, err := openT(t, dsn).AdvisoriesFor(context.Background(), []PackageKey{{"npm", "a"}, {"npm", "b"}})
	if err != nil || len(got) != 1 || len(got[PackageKey{"npm", "a"}]) != 1 {
		t.Errorf("after a cancelled import AdvisoriesFor = %q, %v", got, err)
	}
}

func testRecordInvalid(t *testing.T, be backend) {
	ctx := context.Background()
	s := openT(t, be.newDSN(t))
	if _, err := s.Record(ctx, Environment{Host: "h"}, nil, t0); err == nil {
		t.Error("Record without a path succeeded")
	}
	if _, err := s.Record(ctx, Environment{Path: "/p"}, pkgs("npm  1"), t0); err == nil {
		t.Error("Record of a package without a name succeeded")
	}
	if envs, _ := s.Environments(ctx); len(envs) != 0 {
		t.Errorf("invalid Records stored %+v", envs)
	}
	im, err := s.BeginImport(ctx, "src")
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	if _, err := im.Put(ctx, AdvisoryRecord{}); err == nil {
		t.Error("Put of a record without ID succeeded")
	}
	if _, err := s.BeginImport(ctx, ""); err == nil {
		t.Error("BeginImport without a source succeeded")
	}
}

// TestPostgresKilledRecord terminates the server process of a Record midway
// through its COPY: Record fails and nothing of it is stored.
func TestPostgresKilledRecord(t *testing.T) {
	dsn := postgresDSN(t)
	u, _ := url.Parse(dsn)
	q := u.Query()
	victim := "airlock_victim_" + randomHex(4)
	q.Set("application_name", victim)
	u.RawQuery = q.Encode()
	admin, err := sql.Open("postgres", os.Getenv("AIRLOCK_TEST_POSTGRES"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()

	s := openT(t, u.String())
	env := Environment{Host: "h", Path: "/big", Project: "before"}
	if _, err := s.Record(context.Background(), env, pkgs("npm old 1"), t0); err != nil {
		t.Fatal(err)
	}
	killed := 0
	s.recordHook = func(n int) {
		if n < 2*recordHookEvery || killed > 0 {
			return
		}
		rows, err := admin.Query(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, victim)
		if err != nil {
			t.Errorf("find backend: %v", err)
			return
		}
		var pids []int
		for rows.Next() {
			var pid int
			rows.Scan(&pid)
			pids = append(pids, pid)
		}
		rows.Close()
		for _, pid := range pids {
			// With a timeout, pg_terminate_backend waits until the process is gone.
			var ok bool
			if err := admin.QueryRow(`SELECT pg_terminate_backend($1, 10000)`, pid).Scan(&ok); err != nil {
				t.Errorf("terminate backend %d: %v", pid, err)
			}
			if ok {
				killed++
			}
		}
	}
	env.Project = "after"
	_, err = s.Record(context.Background(), env, bigList(20*recordHookEvery), t1)
	s.recordHook = nil
	if killed == 0 {
		t.Fatal("no backend terminated")
	}
	if err == nil {
		t.Fatal("Record whose connection was terminated succeeded")
	}
	t.Logf("Record after pg_terminate_backend: %v", err)
	assertUnchanged(t, s, env) // the same store, on a fresh connection
}

// TestSQLiteTwoProcesses writes one SQLite file from this process and from
// a child process (this test binary, re-executed) at the same time.
func TestSQLiteTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	dsn := filepath.Join(t.TempDir(), "airlock.db")
	s := openT(t, dsn)
	const n = 30
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$", "-test.count=1")
	cmd.Env = append(os.Environ(), "AIRLOCK_STORE_HELPER_DB="+dsn, "AIRLOCK_STORE_HELPER_N="+strconv.Itoa(n))
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	writeEnvs(t, s, "parent", n)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child writer: %v\n%s", err, out)
	}
	envs, err := s.Environments(context.Background())
	if err != nil || len(envs) != 2*n {
		t.Errorf("Environments = %d, %v; want %d\nchild: %s", len(envs), err, 2*n, out)
	}
}

// TestHelperWriter is the child of TestSQLiteTwoProcesses.
func TestHelperWriter(t *testing.T) {
	dsn := os.Getenv("AIRLOCK_STORE_HELPER_DB")
	if dsn == "" {
		t.Skip("helper process for TestSQLiteTwoProcesses")
	}
	n, _ := strconv.Atoi(os.Getenv("AIRLOCK_STORE_HELPER_N"))
	writeEnvs(t, openT(t, dsn), "child", n)
}

func writeEnvs(t *testing.T, s *Store, host string, n int) {
	ctx := context.Background()
	for i := range n {
		if _, err := s.Record(ctx, Environment{Host: host, Path: fmt.Sprintf("/e%d", i)}, bigList(2000), time.Time{}); err != nil {
			t.Fatalf("%s: %v", host, err)
		}
		if i%5 == 0 {
			importAll(t, s, host, SourceStatus{}, adv(fmt.Sprintf("%s-%d", host, i), t0, nil, "npm/x"))
		}
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	missing := filepath.Join(dir, "none", "airlock.db")
	if _, err := OpenExisting(ctx, missing); !errors.Is(err, ErrNotExist) {
		t.Errorf("OpenExisting(missing) = %v, want ErrNotExist", err)
	}
	if _, err := os.Stat(filepath.Dir(missing)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenExisting created %s", filepath.Dir(missing))
	}

	// "sqlite:" prefix, a '?' in the path, private modes.
	file := filepath.Join(dir, "new dir", "a?b#c.db")
	s, err := Open(ctx, "sqlite:"+file)
	if err != nil {
		t.Fatal(err)
	}
	if s.Backend() != SQLite || s.Describe() != file {
		t.Errorf("Backend, Describe = %q, %q", s.Backend(), s.Describe())
	}
	s.Close()
	for _, p := range []string{file, filepath.Dir(file)} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]os.FileMode{true: 0o700, false: 0o600}[fi.IsDir()]; fi.Mode().Perm() != want {
			t.Errorf("%s has mode %v, want %v", p, fi.Mode().Perm(), want)
		}
	}
	s, err = OpenExisting(ctx, file)
	if err != nil {
		t.Fatalf("OpenExisting of an existing file: %v", err)
	}
	s.Close()

	// A directory is not a store.
	if _, err := Open(ctx, dir); err == nil {
		t.Error("Open of a directory succeeded")
	}

	// PostgreSQL: nothing listens on port 1; the error names the host and
	// never the password.
	for _, dsn := range []string{
		"postgres://airlock:s3cretpw@127.0.0.1:1/airlock?sslmode=disable&connect_timeout=5",
		"postgresql://airlock@127.0.0.1:1/airlock?sslmode=disable&password=s3cretpw",
	} {
		start := time.Now()
		_, err := Open(ctx, dsn)
		if err == nil {
			t.Fatalf("Open(%s) succeeded", dsn)
		}
		if !strings.Contains(err.Error(), "127.0.0.1:1") || strings.Contains(err.Error(), "s3cretpw") {
			t.Errorf("unreachable server: error %q should name the host and hide the password", err)
		}
		if time.Since(start) > 8*time.Second {
			t.Errorf("unreachable server took %v", time.Since(start))
		}
	}
	_, err = Open(ctx, "postgres://u:s3cretpw@host:notaport/db")
	if err == nil || strings.Contains(err.Error(), "s3cretpw") {
		t.Errorf("malformed URL: error %v should exist and hide the password", err)
	}
	_, err = Open(ctx, "postgres://u:s3cretpw@127.0.0.1:1/db?sslmode=bogus")
	if err == nil || strings.Contains(err.Error(), "s3cretpw") {
		t.Errorf("bad sslmode: error %v should exist and hide the password", err)
	}
}

func TestDescribePostgres(t *testing.T) {
	u, _ := url.Parse("postgres://u:pw@db.example:5432/airlock?sslmode=require&password=pw2")
	got := redactURL(u)
	if strings.Contains(got, "pw@") || strings.Contains(got, "pw2") || !strings.Contains(got, "db.example:5432") {
		t.Errorf("redactURL = %q", got)
	}
	if dsn := os.Getenv("AIRLOCK_TEST_POSTGRES"); dsn != "" {
		s := openT(t, postgresDSN(t))
		if s.Backend() != Postgres || !strings.HasPrefix(s.Describe(), "postgres://") {
			t.Errorf("Backend, Describe = %q, %q", s.Backend(), s.Describe())
		}
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("AIRLOCK_DB", "")
	t.Setenv("XDG_DATA_HOME", "/xdg")
	t.Setenv("HOME", "/home/u")
	if got := DefaultPath(); got != "/xdg/airlock/airlock.db" {
		t.Errorf("with XDG_DATA_HOME: %q", got)
	}
	t.Setenv("XDG_DATA_HOME", "")
	if got := DefaultPath(); got != "/home/u/.local/share/airlock/airlock.db" {
		t.Errorf("with HOME: %q", got)
	}
	t.Setenv("AIRLOCK_DB", "postgres://h/db")
	if got := DefaultPath(); got != "postgres://h/db" {
		t.Errorf("with AIRLOCK_DB: %q", got)
	}
	// Open("") uses it.
	file := filepath.Join(t.TempDir(), "env.db")
	t.Setenv("AIRLOCK_DB", file)
	s, err := Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Describe() != file {
		t.Errorf("Open(\"\") opened %q, want %q", s.Describe(), file)
	}
}

func TestRebind(t *testing.T) {
	s := &Store{backend: SQLite}
	if got := s.rebind(`a = $2 AND b = $1 OR c = $12`); got != `a = ?2 AND b = ?1 OR c = ?12` {
		t.Errorf("rebind = %q", got)
	}
	s.backend = Postgres
	if got := s.rebind(`a = $1`); got != `a = $1` {
		t.Errorf("rebind on postgres = %q", got)
	}
}
