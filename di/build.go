package di

import (
	"errors"
	"io"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
)

// entry is the runtime side of one registration in one container.
type entry struct {
	reg      *registration
	id       int
	lifetime Lifetime
	slot     int // index of the scoped slot, for Scoped entries
	// disp says whether instances need disposal, when the registered type
	// decides it (a concrete type); for an interface type, each value does.
	disp disposability
	// inst is set for an instance registration: di never disposes what
	// it did not construct.
	inst bool
	// direct is the factory of a factory registration without decorators,
	// which a scoped construction calls as is; otherwise nil.
	direct func(Resolver) (any, error)

	// args is the plan for each constructor parameter.
	args []argPlan
	// deps lists every entry this one's constructor depends on (for
	// validation and Graph).
	deps       []*entry
	decorators []decorator

	// Singleton state. val is nil until the instance exists; it is read
	// without locking.
	val atomic.Pointer[any]
	// mu serialises construction of this singleton: at most one attempt runs.
	mu sync.Mutex
	// owner is the frame constructing this singleton while mu is held, for
	// the wait-for check that turns a cross-goroutine cycle into an error.
	owner atomic.Pointer[frame]
}

// argPlan says how to fill one constructor parameter.
type argPlan struct {
	typ   reflect.Type
	one   *entry   // the registration that wins for typ
	group []*entry // when typ is []E without a registration: every E
	isGrp bool
}

type disposability uint8

const (
	dispDynamic disposability = iota
	dispAlways
	dispNever
)

var (
	closerType    = reflect.TypeFor[io.Closer]()
	ctxCloserType = reflect.TypeFor[ctxCloser]()
)

func disposabilityOf(t reflect.Type) disposability {
	switch {
	case t.Kind() == reflect.Interface:
		return dispDynamic
	case t.Implements(closerType) || t.Implements(ctxCloserType):
		return dispAlways
	default:
		return dispNever
	}
}

// disposable reports whether v, an instance of e's type, needs disposal.
func (e *entry) disposable(v any) bool {
	switch e.disp {
	case dispAlways:
		return v != nil
	case dispNever:
		return false
	default:
		return isDisposable(v)
	}
}

func (e *entry) link() Link {
	return Link{Type: e.reg.typ, Key: e.reg.key, Lifetime: e.lifetime}
}

type keyID struct {
	tid uintptr
	key string
}

// Build validates the registrations and returns an immutable container.
//
// It reports every problem it finds, joined with errors.Join: invalid
// registrations, missing dependencies ([ErrMissingDependency]), cycles
// ([ErrCycle]) and singletons that depend, directly or through transients,
// on scoped services ([ErrCaptiveDependency]). Each is a *[DependencyError]
// naming the chain that leads to it. Dependencies that factories resolve at
// run time are not known here; they are checked when resolved.
func (b *Builder) Build() (*Container, error) {
	c := &Container{
		entries: make([]*entry, len(b.regs)),
		keyed:   make(map[keyID]*entry),
		groups:  make(map[uintptr][]*entry),
	}
	c.root.st = &scopeState{c: c}
	c.root.st.self.st = c.root.st
	winners := make(map[uintptr]*entry)
	for i, r := range b.regs {
		e := &entry{reg: r, id: i, lifetime: r.lifetime, slot: -1, disp: disposabilityOf(r.typ)}
		if r.lifetime == Scoped {
			e.slot = c.nScoped
			c.nScoped++
			c.scoped = append(c.scoped, e)
		}
		e.decorators = b.decorators[r.tid]
		e.inst = r.kind == kindInstance
		if r.kind == kindFactory && len(e.decorators) == 0 {
			e.direct = r.factory
		}
		if r.kind == kindInstance && len(e.decorators) == 0 {
			v := r.instance
			e.val.Store(&v)
		}
		c.entries[i] = e
		if r.keyed {
			c.keyed[keyID{r.tid, r.key}] = e
			continue
		}
		winners[r.tid] = e
		c.groups[r.tid] = append(c.groups[r.tid], e)
	}
	problems := slices.Clone(b.problems)
	for _, e := range c.entries {
		for _, p := range e.reg.params {
			a := argPlan{typ: p.typ}
			switch w := winners[p.tid]; {
			case w != nil:
				a.one = w
				e.deps = append(e.deps, w)
			case p.elem != nil:
				a.isGrp = true
				a.group = c.groups[p.elemTID]
				e.deps = append(e.deps, a.group...)
			default:
				problems = append(problems, &DependencyError{
					Kind:  ErrMissingDependency,
					Chain: []Link{{Type: p.typ}, e.link()},
				})
			}
			e.args = append(e.args, a)
		}
	}
	problems = append(problems, findCycles(c.entries)...)
	problems = append(problems, findCaptives(c.entries)...)
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	c.buildTable(winners)
	c.root.st.table, c.root.st.mult, c.root.st.shift = c.table, c.mult, c.shift
	return c, nil
}

// findCycles reports one cycle per strongly connected component that has
// one (Tarjan's algorithm, then a path inside the component).
func findCycles(entries []*entry) []error {
	n := len(entries)
	index := make([]int, n)
	low := make([]int, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	var problems []error
	next := 0
	var strong func(v int)
	strong = func(v int) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, d := range entries[v].deps {
			w := d.id
			if index[w] < 0 {
				strong(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] != index[v] {
			return
		}
		var comp []int
		for {
			w := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[w] = false
			comp = append(comp, w)
			if w == v {
				break
			}
		}
		if len(comp) == 1 && !slices.Contains(entries[v].deps, entries[v]) {
			return
		}
		problems = append(problems, &DependencyError{Kind: ErrCycle, Chain: cyclePath(entries, comp)})
	}
	for v := range entries {
		if index[v] < 0 {
			strong(v)
		}
	}
	return problems
}

// cyclePath finds a cycle through the smallest entry of a strongly
// connected component, by breadth-first search inside the component, and
// returns it as a chain in which each link depends on the one before it, as
// the error prints it ("A ← B ← A": B depends on A, A depends on B).
func cyclePath(entries []*entry, comp []int) []Link {
	in := make(map[int]bool, len(comp))
	for _, v := range comp {
		in[v] = true
	}
	start := slices.Min(comp)
	// prev[w] = v means v depends on w was reached via v → w.
	prev := map[int]int{}
	queue := []int{start}
	seen := map[int]bool{start: true}
	end := -1
	for len(queue) > 0 && end < 0 {
		v := queue[0]
		queue = queue[1:]
		for _, d := range entries[v].deps {
			w := d.id
			if !in[w] {
				continue
			}
			if w == start {
				end = v
				break
			}
			if !seen[w] {
				seen[w] = true
				prev[w] = v
				queue = append(queue, w)
			}
		}
	}
	// Path start → … → end → start along "depends on" edges. Printed as a
	// chain of dependents: start ← end ← … ← start.
	path := []int{end}
	for v := end; v != start; {
		v = prev[v]
		path = append(path, v)
	}
	// path is end, …, start (reversed dependency order); the chain reads
	// start ← end ← … ← start.
	chain := []Link{entries[start].link()}
	for _, v := range path {
		chain = append(chain, entries[v].link())
	}
	return chain
}

// findCaptives reports, for every singleton, each scoped service it reaches
// through transients only, with the path.
func findCaptives(entries []*entry) []error {
	var problems []error
	for _, s := range entries {
		if s.lifetime != Singleton {
			continue
		}
		seen := make(map[int]bool)
		var walk func(e *entry, path []*entry)
		walk = func(e *entry, path []*entry) {
			for _, d := range e.deps {
				if seen[d.id] {
					continue
				}
				seen[d.id] = true
				switch d.lifetime {
				case Scoped:
					chain := []Link{d.link()}
					for _, p := range slices.Backward(path) {
						chain = append(chain, p.link())
					}
					problems = append(problems, &DependencyError{Kind: ErrCaptiveDependency, Chain: chain})
				case Transient:
					walk(d, append(slices.Clip(path), d))
				}
			}
		}
		walk(s, []*entry{s})
	}
	return problems
}
