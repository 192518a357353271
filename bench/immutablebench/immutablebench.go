// Package immutablebench compares the immutable module with calling
// benbjohnson/immutable directly (the wrapper's overhead), builders with
// chains of persistent updates, Array with List for small sizes, and the
// persistent Map with Go's built-in map.
package immutablebench

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"

	upstream "github.com/benbjohnson/immutable"

	"github.com/dext-go/dext/bench/internal/report"
	"github.com/dext-go/dext/immutable"
)

// Suite is the immutable section of bench/RESULTS.md.
var Suite = report.Suite{
	Name:  "immutable",
	Title: "immutable: wrapper overhead, builders, Array vs List, persistent vs built-in map",
	Notes: `
"direct" is benbjohnson/immutable v0.4.3 called directly with its default
hasher (nil), so wrapper rows include the difference between our seeded
hashing (maphash for strings, a seeded two-multiply hash for integers) and
its unseeded one. Collections hold n = 10,000 entries (keys "key-0"… or
0…) unless a row says otherwise; lookups visit the keys in a fixed random
order, and updates derive one new version from the same base each time.
"same hasher" rows give our Map upstream's own hasher
(immutable.NewMap(upstream.NewHasher(0))) to show the wrapper's cost alone.
The "keys in sequence" row looks keys up in order 0,1,2…, where upstream's
identity hash walks its trie in memory order. "iterate" is one full pass
over all n entries per op, written in a plain function that the b.Loop body
calls, as application code would: the compiler rewrites statements written
directly in a b.Loop body to keep their values alive, which stops the body
of a range-over-func loop from being inlined into the iterator, a cost no
program outside a benchmark pays (every side is measured the same way).
"All" is a range-over-func loop, "Iterator" the cursor API.
The crossover rows sweep n and report the smallest n at
which a persistent List update beats copying an Array. Bodies:
bench/immutablebench; each also runs once in ` + "`make test`" + ` as a Benchmark.`,
	Run: func(r *report.Recorder) {
		overhead := report.Goal{Text: "≤5% overhead", MaxSlowdown: 1.05, MaxAllocs: -1}
		r.Compare("Map[string] Get: wrapper vs direct", overhead, MapGetString, DirectMapGetString)
		r.Compare("Map[int] Get: wrapper vs direct", overhead, MapGetInt, DirectMapGetInt)
		r.Compare("Map[string] Set: wrapper vs direct", overhead, MapSetString, DirectMapSetString)
		r.Compare("Map[int] Set: wrapper vs direct", overhead, MapSetInt, DirectMapSetInt)
		r.Compare("Map[int] Get, same hasher as direct: wrapper vs direct", overhead, SameHasherMapGetInt, DirectMapGetInt)
		r.Compare("Map[int] Set, same hasher as direct: wrapper vs direct", overhead, SameHasherMapSetInt, DirectMapSetInt)
		r.Compare("Map[int] Get, keys in sequence 0,1,2…: wrapper vs direct", report.NoGoal, MapGetIntSequential, DirectMapGetIntSequential)
		r.Compare("Map[int] iterate: wrapper Iterator vs direct Iterator", overhead, MapCursor, DirectMapIterate)
		r.Compare("Map[int] iterate: wrapper All (range-over-func) vs direct Iterator", overhead, MapIterate, DirectMapIterate)
		r.Compare("List At: wrapper vs direct Get", overhead, ListGet, DirectListGet)
		r.Compare("List Set: wrapper vs direct", overhead, ListSet, DirectListSet)
		r.Compare("List Append (n=1,000): wrapper vs direct", overhead, ListAppend, DirectListAppend)
		r.Compare("List iterate: wrapper Iterator vs direct Iterator", overhead, ListCursor, DirectListIterate)
		r.Compare("List iterate: wrapper All (range-over-func) vs direct Iterator", overhead, ListIterate, DirectListIterate)

		tenfold := report.Goal{Text: "≥10× faster", MaxSlowdown: 0.1, MaxAllocs: -1}
		r.Compare("build List of 10,000: ListBuilder vs chained Append", tenfold, ListBuild, ListChain)
		r.Compare("build Map of 10,000: MapBuilder vs chained Set", tenfold, MapBuild, MapChain)
		r.Compare("build SortedMap of 10,000: SortedMapBuilder vs chained Set", tenfold, SortedMapBuild, SortedMapChain)
		r.Compare("build Map of 10,000, upstream alone: its MapBuilder vs its chained Set", report.NoGoal, DirectMapBuild, DirectMapChain)
		r.Compare("build SortedMap of 10,000, upstream alone: its SortedMapBuilder vs its chained Set", report.NoGoal, DirectSortedMapBuild, DirectSortedMapChain)

		faster := report.Goal{Text: "faster", MaxSlowdown: 1, MaxAllocs: -1}
		for _, n := range []int{8, 64} {
			r.Compare(fmt.Sprintf("Get, n=%d: Array vs List", n), faster, ArrayGetN(n), ListGetN(n))
			r.Compare(fmt.Sprintf("iterate, n=%d: Array vs List", n), faster, ArrayIterateN(n), ListIterateN(n))
		}
		crossover(r, "Append", ArrayAppendN, ListAppendN)
		crossover(r, "Set", ArraySetN, ListSetN)
		crossover(r, "Get", ArrayGetN, ListGetN)

		r.Compare("Map[string] Get vs built-in map", report.NoGoal, MapGetString, BuiltinGetString)
		r.Compare("Map[int] Get vs built-in map", report.NoGoal, MapGetInt, BuiltinGetInt)
		r.Compare("Map[int] iterate vs built-in map", report.NoGoal, MapIterate, BuiltinIterate)
	},
}

// sweep is the n of the crossover rows.
var sweep = []int{16, 32, 64, 128, 256, 512, 1024, 2048, 4096}

// crossover measures Array against List for each n of sweep and records the
// smallest n at which List is faster.
func crossover(r *report.Recorder, op string, array, list func(n int) func(*testing.B)) {
	name := fmt.Sprintf("crossover for %s: smallest n where List beats Array (n swept %d…%d)", op, sweep[0], sweep[len(sweep)-1])
	if !r.Want(name) {
		return
	}
	var trail []string
	for _, n := range sweep {
		a, l := report.MeasurePair(3, array(n), list(n))
		trail = append(trail, fmt.Sprintf("%d: %s/%s", n, report.FormatNs(a.NsPerOp), report.FormatNs(l.NsPerOp)))
		if l.NsPerOp < a.NsPerOp {
			r.Add(report.Row{Name: name, Ours: "Array " + a.String(), Peer: "List " + l.String(),
				Ratio: fmt.Sprintf("n = %d (Array/List by n: %s)", n, strings.Join(trail, "; "))})
			return
		}
	}
	r.Add(report.Row{Name: name, Ours: "Array", Peer: "List",
		Ratio: fmt.Sprintf("Array faster at every n (Array/List by n: %s)", strings.Join(trail, "; "))})
}

const n = 10_000

// sinks keep results from being optimised away.
var sinkInt int

type fixture struct {
	order   []int // a fixed random permutation of 0..n-1: the lookup order
	strKeys []string
	sameH   immutable.Map[int, int] // our Map with upstream's default int hasher
	ours    immutable.Map[string, int]
	direct  *upstream.Map[string, int]
	oursI   immutable.Map[int, int]
	directI *upstream.Map[int, int]
	builtin map[string]int
	builtI  map[int]int
	list    immutable.List[int]
	dList   *upstream.List[int]
	small   immutable.List[int] // n = 1,000
	dSmall  *upstream.List[int]
}

var data = sync.OnceValue(func() *fixture {
	f := &fixture{builtin: map[string]int{}, builtI: map[int]int{}}
	f.order = rand.New(rand.NewPCG(1, 2)).Perm(n)
	sb := immutable.NewMapBuilder[int, int](upstream.NewHasher(0))
	var mb immutable.MapBuilder[string, int]
	db := upstream.NewMapBuilder[string, int](nil)
	var mbi immutable.MapBuilder[int, int]
	dbi := upstream.NewMapBuilder[int, int](nil)
	var lb immutable.ListBuilder[int]
	dlb := upstream.NewListBuilder[int]()
	for i := range n {
		k := "key-" + strconv.Itoa(i)
		f.strKeys = append(f.strKeys, k)
		mb.Set(k, i)
		db.Set(k, i)
		mbi.Set(i, i)
		dbi.Set(i, i)
		sb.Set(i, i)
		f.builtin[k] = i
		f.builtI[i] = i
		lb.Append(i)
		dlb.Append(i)
	}
	f.ours, f.direct, f.oursI, f.directI, f.sameH = mb.Build(), db.Map(), mbi.Build(), dbi.Map(), sb.Build()
	f.list, f.dList = lb.Build(), dlb.List()
	f.small, f.dSmall = f.list.Slice(0, 1000), f.dList.Slice(0, 1000)
	return f
})

// MapGetString looks up string keys in our Map.
func MapGetString(b *testing.B) {
	f := data()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		v, _ := f.ours.Get(f.strKeys[f.order[i%n]])
		sinkInt += v
		i++
	}
}

// DirectMapGetString looks up string keys in an upstream Map.
func DirectMapGetString(b *testing.B) {
	f := data()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		v, _ := f.direct.Get(f.strKeys[f.order[i%n]])
		sinkInt += v
		i++
	}
}

// BuiltinGetString looks up string keys in a built-in map.
func BuiltinGetString(b *testing.B) {
	f := data()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkInt += f.builtin[f.strKeys[f.order[i%n]]]
		i++
	}
}

// MapGetInt looks up int keys in our Map.
func MapGetInt(b *testing.B) {
	f := data()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		v, _ := f.oursI.Get(f.order[i%n])
		sinkInt += v
		i++
	}
}

// DirectMapGetInt looks up int keys in an upstream Map.
func DirectMapGetInt(b *testing.B) {
	f := data()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		v, _ := f.directI.Get(f.order[i%n])
		sinkInt += v
		i++
	}
}

// BuiltinGetInt looks up int keys in a built-in map.
func BuiltinGetInt(b *testing.B) {
	f := data()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkInt += f.builtI[f.order[i%n]]
		i++
	}
}

// MapSetString derives a version of our Map with one string key updated.
func MapSetString(b *testing.B) {
	f := data()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkInt += f.ours.Set(f.strKeys[i%n], i).Len()
		i++
	}
}

// DirectMapSetString derives a version of an upstream Map with one string
// key updated.
func DirectMapSetString(b *testing.B) {
	f := data()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkInt += f.direct.Set(f.strKeys[i%n], i).Len()
		i++
	}
}

// MapSetInt derives a version of our Map with one int key updated.
func MapSetInt(b *testing.B) {
	f := data()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkInt += f.oursI.Set(i%n, i).Len()
		i++
	}
}

// DirectMapSetInt derives a version of an upstream Map with one int key
// updated.
func DirectMapSetInt(b *testing.B) {
	f := data()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkInt += f.directI.Set(i%n, i).Len()
		i++
	}
}

// The iteration bodies call a plain function per pass, as application code
// would, rather than writing the loop inside "for b.Loop()": the compiler
// rewrites every statement directly inside a b.Loop body to keep its values
// alive (cmd/compile/internal/bloop), and for a range-over-func loop that
// keeps the loop-body closure alive, which stops it being inlined into the
// iterator — a cost no program outside a benchmark pays. Every side gets the
// same treatment.

// MapIterate iterates our Map once.
func MapIterate(b *testing.B) {
	f := data()
	b.ReportAllocs()
	for b.Loop() {
		mapAll(f.oursI)
	}
}

func mapAll(m immutable.Map[int, int]) {
	for k, v := range m.All() {
		sinkInt += k + v
	}
}

// DirectMapIterate iterates an upstream Map once.
func DirectMapIterate(b *testing.B) {
	f := data()
	b.ReportAllocs()
	for b.Loop() {
		directMapIterate(f.directI)
	}
}

func directMapIterate(m *upstream.Map[int, int]) {
	for it := m.Iterator(); !it.Done(); {
		k, v, _ := it.Next()
		sinkInt += k + v
	}
}

// BuiltinIterate iterates a built-in map once.
func BuiltinIterate(b *testing.B) {
	f := data()
	b.ReportAllocs()
	for b.Loop() {
		builtinIterate(f.builtI)
	}
}

func builtinIterate(m map[int]int) {
	for k, v := range m {
		sinkInt += k + v
	}
}

// ListGet reads our List by index.
func ListGet(b *testing.B) {
	f := data()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkInt += f.list.At(f.order[i%n])
		i++
	}
}

// DirectListGet reads an upstream List by index.
func DirectListGet(b *testing.B) {
	f := data()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkInt += f.dList.Get(f.order[i%n])
		i++
	}
}

// ListSet derives a version of our List with one element replaced.
func ListSet(b *testing.B) {
	f := data()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkInt += f.list.Set(i%n, i).Len()
		i++
	}
}

// DirectListSet derives a version of an upstream List with one element
// replaced.
func DirectListSet(b *testing.B) {
	f := data()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkInt += f.dList.Set(i%n, i).Len()
		i++
	}
}

// ListAppend derives a version of our 1,000-element List with one more.
func ListAppend(b *testing.B) {
	f := data()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkInt += f.small.Append(i).Len()
		i++
	}
}

// DirectListAppend derives a version of an upstream 1,000-element List with
// one more.
func DirectListAppend(b *testing.B) {
	f := data()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkInt += f.dSmall.Append(i).Len()
		i++
	}
}

// ListIterate iterates our List once.
func ListIterate(b *testing.B) {
	f := data()
	b.ReportAllocs()
	for b.Loop() {
		listAll(f.list)
	}
}

func listAll(l immutable.List[int]) {
	for _, v := range l.All() {
		sinkInt += v
	}
}

// DirectListIterate iterates an upstream List once.
func DirectListIterate(b *testing.B) {
	f := data()
	b.ReportAllocs()
	for b.Loop() {
		directListIterate(f.dList)
	}
}

func directListIterate(l *upstream.List[int]) {
	for it := l.Iterator(); !it.Done(); {
		_, v := it.Next()
		sinkInt += v
	}
}

// ListBuild builds a 10,000-element List with a ListBuilder.
func ListBuild(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var lb immutable.ListBuilder[int]
		for i := range n {
			lb.Append(i)
		}
		sinkInt += lb.Build().Len()
	}
}

// ListChain builds a 10,000-element List by chained persistent Appends.
func ListChain(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var l immutable.List[int]
		for i := range n {
			l = l.Append(i)
		}
		sinkInt += l.Len()
	}
}

// MapBuild builds a 10,000-entry Map with a MapBuilder.
func MapBuild(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var mb immutable.MapBuilder[int, int]
		for i := range n {
			mb.Set(i, i)
		}
		sinkInt += mb.Build().Len()
	}
}

// MapChain builds a 10,000-entry Map by chained persistent Sets.
func MapChain(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var m immutable.Map[int, int]
		for i := range n {
			m = m.Set(i, i)
		}
		sinkInt += m.Len()
	}
}

// SortedMapBuild builds a 10,000-entry SortedMap with a builder.
func SortedMapBuild(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var mb immutable.SortedMapBuilder[int, int]
		for i := range n {
			mb.Set(i, i)
		}
		sinkInt += mb.Build().Len()
	}
}

// SortedMapChain builds a 10,000-entry SortedMap by chained persistent Sets.
func SortedMapChain(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var m immutable.SortedMap[int, int]
		for i := range n {
			m = m.Set(i, i)
		}
		sinkInt += m.Len()
	}
}

// DirectMapBuild builds a 10,000-entry upstream Map with its MapBuilder and
// default hasher: the floor our MapBuilder wraps.
func DirectMapBuild(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		mb := upstream.NewMapBuilder[int, int](nil)
		for i := range n {
			mb.Set(i, i)
		}
		sinkInt += mb.Map().Len()
	}
}

// DirectMapChain builds a 10,000-entry upstream Map by chained persistent
// Sets.
func DirectMapChain(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		m := upstream.NewMap[int, int](nil)
		for i := range n {
			m = m.Set(i, i)
		}
		sinkInt += m.Len()
	}
}

// DirectSortedMapBuild builds a 10,000-entry upstream SortedMap with its
// builder and default comparer.
func DirectSortedMapBuild(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		mb := upstream.NewSortedMapBuilder[int, int](nil)
		for i := range n {
			mb.Set(i, i)
		}
		sinkInt += mb.Map().Len()
	}
}

// DirectSortedMapChain builds a 10,000-entry upstream SortedMap by chained
// persistent Sets.
func DirectSortedMapChain(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		m := upstream.NewSortedMap[int, int](nil)
		for i := range n {
			m = m.Set(i, i)
		}
		sinkInt += m.Len()
	}
}

func arrayOf(size int) immutable.Array[int] {
	s := make([]int, size)
	for i := range s {
		s[i] = i
	}
	return immutable.Own(s)
}

func listOf(size int) immutable.List[int] { return arrayOf(size).ToList() }

// ArrayGetN returns a body reading an Array of size elements by index.
func ArrayGetN(size int) func(*testing.B) {
	return func(b *testing.B) {
		a := arrayOf(size)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sinkInt += a.At(i % size)
			i++
		}
	}
}

// ListGetN returns a body reading a List of size elements by index.
func ListGetN(size int) func(*testing.B) {
	return func(b *testing.B) {
		l := listOf(size)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sinkInt += l.At(i % size)
			i++
		}
	}
}

// ArrayIterateN returns a body iterating an Array of size elements.
func ArrayIterateN(size int) func(*testing.B) {
	return func(b *testing.B) { arrayIterate(b, arrayOf(size)) }
}

// arrayIterate is a plain function (not a closure) so the iterator inlines
// into the loop and nothing escapes.
func arrayIterate(b *testing.B, a immutable.Array[int]) {
	b.ReportAllocs()
	for b.Loop() {
		for _, v := range a.All() {
			sinkInt += v
		}
	}
}

// ListIterateN returns a body iterating a List of size elements.
func ListIterateN(size int) func(*testing.B) {
	return func(b *testing.B) { listIterate(b, listOf(size)) }
}

func listIterate(b *testing.B, l immutable.List[int]) {
	b.ReportAllocs()
	for b.Loop() {
		for _, v := range l.All() {
			sinkInt += v
		}
	}
}

// ArrayAppendN returns a body deriving an Array of size+1 from one of size.
func ArrayAppendN(size int) func(*testing.B) {
	return func(b *testing.B) {
		a := arrayOf(size)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sinkInt += a.Append(i).Len()
			i++
		}
	}
}

// ListAppendN returns a body deriving a List of size+1 from one of size.
func ListAppendN(size int) func(*testing.B) {
	return func(b *testing.B) {
		l := listOf(size)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sinkInt += l.Append(i).Len()
			i++
		}
	}
}

// ArraySetN returns a body deriving an Array with one element replaced.
func ArraySetN(size int) func(*testing.B) {
	return func(b *testing.B) {
		a := arrayOf(size)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sinkInt += a.Set(i%size, i).Len()
			i++
		}
	}
}

// ListSetN returns a body deriving a List with one element replaced.
func ListSetN(size int) func(*testing.B) {
	return func(b *testing.B) {
		l := listOf(size)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sinkInt += l.Set(i%size, i).Len()
			i++
		}
	}
}

// MapGetIntSequential looks up int keys 0, 1, 2, … in our Map.
func MapGetIntSequential(b *testing.B) {
	f := data()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		v, _ := f.oursI.Get(i % n)
		sinkInt += v
		i++
	}
}

// DirectMapGetIntSequential looks up int keys 0, 1, 2, … in an upstream Map.
func DirectMapGetIntSequential(b *testing.B) {
	f := data()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		v, _ := f.directI.Get(i % n)
		sinkInt += v
		i++
	}
}

// SameHasherMapGetInt looks up int keys in our Map built with upstream's
// default int hasher: the wrapper's own cost, hashing aside.
func SameHasherMapGetInt(b *testing.B) {
	f := data()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		v, _ := f.sameH.Get(f.order[i%n])
		sinkInt += v
		i++
	}
}

// SameHasherMapSetInt derives a version of our Map (upstream's int hasher)
// with one key updated.
func SameHasherMapSetInt(b *testing.B) {
	f := data()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkInt += f.sameH.Set(i%n, i).Len()
		i++
	}
}

// MapCursor iterates our Map once with its Iterator.
func MapCursor(b *testing.B) {
	f := data()
	b.ReportAllocs()
	for b.Loop() {
		mapCursor(f.oursI)
	}
}

func mapCursor(m immutable.Map[int, int]) {
	for it := m.Iterator(); ; {
		k, v, ok := it.Next()
		if !ok {
			return
		}
		sinkInt += k + v
	}
}

// ListCursor iterates our List once with its Iterator.
func ListCursor(b *testing.B) {
	f := data()
	b.ReportAllocs()
	for b.Loop() {
		listCursor(f.list)
	}
}

func listCursor(l immutable.List[int]) {
	for it := l.Iterator(); ; {
		_, v, ok := it.Next()
		if !ok {
			return
		}
		sinkInt += v
	}
}
