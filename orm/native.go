package orm

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// The native statement path.
//
// Reads (Get, First, All, Raw, Count, Exists, Search, RawRow) and the
// statements of SaveChanges run on a connection held exclusively for the
// operation, so nothing stops them from talking to SQLite itself instead of
// going through driver.Rows and driver.Stmt: the modernc.org/sqlite driver boxes every column of every row into a
// driver.Value (an allocation per string, float and integer above 255) and
// takes the connection mutex twice per column. The native path uses the
// driver's sqlite3 handle with the C API that modernc.org/sqlite/lib
// exports: its own prepared statements (a per-connection cache, like the
// driver's), one sqlite3_column_value per column, and each value stored
// straight into its struct field (numbers cost no allocation; a query's
// small strings share a few chunks, see cursor.text). Arguments are copied into one reused C buffer and bound with
// SQLITE_TRANSIENT (the driver mallocs and frees one per text argument).
//
// It is used only when it gives exactly the driver's results: the database
// was opened with the built-in SQLite dialect (whose DSN sets no time
// conversion option), the driver connection is modernc.org/sqlite's (the
// handle is found by reflection, checked by package, type and field name
// and type; anything else disables the path), the statement is a single
// statement with positional parameters only, and no result column is
// declared DATE, DATETIME or TIMESTAMP (the driver turns those into
// time.Time). Everything else, and every statement when the path is
// disabled, runs through the driver as before.

// liteState says whether a connection has the native path.
type liteState uint8

const (
	liteUnknown liteState = iota
	liteOn
	liteOff
)

// native is a connection's native read state: the sqlite3 handle it shares
// with the driver, a libc thread context of its own, and its statements.
// It is used only by the goroutine holding the connection, inside
// sql.Conn.Raw.
type native struct {
	dc    any     // the driver connection the handle belongs to
	db    uintptr // sqlite3*
	tls   *libc.TLS
	stmts map[string]*liteStmt
	limit int
	buf   uintptr // C scratch for binding text and blobs
	bufN  int
	out   uintptr // C scratch for prepare's out-parameters (two pointers)
	res   liteResult
	cur   cursor // the row of the running query
}

// liteStmt is a statement prepared on the native path. ok false means the
// statement must run through the driver (it is cached so that the check
// runs once).
type liteStmt struct {
	pstmt   uintptr
	ok      bool
	nparams int
}

// liteError is an error reported by SQLite on the native path, in the
// driver's form: the dialect translates it like a *sqlite.Error.
type liteError struct {
	code int
	msg  string
}

func (e *liteError) Error() string { return e.msg }

// Code returns the (extended) SQLite result code.
func (e *liteError) Code() int { return e.code }

const ptrSize = unsafe.Sizeof(uintptr(0))

// loadPtr reads the pointer stored in the C memory at p (an out-parameter
// SQLite filled in). C memory is read through libc.GoBytes, which views
// it as a byte slice without copying.
func loadPtr(p uintptr) uintptr {
	return *(*uintptr)(unsafe.Pointer(unsafe.SliceData(libc.GoBytes(p, int(ptrSize))))) //nolint:gosec // G103 audited: p is C memory holding one pointer
}

// sqliteHandle returns the sqlite3* of a modernc.org/sqlite driver
// connection, or 0 when dc is not one or its layout is not the expected
// one.
func sqliteHandle(dc any) uintptr {
	v := reflect.ValueOf(dc)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return 0
	}
	t := v.Type().Elem()
	if t.Kind() != reflect.Struct || t.Name() != "conn" || t.PkgPath() != "modernc.org/sqlite" {
		return 0
	}
	f, ok := t.FieldByName("db")
	if !ok || f.Type.Kind() != reflect.Uintptr || len(f.Index) != 1 {
		return 0
	}
	// The field is read through its reflected offset: v points to a live
	// struct of type t, and f is one of t's own fields.
	return *(*uintptr)(unsafe.Add(v.UnsafePointer(), f.Offset)) //nolint:gosec // G103 audited: see the comment above
}

// nativeFor returns the native read state of c for the driver connection
// dc, or nil when the native path is not available.
func (c *conn) nativeFor(db *DB, dc any) *native {
	switch c.lite {
	case liteOn:
		if c.nat.dc == dc {
			return c.nat
		}
		// database/sql never swaps the driver connection under a
		// sql.Conn; if it ever did, stop using the native path.
		c.lite = liteOff
		return nil
	case liteOff:
		return nil
	}
	c.lite = liteOff
	if _, ok := db.dialect.(sqliteDialect); !ok || db.noNative {
		return nil
	}
	h := sqliteHandle(dc)
	if h == 0 {
		return nil
	}
	tls := libc.NewTLS()
	out := libc.Xmalloc(tls, libc.Tsize_t(2*ptrSize))
	if out == 0 {
		tls.Close()
		return nil
	}
	c.nat = &native{dc: dc, db: h, tls: tls, stmts: map[string]*liteStmt{}, limit: c.limit, out: out}
	c.lite = liteOn
	return c.nat
}

// close finalizes the statements and frees the C memory; it runs inside
// sql.Conn.Raw, before the driver connection closes.
func (n *native) close() {
	for _, st := range n.stmts {
		if st.pstmt != 0 {
			sqlite3.Xsqlite3_finalize(n.tls, st.pstmt)
		}
	}
	clear(n.stmts)
	if n.buf != 0 {
		libc.Xfree(n.tls, n.buf)
		n.buf, n.bufN = 0, 0
	}
	libc.Xfree(n.tls, n.out)
	n.out = 0
	n.tls.Close()
}

func (n *native) errorf(rc int32) error {
	str := libc.GoString(sqlite3.Xsqlite3_errstr(n.tls, rc))
	msg := libc.GoString(sqlite3.Xsqlite3_errmsg(n.tls, n.db))
	busy := ""
	if rc == sqlite3.SQLITE_BUSY {
		busy = " (SQLITE_BUSY)"
	}
	if msg == str {
		return &liteError{code: int(rc), msg: fmt.Sprintf("%s (%v)%s", str, rc, busy)}
	}
	return &liteError{code: int(rc), msg: fmt.Sprintf("%s: %s (%v)%s", str, msg, rc, busy)}
}

// stmt returns q's statement, preparing and checking it on first use. A
// preparation error is reported as a statement for the driver (which
// reports the same error in its own form).
func (n *native) stmt(q string) *liteStmt {
	if st, ok := n.stmts[q]; ok {
		return st
	}
	st, keep := n.prepare(q)
	if !keep {
		return st
	}
	cacheStmt(n.stmts, n.limit, q, st, func(old *liteStmt) {
		if old.pstmt != 0 {
			sqlite3.Xsqlite3_finalize(n.tls, old.pstmt)
		}
	})
	return st
}

// prepare prepares q and checks that the native path can run it; keep is
// false when preparing failed (the failure may not last: a table created
// later, a lock), so that the next use tries again.
func (n *native) prepare(q string) (st *liteStmt, keep bool) {
	st = &liteStmt{}
	zq, err := libc.CString(q)
	if err != nil {
		return st, false
	}
	defer libc.Xfree(n.tls, zq)
	pp, ptail := n.out, n.out+ptrSize
	clear(libc.GoBytes(n.out, int(2*ptrSize)))
	if rc := sqlite3.Xsqlite3_prepare_v3(n.tls, n.db, zq, int32(len(q)+1), sqlite3.SQLITE_PREPARE_PERSISTENT, pp, ptail); rc != sqlite3.SQLITE_OK {
		return st, false
	}
	p, tail := loadPtr(pp), loadPtr(ptail)
	if p == 0 {
		return st, true // no statement at all
	}
	if n.eligible(p, q, tail-zq) {
		st.pstmt, st.ok = p, true
		st.nparams = int(sqlite3.Xsqlite3_bind_parameter_count(n.tls, p))
	} else {
		sqlite3.Xsqlite3_finalize(n.tls, p)
	}
	return st, true
}

// eligible reports whether the prepared statement p, the text of q up to
// byte end, gives the driver's results on the native path.
func (n *native) eligible(p uintptr, q string, end uintptr) bool {
	if end > uintptr(len(q)) || strings.TrimSpace(q[end:]) != "" {
		return false // more than one statement
	}
	for i := range sqlite3.Xsqlite3_bind_parameter_count(n.tls, p) {
		if name := libc.GoString(sqlite3.Xsqlite3_bind_parameter_name(n.tls, p, i+1)); name != "" && name[0] != '?' {
			return false // named parameters: the driver matches them by name
		}
	}
	for i := range sqlite3.Xsqlite3_column_count(n.tls, p) {
		switch strings.ToUpper(libc.GoString(sqlite3.Xsqlite3_column_decltype(n.tls, p, i))) {
		case "DATE", "DATETIME", "TIMESTAMP":
			return false // the driver converts these to time.Time
		}
	}
	return true
}

// scratch returns C memory for at least size bytes (never 0, so that an
// empty text or blob binds as empty, not NULL).
func (n *native) scratch(size int) uintptr {
	if size < 16 {
		size = 16
	}
	if size > n.bufN {
		if n.buf != 0 {
			libc.Xfree(n.tls, n.buf)
		}
		n.buf = libc.Xmalloc(n.tls, libc.Tsize_t(size))
		n.bufN = size
		if n.buf == 0 {
			n.bufN = 0
		}
	}
	return n.buf
}

// scratchCopy copies v into the C scratch memory and returns it.
func scratchCopy[T string | []byte](n *native, v T) (uintptr, error) {
	buf := n.scratch(len(v))
	if buf == 0 {
		return 0, &liteError{code: sqlite3.SQLITE_NOMEM, msg: "out of memory"}
	}
	copy(libc.GoBytes(buf, len(v)), v)
	return buf, nil
}

func (n *native) bind(st *liteStmt, args []any) error {
	p := st.pstmt
	for i := range st.nparams {
		idx := int32(i + 1)
		var rc int32
		switch v := args[i].(type) {
		case nil:
			rc = sqlite3.Xsqlite3_bind_null(n.tls, p, idx)
		case int64:
			rc = sqlite3.Xsqlite3_bind_int64(n.tls, p, idx, v)
		case float64:
			rc = sqlite3.Xsqlite3_bind_double(n.tls, p, idx, v)
		case string:
			buf, err := scratchCopy(n, v)
			if err != nil {
				return err
			}
			rc = sqlite3.Xsqlite3_bind_text(n.tls, p, idx, buf, int32(len(v)), sqlite3.SQLITE_TRANSIENT)
		case []byte:
			if v == nil {
				rc = sqlite3.Xsqlite3_bind_null(n.tls, p, idx)
				break
			}
			buf, err := scratchCopy(n, v)
			if err != nil {
				return err
			}
			rc = sqlite3.Xsqlite3_bind_blob(n.tls, p, idx, buf, int32(len(v)), sqlite3.SQLITE_TRANSIENT)
		}
		if rc != sqlite3.SQLITE_OK {
			return n.errorf(rc)
		}
	}
	return nil
}

// nativeArgs reports whether every argument has a type the native path
// binds (the ones normalizeArg produces).
func nativeArgs(args []any) bool {
	for _, a := range args {
		switch a.(type) {
		case nil, int64, float64, string, []byte:
		default:
			return false
		}
	}
	return true
}

// query runs q on the native path. handled is false when q must run
// through the driver instead (nothing has run then).
func (n *native) query(ctx context.Context, q string, args []any, start func(cols []string) error, row func(r *cursor) error) (handled bool, err error) {
	st := n.stmt(q)
	if !st.ok || len(args) < st.nparams || !nativeArgs(args) {
		return false, nil
	}
	if err := ctx.Err(); err != nil {
		return true, err
	}
	p := st.pstmt
	defer n.finish(p, n.lock())
	if err := n.bind(st, args); err != nil {
		return true, err
	}
	w := n.watch(ctx)
	defer func() {
		if w.done() && err != nil {
			err = ctx.Err()
		}
	}()
	r := &n.cur
	*r = cursor{nat: n, pstmt: p}
	first := true
	for {
		rc := sqlite3.Xsqlite3_step(n.tls, p)
		switch rc {
		case sqlite3.SQLITE_ROW:
		case sqlite3.SQLITE_DONE:
			if first && start != nil {
				return true, start(n.columns(p))
			}
			return true, nil
		default:
			return true, n.errorf(rc)
		}
		if first {
			first = false
			if start != nil {
				if err := start(n.columns(p)); err != nil {
					return true, err
				}
			}
			r.ncols = int(sqlite3.Xsqlite3_column_count(n.tls, p))
		}
		if err := row(r); err != nil {
			if errors.Is(err, errStop) {
				return true, nil
			}
			return true, err
		}
	}
}

// lock takes the connection's mutex for a whole statement run: every
// call in between takes it again, and re-entering a mutex this thread
// holds costs a fraction of taking it (SQLite documents sqlite3_db_mutex
// for this).
func (n *native) lock() uintptr {
	mu := sqlite3.Xsqlite3_db_mutex(n.tls, n.db)
	sqlite3.Xsqlite3_mutex_enter(n.tls, mu)
	return mu
}

// finish ends a statement run: it resets the statement (ending its read
// of the database), drops its bound values and releases the mutex.
func (n *native) finish(p, mu uintptr) {
	sqlite3.Xsqlite3_reset(n.tls, p)
	sqlite3.Xsqlite3_clear_bindings(n.tls, p)
	sqlite3.Xsqlite3_mutex_leave(n.tls, mu)
}

// watcher interrupts the connection's running statement when its context
// is cancelled.
type watcher struct {
	stop  func() bool
	fired chan struct{}
}

// watch makes ctx's cancellation interrupt the running statement; nil
// when ctx cannot be cancelled.
func (n *native) watch(ctx context.Context) *watcher {
	if ctx.Done() == nil {
		return nil
	}
	w := &watcher{fired: make(chan struct{})}
	db := n.db
	w.stop = context.AfterFunc(ctx, func() {
		sqlite3.Xsqlite3_interrupt(nil, db)
		close(w.fired)
	})
	return w
}

// done stops watching and reports whether the interrupt was sent; it then
// waits for it to land, so that it cannot hit a later statement.
func (w *watcher) done() bool {
	if w == nil || w.stop() {
		return false
	}
	<-w.fired
	return true
}

// liteResult is an exec's result; native keeps one and hands out a
// pointer to it, valid until its next exec.
type liteResult struct{ id, n int64 }

// LastInsertId returns the rowid of the last row inserted.
func (r *liteResult) LastInsertId() (int64, error) { return r.id, nil }

// RowsAffected returns the number of rows the statement changed.
func (r *liteResult) RowsAffected() (int64, error) { return r.n, nil }

// exec runs the statement q to completion, like the driver's Exec (rows
// a RETURNING clause produces are read and dropped). handled is false
// when q must run through the driver instead (nothing has run then).
func (n *native) exec(ctx context.Context, q string, args []any) (res driver.Result, handled bool, err error) {
	st := n.stmt(q)
	if !st.ok || len(args) < st.nparams || !nativeArgs(args) {
		return nil, false, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, true, err
	}
	p := st.pstmt
	defer n.finish(p, n.lock())
	if err := n.bind(st, args); err != nil {
		return nil, true, err
	}
	w := n.watch(ctx)
	defer func() {
		if w.done() && err != nil {
			res, err = nil, ctx.Err()
		}
	}()
	for {
		switch rc := sqlite3.Xsqlite3_step(n.tls, p); rc {
		case sqlite3.SQLITE_ROW:
			continue
		case sqlite3.SQLITE_DONE:
			n.res = liteResult{
				id: sqlite3.Xsqlite3_last_insert_rowid(n.tls, n.db),
				n:  int64(sqlite3.Xsqlite3_changes(n.tls, n.db)),
			}
			return &n.res, true, nil
		default:
			return nil, true, n.errorf(rc)
		}
	}
}

func (n *native) columns(p uintptr) []string {
	cols := make([]string, sqlite3.Xsqlite3_column_count(n.tls, p))
	for i := range cols {
		cols[i] = libc.GoString(sqlite3.Xsqlite3_column_name(n.tls, p, int32(i)))
	}
	return cols
}

// cursor is the current row of a direct query: the driver's values, or
// the native statement's columns.
type cursor struct {
	vals  []driver.Value // driver path
	nat   *native        // native path
	pstmt uintptr
	ncols int
	arena []byte // native path: the query's small strings (see text)
	chunk int    // size of arena's current chunk
}

// width returns the number of result columns.
func (r *cursor) width() int {
	if r.nat == nil {
		return len(r.vals)
	}
	return r.ncols
}

// value returns column i as the driver would give it: int64, float64,
// string, []byte (the caller's to keep on the native path, possibly the
// driver's buffer otherwise) or nil.
func (r *cursor) value(i int) (driver.Value, error) {
	if r.nat == nil {
		return r.vals[i], nil
	}
	tls := r.nat.tls
	v := sqlite3.Xsqlite3_column_value(tls, r.pstmt, int32(i))
	switch sqlite3.Xsqlite3_value_type(tls, v) {
	case sqlite3.SQLITE_INTEGER:
		return sqlite3.Xsqlite3_value_int64(tls, v), nil
	case sqlite3.SQLITE_FLOAT:
		return sqlite3.Xsqlite3_value_double(tls, v), nil
	case sqlite3.SQLITE_TEXT:
		return r.text(v)
	case sqlite3.SQLITE_BLOB:
		return r.blob(v)
	}
	return nil, nil
}

func (r *cursor) text(v uintptr) (string, error) {
	tls := r.nat.tls
	p := sqlite3.Xsqlite3_value_text(tls, v)
	n := sqlite3.Xsqlite3_value_bytes(tls, v)
	if n <= 0 {
		return "", nil
	}
	if p == 0 {
		return "", r.nat.errorf(sqlite3.SQLITE_NOMEM)
	}
	b := libc.GoBytes(p, int(n))
	if n > arenaMax {
		return string(b), nil
	}
	// Small strings of one query share a few Go-allocated chunks: bytes
	// are appended once and never written again, so a string may view
	// them. A string kept from a result keeps its chunk (at most
	// arenaChunkMax bytes) alive.
	if cap(r.arena)-len(r.arena) < len(b) {
		r.chunk = min(max(2*r.chunk, arenaChunkMin), arenaChunkMax)
		r.arena = make([]byte, 0, r.chunk)
	}
	i := len(r.arena)
	r.arena = append(r.arena, b...)
	return unsafe.String(&r.arena[i], len(b)), nil //nolint:gosec // G103 audited: see the comment above
}

// Text arena sizes: strings above arenaMax bytes get their own allocation;
// chunks double from arenaChunkMin to arenaChunkMax bytes.
const (
	arenaMax      = 256
	arenaChunkMin = 128
	arenaChunkMax = 8192
)

func (r *cursor) blob(v uintptr) ([]byte, error) {
	tls := r.nat.tls
	p := sqlite3.Xsqlite3_value_blob(tls, v)
	n := sqlite3.Xsqlite3_value_bytes(tls, v)
	if n <= 0 {
		return nil, nil // the driver gives nil for an empty blob too
	}
	if p == 0 {
		return nil, r.nat.errorf(sqlite3.SQLITE_NOMEM)
	}
	return append([]byte(nil), libc.GoBytes(p, int(n))...), nil
}

// decodeRow stores the row into the struct at base, column i into
// fields[i].
func (r *cursor) decodeRow(m *model, fields []*field, base unsafe.Pointer) error {
	if r.nat == nil {
		return decodeRow(m, fields, r.vals, base)
	}
	if r.ncols < len(fields) {
		return fmt.Errorf("orm: query returned %d columns, model %s maps %d", r.ncols, m.name, len(fields))
	}
	for i, f := range fields {
		if err := r.decodeField(f, i, base); err != nil {
			return &ScanError{Model: m.name, Column: f.column, Err: err}
		}
	}
	return nil
}

// decodeField stores column i into f: plain fields (and nullable.Value
// of them) directly, the others through field.decode.
func (r *cursor) decodeField(f *field, i int, base unsafe.Pointer) error {
	return r.decodeValue(f, base, sqlite3.Xsqlite3_column_value(r.nat.tls, r.pstmt, int32(i)))
}

func (r *cursor) decodeValue(f *field, base unsafe.Pointer, v uintptr) error {
	tls := r.nat.tls
	typ := sqlite3.Xsqlite3_value_type(tls, v)
	if f.kind == kNullable {
		// field.decode's nullable case, with the value not boxed: the
		// inner field is a plain one.
		p := f.ptr(base)
		valid := (*bool)(unsafe.Add(p, f.validOff))
		if typ == sqlite3.SQLITE_NULL {
			*valid = false
			return f.inner.decode(p, nil)
		}
		*valid = true
		return r.decodeValue(f.inner, p, v)
	}
	plain := f.kind != kScanner && f.kind != kJSON
	switch typ {
	case sqlite3.SQLITE_INTEGER:
		n := sqlite3.Xsqlite3_value_int64(tls, v)
		if plain {
			return f.setInt(f.ptr(base), n)
		}
		return f.decode(base, n)
	case sqlite3.SQLITE_FLOAT:
		x := sqlite3.Xsqlite3_value_double(tls, v)
		if f.kind == kFloat64 {
			*(*float64)(f.ptr(base)) = x
			return nil
		}
		return f.decode(base, x)
	case sqlite3.SQLITE_TEXT:
		s, err := r.text(v)
		if err != nil {
			return err
		}
		if f.kind == kString {
			*(*string)(f.ptr(base)) = s
			return nil
		}
		return f.decode(base, s)
	case sqlite3.SQLITE_BLOB:
		b, err := r.blob(v)
		if err != nil {
			return err
		}
		return f.decode(base, b)
	}
	return f.decode(base, nil)
}
