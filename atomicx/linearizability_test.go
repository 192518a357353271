package atomicx_test

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/dext-go/dext/atomicx"
	"github.com/dext-go/dext/nullable"
)

// The linearizability check: many goroutines run random Load, Store, Swap,
// CompareAndSwap and Update operations on one cell, each operation is
// recorded with its arguments, its result and an invocation and response
// timestamp from a shared logical clock, and porcupine searches for a
// sequential order of the operations, consistent with real time, in which
// every result is what a plain int register would have returned. The cells
// are adapted to one int register interface; -1 stands for null.

type regKind uint8

const (
	opLoad regKind = iota
	opStore
	opSwap
	opCAS
	opUpdate
)

type regInput struct {
	kind regKind
	a, b int // Store/Swap: a; CAS: old a, new b; Update: delta a
}

type regOutput struct {
	v  int  // Load, Swap (old), Update (new)
	ok bool // CAS
}

// register is the interface the checked cells are adapted to.
type register interface {
	load() int
	store(x int)
	swap(x int) int
	cas(old, new int) bool
	update(delta int) int
	retries() int64
}

// bump is the Update function every adapter applies and the model mirrors:
// null (-1) becomes delta, x becomes x+delta.
func bump(x, delta int) int {
	if x < 0 {
		return delta
	}
	return x + delta
}

func registerModel(initial int) porcupine.Model {
	return porcupine.Model{
		Init: func() any { return initial },
		Step: func(state, input, output any) (bool, any) {
			s, in, out := state.(int), input.(regInput), output.(regOutput)
			switch in.kind {
			case opLoad:
				return out.v == s, s
			case opStore:
				return true, in.a
			case opSwap:
				return out.v == s, in.a
			case opCAS:
				if s == in.a {
					return out.ok, in.b
				}
				return !out.ok, s
			default: // opUpdate
				n := bump(s, in.a)
				return out.v == n, n
			}
		},
		DescribeOperation: func(input, output any) string {
			in, out := input.(regInput), output.(regOutput)
			switch in.kind {
			case opLoad:
				return fmt.Sprintf("Load() -> %d", out.v)
			case opStore:
				return fmt.Sprintf("Store(%d)", in.a)
			case opSwap:
				return fmt.Sprintf("Swap(%d) -> %d", in.a, out.v)
			case opCAS:
				return fmt.Sprintf("CAS(%d, %d) -> %v", in.a, in.b, out.ok)
			default:
				return fmt.Sprintf("Update(+%d) -> %d", in.a, out.v)
			}
		},
	}
}

// workload shapes the values a history writes.
type workload struct {
	// nulls says whether -1 (null) may be stored.
	nulls bool
	// domain, when positive, draws every stored value from the domain
	// smallest values (-1 first when nulls is set), so that equal values
	// are often stored in different boxes: the case a CompareAndSwap by
	// pointer identity gets wrong. When zero, stored values are mostly
	// unique.
	domain int
}

func (w workload) value(rng *rand.Rand, unique int) int {
	low := 0
	if w.nulls {
		low = -1
	}
	if w.domain > 0 {
		return low + rng.IntN(w.domain)
	}
	switch {
	case w.nulls && rng.IntN(8) == 0:
		return -1
	case rng.IntN(10) == 0:
		return 0 // the zero value, stored in a fresh box
	}
	return unique
}

// recordHistory runs goroutines × opsEach random operations on reg and
// returns the timed history.
func recordHistory(reg register, goroutines, opsEach int, w workload, seed uint64) []porcupine.Operation {
	var clock, ready atomic.Int64
	var wg sync.WaitGroup
	histories := make([][]porcupine.Operation, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(seed, uint64(g)))
			h := make([]porcupine.Operation, 0, opsEach)
			last := 0 // the value this goroutine saw last, for CAS
			// Start together, so that the goroutines really overlap.
			ready.Add(1)
			for ready.Load() < int64(goroutines) {
				runtime.Gosched()
			}
			for i := range opsEach {
				if rng.IntN(16) == 0 {
					runtime.Gosched() // between operations: mix the goroutines up
				}
				fresh := w.value(rng, (g+1)*100_000+i*10)
				var in regInput
				var out regOutput
				call := clock.Add(1)
				switch r := rng.IntN(100); {
				case r < 30:
					in.kind = opLoad
					out.v = reg.load()
					last = out.v
				case r < 45:
					in = regInput{kind: opStore, a: fresh}
					reg.store(fresh)
				case r < 55:
					in = regInput{kind: opSwap, a: fresh}
					out.v = reg.swap(fresh)
					last = out.v
				case r < 75:
					old := last
					if rng.IntN(4) == 0 {
						old = fresh // usually a miss
					}
					in = regInput{kind: opCAS, a: old, b: fresh}
					out.ok = reg.cas(old, fresh)
				default:
					in = regInput{kind: opUpdate, a: 1 + rng.IntN(3)}
					out.v = reg.update(in.a)
					last = out.v
				}
				ret := clock.Add(1)
				h = append(h, porcupine.Operation{ClientId: g, Input: in, Call: call, Output: out, Return: ret})
			}
			histories[g] = h
		})
	}
	wg.Wait()
	var all []porcupine.Operation
	for _, h := range histories {
		all = append(all, h...)
	}
	return all
}

// linearizabilityRounds sizes the check: histories per cell, goroutines and
// operations per goroutine.
func linearizabilityRounds() (rounds, goroutines, opsEach int) {
	if testing.Short() {
		return 4, 8, 200
	}
	return 8, 8, 400
}

func checkLinearizable(t *testing.T, name string, newReg func() register, initial int, nulls bool) {
	t.Helper()
	rounds, goroutines, opsEach := linearizabilityRounds()
	model := registerModel(initial)
	var overlapped, retries int64
	defer func() {
		// The check means something only if operations really overlapped
		// and Update really had to retry.
		if !t.Failed() && (overlapped == 0 || retries == 0) {
			t.Errorf("%s: too little concurrency: %d operations overlapped another, %d Update retries", name, overlapped, retries)
		}
		t.Logf("%s: %d histories of %d operations, %d operations overlapped another, %d Update retries",
			name, rounds, goroutines*opsEach, overlapped, retries)
	}()
	for round := range rounds {
		w := workload{nulls: nulls}
		if round%2 == 1 {
			w.domain = 3
		}
		reg := newReg()
		h := recordHistory(reg, goroutines, opsEach, w, uint64(round))
		retries += reg.retries()
		for _, op := range h {
			if op.Return-op.Call > 1 {
				overlapped++
			}
		}
		switch res := porcupine.CheckOperationsTimeout(model, h, time.Minute); res {
		case porcupine.Ok:
		case porcupine.Illegal:
			// Keep a picture of the failing history: go test -artifacts.
			_, info := porcupine.CheckOperationsVerbose(model, h, time.Minute)
			path := filepath.Join(t.ArtifactDir(), fmt.Sprintf("%s-round%d.html", t.Name()[strings.LastIndex(t.Name(), "/")+1:], round))
			if err := porcupine.VisualizePath(model, info, path); err != nil {
				t.Logf("visualization: %v", err)
			}
			t.Fatalf("%s: round %d: history of %d operations is not linearizable (see %s)", name, round, len(h), path)
		default:
			t.Fatalf("%s: round %d: checker gave up (%s) on %d operations", name, round, res, len(h))
		}
	}
}

func TestLinearizable(t *testing.T) {
	t.Run("Nullable", func(t *testing.T) {
		checkLinearizable(t, "Nullable[int]", func() register { return new(nullableReg) }, -1, true)
	})
	t.Run("Value", func(t *testing.T) {
		checkLinearizable(t, "Value[int]", func() register { return new(valueReg) }, 0, false)
	})
	t.Run("Ref", func(t *testing.T) {
		checkLinearizable(t, "Ref[int]", func() register { return new(refReg) }, 0, false)
	})
	t.Run("RefSnapshot", func(t *testing.T) {
		checkLinearizable(t, "Ref[*snapshot]", func() register { return new(refSnapshotReg) }, 0, false)
	})
}

// TestLinearizabilityCheckRejectsBrokenCells proves that the check above can
// fail: cells whose Update or CompareAndSwap is a load followed by a store
// (not atomic) must produce a history that porcupine rejects.
func TestLinearizabilityCheckRejectsBrokenCells(t *testing.T) {
	tests := []struct {
		name   string
		newReg func() register
	}{
		{"non-atomic Update", func() register { return &brokenUpdateReg{} }},
		{"non-atomic CompareAndSwap", func() register { return &brokenCASReg{} }},
		{"CompareAndSwap by identity, no retry", func() register { return &identityCASReg{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			model := registerModel(-1)
			for round := range 200 {
				w := workload{nulls: true}
				if round%2 == 1 {
					w.domain = 2
				}
				h := recordHistory(tt.newReg(), 8, 100, w, uint64(round))
				if porcupine.CheckOperationsTimeout(model, h, time.Minute) == porcupine.Illegal {
					t.Logf("rejected in round %d", round)
					return // rejected, as it must be
				}
			}
			t.Fatalf("%s: the checker accepted 200 histories of a broken cell", tt.name)
		})
	}
}

// Adapters.

// fstats counts the calls of the functions handed to Update: more calls than
// Updates prove that the retry path ran. slowF yields inside every third
// call, as a slow update function would, so that other goroutines get in
// between the Load and the CompareAndSwap even on one CPU.
type fstats struct{ updates, calls atomic.Int64 }

func (s *fstats) slowF() {
	if s.calls.Add(1)%3 == 0 {
		runtime.Gosched()
	}
}

func (s *fstats) retries() int64 { return s.calls.Load() - s.updates.Load() }

func toNullable(x int) nullable.Value[int] {
	if x < 0 {
		return nullable.Null[int]()
	}
	return nullable.Of(x)
}

func fromNullable(v nullable.Value[int]) int { return v.Or(-1) }

type nullableReg struct {
	fstats
	c atomicx.Nullable[int]
}

func (r *nullableReg) load() int      { return fromNullable(r.c.Load()) }
func (r *nullableReg) store(x int)    { r.c.Store(toNullable(x)) }
func (r *nullableReg) swap(x int) int { return fromNullable(r.c.Swap(toNullable(x))) }
func (r *nullableReg) cas(old, new int) bool {
	return r.c.CompareAndSwap(toNullable(old), toNullable(new))
}

func (r *nullableReg) update(d int) int {
	r.updates.Add(1)
	return fromNullable(r.c.Update(func(v nullable.Value[int]) nullable.Value[int] {
		r.slowF()
		return toNullable(bump(fromNullable(v), d))
	}))
}

type valueReg struct {
	fstats
	c atomicx.Value[int]
}

func (r *valueReg) load() int             { return r.c.Load() }
func (r *valueReg) store(x int)           { r.c.Store(x) }
func (r *valueReg) swap(x int) int        { return r.c.Swap(x) }
func (r *valueReg) cas(old, new int) bool { return r.c.CompareAndSwap(old, new) }
func (r *valueReg) update(d int) int {
	r.updates.Add(1)
	return r.c.Update(func(x int) int { r.slowF(); return bump(x, d) })
}

// refReg checks Ref with CompareAndSwap built from TryUpdate.
type refReg struct {
	fstats
	c atomicx.Ref[int]
}

func (r *refReg) load() int      { return r.c.Load() }
func (r *refReg) store(x int)    { r.c.Store(x) }
func (r *refReg) swap(x int) int { return r.c.Swap(x) }
func (r *refReg) cas(old, new int) bool {
	_, ok := r.c.TryUpdate(func(x int) (int, bool) { return new, x == old })
	return ok
}

func (r *refReg) update(d int) int {
	r.updates.Add(1)
	return r.c.Update(func(x int) int { r.slowF(); return bump(x, d) })
}

// refSnapshotReg checks Ref holding pointers to immutable snapshots, the way
// a registry uses it: a nil snapshot is the register's 0.
type snapshot struct{ n int }

type refSnapshotReg struct {
	fstats
	c atomicx.Ref[*snapshot]
}

func snap(x int) *snapshot { return &snapshot{n: x} }

func (r *refSnapshotReg) load() int {
	if s := r.c.Load(); s != nil {
		return s.n
	}
	return 0
}
func (r *refSnapshotReg) store(x int) { r.c.Store(snap(x)) }
func (r *refSnapshotReg) swap(x int) int {
	if s := r.c.Swap(snap(x)); s != nil {
		return s.n
	}
	return 0
}

func (r *refSnapshotReg) cas(old, new int) bool {
	_, ok := r.c.TryUpdate(func(s *snapshot) (*snapshot, bool) {
		cur := 0
		if s != nil {
			cur = s.n
		}
		return snap(new), cur == old
	})
	return ok
}

func (r *refSnapshotReg) update(d int) int {
	r.updates.Add(1)
	return r.c.Update(func(s *snapshot) *snapshot {
		r.slowF()
		cur := 0
		if s != nil {
			cur = s.n
		}
		return snap(bump(cur, d))
	}).n
}

// brokenUpdateReg is a Nullable whose Update loads, computes and stores
// without checking that nothing changed in between (a lost update).
type brokenUpdateReg struct{ nullableReg }

func (r *brokenUpdateReg) update(d int) int {
	n := bump(fromNullable(r.c.Load()), d)
	runtime.Gosched()
	r.c.Store(toNullable(n))
	return n
}

// brokenCASReg is a Nullable whose CompareAndSwap compares, then stores.
type brokenCASReg struct{ nullableReg }

func (r *brokenCASReg) cas(old, new int) bool {
	if fromNullable(r.c.Load()) != old {
		return false
	}
	runtime.Gosched()
	r.c.Store(toNullable(new))
	return true
}

// identityCASReg is a Nullable whose CompareAndSwap compares the value once
// and then swaps only if the box is the same one it looked at, without
// retrying: it fails spuriously when another goroutine stored an equal value
// in a new box in between.
type identityCASReg struct {
	nullableReg
	p atomic.Pointer[nullable.Value[int]]
}

func (r *identityCASReg) load() int {
	if p := r.p.Load(); p != nil {
		return fromNullable(*p)
	}
	return -1
}

func (r *identityCASReg) store(x int) { v := toNullable(x); r.p.Store(&v) }
func (r *identityCASReg) swap(x int) int {
	v := toNullable(x)
	if p := r.p.Swap(&v); p != nil {
		return fromNullable(*p)
	}
	return -1
}

func (r *identityCASReg) cas(old, new int) bool {
	p := r.p.Load()
	cur := -1
	if p != nil {
		cur = fromNullable(*p)
	}
	if cur != old {
		return false
	}
	runtime.Gosched()
	v := toNullable(new)
	return r.p.CompareAndSwap(p, &v)
}

func (r *identityCASReg) update(d int) int {
	for {
		p := r.p.Load()
		cur := -1
		if p != nil {
			cur = fromNullable(*p)
		}
		v := toNullable(bump(cur, d))
		if r.p.CompareAndSwap(p, &v) {
			return fromNullable(v)
		}
	}
}
