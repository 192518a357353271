package di_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/dext-go/dext/di"
)

// inst is one constructed instance in the property tests.
type inst struct {
	typ    int
	serial int
	args   []*inst
	w      *world
}

func (in *inst) close() error {
	in.w.closed = append(in.w.closed, in)
	return nil
}

// Six distinct service types, each a pointer to a struct that holds an *inst
// and has a Close method.
type (
	P0 struct{ I *inst }
	P1 struct{ I *inst }
	P2 struct{ I *inst }
	P3 struct{ I *inst }
	P4 struct{ I *inst }
	P5 struct{ I *inst }
)

func (p *P0) Close() error { return p.I.close() }
func (p *P1) Close() error { return p.I.close() }
func (p *P2) Close() error { return p.I.close() }
func (p *P3) Close() error { return p.I.close() }
func (p *P4) Close() error { return p.I.close() }
func (p *P5) Close() error { return p.I.close() }

var propTypes = []reflect.Type{
	reflect.TypeFor[*P0](), reflect.TypeFor[*P1](), reflect.TypeFor[*P2](),
	reflect.TypeFor[*P3](), reflect.TypeFor[*P4](), reflect.TypeFor[*P5](),
}

func resolveAs[T interface{ inner() *inst }](r di.Resolver) (*inst, error) {
	v, err := di.Resolve[T](r)
	if err != nil {
		return nil, err
	}
	return v.inner(), nil
}

func (p *P0) inner() *inst { return p.I }
func (p *P1) inner() *inst { return p.I }
func (p *P2) inner() *inst { return p.I }
func (p *P3) inner() *inst { return p.I }
func (p *P4) inner() *inst { return p.I }
func (p *P5) inner() *inst { return p.I }

var propResolve = []func(di.Resolver) (*inst, error){
	resolveAs[*P0], resolveAs[*P1], resolveAs[*P2], resolveAs[*P3], resolveAs[*P4], resolveAs[*P5],
}

// world is the model: which types are registered, with which lifetime and
// dependencies, and the log of what was created and closed.
type world struct {
	registered []bool
	lifetime   []di.Lifetime
	deps       [][]int
	created    []*inst
	closed     []*inst
	serial     int
}

func genWorld(t *rapid.T) *world {
	n := len(propTypes)
	w := &world{registered: make([]bool, n), lifetime: make([]di.Lifetime, n), deps: make([][]int, n)}
	for i := range n {
		w.registered[i] = rapid.Float64Range(0, 1).Draw(t, fmt.Sprintf("reg%d", i)) < 0.85
		w.lifetime[i] = rapid.SampledFrom([]di.Lifetime{di.Singleton, di.Scoped, di.Transient}).Draw(t, fmt.Sprintf("life%d", i))
		w.deps[i] = rapid.SliceOfNDistinct(rapid.IntRange(0, n-1), 0, 3, rapid.ID[int]).Draw(t, fmt.Sprintf("deps%d", i))
	}
	return w
}

// genValidWorld draws a world that builds: dependencies only on
// lower-numbered types (acyclic), all registered (complete), and every
// singleton that reaches a scoped service through transients made scoped
// itself (captive-free).
func genValidWorld(t *rapid.T) *world {
	w := genWorld(t)
	for i := range w.deps {
		w.registered[i] = true
		w.deps[i] = slices.DeleteFunc(w.deps[i], func(d int) bool { return d >= i })
	}
	for changed := true; changed; {
		changed = false
		for i := range w.deps {
			if w.lifetime[i] == di.Singleton && w.reachesScoped(i, map[int]bool{}) {
				w.lifetime[i] = di.Scoped
				changed = true
			}
		}
	}
	if !w.complete() || w.cyclic() || w.captive() {
		t.Fatalf("genValidWorld drew an invalid world")
	}
	return w
}

// The model's verdicts, computed by plain recursion over the world.

func (w *world) complete() bool {
	for i, ok := range w.registered {
		if !ok {
			continue
		}
		for _, d := range w.deps[i] {
			if !w.registered[d] {
				return false
			}
		}
	}
	return true
}

func (w *world) cyclic() bool {
	state := make([]int, len(w.registered)) // 0 new, 1 on path, 2 done
	var visit func(i int) bool
	visit = func(i int) bool {
		state[i] = 1
		for _, d := range w.deps[i] {
			if !w.registered[d] {
				continue
			}
			if state[d] == 1 || (state[d] == 0 && visit(d)) {
				return true
			}
		}
		state[i] = 2
		return false
	}
	for i, ok := range w.registered {
		if ok && state[i] == 0 && visit(i) {
			return true
		}
	}
	return false
}

// reachesScoped reports whether i depends on a scoped service through
// transients only (i itself excluded).
func (w *world) reachesScoped(i int, seen map[int]bool) bool {
	for _, d := range w.deps[i] {
		if !w.registered[d] || seen[d] {
			continue
		}
		seen[d] = true
		switch w.lifetime[d] {
		case di.Scoped:
			return true
		case di.Transient:
			if w.reachesScoped(d, seen) {
				return true
			}
		}
	}
	return false
}

func (w *world) captive() bool {
	for i, ok := range w.registered {
		if ok && w.lifetime[i] == di.Singleton && w.reachesScoped(i, map[int]bool{}) {
			return true
		}
	}
	return false
}

func (w *world) builder() *di.Builder {
	b := di.NewBuilder()
	for i, ok := range w.registered {
		if !ok {
			continue
		}
		var in []reflect.Type
		for _, d := range w.deps[i] {
			in = append(in, propTypes[d])
		}
		ft := reflect.FuncOf(in, []reflect.Type{propTypes[i], reflect.TypeFor[error]()}, false)
		fn := reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
			w.serial++
			x := &inst{typ: i, serial: w.serial, w: w}
			for _, a := range args {
				x.args = append(x.args, a.Elem().Field(0).Interface().(*inst))
			}
			w.created = append(w.created, x)
			p := reflect.New(propTypes[i].Elem())
			p.Elem().Field(0).Set(reflect.ValueOf(x))
			return []reflect.Value{p, reflect.Zero(reflect.TypeFor[error]())}
		})
		di.Provide(b, fn.Interface(), w.lifetime[i])
	}
	return b
}

func TestPropertyBuildValidates(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t)
		complete, cyclic, captive := w.complete(), w.cyclic(), w.captive()
		c, err := w.builder().Build()
		if want := complete && !cyclic && !captive; (err == nil) != want {
			t.Fatalf("Build error = %v; model: complete=%v cyclic=%v captive=%v", err, complete, cyclic, captive)
		}
		for _, k := range []struct {
			err  error
			want bool
		}{{di.ErrMissingDependency, !complete}, {di.ErrCycle, cyclic}, {di.ErrCaptiveDependency, captive}} {
			if got := errors.Is(err, k.err); got != k.want {
				t.Fatalf("errors.Is(err, %v) = %v, want %v; err = %v", k.err, got, k.want, err)
			}
		}
		if c != nil {
			_ = c.Close(context.Background())
		}
	})
}

func TestPropertyLifetimesAndDisposal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genValidWorld(t)
		c, err := w.builder().Build()
		if err != nil {
			t.Fatalf("Build: %v", err)
		}
		var regs []int
		for i, ok := range w.registered {
			if ok {
				regs = append(regs, i)
			}
		}
		if len(regs) == 0 {
			return
		}
		order := rapid.SliceOfN(rapid.SampledFrom(regs), 1, 12).Draw(t, "order")

		singletons := map[int]*inst{}
		// check verifies that x, just resolved in a scope whose scoped
		// instances are in scoped, has the right dependencies.
		check := func(x *inst, scoped map[int]*inst) {
			for k, a := range x.args {
				d := w.deps[x.typ][k]
				switch w.lifetime[d] {
				case di.Singleton:
					if s, ok := singletons[d]; ok && s != a {
						t.Fatalf("P%d got singleton P%d #%d, want #%d", x.typ, d, a.serial, s.serial)
					}
					singletons[d] = a
				case di.Scoped:
					if s, ok := scoped[d]; ok && s != a {
						t.Fatalf("P%d got scoped P%d #%d, want this scope's #%d", x.typ, d, a.serial, s.serial)
					}
					scoped[d] = a
				}
			}
		}
		// Root: singletons, and transients that do not reach scoped ones.
		for _, i := range order {
			x, err := propResolve[i](c)
			switch {
			case w.lifetime[i] == di.Scoped || (w.lifetime[i] == di.Transient && w.reachesScoped(i, map[int]bool{})):
				if !errors.Is(err, di.ErrScopedFromRoot) {
					t.Fatalf("root Resolve P%d (%v) error = %v, want ErrScopedFromRoot", i, w.lifetime[i], err)
				}
			case err != nil:
				t.Fatalf("root Resolve P%d: %v", i, err)
			default:
				check(x, nil)
				if w.lifetime[i] == di.Singleton {
					if s, ok := singletons[i]; ok && s != x {
						t.Fatalf("singleton P%d resolved as #%d and #%d", i, s.serial, x.serial)
					}
					singletons[i] = x
				}
			}
		}
		rootOwned := slices.Clone(w.created)

		var scopeInstances []map[int]*inst
		for range 2 {
			s := c.NewScope()
			start := len(w.created)
			scoped := map[int]*inst{}
			var lastTransient *inst
			for _, i := range order {
				x, err := propResolve[i](s)
				if err != nil {
					t.Fatalf("scope Resolve P%d: %v", i, err)
				}
				check(x, scoped)
				switch w.lifetime[i] {
				case di.Singleton:
					if sg, ok := singletons[i]; ok && sg != x {
						t.Fatalf("singleton P%d differs in a scope", i)
					}
					singletons[i] = x
				case di.Scoped:
					if sc, ok := scoped[i]; ok && sc != x {
						t.Fatalf("scoped P%d resolved twice in one scope: #%d, #%d", i, sc.serial, x.serial)
					}
					scoped[i] = x
				case di.Transient:
					if x == lastTransient {
						t.Fatalf("transient P%d returned the same instance twice", i)
					}
					lastTransient = x
				}
			}
			for _, other := range scopeInstances {
				for i, x := range scoped {
					if other[i] == x {
						t.Fatalf("scoped P%d #%d shared by two scopes", i, x.serial)
					}
				}
			}
			scopeInstances = append(scopeInstances, scoped)
			// What this scope owns: what it created, minus singletons and
			// the transients created for singletons (the container owns
			// those).
			forRoot := map[*inst]bool{}
			var mark func(x *inst)
			mark = func(x *inst) {
				forRoot[x] = true
				for _, a := range x.args {
					if w.lifetime[a.typ] == di.Transient {
						mark(a)
					}
				}
			}
			for _, x := range w.created[start:] {
				if w.lifetime[x.typ] == di.Singleton {
					mark(x)
				}
			}
			var owned []*inst
			for _, x := range w.created[start:] {
				if forRoot[x] {
					rootOwned = append(rootOwned, x)
				} else {
					owned = append(owned, x)
				}
			}
			w.closed = nil
			if err := s.Close(context.Background()); err != nil {
				t.Fatalf("scope Close: %v", err)
			}
			slices.Reverse(owned)
			if !slices.Equal(w.closed, owned) {
				t.Fatalf("scope disposed %v, want %v (reverse creation order)", serials(w.closed), serials(owned))
			}
		}
		w.closed = nil
		if err := c.Close(context.Background()); err != nil {
			t.Fatalf("container Close: %v", err)
		}
		slices.Reverse(rootOwned)
		if !slices.Equal(w.closed, rootOwned) {
			t.Fatalf("container disposed %v, want %v", serials(w.closed), serials(rootOwned))
		}
	})
}

func serials(xs []*inst) []string {
	var out []string
	for _, x := range xs {
		out = append(out, fmt.Sprintf("P%d#%d", x.typ, x.serial))
	}
	return out
}
