package immutable

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// TestIntHashProperties checks the properties the integer hashers promise:
// keys with the same high half never collide, a run of consecutive keys has
// distinct low bits (so it fills trie nodes), and keys of 32 bits or fewer
// never collide at all.
func TestIntHashProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		hi := rapid.Uint64().Draw(t, "hi") &^ (1<<32 - 1)
		a := hi | uint64(rapid.Uint32().Draw(t, "lo a"))
		b := hi | uint64(rapid.Uint32().Draw(t, "lo b"))
		if a != b && intHash(a) == intHash(b) {
			t.Fatalf("intHash(%#x) == intHash(%#x): same high half must not collide", a, b)
		}
		x, y := rapid.Uint32().Draw(t, "x"), rapid.Uint32().Draw(t, "y")
		if x != y && smallHash(x) == smallHash(y) {
			t.Fatalf("smallHash(%#x) == smallHash(%#x)", x, y)
		}
		// A run of 2^k consecutive keys within one high half covers every
		// k-bit hash suffix exactly once.
		k := rapid.IntRange(1, 12).Draw(t, "k")
		start := hi | uint64(rapid.Uint32Range(0, math.MaxUint32-uint32(1)<<k+1).Draw(t, "start"))
		mask := uint32(1)<<k - 1
		seen := make(map[uint32]bool, 1<<k)
		for i := range uint64(1) << k {
			s := intHash(start+i) & mask
			if seen[s] {
				t.Fatalf("run of %d keys from %#x: suffix %#x twice", 1<<k, start, s)
			}
			seen[s] = true
		}
	})
}

// TestIntHashSpreadsHighHalves checks that keys differing only in their high
// half (k<<32) do not pile up on one trie path: they spread over the top
// level like random hashes do.
// The seed is drawn per process, so the check runs under many drawn seeds
// (random hashes leave a top-level slot empty with probability about 2^-40).
func TestIntHashSpreadsHighHalves(t *testing.T) {
	defer func(a, b uint64, h0 uint32) { intA, intB, intHi0 = a, b, h0 }(intA, intB, intHi0)
	rapid.Check(t, func(t *rapid.T) {
		// Seeds are uniform, as maphash's are: rapid's own draws favour
		// small and edge values such as a = 0, which a real seed is with
		// probability 2^-64.
		r := rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "s1"), rapid.Uint64().Draw(t, "s2")))
		intA, intB = r.Uint64(), r.Uint64()
		intHi0 = mix32(uint32(intB >> 32))
		slots := map[uint32]int{}
		for k := range uint64(1024) {
			if k == 0 && intHash(0) != intHi0 {
				t.Fatalf("intHash(0) does not take the high-half-zero path's value")
			}
			slots[intHash(k<<32)&31]++
		}
		if len(slots) < 28 {
			t.Fatalf("1,024 keys k<<32 use %d of 32 top-level slots", len(slots))
		}
	})
}

// intKeyGen draws int keys of the shapes that stress the integer hasher:
// small and negative keys, multiples of 1,024 (which share their low hash
// bits), keys differing only in their high half, and arbitrary ones.
var intKeyGen = rapid.OneOf(
	rapid.IntRange(-40, 40),
	rapid.Map(rapid.IntRange(-8, 8), func(i int) int { return i * 1024 }),
	rapid.Map(rapid.IntRange(-8, 8), func(i int) int { return i<<32 | 7 }),
	rapid.Int(),
)

// TestIntMapModel is the Map model test for int keys, which take the
// integer hasher rather than maphash.
func TestIntMapModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := &history[Map[int, int], map[int]int]{}
		cur, model := Map[int, int]{}, map[int]int{}
		t.Repeat(map[string]func(*rapid.T){
			"Set": func(t *rapid.T) {
				k, v := intKeyGen.Draw(t, "k"), rapid.Int().Draw(t, "v")
				cur = cur.Set(k, v)
				model = maps.Clone(model)
				model[k] = v
			},
			"SetRun": func(t *rapid.T) {
				start, n := intKeyGen.Draw(t, "start"), rapid.IntRange(1, 40).Draw(t, "n")
				model = maps.Clone(model)
				for i := range n {
					cur = cur.Set(start+i, i)
					model[start+i] = i
				}
			},
			"Delete": func(t *rapid.T) {
				k := intKeyGen.Draw(t, "k")
				if len(model) > 0 && rapid.Bool().Draw(t, "existing") {
					k = rapid.SampledFrom(sortedIntKeys(model)).Draw(t, "existing key")
				}
				cur = cur.Delete(k)
				model = maps.Clone(model)
				delete(model, k)
			},
			"Branch": func(t *rapid.T) {
				if len(h.colls) > 0 {
					cur, model = h.pick(t)
				}
			},
			"": func(t *rapid.T) {
				if err := intMapMatches(cur, model); err != nil {
					t.Fatal(err)
				}
				h.add(t, cur, model)
				h.check(t, func(m Map[int, int], want map[int]int) error {
					if got := m.ToMap(); !maps.Equal(got, want) {
						return fmt.Errorf("ToMap() = %v, want %v", got, want)
					}
					return nil
				})
			},
		})
	})
}

// TestSmallIntKeys runs every small integer kind through a full key range,
// where the hasher is a bijection.
func TestSmallIntKeys(t *testing.T) {
	testAllKeys[int8](t, -128, 127)
	testAllKeys[uint8](t, 0, 255)
	testAllKeys[int16](t, -300, 300)
	testAllKeys[uint16](t, 65000, 65535)
	testAllKeys[int32](t, -300, 300)
	testAllKeys[uintptr](t, 0, 300)
	testAllKeys[uint](t, 1<<40, 1<<40+300)
}

func testAllKeys[K int8 | uint8 | int16 | uint16 | int32 | uintptr | uint](t *testing.T, lo, hi K) {
	t.Helper()
	var b MapBuilder[K, int]
	want := 0
	for k := lo; ; k++ {
		b.Set(k, int(k))
		want++
		if k == hi {
			break
		}
	}
	m := b.Build()
	if m.Len() != want {
		t.Fatalf("%T: Len() = %d, want %d", lo, m.Len(), want)
	}
	for k := lo; ; k++ {
		if v, ok := m.Get(k); !ok || v != int(k) {
			t.Fatalf("%T: Get(%v) = %v, %v", lo, k, v, ok)
		}
		if k == hi {
			break
		}
	}
}

func intMapMatches(m Map[int, int], want map[int]int) error {
	if m.Len() != len(want) {
		return fmt.Errorf("Len() = %d, want %d", m.Len(), len(want))
	}
	for k, v := range want {
		if got, ok := m.Get(k); !ok || got != v {
			return fmt.Errorf("Get(%d) = %d, %v, want %d, true", k, got, ok, v)
		}
	}
	for _, absent := range []int{1 << 62, -1 << 40, 12345 * 1024} {
		if _, in := want[absent]; !in && m.Has(absent) {
			return fmt.Errorf("Has(%d) = true for an absent key", absent)
		}
	}
	if got := m.ToMap(); !maps.Equal(got, want) {
		return fmt.Errorf("ToMap() = %v, want %v", got, want)
	}
	got := map[int]int{}
	for it := m.Iterator(); ; {
		k, v, ok := it.Next()
		if !ok {
			break
		}
		got[k] = v
	}
	if !maps.Equal(got, want) {
		return fmt.Errorf("Iterator yielded %v, want %v", got, want)
	}
	return nil
}

func sortedIntKeys(m map[int]int) []int { return slices.Sorted(maps.Keys(m)) }

// TestMapIteratorEdges covers the cursor's exhausted states and checks that
// a pass allocates only the cursor, and ranging over All nothing.
func TestMapIteratorEdges(t *testing.T) {
	var zero MapIterator[int, int]
	if _, _, ok := zero.Next(); ok {
		t.Fatal("zero MapIterator not exhausted")
	}
	emptied := Map[int, int]{}.Set(1, 1).Delete(1)
	it := emptied.Iterator()
	if _, _, ok := it.Next(); ok {
		t.Fatal("iterator of an emptied map not exhausted")
	}
	var b MapBuilder[int, int]
	for i := range 1000 {
		b.Set(i, i)
	}
	m := b.Build()
	var sum int
	allocs := testing.AllocsPerRun(10, func() {
		sum = 0
		for it := m.Iterator(); ; {
			k, _, ok := it.Next()
			if !ok {
				break
			}
			sum += k
		}
	})
	if sum != 999*1000/2 {
		t.Fatalf("iteration summed %d", sum)
	}
	if allocs > 1 {
		t.Fatalf("iterating with a MapIterator allocated %v times, want at most 1", allocs)
	}
	allocs = testing.AllocsPerRun(10, func() {
		sum = 0
		for k := range m.All() {
			sum += k
		}
	})
	if sum != 999*1000/2 || allocs != 0 {
		t.Fatalf("ranging over All summed %d with %v allocations, want 0", sum, allocs)
	}
	it = m.Iterator()
	for range 1000 {
		it.Next()
	}
	for range 2 {
		if _, _, ok := it.Next(); ok {
			t.Fatal("Next after the last entry reported ok")
		}
	}
}
