package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// PackageKey names a package the way OSV records do: the OSV base ecosystem
// ("PyPI", "npm", "Go") and the name normalized by the caller.
type PackageKey struct{ Ecosystem, Name string }

// AdvisoryRecord is one OSV record as stored.
type AdvisoryRecord struct {
	ID        string
	Modified  time.Time
	Withdrawn bool
	Malicious bool
	Aliases   []string
	Packages  []PackageKey // the packages the record names
	JSON      []byte       // the original OSV JSON document
}

// SourceStatus is what the store knows about one advisory source (a URL, a
// file or a directory, as given to BeginImport).
type SourceStatus struct {
	Source    string
	UpdatedAt time.Time // when an import from it last committed
	Records   int       // stored records last written by an import from it
	Changed   int       // records the last import added or replaced
	Newest    time.Time // the newest Modified among its Records
	// ETag and LastModified are the opaque validators of the last HTTP
	// download, for a conditional request next time.
	ETag, LastModified string
}

// Import is one import from one source, a single transaction: nothing of it
// is visible before Commit, and an import that is rolled back, fails or is
// interrupted leaves the previous data intact. On SQLite it holds the write
// lock until it ends, so other writers wait (up to BusyTimeout).
type Import struct {
	s       *Store
	tx      *sql.Tx
	source  string
	changed int

	upsert, delAliases, delPackages, addAlias, addPackage *sql.Stmt
}

// BeginImport starts an import from source. End it with Commit or Rollback.
// Cancelling ctx before Commit rolls the import back.
func (s *Store) BeginImport(ctx context.Context, source string) (*Import, error) {
	if source == "" {
		return nil, errors.New("begin import: empty source")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin import from %q: %w", source, err)
	}
	im := &Import{s: s, tx: tx, source: source}
	for _, p := range []struct {
		stmt **sql.Stmt
		q    string
	}{
		// The upsert returns a row only when it wrote one: a new ID, or a
		// newer Modified than the stored one.
		{&im.upsert, `INSERT INTO advisories (id, modified, withdrawn, malicious, source, doc)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (id) DO UPDATE SET modified = excluded.modified, withdrawn = excluded.withdrawn,
				malicious = excluded.malicious, source = excluded.source, doc = excluded.doc
			WHERE advisories.modified < excluded.modified
			RETURNING id`},
		{&im.delAliases, `DELETE FROM advisory_aliases WHERE advisory_id = $1`},
		{&im.delPackages, `DELETE FROM advisory_packages WHERE advisory_id = $1`},
		{&im.addAlias, `INSERT INTO advisory_aliases (alias, advisory_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`},
		{&im.addPackage, `INSERT INTO advisory_packages (ecosystem, name, advisory_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`},
	} {
		if *p.stmt, err = tx.PrepareContext(ctx, s.rebind(p.q)); err != nil {
			tx.Rollback()
			return nil, fmt.Errorf("begin import from %q: %w", source, err)
		}
	}
	return im, nil
}

// Put stores rec unless a stored record with the same ID has a Modified at
// or after rec.Modified, and reports whether it stored it.
func (im *Import) Put(ctx context.Context, rec AdvisoryRecord) (changed bool, err error) {
	if rec.ID == "" {
		return false, errors.New("put advisory: empty ID")
	}
	defer func() {
		if err != nil {
			err = fmt.Errorf("put advisory %q: %w", rec.ID, err)
		}
	}()
	var id string
	err = im.upsert.QueryRowContext(ctx, rec.ID, nanos(rec.Modified), rec.Withdrawn, rec.Malicious, im.source, rec.JSON).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if _, err := im.delAliases.ExecContext(ctx, rec.ID); err != nil {
		return false, err
	}
	if _, err := im.delPackages.ExecContext(ctx, rec.ID); err != nil {
		return false, err
	}
	for _, a := range rec.Aliases {
		if a == "" {
			continue
		}
		if _, err := im.addAlias.ExecContext(ctx, a, rec.ID); err != nil {
			return false, err
		}
	}
	for _, k := range rec.Packages {
		if k.Ecosystem == "" || k.Name == "" {
			continue
		}
		if _, err := im.addPackage.ExecContext(ctx, k.Ecosystem, k.Name, rec.ID); err != nil {
			return false, err
		}
	}
	im.changed++
	return true, nil
}

// Commit records the status of the source and commits the import. Of st it
// uses UpdatedAt (now when zero), ETag and LastModified; Source, Records,
// Changed and Newest are computed: the stored records this source last
// wrote, the Puts of this import that changed something, and the newest
// Modified among those records. So an import with no Put (an HTTP 304) keeps
// the counts and refreshes UpdatedAt and the validators.
func (im *Import) Commit(ctx context.Context, st SourceStatus) error {
	if err := im.commit(ctx, st); err != nil {
		im.tx.Rollback()
		return fmt.Errorf("commit import from %q: %w", im.source, err)
	}
	return nil
}

func (im *Import) commit(ctx context.Context, st SourceStatus) error {
	if st.UpdatedAt.IsZero() {
		st.UpdatedAt = time.Now()
	}
	var records, newest int64
	if err := im.tx.QueryRowContext(ctx, im.s.rebind(`SELECT count(*), COALESCE(max(modified), 0) FROM advisories WHERE source = $1`),
		im.source).Scan(&records, &newest); err != nil {
		return err
	}
	if _, err := im.tx.ExecContext(ctx, im.s.rebind(`INSERT INTO sources (source, updated_at, records, changed, newest, etag, last_modified)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (source) DO UPDATE SET updated_at = excluded.updated_at, records = excluded.records,
			changed = excluded.changed, newest = excluded.newest, etag = excluded.etag, last_modified = excluded.last_modified`),
		im.source, nanos(st.UpdatedAt), records, im.changed, newest, st.ETag, st.LastModified); err != nil {
		return err
	}
	return im.tx.Commit()
}

// Rollback abandons the import; the store keeps what it had before. It may
// be called after Commit (then it does nothing), so `defer im.Rollback()`
// is the usual pattern.
func (im *Import) Rollback() error {
	err := im.tx.Rollback()
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

const sourceColumns = `source, updated_at, records, changed, newest, etag, last_modified`

func scanSource(sc interface{ Scan(...any) error }) (SourceStatus, error) {
	var (
		st                SourceStatus
		updated, newest   int64
		records, changedN int64
	)
	err := sc.Scan(&st.Source, &updated, &records, &changedN, &newest, &st.ETag, &st.LastModified)
	st.UpdatedAt, st.Newest = fromNanos(updated), fromNanos(newest)
	st.Records, st.Changed = int(records), int(changedN)
	return st, err
}

// Sources lists the status of every source imported so far, by name.
func (s *Store) Sources(ctx context.Context) ([]SourceStatus, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+sourceColumns+` FROM sources ORDER BY source`)
	if err != nil {
		return nil, fmt.Errorf("list advisory sources: %w", err)
	}
	defer rows.Close()
	var out []SourceStatus
	for rows.Next() {
		st, err := scanSource(rows)
		if err != nil {
			return nil, fmt.Errorf("list advisory sources: %w", err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// Source returns the status of one source, and false if it was never
// imported.
func (s *Store) Source(ctx context.Context, source string) (SourceStatus, bool, error) {
	st, err := scanSource(s.db.QueryRowContext(ctx, s.rebind(`SELECT `+sourceColumns+` FROM sources WHERE source = $1`), source))
	if errors.Is(err, sql.ErrNoRows) {
		return SourceStatus{}, false, nil
	}
	if err != nil {
		return SourceStatus{}, false, fmt.Errorf("advisory source %q: %w", source, err)
	}
	return st, true, nil
}

// AdvisoryCounts counts the stored records, and among them the malicious and
// the withdrawn ones.
func (s *Store) AdvisoryCounts(ctx context.Context) (total, malicious, withdrawn int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT count(*), count(CASE WHEN malicious THEN 1 END),
		count(CASE WHEN withdrawn THEN 1 END) FROM advisories`).Scan(&total, &malicious, &withdrawn)
	if err != nil {
		err = fmt.Errorf("count advisories: %w", err)
	}
	return total, malicious, withdrawn, err
}

// advisoryBatch is how many keys one AdvisoriesFor query looks up (two
// parameters each, far below both back ends' limits).
const advisoryBatch = 500

// AdvisoriesFor returns the JSON of every stored record (withdrawn ones
// included) that names one of keys, grouped by key, in ID order. Keys no
// record names are absent from the map. It is one indexed query per 500 keys.
func (s *Store) AdvisoriesFor(ctx context.Context, keys []PackageKey) (map[PackageKey][][]byte, error) {
	uniq := make([]PackageKey, 0, len(keys))
	seen := make(map[PackageKey]bool, len(keys))
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			uniq = append(uniq, k)
		}
	}
	out := map[PackageKey][][]byte{}
	for len(uniq) > 0 {
		batch := uniq[:min(len(uniq), advisoryBatch)]
		uniq = uniq[len(batch):]
		if err := s.advisoriesFor(ctx, batch, out); err != nil {
			return nil, fmt.Errorf("look up advisories: %w", err)
		}
	}
	return out, nil
}

func (s *Store) advisoriesFor(ctx context.Context, keys []PackageKey, out map[PackageKey][][]byte) error {
	q := make([]byte, 0, 200+len(keys)*16)
	q = append(q, `SELECT ap.ecosystem, ap.name, a.doc FROM advisory_packages ap
		JOIN advisories a ON a.id = ap.advisory_id
		WHERE (ap.ecosystem, ap.name) IN (VALUES `...)
	args := make([]any, 0, 2*len(keys))
	for i, k := range keys {
		if i > 0 {
			q = append(q, ',')
		}
		q = fmt.Appendf(q, "($%d, $%d)", 2*i+1, 2*i+2)
		args = append(args, k.Ecosystem, k.Name)
	}
	q = append(q, `) ORDER BY ap.ecosystem, ap.name, a.id`...)
	rows, err := s.db.QueryContext(ctx, s.rebind(string(q)), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			k   PackageKey
			doc []byte
		)
		if err := rows.Scan(&k.Ecosystem, &k.Name, &doc); err != nil {
			return err
		}
		out[k] = append(out[k], doc)
	}
	return rows.Err()
}

// AdvisoryJSON returns the JSON of the record with ID idOrAlias and of every
// record that has it as an alias, in ID order; none is not an error.
func (s *Store) AdvisoryJSON(ctx context.Context, idOrAlias string) ([][]byte, error) {
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT doc FROM advisories WHERE id = $1
		OR id IN (SELECT advisory_id FROM advisory_aliases WHERE alias = $1) ORDER BY id`), idOrAlias)
	if err != nil {
		return nil, fmt.Errorf("advisory %q: %w", idOrAlias, err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, fmt.Errorf("advisory %q: %w", idOrAlias, err)
		}
		out = append(out, doc)
	}
	return out, rows.Err()
}

// EachAdvisoryPackage calls fn for each distinct package the stored records
// name, in (ecosystem, name) order, for re-evaluating impact after an
// import. It reads them all before the first call, so fn may use the store.
// An error from fn stops the walk and is returned.
func (s *Store) EachAdvisoryPackage(ctx context.Context, fn func(PackageKey) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT ecosystem, name FROM advisory_packages ORDER BY ecosystem, name`)
	if err != nil {
		return fmt.Errorf("list advisory packages: %w", err)
	}
	var keys []PackageKey
	for rows.Next() {
		var k PackageKey
		if err := rows.Scan(&k.Ecosystem, &k.Name); err != nil {
			rows.Close()
			return fmt.Errorf("list advisory packages: %w", err)
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list advisory packages: %w", err)
	}
	for _, k := range keys {
		if err := fn(k); err != nil {
			return err
		}
	}
	return nil
}
