package orm

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Option configures [Open].
type Option interface{ apply(*config) }

type config struct {
	readers     int
	busyTimeout time.Duration
	stmtCache   int
	dialect     Dialect
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithReaders sets the size of the read-only connection pool (default:
// GOMAXPROCS, at least 2).
func WithReaders(n int) Option {
	return optionFunc(func(c *config) {
		if n > 0 {
			c.readers = n
		}
	})
}

// WithBusyTimeout sets how long a connection waits for a lock held by
// another connection or process before failing with [ErrLocked] (default 5s).
func WithBusyTimeout(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d >= 0 {
			c.busyTimeout = d
		}
	})
}

// WithStatementCache sets how many prepared statements each connection
// keeps (default 512); beyond it, one is dropped for each new one.
func WithStatementCache(n int) Option {
	return optionFunc(func(c *config) {
		if n >= 0 {
			c.stmtCache = n
		}
	})
}

// DB is an open database: one writer connection and a pool of read-only
// connections on the same file. It is safe for concurrent use by many
// goroutines. Create it with [Open]; the zero value is not usable.
type DB struct {
	dialect Dialect
	path    string
	wdb     *sql.DB // the writer's database/sql pool (one connection)
	rdb     *sql.DB // the readers' pool (query_only connections)
	writer  *pool   // the writer connection, pinned; holding it is the write lock
	readers *pool   // the reader connections, pinned
	closed  atomic.Bool
	ro      ReadOnly
	// noNative turns the native read path off (tests compare both paths).
	noNative bool
}

// Open opens (creating if needed) the SQLite database file at path and
// configures it: WAL journal, synchronous=NORMAL, foreign keys on, a busy
// timeout, one writer connection whose transactions begin with BEGIN
// IMMEDIATE (so a writer waits for the lock instead of failing midway), and
// a pool of query_only reader connections, each with its own cache of
// prepared statements. A file that is not a database, or is damaged, gives
// [ErrCorrupt]; one locked beyond the busy timeout gives [ErrLocked].
func Open(ctx context.Context, path string, opts ...Option) (*DB, error) {
	cfg := config{readers: max(2, runtime.GOMAXPROCS(0)), busyTimeout: 5 * time.Second, stmtCache: 512, dialect: sqliteDialect{}}
	for _, o := range opts {
		o.apply(&cfg)
	}
	if path == "" || path == ":memory:" {
		return nil, errors.New("orm: Open needs a file path (WAL and the reader pool need a file; use a temporary directory for scratch databases)")
	}
	busy := int(cfg.busyTimeout / time.Millisecond)
	d := cfg.dialect
	db := &DB{dialect: d, path: path}
	fail := func(err error) (*DB, error) {
		if db.writer != nil {
			db.writer.close()
		}
		if db.readers != nil {
			db.readers.close()
		}
		if db.wdb != nil {
			db.wdb.Close()
		}
		if db.rdb != nil {
			db.rdb.Close()
		}
		return nil, openError(path, d.Translate(err))
	}
	var err error
	if db.wdb, err = sql.Open(d.DriverName(), d.WriterDSN(path, busy)); err != nil {
		return fail(err)
	}
	db.wdb.SetMaxOpenConns(1)
	if db.writer, err = newPool(ctx, db.wdb, 1, cfg.stmtCache); err != nil {
		return fail(err)
	}
	// Reading the schema makes SQLite read the header and first page: this
	// is where a file that is not a database shows.
	if err := db.writer.probe(ctx); err != nil {
		return fail(err)
	}
	if db.rdb, err = sql.Open(d.DriverName(), d.ReaderDSN(path, busy)); err != nil {
		return fail(err)
	}
	db.rdb.SetMaxOpenConns(cfg.readers)
	if db.readers, err = newPool(ctx, db.rdb, cfg.readers, cfg.stmtCache); err != nil {
		return fail(err)
	}
	db.ro = ReadOnly{db: db, sess: session{db: db}}
	return db, nil
}

func openError(path string, err error) error {
	return fmt.Errorf("orm: open %s: %w", path, err)
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// Dialect returns the database's dialect.
func (db *DB) Dialect() Dialect { return db.dialect }

// Close waits for running operations to finish and closes every
// connection. Operations started after Close fail with [ErrClosed]. Close is
// idempotent.
func (db *DB) Close() error {
	if db.closed.Swap(true) {
		return nil
	}
	// Let SQLite refresh its statistics before the last connection goes.
	if c, err := db.writer.get(context.Background()); err == nil {
		_, _ = c.c.ExecContext(context.Background(), "PRAGMA optimize")
		db.writer.put(c)
	}
	return errors.Join(db.readers.close(), db.writer.close(), db.rdb.Close(), db.wdb.Close())
}

func (db *DB) check() error {
	if db.closed.Load() {
		return ErrClosed
	}
	return nil
}

// Exec runs one statement in its own write transaction, with args bound
// as parameters.
func (db *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := db.WriteTx(ctx, func(tx *Tx) error {
		var err error
		res, err = tx.Exec(ctx, query, args...)
		return err
	})
	return res, err
}

func normalizeArgs(args []any) ([]any, error) {
	var out []any
	for i, a := range args {
		n, err := normalizeArg(a)
		if err != nil {
			return nil, err
		}
		if out == nil {
			if sameArg(n, a) {
				continue
			}
			out = make([]any, len(args))
			copy(out, args[:i])
		}
		out[i] = n
	}
	if out == nil {
		return args, nil
	}
	return out, nil
}

func sameArg(n, a any) bool {
	switch n.(type) {
	case int64, float64, string, nil:
		return n == a
	}
	return false
}

// conn is one pinned connection with its prepared statements. It is used by
// one goroutine at a time: whoever took it from its pool.
type conn struct {
	c      *sql.Conn
	stmts  map[string]*sql.Stmt
	dstmts map[string]driver.Stmt // driver-level statements, used only inside c.Raw
	nv     []driver.NamedValue    // scratch arguments for direct queries
	vals   []driver.Value         // scratch row for direct queries
	lite   liteState              // whether the native read path is available
	nat    *native                // the native read path's state, when lite is liteOn
	limit  int
	bad    bool // the connection broke: replace it when it is put back
}

// stmt returns the statement for q prepared on this connection, preparing
// it on first use. A full cache drops one entry.
func (c *conn) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := c.stmts[q]; ok {
		return st, nil
	}
	st, err := c.c.PrepareContext(ctx, q)
	if err != nil {
		c.noteErr(err)
		return nil, err
	}
	cacheStmt(c.stmts, c.limit, q, st, func(old *sql.Stmt) { _ = old.Close() })
	return st, nil
}

// cacheStmt stores st under q in a statement cache of at most limit
// entries, first closing and dropping an arbitrary entry when it is full.
func cacheStmt[S any](m map[string]S, limit int, q string, st S, closeStmt func(S)) {
	if len(m) >= limit {
		for k, old := range m {
			closeStmt(old)
			delete(m, k)
			break
		}
	}
	m[q] = st
}

func (c *conn) noteErr(err error) {
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) {
		c.bad = true
	}
}

// driverStmt returns the driver-level statement for q, preparing it on
// first use. It must be called inside c.c.Raw, with dc its connection.
func (c *conn) driverStmt(ctx context.Context, dc any, q string) (driver.Stmt, error) {
	if st, ok := c.dstmts[q]; ok {
		return st, nil
	}
	var st driver.Stmt
	var err error
	if p, ok := dc.(driver.ConnPrepareContext); ok {
		st, err = p.PrepareContext(ctx, q)
	} else {
		st, err = dc.(driver.Conn).Prepare(q)
	}
	if err != nil {
		return nil, err
	}
	if c.dstmts == nil {
		c.dstmts = map[string]driver.Stmt{}
	}
	cacheStmt(c.dstmts, c.limit, q, st, func(old driver.Stmt) { _ = old.Close() })
	return st, nil
}

func (c *conn) close() error {
	for _, st := range c.stmts {
		_ = st.Close()
	}
	clear(c.stmts)
	if len(c.dstmts) > 0 || c.nat != nil {
		_ = c.c.Raw(func(any) error {
			for _, st := range c.dstmts {
				_ = st.Close()
			}
			if c.nat != nil {
				c.nat.close()
			}
			return nil
		})
		clear(c.dstmts)
		c.nat, c.lite = nil, liteOff
	}
	return c.c.Close()
}

// pool hands out pinned connections, most recently used first (its page
// cache and the CPU's caches are warm). avail holds one token per idle
// connection, so taking the writer's single connection is the in-process
// write lock.
type pool struct {
	db    *sql.DB
	avail chan struct{}
	mu    sync.Mutex // guards idle
	idle  []*conn
	n     int
	limit int
	done  chan struct{}
	once  sync.Once
}

func newPool(ctx context.Context, db *sql.DB, n, limit int) (*pool, error) {
	p := &pool{db: db, avail: make(chan struct{}, n), n: n, limit: max(limit, 1), done: make(chan struct{})}
	for range n {
		c, err := p.open(ctx)
		if err != nil {
			for _, c := range p.idle {
				c.close()
			}
			p.idle, p.n = nil, 0
			return nil, err
		}
		p.idle = append(p.idle, c)
		p.avail <- struct{}{}
	}
	return p, nil
}

func (p *pool) open(ctx context.Context) (*conn, error) {
	sc, err := p.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	// Connecting runs the DSN's pragmas; a ping makes sure it happened.
	if err := sc.PingContext(ctx); err != nil {
		sc.Close()
		return nil, err
	}
	return &conn{c: sc, stmts: map[string]*sql.Stmt{}, limit: p.limit}, nil
}

func (p *pool) probe(ctx context.Context) error {
	c, err := p.get(ctx)
	if err != nil {
		return err
	}
	defer p.put(c)
	var n int
	return c.c.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n)
}

func (p *pool) get(ctx context.Context) (*conn, error) {
	select {
	case <-p.avail:
	default:
		select {
		case <-p.avail:
		case <-p.done:
			return nil, ErrClosed
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	p.mu.Lock()
	c := p.idle[len(p.idle)-1]
	p.idle = p.idle[:len(p.idle)-1]
	p.mu.Unlock()
	if c.c == nil {
		// A broken connection could not be replaced when it was put back.
		nc, err := p.open(ctx)
		if err != nil {
			p.push(c)
			return nil, err
		}
		c = nc
	}
	return c, nil
}

func (p *pool) push(c *conn) {
	p.mu.Lock()
	p.idle = append(p.idle, c)
	p.mu.Unlock()
	p.avail <- struct{}{}
}

func (p *pool) put(c *conn) {
	if c.bad {
		_ = c.close()
		if nc, err := p.open(context.Background()); err == nil {
			c = nc
		} else {
			c = &conn{bad: true, stmts: map[string]*sql.Stmt{}, limit: p.limit}
		}
	}
	p.push(c)
}

// close takes back every connection (waiting for running operations) and
// closes them.
func (p *pool) close() error {
	p.once.Do(func() { close(p.done) })
	var errs []error
	for range p.n {
		<-p.avail
		p.mu.Lock()
		c := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		p.mu.Unlock()
		if c.c != nil {
			errs = append(errs, c.close())
		}
	}
	p.n = 0
	return errors.Join(errs...)
}

// Checkpoint copies the write-ahead log into the database file and
// truncates it (PRAGMA wal_checkpoint(TRUNCATE)). SQLite checkpoints on its
// own as the log grows; call this after a bulk load, or periodically when
// long-running readers keep the automatic checkpoints from finishing.
func (db *DB) Checkpoint(ctx context.Context) error {
	if err := db.check(); err != nil {
		return err
	}
	c, err := db.writer.get(ctx)
	if err != nil {
		return err
	}
	defer db.writer.put(c)
	_, err = c.c.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	c.noteErr(err)
	return db.dialect.Translate(err)
}
