package store

import (
	"context"
	"fmt"
	"time"
)

// ImpactKey is one reported impact: an advisory affecting one package
// version of the inventory.
type ImpactKey struct{ AdvisoryID, Ecosystem, Name, Version string }

// ImpactReported returns every impact reported before, with when it was
// first reported.
func (s *Store) ImpactReported(ctx context.Context) (map[ImpactKey]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT advisory_id, ecosystem, name, version, reported_at FROM impact_reported`)
	if err != nil {
		return nil, fmt.Errorf("list reported impacts: %w", err)
	}
	defer rows.Close()
	out := map[ImpactKey]time.Time{}
	for rows.Next() {
		var (
			k  ImpactKey
			at int64
		)
		if err := rows.Scan(&k.AdvisoryID, &k.Ecosystem, &k.Name, &k.Version, &at); err != nil {
			return nil, fmt.Errorf("list reported impacts: %w", err)
		}
		out[k] = fromNanos(at)
	}
	return out, rows.Err()
}

// MarkImpactReported records keys as reported at time at (now when zero), in
// one transaction. Keys reported before keep their first time.
func (s *Store) MarkImpactReported(ctx context.Context, keys []ImpactKey, at time.Time) error {
	if len(keys) == 0 {
		return nil
	}
	if at.IsZero() {
		at = time.Now()
	}
	if err := s.markImpactReported(ctx, keys, nanos(at)); err != nil {
		return fmt.Errorf("mark impacts reported: %w", err)
	}
	return nil
}

func (s *Store) markImpactReported(ctx context.Context, keys []ImpactKey, at int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, s.rebind(`INSERT INTO impact_reported (advisory_id, ecosystem, name, version, reported_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`))
	if err != nil {
		return err
	}
	defer st.Close()
	for _, k := range keys {
		if _, err := st.ExecContext(ctx, k.AdvisoryID, k.Ecosystem, k.Name, k.Version, at); err != nil {
			return err
		}
	}
	return tx.Commit()
}
