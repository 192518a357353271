package immutable

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"pgregory.net/rapid"
)

// history keeps every earlier version of a collection together with a copy
// of its model, so a test can check after every step that no update changed
// any earlier version (persistence).
type history[C, M any] struct {
	colls  []C
	models []M
}

func (h *history[C, M]) add(_ *rapid.T, c C, m M) {
	h.colls = append(h.colls, c)
	h.models = append(h.models, m)
}

// pick returns a random earlier version, so updates branch from old versions.
func (h *history[C, M]) pick(t *rapid.T) (C, M) {
	i := rapid.IntRange(0, len(h.colls)-1).Draw(t, "version")
	return h.colls[i], h.models[i]
}

func (h *history[C, M]) check(t *rapid.T, eq func(C, M) error) {
	for i := range h.colls {
		if err := eq(h.colls[i], h.models[i]); err != nil {
			t.Fatalf("version %d of %d: %v", i, len(h.colls), err)
		}
	}
}

// listMatches checks every read of l against the model s.
func listMatches[T comparable](l List[T], s []T) error {
	if l.Len() != len(s) || l.IsEmpty() != (len(s) == 0) {
		return fmt.Errorf("Len() = %d, want %d", l.Len(), len(s))
	}
	for i, v := range s {
		if got := l.At(i); got != v {
			return fmt.Errorf("At(%d) = %v, want %v", i, got, v)
		}
	}
	var got []T
	for i, v := range l.All() {
		if i != len(got) {
			return fmt.Errorf("All yielded index %d at position %d", i, len(got))
		}
		got = append(got, v)
	}
	if !slices.Equal(got, s) {
		return fmt.Errorf("All() = %v, want %v", got, s)
	}
	if got := slices.Collect(l.Values()); !slices.Equal(got, s) && len(s) > 0 {
		return fmt.Errorf("Values() = %v, want %v", got, s)
	}
	var back []T
	next := len(s) - 1
	for i, v := range l.Backward() {
		if i != next {
			return fmt.Errorf("Backward yielded index %d, want %d", i, next)
		}
		next--
		back = append(back, v)
	}
	slices.Reverse(back)
	if !slices.Equal(back, s) {
		return fmt.Errorf("Backward() = %v (reversed), want %v", back, s)
	}
	if got := l.ToSlice(); !slices.Equal(got, s) {
		return fmt.Errorf("ToSlice() = %v, want %v", got, s)
	}
	return nil
}

func arrayMatches[T comparable](a Array[T], s []T) error {
	if a.Len() != len(s) || a.IsEmpty() != (len(s) == 0) {
		return fmt.Errorf("Len() = %d, want %d", a.Len(), len(s))
	}
	for i, v := range s {
		if got := a.At(i); got != v {
			return fmt.Errorf("At(%d) = %v, want %v", i, got, v)
		}
	}
	var got []T
	for i, v := range a.All() {
		if i != len(got) {
			return fmt.Errorf("All yielded index %d at position %d", i, len(got))
		}
		got = append(got, v)
	}
	if !slices.Equal(got, s) {
		return fmt.Errorf("All() = %v, want %v", got, s)
	}
	var back []T
	for _, v := range a.Backward() {
		back = append(back, v)
	}
	slices.Reverse(back)
	if !slices.Equal(back, s) || !slices.Equal(slices.Collect(a.Values()), got) {
		return fmt.Errorf("Backward()/Values() disagree with %v", s)
	}
	if got := a.ToSlice(); !slices.Equal(got, s) {
		return fmt.Errorf("ToSlice() = %v, want %v", got, s)
	}
	return nil
}

func mapMatches[K cmpKey, V comparable](m Map[K, V], want map[K]V, absent K) error {
	if m.Len() != len(want) {
		return fmt.Errorf("Len() = %d, want %d", m.Len(), len(want))
	}
	for k, v := range want {
		if got, ok := m.Get(k); !ok || got != v {
			return fmt.Errorf("Get(%v) = %v, %v, want %v, true", k, got, ok, v)
		}
	}
	if _, in := want[absent]; !in {
		if got, ok := m.Get(absent); ok || m.Has(absent) {
			return fmt.Errorf("Get(%v) = %v, true for an absent key", absent, got)
		}
	}
	if got := m.ToMap(); !maps.Equal(got, want) {
		return fmt.Errorf("ToMap() = %v, want %v", got, want)
	}
	n := 0
	for k, v := range m.All() {
		n++
		if w, ok := want[k]; !ok || w != v {
			return fmt.Errorf("All yielded %v=%v, model has %v, %v", k, v, w, ok)
		}
	}
	if n != len(want) {
		return fmt.Errorf("All yielded %d entries, want %d", n, len(want))
	}
	keys := slices.Collect(m.Keys())
	if len(keys) != len(want) || len(slices.Collect(m.Values())) != len(want) {
		return fmt.Errorf("Keys()/Values() yielded %d entries, want %d", len(keys), len(want))
	}
	return nil
}

type cmpKey interface {
	comparable
	fmt.Stringer
}

// key is a struct key: the default hasher must handle it without help.
type key struct {
	A int8
	B string
}

func (k key) String() string { return fmt.Sprintf("%d/%s", k.A, k.B) }

var keyGen = rapid.Custom(func(t *rapid.T) key {
	return key{A: int8(rapid.IntRange(-3, 3).Draw(t, "a")), B: rapid.SampledFrom([]string{"", "x", "y", "zz"}).Draw(t, "b")}
})

// checkPanics fails unless f panics with a message starting with prefix.
func checkPanics(t interface {
	Helper()
	Fatalf(format string, args ...any)
}, prefix string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("no panic, want one starting with %q", prefix)
		}
		if msg := fmt.Sprint(r); !strings.HasPrefix(msg, prefix) {
			t.Fatalf("panic %q, want prefix %q", msg, prefix)
		}
	}()
	f()
}

func sortedKeys[K cmpKey, V any](m map[K]V) []K {
	ks := slices.Collect(maps.Keys(m))
	slices.SortFunc(ks, func(a, b K) int { return strings.Compare(a.String(), b.String()) })
	return ks
}

// sameElements is the cheap check of earlier versions.
func sameElements[T comparable](l List[T], s []T) error {
	if got := l.ToSlice(); !slices.Equal(got, s) {
		return fmt.Errorf("ToSlice() = %v, want %v", got, s)
	}
	return nil
}
