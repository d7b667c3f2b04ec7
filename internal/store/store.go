// Package store is airlock's persistent store: OSV advisory records, the
// inventory of environments with the packages they have or had, and which
// impacts were already reported.
//
// SQLite is the default back end (one local file, no server); a postgres://
// DSN selects PostgreSQL, for one store shared by many hosts. Both use one
// schema (migrations/<backend>/NNNN_name.sql, embedded, differing only in
// column types) and, apart from bulk loading, the same SQL: it is written with
// PostgreSQL's $N placeholders, rewritten to SQLite's equivalent ?N. Times are
// stored as UTC unix nanoseconds (BIGINT) on both.
//
// Drivers: github.com/mattn/go-sqlite3 (cgo binding of the SQLite
// amalgamation) and github.com/lib/pq (pure Go, with COPY for bulk loads),
// both used through database/sql. They were chosen because neither has a
// transitive dependency: a supply-chain security tool should pull in as
// little third-party code as it can.
//
// SQLite files are put in WAL mode and opened with a 10 s busy timeout,
// foreign keys on and synchronous=NORMAL, and every transaction starts with
// BEGIN IMMEDIATE, so several processes may write one file: writers queue
// for up to the busy timeout, readers never wait.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"
	"github.com/mattn/go-sqlite3"
)

// Back-end names, as returned by Backend.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// BusyTimeout is how long a SQLite writer waits for another one to finish.
const BusyTimeout = 10 * time.Second

// ErrNotExist is returned by OpenExisting when its DSN names a SQLite file
// that does not exist.
var ErrNotExist = errors.New("store does not exist")

// Store is an open airlock store. It is safe for concurrent use.
type Store struct {
	db      *sql.DB
	backend string
	desc    string

	// recordHook, when set (by tests only), is called while Record loads
	// its rows, every recordHookEvery rows, with the count loaded so far.
	recordHook func(loaded int)
}

const recordHookEvery = 4096

// Open opens the store named by dsn, creating it and applying pending
// migrations:
//   - "" means DefaultPath();
//   - "postgres://…" or "postgresql://…" is a PostgreSQL connection URL;
//   - "sqlite:PATH" or any other string is the path of a SQLite file, whose
//     parent directory is created (mode 0700) and which is created with mode
//     0600 if missing.
//
// A PostgreSQL URL without connect_timeout gets 10 seconds.
func Open(ctx context.Context, dsn string) (*Store, error) {
	return open(ctx, dsn, true)
}

// OpenExisting is Open, except that it never creates a SQLite file: when dsn
// names one that does not exist it returns an error wrapping ErrNotExist.
// Commands that work without a store (airlock scan) use it.
func OpenExisting(ctx context.Context, dsn string) (*Store, error) {
	return open(ctx, dsn, false)
}

// DefaultPath is the store used when none is named: $AIRLOCK_DB if set (a
// path or a DSN), else $XDG_DATA_HOME/airlock/airlock.db, else
// ~/.local/share/airlock/airlock.db.
func DefaultPath() string {
	if v := os.Getenv("AIRLOCK_DB"); v != "" {
		return v
	}
	if v := os.Getenv("XDG_DATA_HOME"); v != "" && filepath.IsAbs(v) {
		return filepath.Join(v, "airlock", "airlock.db")
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return filepath.Join(".airlock", "airlock.db")
	}
	return filepath.Join(home, ".local", "share", "airlock", "airlock.db")
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// Backend is "sqlite" or "postgres".
func (s *Store) Backend() string { return s.backend }

// Describe names the store for people: the SQLite path, or the PostgreSQL
// URL with its password replaced by "xxxxx".
func (s *Store) Describe() string { return s.desc }

func open(ctx context.Context, dsn string, create bool) (*Store, error) {
	if dsn == "" {
		dsn = DefaultPath()
	}
	var (
		s   *Store
		err error
	)
	if isPostgres(dsn) {
		s, err = openPostgres(ctx, dsn)
	} else {
		s, err = openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"), create)
	}
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("store %s: %w", s.desc, err)
	}
	return s, nil
}

func isPostgres(dsn string) bool {
	l := strings.ToLower(dsn)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

func openSQLite(ctx context.Context, file string, create bool) (*Store, error) {
	if file == "" {
		return nil, errors.New("open store: empty SQLite path")
	}
	if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
		if !create {
			return nil, fmt.Errorf("store %s: %w", file, ErrNotExist)
		}
		if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
			return nil, fmt.Errorf("create store directory: %w", err)
		}
		// Create the file ourselves so that it (and SQLite's -wal and
		// -shm files, which copy its mode) is private to the user.
		f, err := os.OpenFile(file, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("create store %s: %w", file, err)
		}
		if f != nil {
			f.Close()
		}
	} else if err != nil {
		return nil, fmt.Errorf("open store %s: %w", file, err)
	}

	q := url.Values{}
	q.Set("_busy_timeout", strconv.Itoa(int(BusyTimeout/time.Millisecond)))
	q.Set("_synchronous", "NORMAL")
	q.Set("_foreign_keys", "1")
	q.Set("_txlock", "immediate")
	if !create {
		q.Set("mode", "rw")
	}
	// A file: URI keeps a path containing '?' or '#' intact.
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(filepath.Clean(file)))
	db := sql.OpenDB(sqliteConnector{"file:" + esc + "?" + q.Encode()})
	if err := useWAL(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", file, err)
	}
	return &Store{db: db, backend: SQLite, desc: file}, nil
}

// useWAL switches the database to WAL mode, which the file keeps. SQLite
// answers SQLITE_BUSY at once, without waiting, to a connection that asks
// while another is switching (two processes creating the store), so it
// retries for up to BusyTimeout.
func useWAL(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(BusyTimeout)
	for {
		var mode string
		err := db.QueryRowContext(ctx, `PRAGMA journal_mode = WAL`).Scan(&mode)
		if err == nil && !strings.EqualFold(mode, "wal") {
			return fmt.Errorf("cannot use a write-ahead log (journal mode stays %q): is the file on a network file system?", mode)
		}
		var se sqlite3.Error
		if err == nil || !errors.As(err, &se) || se.Code != sqlite3.ErrBusy || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// sqlitePragmas tune each SQLite connection for Record's bulk writes: its
// temporary table in memory, a 64 MiB page cache, and a checkpoint every
// 16,000 WAL pages rather than 1,000 (a new environment dirties a page of
// the by-package index per package, so frequent checkpoints rewrite the
// same pages over and over), with the WAL file cut back to 64 MiB after.
const sqlitePragmas = `PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -65536;
PRAGMA wal_autocheckpoint = 16000;
PRAGMA journal_size_limit = 67108864;`

// sqliteConnector opens SQLite connections with sqlitePragmas applied,
// without registering a driver globally.
type sqliteConnector struct{ dsn string }

var sqliteDriver = &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
	_, err := c.Exec(sqlitePragmas, nil)
	return err
}}

func (c sqliteConnector) Connect(context.Context) (driver.Conn, error) {
	return sqliteDriver.Open(c.dsn)
}
func (c sqliteConnector) Driver() driver.Driver { return sqliteDriver }

func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		// url.Error repeats the whole URL, password included: drop it.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("invalid PostgreSQL URL: %v", err)
	}
	secret, _ := u.User.Password()
	q := u.Query()
	if p := q.Get("password"); p != "" {
		secret = p
	}
	host := u.Host
	if host == "" {
		host = q.Get("host")
	}
	if host == "" {
		host = "localhost"
	}
	desc := redactURL(u)

	if q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", "10")
		u.RawQuery = q.Encode()
	}
	conn, err := pq.NewConnector(u.String())
	if err != nil {
		return nil, fmt.Errorf("invalid PostgreSQL URL %s: %w", desc, scrub(err, secret))
	}
	db := sql.OpenDB(conn)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		hint := ""
		if errors.Is(err, pq.ErrSSLNotSupported) {
			hint = " (the server offers no TLS: add sslmode=disable to the URL if the network is trusted)"
		}
		return nil, fmt.Errorf("connect to PostgreSQL at %s: %w%s", host, scrub(err, secret), hint)
	}
	return &Store{db: db, backend: Postgres, desc: desc}, nil
}

// redactURL prints u with any password, in the user info or the query,
// replaced by "xxxxx".
func redactURL(u *url.URL) string {
	c := *u
	q := c.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		c.RawQuery = q.Encode()
	}
	return c.Redacted()
}

// scrub makes sure err does not print secret.
func scrub(err error, secret string) error {
	if secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), secret, "xxxxx"))
}

// rebind turns the $N placeholders of q into SQLite's ?N when the store is
// SQLite. ($N means a named parameter to SQLite, numbered by first use, not
// by N.) The queries of this package have no '$' anywhere else.
func (s *Store) rebind(q string) string {
	if s.backend != SQLite {
		return q
	}
	return strings.ReplaceAll(q, "$", "?")
}

// ---- migrations ----

//go:embed migrations
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the embedded migrations of backend in version order.
func migrations(backend string) ([]migration, error) {
	dir := path.Join("migrations", backend)
	entries, err := migrationFiles.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s: name is not NNNN_name.sql", e.Name())
		}
		b, err := migrationFiles.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share a version", ms[i-1].name, ms[i].name)
		}
	}
	return ms, nil
}

// migrationLock is the pg_advisory_xact_lock key that serializes migrations
// of concurrent Opens on PostgreSQL ("airlock!" in ASCII).
const migrationLock = 0x6169726c6f636b21

// migrate applies the pending migrations, each in its own transaction. It
// first looks without locking, so that opening an up-to-date store never
// waits for a writer.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations(s.backend)
	if err != nil {
		return err
	}
	applied := map[int]bool{}
	if rows, err := s.db.QueryContext(ctx, `SELECT version FROM schema_migrations`); err == nil {
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return err
			}
			applied[v] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	latest := ms[len(ms)-1].version
	for v := range applied {
		if v > latest {
			return fmt.Errorf("schema version %d is newer than this airlock knows (%d): upgrade airlock", v, latest)
		}
	}
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		if err := s.applyMigration(ctx, m); err != nil {
			return fmt.Errorf("migration %s/%s: %w", s.backend, m.name, err)
		}
	}
	return nil
}

func (s *Store) applyMigration(ctx context.Context, m migration) error {
	tx, err := s.db.BeginTx(ctx, nil) // SQLite: BEGIN IMMEDIATE, the write lock
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if s.backend == Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    BIGINT PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at BIGINT NOT NULL)`); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, s.rebind(`SELECT count(*) FROM schema_migrations WHERE version = $1`), m.version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil // another process applied it meanwhile
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`),
		m.version, m.name, time.Now().UnixNano()); err != nil {
		return err
	}
	return tx.Commit()
}

// ---- time ----

// nanos is how times are stored: UTC unix nanoseconds, 0 for the zero time.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// fromNanos is the inverse of nanos; times come back in UTC.
func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}
