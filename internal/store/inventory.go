package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Environment is one place packages are installed or locked: a project, a
// virtualenv, a node_modules tree, a lockfile, a whole host.
type Environment struct {
	ID         int64  // assigned by the store
	Host, Path string // identity: (Host, Path) is unique
	Project    string
	GitCommit  string
	Kind       string // e.g. "project", "venv", "site-packages", "node_modules", "lockfile", "host"
	FirstSeen  time.Time
	LastSeen   time.Time
}

// InventoryPackage is one installed package: an airlock ecosystem ("pypi",
// "npm", "go"), the name normalized by the caller, and the version.
type InventoryPackage struct{ Ecosystem, Name, Version string }

// Sighting is one package version in one environment: whether the
// environment's latest observation has it (Present), when it was first seen
// there, and when last: the latest observation if Present, else the last
// observation that had it.
type Sighting struct {
	Env                      Environment
	Ecosystem, Name, Version string
	FirstSeen, LastSeen      time.Time
	Present                  bool
}

// Record stores one observation, at time at (now when zero), of env and its
// full package list, in one transaction: either all of it is stored or,
// when it fails or ctx is cancelled midway, none of it. The environment is
// created or updated (Project, GitCommit, Kind, LastSeen); each package gets
// LastSeen=at and Present=true (FirstSeen=at when new); packages the
// environment had before but not in pkgs are kept with Present=false and
// LastSeen the previous observation, so the store answers "has or had".
// Duplicates in pkgs are ignored.
// Observations are expected in time order. Record returns env as stored.
func (s *Store) Record(ctx context.Context, env Environment, pkgs []InventoryPackage, at time.Time) (Environment, error) {
	if env.Path == "" {
		return env, errors.New("record environment: empty path")
	}
	if at.IsZero() {
		at = time.Now()
	}
	uniq := make([]InventoryPackage, 0, len(pkgs))
	seen := make(map[InventoryPackage]struct{}, len(pkgs))
	for _, p := range pkgs {
		if p.Ecosystem == "" || p.Name == "" {
			return env, fmt.Errorf("record environment %s:%s: package %q %q without ecosystem or name", env.Host, env.Path, p.Name, p.Version)
		}
		if _, ok := seen[p]; !ok {
			seen[p] = struct{}{}
			uniq = append(uniq, p)
		}
	}
	out, err := s.record(ctx, env, uniq, nanos(at))
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		} else if errors.Is(err, driver.ErrBadConn) {
			err = fmt.Errorf("connection lost, nothing stored: %w", err)
		}
		return env, fmt.Errorf("record environment %s:%s: %w", env.Host, env.Path, err)
	}
	return out, nil
}

func (s *Store) record(ctx context.Context, env Environment, pkgs []InventoryPackage, at int64) (Environment, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return env, err
	}
	defer tx.Rollback()

	if s.backend == Postgres {
		// In one round trip: Records of one environment take turns, as on
		// SQLite (BEGIN IMMEDIATE), so that prev below is still current
		// when this one writes, also when the environment is new; and the
		// session's temporary table exists.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`SELECT pg_advisory_xact_lock(%d); %s`,
			environmentLock(env), pgRecordTable)); err != nil {
			return env, err
		}
	}
	// The previous observation, if any: its time becomes the last_seen of
	// the packages gone since.
	var prev sql.NullInt64
	err = tx.QueryRowContext(ctx, s.rebind(`SELECT last_seen FROM environments WHERE host = $1 AND path = $2`),
		env.Host, env.Path).Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return env, err
	}
	var first, last int64
	err = tx.QueryRowContext(ctx, s.rebind(`INSERT INTO environments (host, path, project, git_commit, kind, first_seen, last_seen)
		VALUES ($1, $2, $3, $4, $5, $6, $6)
		ON CONFLICT (host, path) DO UPDATE SET project = excluded.project, git_commit = excluded.git_commit,
			kind = excluded.kind, last_seen = excluded.last_seen
		RETURNING id, first_seen, last_seen`),
		env.Host, env.Path, env.Project, env.GitCommit, env.Kind, at).Scan(&env.ID, &first, &last)
	if err != nil {
		return env, err
	}
	env.FirstSeen, env.LastSeen = fromNanos(first), fromNanos(last)

	// The list goes into a temporary table; set-based statements then find
	// or add the package versions and write only what changed: rows for new
	// packages, Present flips for packages that came back or went away. A
	// present row's last_seen is the environment's, so an unchanged list
	// writes nothing but the environment row.
	if s.backend == Postgres {
		err = s.loadPostgres(ctx, tx, pkgs)
	} else {
		err = s.loadSQLite(ctx, tx, pkgs)
	}
	if err != nil {
		return env, err
	}
	// A correlated subquery rather than a join: PostgreSQL would hash all of
	// package_versions to join it with a small, unanalyzed temporary table;
	// this is one index probe per row.
	const setIDs = `UPDATE record_pkgs SET package_id = (SELECT pv.id FROM package_versions pv
		WHERE pv.ecosystem = record_pkgs.ecosystem AND pv.name = record_pkgs.name AND pv.version = record_pkgs.version)`
	script := []string{
		setIDs,
		// ORDER BY: concurrent Records lock new keys in one order, so they
		// cannot deadlock on PostgreSQL.
		`INSERT INTO package_versions (ecosystem, name, version)
			SELECT ecosystem, name, version FROM record_pkgs WHERE package_id IS NULL
			ORDER BY ecosystem, name, version
			ON CONFLICT (ecosystem, name, version) DO NOTHING`,
		setIDs + ` WHERE package_id IS NULL`,
		`INSERT INTO inventory (env_id, package_id, first_seen, last_seen, present)
			SELECT {env}, package_id, {at}, {at}, TRUE FROM record_pkgs
			WHERE TRUE
			ON CONFLICT (env_id, package_id) DO NOTHING`,
	}
	if prev.Valid {
		script = append(script,
			`UPDATE inventory SET present = TRUE
				WHERE env_id = {env} AND NOT present AND package_id IN (SELECT package_id FROM record_pkgs)`,
			`UPDATE inventory SET present = FALSE, last_seen = {prev}
				WHERE env_id = {env} AND present
				AND package_id NOT IN (SELECT package_id FROM record_pkgs WHERE package_id IS NOT NULL)`)
	}
	// The values are integers, so writing them into the SQL is safe, and
	// an Exec without parameters runs all the statements in one round trip.
	q := strings.NewReplacer("{env}", strconv.FormatInt(env.ID, 10), "{at}", strconv.FormatInt(at, 10),
		"{prev}", strconv.FormatInt(prev.Int64, 10)).Replace(strings.Join(script, ";\n"))
	if _, err := tx.ExecContext(ctx, q); err != nil {
		return env, err
	}
	return env, tx.Commit()
}

// loadSQLite fills the connection's temporary table record_pkgs with pkgs.
func (s *Store) loadSQLite(ctx context.Context, tx *sql.Tx, pkgs []InventoryPackage) error {
	for _, q := range []string{
		`CREATE TEMP TABLE IF NOT EXISTS record_pkgs
			(ecosystem TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL, package_id INTEGER)`,
		`DELETE FROM record_pkgs`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	// Rows go in batches of up to 100 per INSERT: fewer cgo crossings.
	const batch = 100
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	args := make([]any, 0, 3*batch)
	// The loop checks ctx itself: a context that can be cancelled would
	// cost the driver a goroutine per statement.
	bg := context.WithoutCancel(ctx)
	for i := 0; i < len(pkgs); i += batch {
		n := min(batch, len(pkgs)-i)
		st := stmts[n]
		if st == nil {
			var err error
			q := `INSERT INTO record_pkgs (ecosystem, name, version) VALUES (?, ?, ?)` + strings.Repeat(`, (?, ?, ?)`, n-1)
			if st, err = tx.PrepareContext(ctx, q); err != nil {
				return err
			}
			stmts[n] = st
		}
		args = args[:0]
		for _, p := range pkgs[i : i+n] {
			args = append(args, p.Ecosystem, p.Name, p.Version)
		}
		if _, err := st.ExecContext(bg, args...); err != nil {
			return err
		}
		if err := s.loaded(ctx, i, n); err != nil {
			return err
		}
	}
	return nil
}

// pgRecordTable creates the session's temporary table for Record. It is
// empty at the start of every transaction: emptied on commit, and what an
// aborted one added is gone with it.
const pgRecordTable = `CREATE TEMP TABLE IF NOT EXISTS record_pkgs
	(ecosystem TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL, package_id BIGINT) ON COMMIT DELETE ROWS`

// environmentLock is the pg_advisory_xact_lock key of env's Records.
func environmentLock(env Environment) int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "airlock environment\x00%s\x00%s", env.Host, env.Path)
	return int64(h.Sum64())
}

// loadPostgres fills record_pkgs (pgRecordTable) with pkgs by COPY.
func (s *Store) loadPostgres(ctx context.Context, tx *sql.Tx, pkgs []InventoryPackage) error {
	st, err := tx.PrepareContext(ctx, `COPY record_pkgs (ecosystem, name, version) FROM STDIN`)
	if err != nil {
		return err
	}
	defer st.Close()
	bg := context.WithoutCancel(ctx) // as in loadSQLite
	for i, p := range pkgs {
		if _, err := st.ExecContext(bg, p.Ecosystem, p.Name, p.Version); err != nil {
			return err
		}
		if err := s.loaded(ctx, i, 1); err != nil {
			return err
		}
	}
	_, err = st.ExecContext(ctx) // ends the COPY
	return err
}

// loaded is called after rows [i, i+n) of a Record went into record_pkgs:
// every recordHookEvery rows it checks ctx and calls the test hook.
func (s *Store) loaded(ctx context.Context, i, n int) error {
	if (i+n)/recordHookEvery == i/recordHookEvery {
		return nil
	}
	if s.recordHook != nil {
		s.recordHook(i + n)
	}
	return ctx.Err()
}

const environmentColumns = `e.id, e.host, e.path, e.project, e.git_commit, e.kind, e.first_seen, e.last_seen`

// environmentScan returns scan destinations for environmentColumns into e
// and a function that converts the times once scanned.
func environmentScan(e *Environment) ([]any, func()) {
	var first, last int64
	return []any{&e.ID, &e.Host, &e.Path, &e.Project, &e.GitCommit, &e.Kind, &first, &last},
		func() { e.FirstSeen, e.LastSeen = fromNanos(first), fromNanos(last) }
}

// Environments lists every environment, by host and path.
func (s *Store) Environments(ctx context.Context) ([]Environment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+environmentColumns+` FROM environments e ORDER BY e.host, e.path`)
	if err != nil {
		return nil, fmt.Errorf("list environments: %w", err)
	}
	defer rows.Close()
	var out []Environment
	for rows.Next() {
		var e Environment
		dst, done := environmentScan(&e)
		if err := rows.Scan(dst...); err != nil {
			return nil, fmt.Errorf("list environments: %w", err)
		}
		done()
		out = append(out, e)
	}
	return out, rows.Err()
}

// Versions lists, in string order, the distinct versions of a package seen
// in any environment, present or not.
func (s *Store) Versions(ctx context.Context, ecosystem, name string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT pv.version FROM package_versions pv
		WHERE pv.ecosystem = $1 AND pv.name = $2 AND EXISTS (SELECT 1 FROM inventory i WHERE i.package_id = pv.id)
		ORDER BY pv.version`), ecosystem, name)
	if err != nil {
		return nil, fmt.Errorf("versions of %s/%s: %w", ecosystem, name, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("versions of %s/%s: %w", ecosystem, name, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// maxVersionParams bounds the versions Where passes as parameters; past it,
// Where reads every version and filters.
const maxVersionParams = 1000

// Where lists every environment that has or had one of versions of the
// package (nil versions means any version; an empty non-nil slice matches
// nothing), sorted by host, path and version.
func (s *Store) Where(ctx context.Context, ecosystem, name string, versions []string) ([]Sighting, error) {
	if versions != nil && len(versions) == 0 {
		return nil, nil
	}
	q := `SELECT ` + environmentColumns + `, pv.version, i.first_seen,
			CASE WHEN i.present THEN e.last_seen ELSE i.last_seen END, i.present
		FROM package_versions pv
		JOIN inventory i ON i.package_id = pv.id
		JOIN environments e ON e.id = i.env_id
		WHERE pv.ecosystem = $1 AND pv.name = $2`
	args := []any{ecosystem, name}
	var want map[string]bool
	if len(versions) > maxVersionParams {
		want = make(map[string]bool, len(versions))
		for _, v := range versions {
			want[v] = true
		}
	} else if len(versions) > 0 {
		var b strings.Builder
		for i, v := range versions {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "$%d", i+3)
			args = append(args, v)
		}
		q += ` AND pv.version IN (` + b.String() + `)`
	}
	q += ` ORDER BY e.host, e.path, pv.version`
	rows, err := s.db.QueryContext(ctx, s.rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("where is %s/%s: %w", ecosystem, name, err)
	}
	defer rows.Close()
	var out []Sighting
	for rows.Next() {
		sg := Sighting{Ecosystem: ecosystem, Name: name}
		var first, last int64
		dst, done := environmentScan(&sg.Env)
		if err := rows.Scan(append(dst, &sg.Version, &first, &last, &sg.Present)...); err != nil {
			return nil, fmt.Errorf("where is %s/%s: %w", ecosystem, name, err)
		}
		if want != nil && !want[sg.Version] {
			continue
		}
		done()
		sg.FirstSeen, sg.LastSeen = fromNanos(first), fromNanos(last)
		if len(out) == cap(out) {
			out = slices.Grow(out, len(out)) // double: append grows big slices by 1.25×, copying often
		}
		out = append(out, sg)
	}
	return out, rows.Err()
}

// InventoryPackages calls fn for each distinct (ecosystem, name) in the
// inventory, in order, with its distinct versions in string order. It reads
// them all before the first call, so fn may use the store. An error from fn
// stops the walk and is returned.
func (s *Store) InventoryPackages(ctx context.Context, fn func(ecosystem, name string, versions []string) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT pv.ecosystem, pv.name, pv.version FROM package_versions pv
		WHERE EXISTS (SELECT 1 FROM inventory i WHERE i.package_id = pv.id)
		ORDER BY pv.ecosystem, pv.name, pv.version`)
	if err != nil {
		return fmt.Errorf("list inventory packages: %w", err)
	}
	var all []InventoryPackage
	for rows.Next() {
		var p InventoryPackage
		if err := rows.Scan(&p.Ecosystem, &p.Name, &p.Version); err != nil {
			rows.Close()
			return fmt.Errorf("list inventory packages: %w", err)
		}
		all = append(all, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list inventory packages: %w", err)
	}
	for i := 0; i < len(all); {
		j := i
		var versions []string
		for ; j < len(all) && all[j].Ecosystem == all[i].Ecosystem && all[j].Name == all[i].Name; j++ {
			versions = append(versions, all[j].Version)
		}
		if err := fn(all[i].Ecosystem, all[i].Name, versions); err != nil {
			return err
		}
		i = j
	}
	return nil
}
