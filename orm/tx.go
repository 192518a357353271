package orm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

var errTxDone = errors.New("orm: Tx used after its function returned")

// Tx is a write transaction on the writer connection, given to the function
// passed to [DB.WriteTx]. It is also a [Source]: queries through it see the
// transaction's own writes. It belongs to the goroutine running that
// function and is valid only until it returns.
type Tx struct {
	sess session
}

func (tx *Tx) session() *session { return &tx.sess }

// Exec runs a statement inside the transaction, with args bound as
// parameters (statements are prepared once per connection and reused).
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	args, err := normalizeArgs(args)
	if err != nil {
		return nil, err
	}
	return tx.sess.exec(ctx, query, args)
}

// WriteTx runs fn inside one write transaction on the writer connection,
// begun with BEGIN IMMEDIATE: the write lock is taken at the start, so the
// transaction never fails halfway for want of it (it waits up to the busy
// timeout, then fails with [ErrLocked]). It commits if fn returns nil and
// rolls back otherwise (also if fn panics). Write transactions are
// serialised: at most one runs at a time.
func (db *DB) WriteTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	if err := db.check(); err != nil {
		return err
	}
	c, err := db.writer.get(ctx)
	if err != nil {
		return err
	}
	defer db.writer.put(c)
	if _, err := c.c.ExecContext(ctx, db.dialect.BeginWrite()); err != nil {
		c.noteErr(err)
		return db.dialect.Translate(err)
	}
	tx := &Tx{sess: session{db: db, conn: c}}
	committed := false
	defer func() {
		tx.sess.err = errTxDone
		if !committed {
			if _, rerr := c.c.ExecContext(context.Background(), "ROLLBACK"); rerr != nil {
				c.bad = true
			}
		}
	}()
	if err := fn(tx); err != nil {
		return db.dialect.Translate(err)
	}
	if _, err := c.c.ExecContext(context.Background(), "COMMIT"); err != nil {
		c.noteErr(err)
		return fmt.Errorf("orm: commit: %w", db.dialect.Translate(err))
	}
	committed = true
	return nil
}
