package orm

import (
	"context"
	"database/sql"
	"errors"
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
	rows, owned, err := s.query(ctx, q, args)
	if err != nil {
		return immutable.Array[T]{}, err
	}
	defer s.release(owned)
	defer rows.Close()
	if fields == nil {
		cols, err := rows.Columns()
		if err != nil {
			return immutable.Array[T]{}, err
		}
		if fields, err = fieldsFor(m, cols); err != nil {
			return immutable.Array[T]{}, err
		}
	}
	sc, done := m.scannerFor(fields)
	defer done(sc)
	out := make([]T, 0, hint)
	var zero T
	for rows.Next() {
		out = append(out, zero)
		if err := sc.scan(rows, ptrOf(&out[len(out)-1])); err != nil {
			return immutable.Array[T]{}, err
		}
	}
	if err := rows.Err(); err != nil {
		return immutable.Array[T]{}, s.db.dialect.Translate(err)
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
	rows, owned, err := s.query(ctx, q, args)
	if err != nil {
		return err
	}
	defer s.release(owned)
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return s.db.dialect.Translate(err)
		}
		return ErrNotFound
	}
	sc := m.scanner()
	err = sc.scan(rows, dst)
	m.putScanner(sc)
	return err
}

func scalar(ctx context.Context, s *session, q string, args []any, dst any) error {
	rows, owned, err := s.query(ctx, q, args)
	if err != nil {
		return err
	}
	defer s.release(owned)
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return s.db.dialect.Translate(err)
		}
		return ErrNotFound
	}
	return rows.Scan(dst)
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
	s := src.session()
	rows, owned, err := s.query(ctx, query, args)
	if err != nil {
		return nil, err
	}
	defer s.release(owned)
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, s.db.dialect.Translate(err)
		}
		return nil, ErrNotFound
	}
	vals := make([]any, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	if err := rows.Scan(dest...); err != nil {
		return nil, err
	}
	return vals, nil
}
