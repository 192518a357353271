package orm

import (
	"context"
	"sync/atomic"
)

// ReadOnly is the read-only context: queries through it run on the pool of
// query_only reader connections, track nothing, and return immutable
// snapshots ([immutable.Array] of entity values). It is safe for concurrent
// use by any number of goroutines; get it from [DB.ReadOnly].
type ReadOnly struct {
	db   *DB
	sess session // no connection: each operation takes a reader
}

// ReadOnly returns the database's read-only context. Every call returns the
// same value; it lives as long as db.
func (db *DB) ReadOnly() *ReadOnly { return &db.ro }

func (r *ReadOnly) session() *session { return &r.sess }

// Snapshot runs fn with a [*Snapshot]: every query through it runs inside
// one read transaction on one reader connection, so all of them see the
// database as it was at the snapshot's first read, whatever writers commit
// meanwhile (SQLite WAL snapshot isolation). The transaction ends when fn
// returns; fn's error is returned. Keep snapshots short: a long one holds
// back WAL checkpoints and keeps a reader connection busy.
func (r *ReadOnly) Snapshot(ctx context.Context, fn func(s *Snapshot) error) error {
	db := r.db
	if err := db.check(); err != nil {
		return err
	}
	c, err := db.readers.get(ctx)
	if err != nil {
		return err
	}
	defer db.readers.put(c)
	if _, err := c.c.ExecContext(ctx, db.dialect.BeginRead()); err != nil {
		c.noteErr(err)
		return db.dialect.Translate(err)
	}
	s := &Snapshot{sess: session{db: db, conn: c}}
	defer func() {
		s.done.Store(true)
		if _, err := c.c.ExecContext(context.Background(), "ROLLBACK"); err != nil {
			c.bad = true
		}
	}()
	return fn(s)
}

// Snapshot is a consistent read view: the queries run through it share one
// read transaction. It is valid only inside the function given to
// [ReadOnly.Snapshot] and belongs to the goroutine running that function
// (run its queries one after another, not in parallel).
type Snapshot struct {
	sess session
	done atomic.Bool
}

func (s *Snapshot) session() *session {
	if s.done.Load() {
		return &session{db: s.sess.db, err: errSnapshotDone}
	}
	return &s.sess
}
