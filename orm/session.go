package orm

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"iter"
	"unsafe"

	"github.com/dext-go/dext/immutable"
)

// Source is where a query runs: a [*ReadOnly], a [*Snapshot] or a
// [*Tracking]. Queries through any of them return untracked, immutable
// results.
type Source interface {
	session() *session
}

// session is the connection context of a Source: inside a transaction
// (a Snapshot or a write Tx) the connection that runs it, otherwise none
// (each operation takes a reader connection for its duration).
type session struct {
	db   *DB
	conn *conn // non-nil inside a transaction
	err  error // set: every operation fails with it
}

// acquire returns the connection to use and, when it was taken from the
// reader pool for this one operation, the same connection as owned: the
// caller gives it back with release.
func (s *session) acquire(ctx context.Context) (c, owned *conn, err error) {
	if s.err != nil {
		return nil, nil, s.err
	}
	if err := s.db.check(); err != nil {
		return nil, nil, err
	}
	if s.conn != nil {
		return s.conn, nil, nil
	}
	c, err = s.db.readers.get(ctx)
	return c, c, err
}

func (s *session) release(owned *conn) {
	if owned != nil {
		s.db.readers.put(owned)
	}
}

// query runs q; the caller closes the rows, then releases owned.
func (s *session) query(ctx context.Context, q string, args []any) (rows *sql.Rows, owned *conn, err error) {
	c, owned, err := s.acquire(ctx)
	if err != nil {
		return nil, nil, err
	}
	st, err := c.stmt(ctx, q)
	if err != nil {
		s.release(owned)
		return nil, nil, s.db.dialect.Translate(err)
	}
	rows, err = st.QueryContext(ctx, args...)
	if err != nil {
		c.noteErr(err)
		s.release(owned)
		return nil, nil, s.db.dialect.Translate(err)
	}
	return rows, owned, nil
}

func (s *session) exec(ctx context.Context, q string, args []any) (sql.Result, error) {
	c, owned, err := s.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer s.release(owned)
	st, err := c.stmt(ctx, q)
	if err != nil {
		return nil, s.db.dialect.Translate(err)
	}
	res, err := st.ExecContext(ctx, args...)
	c.noteErr(err)
	return res, s.db.dialect.Translate(err)
}

// rowScanner reads rows into structs through the model's plan: rows.Scan
// fills a reused []any (the database/sql fast path, no conversion), then
// each field's codec stores its value through a precomputed offset.
type rowScanner struct {
	m      *model
	fields []*field
	vals   []any
	dest   []any
}

func newRowScanner(m *model, fields []*field, extra ...any) *rowScanner {
	n := len(fields)
	sc := &rowScanner{m: m, fields: fields}
	sc.vals = make([]any, n)
	sc.dest = make([]any, n, n+len(extra))
	for i := range sc.vals {
		sc.dest[i] = &sc.vals[i]
	}
	sc.dest = append(sc.dest, extra...)
	return sc
}

// scanner returns a pooled scanner for every field of m.
func (m *model) scanner() *rowScanner {
	if v := m.scanners.Get(); v != nil {
		return v.(*rowScanner)
	}
	return newRowScanner(m, m.fields)
}

func (m *model) putScanner(sc *rowScanner) { m.scanners.Put(sc) }

// scannerFor returns a scanner for fields, pooled when they are m's own.
func (m *model) scannerFor(fields []*field) (*rowScanner, func(*rowScanner)) {
	if len(fields) == len(m.fields) && len(fields) > 0 && &fields[0] == &m.fields[0] {
		return m.scanner(), m.putScanner
	}
	return newRowScanner(m, fields), func(*rowScanner) {}
}

func (sc *rowScanner) scan(rows *sql.Rows, base unsafe.Pointer) error {
	if err := rows.Scan(sc.dest...); err != nil {
		return err
	}
	for i, f := range sc.fields {
		if err := f.decode(base, sc.vals[i]); err != nil {
			return &ScanError{Model: sc.m.name, Column: f.column, Err: err}
		}
		sc.vals[i] = nil
	}
	return nil
}

// fieldsFor maps result columns to model fields by name.
func fieldsFor(m *model, cols []string) ([]*field, error) {
	fs := make([]*field, len(cols))
	for i, c := range cols {
		f, ok := m.cols[c]
		if !ok {
			return nil, &ColumnError{Model: m.name, Column: c}
		}
		fs[i] = f
	}
	return fs, nil
}

// collect runs q and scans every row into a new slice.
func collect[T any](ctx context.Context, s *session, m *model, fields []*field, q string, args []any, hint int) (immutable.Array[T], error) {
	out := make([]T, 0, hint)
	var zero T
	start := func(cols []string) error {
		if fields != nil {
			return nil
		}
		var err error
		fields, err = fieldsFor(m, cols)
		return err
	}
	err := s.direct(ctx, q, args, start, func(r *cursor) error {
		out = append(out, zero)
		return r.decodeRow(m, fields, ptrOf(&out[len(out)-1]))
	})
	if err != nil {
		return immutable.Array[T]{}, err
	}
	return immutable.Own(out), nil
}

// stream runs q and yields each row; stopping early closes the rows.
func stream[T any](ctx context.Context, s *session, m *model, fields []*field, q string, args []any) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		rows, owned, err := s.query(ctx, q, args)
		if err != nil {
			yield(zero, err)
			return
		}
		defer s.release(owned)
		defer rows.Close()
		if fields == nil {
			cols, err := rows.Columns()
			if err == nil {
				fields, err = fieldsFor(m, cols)
			}
			if err != nil {
				yield(zero, err)
				return
			}
		}
		sc, done := m.scannerFor(fields)
		defer done(sc)
		for rows.Next() {
			var v T
			if err := sc.scan(rows, ptrOf(&v)); err != nil {
				yield(zero, err)
				return
			}
			if !yield(v, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(zero, s.db.dialect.Translate(err))
		}
	}
}

// first runs q and scans its first row into dst; no row is ErrNotFound.
func first(ctx context.Context, s *session, m *model, q string, args []any, dst unsafe.Pointer) error {
	found := false
	err := s.direct(ctx, q, args, nil, func(r *cursor) error {
		found = true
		if err := r.decodeRow(m, m.fields, dst); err != nil {
			return err
		}
		return errStop
	})
	if err == nil && !found {
		return ErrNotFound
	}
	return err
}

func scalar(ctx context.Context, s *session, q string, args []any, dst *int64) error {
	found := false
	err := s.direct(ctx, q, args, nil, func(r *cursor) error {
		v, err := r.value(0)
		if err != nil {
			return err
		}
		n, ok := v.(int64)
		if !ok {
			return fmt.Errorf("orm: want an integer, got %T", v)
		}
		*dst, found = n, true
		return errStop
	})
	if err == nil && !found {
		return ErrNotFound
	}
	return err
}

var errStop = errors.New("orm: stop")

// decodeRow stores one row's driver values into the struct at base.
func decodeRow(m *model, fields []*field, vals []driver.Value, base unsafe.Pointer) error {
	for i, f := range fields {
		v := vals[i]
		if b, ok := v.([]byte); ok {
			v = bytes.Clone(b) // the driver may reuse its buffer
		}
		if err := f.decode(base, v); err != nil {
			return &ScanError{Model: m.name, Column: f.column, Err: err}
		}
	}
	return nil
}

// direct runs the query q on the driver connection itself, skipping
// database/sql's per-row Scan: the connection is exclusively this
// operation's (taken from the reader pool, or the session's transaction
// connection), and no caller code runs while it is held. When the
// connection has the native path (native.go) the query runs there;
// otherwise through the driver's statement and rows. start, when not nil,
// receives the result columns first; row receives each row, valid only
// during the call, and may return errStop to end early.
func (s *session) direct(ctx context.Context, q string, args []any, start func(cols []string) error, row func(r *cursor) error) error {
	c, owned, err := s.acquire(ctx)
	if err != nil {
		return err
	}
	defer s.release(owned)
	err = c.c.Raw(func(dc any) error {
		if n := c.nativeFor(s.db, dc); n != nil {
			if handled, err := n.query(ctx, q, args, start, row); handled {
				return err
			}
		}
		st, err := c.driverStmt(ctx, dc, q)
		if err != nil {
			return err
		}
		sq, ok := st.(driver.StmtQueryContext)
		if !ok {
			return errors.New("orm: the driver's statements lack QueryContext")
		}
		c.nv = c.nv[:0]
		for i, a := range args {
			c.nv = append(c.nv, driver.NamedValue{Ordinal: i + 1, Value: a})
		}
		rows, err := sq.QueryContext(ctx, c.nv)
		if err != nil {
			return err
		}
		cols := rows.Columns()
		if start != nil {
			if err := start(cols); err != nil {
				rows.Close()
				return err
			}
		}
		if cap(c.vals) < len(cols) {
			c.vals = make([]driver.Value, len(cols))
		}
		vals := c.vals[:len(cols)]
		defer clear(vals)
		r := cursor{vals: vals}
		for {
			err := rows.Next(vals)
			if errors.Is(err, io.EOF) {
				break
			}
			if err == nil {
				err = row(&r)
			}
			if err != nil {
				rows.Close()
				if errors.Is(err, errStop) {
					return nil
				}
				return err
			}
		}
		return rows.Close()
	})
	c.noteErr(err)
	return s.db.dialect.Translate(err)
}

// Raw runs a SELECT written by hand, with args bound as parameters, and
// scans each row into a T: result columns are matched to the model's
// columns by name, and a column the model lacks is a [*ColumnError].
func Raw[T any](ctx context.Context, src Source, query string, args ...any) (immutable.Array[T], error) {
	m, err := modelOf[T]()
	if err != nil {
		return immutable.Array[T]{}, err
	}
	if args, err = normalizeArgs(args); err != nil {
		return immutable.Array[T]{}, err
	}
	return collect[T](ctx, src.session(), m, nil, query, args, 16)
}

// RawIter is [Raw] as a stream: rows are read as the loop asks for them.
func RawIter[T any](ctx context.Context, src Source, query string, args ...any) iter.Seq2[T, error] {
	m, err := modelOf[T]()
	if err == nil {
		args, err = normalizeArgs(args)
	}
	if err != nil {
		return func(yield func(T, error) bool) { var zero T; yield(zero, err) }
	}
	return stream[T](ctx, src.session(), m, nil, query, args)
}

// Get reads the entity of type T whose primary key is key, untracked.
// No such row is [ErrNotFound].
func Get[T any](ctx context.Context, src Source, key any) (T, error) {
	var v T
	m, err := modelOf[T]()
	if err != nil {
		return v, err
	}
	k, err := normalizeArg(key)
	if err != nil {
		return v, err
	}
	err = first(ctx, src.session(), m, m.getSQL(src.session().db.dialect), []any{k}, ptrOf(&v))
	return v, err
}

func (m *model) getSQL(d Dialect) string { return m.stmts(d).sqlGet }

var errSnapshotDone = errors.New("orm: Snapshot used after its function returned")

// RawRow runs a statement written by hand, with args bound as parameters,
// and returns the values of its first row as the driver gives them
// (int64, float64, string, []byte or nil). No row is [ErrNotFound].
func RawRow(ctx context.Context, src Source, query string, args ...any) ([]any, error) {
	args, err := normalizeArgs(args)
	if err != nil {
		return nil, err
	}
	var out []any
	err = src.session().direct(ctx, query, args, nil, func(r *cursor) error {
		out = make([]any, r.width())
		for i := range out {
			v, err := r.value(i)
			if err != nil {
				return err
			}
			if b, ok := v.([]byte); ok {
				v = bytes.Clone(b)
			}
			out[i] = v
		}
		return errStop
	})
	if err == nil && out == nil {
		return nil, ErrNotFound
	}
	return out, err
}
