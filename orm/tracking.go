package orm

import (
	"cmp"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"unsafe"
)

// Tracking is the unit of work (EF Core's DbContext): it remembers the
// entities it loaded or was given, and [Tracking.SaveChanges] writes what
// changed in one transaction.
//
//   - [Find] loads an entity by key and tracks it; the identity map returns
//     the same pointer for the same key for the Tracking's lifetime.
//   - [Tracking.Add] marks a new entity for insertion, [Tracking.Remove] one
//     for deletion.
//   - Change detection is by snapshot: SaveChanges compares each tracked
//     entity with the copy taken when it was loaded or last saved, and an
//     update writes only the columns that differ.
//   - A model with a version column gets optimistic concurrency: updates and
//     deletes check the version read, and a mismatch is a
//     [*ConcurrencyError] naming the entity.
//
// Queries through a Tracking ([Select], [Raw], [Get], [Search]) are
// no-tracking queries and return immutable snapshots, like [ReadOnly].
//
// A Tracking is NOT safe for concurrent use: it belongs to one goroutine at
// a time (a request, a job). Using it from two goroutines at once panics
// with a message saying so. Create one with [DB.Tracking]; it is cheap.
type Tracking struct {
	db      *DB
	byKey   map[trackKey]*entry
	byPtr   map[unsafe.Pointer]*entry
	entries []*entry // in the order they were attached, for stable writes
	busy    atomic.Bool
}

type trackKey struct {
	t   reflect.Type
	key any
}

type entryState uint8

const (
	stateAdded entryState = iota + 1
	stateUnchanged
	stateDeleted
)

type entry struct {
	m     *model
	obj   any // the *T the caller holds; keeps base alive
	base  unsafe.Pointer
	state entryState
	snap  []any // encoded columns when loaded or last saved
}

// Tracking returns a new, empty unit of work.
func (db *DB) Tracking() *Tracking {
	return &Tracking{db: db, byKey: map[trackKey]*entry{}, byPtr: map[unsafe.Pointer]*entry{}}
}

func (t *Tracking) session() *session { return &t.db.ro.sess }

func (t *Tracking) enter(method string) func() {
	if !t.busy.CompareAndSwap(false, true) {
		panic("orm.Tracking." + method + ": Tracking used by two goroutines at once; it belongs to one goroutine at a time")
	}
	return func() { t.busy.Store(false) }
}

// entityOf checks that e is a non-nil pointer to a model struct.
func entityOf(method string, e any) (*model, unsafe.Pointer, error) {
	rv := reflect.ValueOf(e)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("orm.Tracking.%s: want a non-nil pointer to a model struct, got %T", method, e))
	}
	m, err := modelFor(rv.Elem().Type())
	if err != nil {
		return nil, nil, err
	}
	return m, rv.UnsafePointer(), nil
}

func (t *Tracking) keyOf(m *model, base unsafe.Pointer) (trackKey, error) {
	k, err := m.pk.encode(base, false)
	if b, ok := k.([]byte); ok {
		k = string(b)
	}
	return trackKey{m.typ, k}, err
}

func (m *model) snapshot(base unsafe.Pointer) ([]any, error) {
	snap := make([]any, len(m.fields))
	for i, f := range m.fields {
		v, err := f.encode(base, true)
		if err != nil {
			return nil, fmt.Errorf("orm: %s.%s: %w", m.name, f.goName, err)
		}
		snap[i] = v
	}
	return snap, nil
}

// attach tracks the entity at base as unchanged, or returns the entity
// already tracked under its key (the identity map).
func (t *Tracking) attach(m *model, obj any, base unsafe.Pointer) (any, error) {
	k, err := t.keyOf(m, base)
	if err != nil {
		return nil, err
	}
	if e, ok := t.byKey[k]; ok {
		return e.obj, nil
	}
	snap, err := m.snapshot(base)
	if err != nil {
		return nil, err
	}
	e := &entry{m: m, obj: obj, base: base, state: stateUnchanged, snap: snap}
	t.byKey[k] = e
	t.byPtr[base] = e
	t.entries = append(t.entries, e)
	return obj, nil
}

// Find returns the tracked entity of type T with primary key key, loading
// it if this Tracking has not seen it yet. It returns the same pointer for
// the same key every time; [ErrNotFound] when no row has that key (or the
// entity was removed in this unit of work).
func Find[T any](ctx context.Context, t *Tracking, key any) (*T, error) {
	defer t.enter("Find")()
	m, err := modelOf[T]()
	if err != nil {
		return nil, err
	}
	k, err := normalizeArg(key)
	if err != nil {
		return nil, err
	}
	if b, ok := k.([]byte); ok {
		k = string(b)
	}
	if e, ok := t.byKey[trackKey{m.typ, k}]; ok {
		if e.state == stateDeleted {
			return nil, ErrNotFound
		}
		return e.obj.(*T), nil
	}
	p := new(T)
	if err := first(ctx, t.session(), m, m.getSQL(t.db.dialect), []any{k}, ptrOf(p)); err != nil {
		return nil, err
	}
	obj, err := t.attach(m, p, ptrOf(p))
	if err != nil {
		return nil, err
	}
	return obj.(*T), nil
}

// Track runs q and tracks every entity it returns (already tracked ones
// are returned as the pointer the identity map holds).
func Track[T any](ctx context.Context, t *Tracking, q Query[T]) ([]*T, error) {
	defer t.enter("Track")()
	if q.err != nil {
		return nil, q.err
	}
	s, b, err := q.build(t.db.dialect, kindSelect)
	if err != nil {
		return nil, err
	}
	var out []*T
	for v, err := range stream[T](ctx, t.session(), q.m, q.m.fields, s, b.args) {
		if err != nil {
			return nil, err
		}
		p := new(T)
		*p = v
		obj, err := t.attach(q.m, p, ptrOf(p))
		if err != nil {
			return nil, err
		}
		if e := t.byPtr[ptrOf(obj.(*T))]; e.state == stateDeleted {
			continue
		}
		out = append(out, obj.(*T))
	}
	return out, nil
}

// Add marks the entity e (a pointer to a model struct) for insertion by the
// next SaveChanges. An auto-increment key left at zero is generated by the
// database and stored into e. Adding a tracked entity again does nothing;
// adding one that was removed cancels the removal.
func (t *Tracking) Add(e any) error {
	defer t.enter("Add")()
	m, base, err := entityOf("Add", e)
	if err != nil {
		return err
	}
	if en, ok := t.byPtr[base]; ok {
		if en.state == stateDeleted {
			en.state = stateUnchanged
		}
		return nil
	}
	en := &entry{m: m, obj: e, base: base, state: stateAdded}
	t.byPtr[base] = en
	t.entries = append(t.entries, en)
	return nil
}

// Remove marks the entity e for deletion by the next SaveChanges. Removing
// an entity added since the last SaveChanges just forgets it. An untracked
// entity is deleted by its key (and version, if the model has one).
func (t *Tracking) Remove(e any) error {
	defer t.enter("Remove")()
	m, base, err := entityOf("Remove", e)
	if err != nil {
		return err
	}
	if en, ok := t.byPtr[base]; ok {
		if en.state == stateAdded {
			t.forget(en)
			return nil
		}
		en.state = stateDeleted
		return nil
	}
	k, err := t.keyOf(m, base)
	if err != nil {
		return err
	}
	if en, ok := t.byKey[k]; ok {
		en.state = stateDeleted
		return nil
	}
	snap, err := m.snapshot(base)
	if err != nil {
		return err
	}
	en := &entry{m: m, obj: e, base: base, state: stateDeleted, snap: snap}
	t.byKey[k] = en
	t.byPtr[base] = en
	t.entries = append(t.entries, en)
	return nil
}

func (t *Tracking) forget(en *entry) {
	delete(t.byPtr, en.base)
	if en.state != stateAdded {
		if k, err := t.keyOf(en.m, en.base); err == nil && t.byKey[k] == en {
			delete(t.byKey, k)
		}
		// The key may have been changed in memory: look for it by entry.
		for k, v := range t.byKey {
			if v == en {
				delete(t.byKey, k)
			}
		}
	}
	for i, x := range t.entries {
		if x == en {
			t.entries = append(t.entries[:i], t.entries[i+1:]...)
			break
		}
	}
}

// Detach stops tracking e; SaveChanges will ignore it.
func (t *Tracking) Detach(e any) {
	defer t.enter("Detach")()
	_, base, _ := entityOf("Detach", e)
	if en, ok := t.byPtr[base]; ok {
		t.forget(en)
	}
}

// Len returns the number of tracked entities.
func (t *Tracking) Len() int { return len(t.entries) }

// HasChanges reports whether SaveChanges would write anything.
func (t *Tracking) HasChanges() bool {
	defer t.enter("HasChanges")()
	for _, en := range t.entries {
		if en.state != stateUnchanged {
			return true
		}
		cur, err := en.m.snapshot(en.base)
		if err != nil {
			return true
		}
		for i := range cur {
			if !equalValues(cur[i], en.snap[i]) {
				return true
			}
		}
	}
	return false
}

// pending is one write of a SaveChanges.
type pending struct {
	en      *entry
	cur     []any // current encoding
	changed []int // updated field positions
	genKey  bool  // the key was generated by this save
	verSet  bool  // the version field was set by this save, from oldVer
	oldVer  int64
}

// restore puts back what a failed SaveChanges wrote into p's entity: the
// generated key and the version.
func (p *pending) restore() {
	m, base := p.en.m, p.en.base
	if p.genKey {
		_ = m.pk.decode(base, int64(0))
	}
	if p.verSet {
		_ = m.ver.decode(base, p.oldVer)
	}
}

// SaveChanges writes every change in one write transaction: inserts first
// (referenced tables before the tables that reference them), then updates
// (changed columns only), then deletes (referencing tables first). Generated
// keys and new versions are stored into the entities. If anything fails the
// transaction is rolled back, the entities are left as they were before the
// call, and the error is returned: a [*ConcurrencyError] when a row changed
// or vanished since it was read, a [*ConstraintError] naming the violated
// constraint.
func (t *Tracking) SaveChanges(ctx context.Context) error {
	defer t.enter("SaveChanges")()
	if err := t.db.check(); err != nil {
		return err
	}
	var nIns, nDel int
	for _, en := range t.entries {
		switch en.state {
		case stateAdded:
			nIns++
		case stateDeleted:
			nDel++
		}
	}
	inserts, deletes := make([]pending, 0, nIns), make([]pending, 0, nDel)
	var updates []pending
	for _, en := range t.entries {
		switch en.state {
		case stateAdded:
			inserts = append(inserts, pending{en: en})
		case stateDeleted:
			deletes = append(deletes, pending{en: en})
		case stateUnchanged:
			cur, err := en.m.snapshot(en.base)
			if err != nil {
				return err
			}
			var changed []int
			for i := range cur {
				if !equalValues(cur[i], en.snap[i]) {
					changed = append(changed, i)
				}
			}
			if len(changed) == 0 {
				continue
			}
			if slices.Contains(changed, en.m.pk.pos) {
				return fmt.Errorf("orm: the primary key of a tracked %s changed from %v to %v; remove it and add a new one instead", en.m.name, en.snap[en.m.pk.pos], cur[en.m.pk.pos])
			}
			updates = append(updates, pending{en: en, cur: cur, changed: changed})
		}
	}
	if len(inserts)+len(updates)+len(deletes) == 0 {
		return nil
	}
	if rank := dependencyRank(inserts, updates, deletes); len(rank) > 1 {
		sortStable(inserts, func(p pending) int { return rank[p.en.m] })
		sortStable(deletes, func(p pending) int { return -rank[p.en.m] })
	}

	d := t.db.dialect
	err := t.db.WriteTx(ctx, func(tx *Tx) error {
		w := &txWriter{ctx: ctx, db: t.db, c: tx.sess.conn}
		// The writer connection is ours for the transaction: run the
		// statements on the driver directly, skipping database/sql's
		// per-call locking and argument conversion.
		return w.c.c.Raw(func(dc any) error {
			w.dc = dc
			return t.write(w, d, inserts, updates, deletes)
		})
	})
	if err != nil {
		for i := range inserts {
			inserts[i].restore()
		}
		for i := range updates {
			updates[i].restore()
		}
		return err
	}
	// Committed: the entities' snapshots are now what the database holds.
	if len(inserts) > len(t.byKey) {
		// Grow the identity map once rather than step by step.
		m := make(map[trackKey]*entry, len(t.byKey)+len(inserts))
		maps.Copy(m, t.byKey)
		t.byKey = m
	}
	for _, p := range inserts {
		p.en.state, p.en.snap = stateUnchanged, p.cur
		k := p.cur[p.en.m.pk.pos]
		if b, ok := k.([]byte); ok {
			k = string(b)
		}
		t.byKey[trackKey{p.en.m.typ, k}] = p.en
	}
	for _, p := range updates {
		p.en.snap = p.cur
	}
	for _, p := range deletes {
		t.forget(p.en)
	}
	return nil
}

// write runs SaveChanges' statements inside the write transaction,
// recording in each pending what it stores into its entity.
func (t *Tracking) write(w *txWriter, d Dialect, inserts, updates, deletes []pending) error {
	for i := range inserts {
		p := &inserts[i]
		m, base := p.en.m, p.en.base
		m.stmts(d)
		if m.ver != nil {
			if v, _ := m.ver.encode(base, false); v == int64(0) {
				p.verSet, p.oldVer = true, 0
				_ = m.ver.decode(base, int64(1))
			}
		}
		cur, err := m.snapshot(base)
		if err != nil {
			return err
		}
		generate := m.pk.autoinc && cur[m.pk.pos] == int64(0)
		q, args := m.sqlInsert, cur
		if generate {
			// database/sql does not keep args after Exec: reuse one buffer.
			q = m.sqlInsertG
			w.args = append(append(w.args[:0], cur[:m.pk.pos]...), cur[m.pk.pos+1:]...)
			args = w.args
		}
		res, err := w.exec(q, args)
		if err != nil {
			return err
		}
		if generate {
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			p.genKey = true
			if err := m.pk.decode(base, id); err != nil {
				return err
			}
			cur[m.pk.pos] = id
		}
		p.cur = cur
	}
	for i := range updates {
		p := &updates[i]
		m, base := p.en.m, p.en.base
		var sb strings.Builder
		sb.WriteString("UPDATE " + d.Quote(m.table.Name) + " SET ")
		args := make([]any, 0, len(p.changed)+2)
		for _, pos := range p.changed {
			f := m.fields[pos]
			if f == m.ver {
				continue
			}
			if len(args) > 0 {
				sb.WriteString(", ")
			}
			args = append(args, p.cur[pos])
			sb.WriteString(d.Quote(f.column) + " = " + d.Placeholder(len(args)))
		}
		if m.ver != nil {
			if len(args) > 0 {
				sb.WriteString(", ")
			}
			vc := d.Quote(m.ver.column)
			sb.WriteString(vc + " = " + vc + " + 1")
		}
		args = append(args, p.en.snap[m.pk.pos])
		sb.WriteString(" WHERE " + d.Quote(m.pk.column) + " = " + d.Placeholder(len(args)))
		if m.ver != nil {
			args = append(args, p.en.snap[m.ver.pos])
			sb.WriteString(" AND " + d.Quote(m.ver.column) + " = " + d.Placeholder(len(args)))
		}
		res, err := w.exec(sb.String(), args)
		if err != nil {
			return err
		}
		if err := checkAffected(res, m, p.en.snap[m.pk.pos]); err != nil {
			return err
		}
		if m.ver != nil {
			old, _ := m.ver.encode(base, false)
			p.verSet, p.oldVer = true, old.(int64)
			next := p.en.snap[m.ver.pos].(int64) + 1
			if err := m.ver.decode(base, next); err != nil {
				return err
			}
			p.cur[m.ver.pos] = next
		}
	}
	for _, p := range deletes {
		m := p.en.m.stmts(d)
		args := []any{p.en.snap[m.pk.pos]}
		if m.ver != nil {
			args = append(args, p.en.snap[m.ver.pos])
		}
		res, err := w.exec(m.sqlDelete, args)
		if err != nil {
			return err
		}
		if err := checkAffected(res, m, args[0]); err != nil {
			return err
		}
	}
	return nil
}

func checkAffected(res driver.Result, m *model, key any) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return &ConcurrencyError{Entity: m.name, Table: m.table.Name, Key: key}
	}
	return nil
}

// txWriter runs a SaveChanges' statements on the writer connection's
// driver connection, whose prepared statements are cached across calls.
type txWriter struct {
	ctx  context.Context
	db   *DB
	c    *conn
	dc   any                 // the driver connection, inside c.c.Raw
	args []any               // scratch arguments
	nv   []driver.NamedValue // scratch driver arguments
}

func (w *txWriter) exec(q string, args []any) (driver.Result, error) {
	if n := w.c.nativeFor(w.db, w.dc); n != nil {
		if res, handled, err := n.exec(w.ctx, q, args); handled {
			return res, err
		}
	}
	st, err := w.c.driverStmt(w.ctx, w.dc, q)
	if err != nil {
		return nil, err
	}
	w.nv = w.nv[:0]
	for i, a := range args {
		w.nv = append(w.nv, driver.NamedValue{Ordinal: i + 1, Value: a})
	}
	se, ok := st.(driver.StmtExecContext)
	if !ok {
		return nil, errors.New("orm: the driver's statements lack ExecContext")
	}
	res, err := se.ExecContext(w.ctx, w.nv)
	w.c.noteErr(err)
	return res, err
}

// dependencyRank orders the models of a change set so that a table comes
// after the tables it references (cycles keep their first-seen order).
func dependencyRank(sets ...[]pending) map[*model]int {
	var ms []*model
	var last *model
	seen := map[*model]bool{}
	for _, set := range sets {
		for _, p := range set {
			if p.en.m == last {
				continue
			}
			last = p.en.m
			if !seen[p.en.m] {
				seen[p.en.m] = true
				ms = append(ms, p.en.m)
			}
		}
	}
	byTable := map[string]*model{}
	for _, m := range ms {
		byTable[m.table.Name] = m
	}
	rank := map[*model]int{}
	state := map[*model]int{} // 1 visiting, 2 done
	next := 0
	var visit func(m *model)
	visit = func(m *model) {
		if state[m] != 0 {
			return
		}
		state[m] = 1
		for _, dep := range m.deps {
			if dm, ok := byTable[dep]; ok && dm != m {
				visit(dm)
			}
		}
		state[m] = 2
		rank[m] = next
		next++
	}
	for _, m := range ms {
		visit(m)
	}
	return rank
}

func sortStable(ps []pending, key func(pending) int) {
	slices.SortStableFunc(ps, func(a, b pending) int { return cmp.Compare(key(a), key(b)) })
}
