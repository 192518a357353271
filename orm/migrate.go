package orm

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"time"
)

// Migration is one versioned step of the schema. Migrations run in
// ascending Version order, each in its own write transaction, and each is
// recorded in the history table (orm_migrations) so that it runs once:
// running [DB.Migrate] again is a no-op.
//
// A step creates the tables, indexes and full-text tables of Models (with
// CREATE ... IF NOT EXISTS), then runs SQL, then Func, whichever are set.
type Migration struct {
	Version int64
	Name    string
	Models  []any                                   // model values, e.g. User{} or (*User)(nil)
	SQL     []string                                // statements run as written
	Func    func(ctx context.Context, tx *Tx) error // anything else
}

const historyTable = "orm_migrations"

// Migrate applies the migrations not yet recorded in the history table, in
// Version order. Versions must be unique and positive; a recorded version
// whose name differs from the one given is an error (the history and the
// code disagree). It returns the versions it applied.
func (db *DB) Migrate(ctx context.Context, migrations ...Migration) ([]int64, error) {
	if err := db.check(); err != nil {
		return nil, err
	}
	ms := slices.Clone(migrations)
	slices.SortFunc(ms, func(a, b Migration) int { return int(min(max(a.Version-b.Version, -1), 1)) })
	for i, m := range ms {
		if m.Version <= 0 {
			return nil, fmt.Errorf("orm: migration %q: version must be positive", m.Name)
		}
		if i > 0 && ms[i-1].Version == m.Version {
			return nil, fmt.Errorf("orm: migration version %d used twice", m.Version)
		}
	}
	d := db.dialect
	hist := d.Quote(historyTable)
	if _, err := db.Exec(ctx, "CREATE TABLE IF NOT EXISTS "+hist+
		" (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"); err != nil {
		return nil, err
	}
	var applied []int64
	for _, m := range ms {
		done := false
		err := db.WriteTx(ctx, func(tx *Tx) error {
			row, err := RawRow(ctx, tx, "SELECT name FROM "+hist+" WHERE version = "+d.Placeholder(1), m.Version)
			switch {
			case err == nil:
				if name, _ := row[0].(string); name != m.Name {
					return fmt.Errorf("orm: migration %d is recorded as %q but is now named %q", m.Version, name, m.Name)
				}
				done = true
				return nil
			case !errors.Is(err, ErrNotFound):
				return err
			}
			for _, mv := range m.Models {
				if err := createModel(ctx, tx, d, mv); err != nil {
					return err
				}
			}
			for _, s := range m.SQL {
				if _, err := tx.Exec(ctx, s); err != nil {
					return fmt.Errorf("orm: migration %d: %w", m.Version, err)
				}
			}
			if m.Func != nil {
				if err := m.Func(ctx, tx); err != nil {
					return fmt.Errorf("orm: migration %d: %w", m.Version, err)
				}
			}
			_, err = tx.Exec(ctx, "INSERT INTO "+hist+" (version, name, applied_at) VALUES ("+
				d.Placeholder(1)+", "+d.Placeholder(2)+", "+d.Placeholder(3)+")", m.Version, m.Name, formatTime(time.Now()))
			return err
		})
		if err != nil {
			return applied, err
		}
		if !done {
			applied = append(applied, m.Version)
		}
	}
	return applied, nil
}

// CreateTables creates the tables, indexes and full-text tables of the
// given models if they do not exist yet, in one transaction. It is
// idempotent; use [DB.Migrate] to version schema changes.
func (db *DB) CreateTables(ctx context.Context, models ...any) error {
	return db.WriteTx(ctx, func(tx *Tx) error {
		for _, mv := range models {
			if err := createModel(ctx, tx, db.dialect, mv); err != nil {
				return err
			}
		}
		return nil
	})
}

func createModel(ctx context.Context, tx *Tx, d Dialect, mv any) error {
	t := reflect.TypeOf(mv)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return fmt.Errorf("orm: nil model")
	}
	m, err := modelFor(t)
	if err != nil {
		return err
	}
	for _, s := range d.CreateTable(&m.table) {
		if _, err := tx.Exec(ctx, s); err != nil {
			return fmt.Errorf("orm: create %s: %w", m.table.Name, err)
		}
	}
	return nil
}

// TableOf describes the table of model type T (for inspection and for
// writing migrations by hand).
func TableOf[T any]() (Table, error) {
	m, err := modelOf[T]()
	if err != nil {
		return Table{}, err
	}
	return m.table, nil
}
