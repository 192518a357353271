package immutable

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

type intSetModel = map[int]bool

func setModelOf(vs []int) intSetModel {
	m := intSetModel{}
	for _, v := range vs {
		m[v] = true
	}
	return m
}

func setMatches(s Set[int], want intSetModel) error {
	if s.Len() != len(want) || s.IsEmpty() != (len(want) == 0) {
		return fmt.Errorf("Len() = %d, want %d", s.Len(), len(want))
	}
	for v := range want {
		if !s.Has(v) {
			return fmt.Errorf("Has(%d) = false", v)
		}
	}
	got := s.ToSlice()
	slices.Sort(got)
	if wantS := slices.Sorted(maps.Keys(want)); !slices.Equal(got, wantS) {
		return fmt.Errorf("ToSlice() = %v, want %v", got, wantS)
	}
	return nil
}

func sortedSetMatches(s SortedSet[int], want intSetModel) error {
	wantS := slices.Sorted(maps.Keys(want))
	if s.Len() != len(want) || s.IsEmpty() != (len(want) == 0) {
		return fmt.Errorf("Len() = %d, want %d", s.Len(), len(want))
	}
	for _, v := range wantS {
		if !s.Has(v) {
			return fmt.Errorf("Has(%d) = false", v)
		}
	}
	if got := s.ToSlice(); !slices.Equal(got, wantS) {
		return fmt.Errorf("ToSlice() = %v, want %v", got, wantS)
	}
	back := slices.Collect(s.Backward())
	slices.Reverse(back)
	if !slices.Equal(back, wantS) && len(wantS) > 0 {
		return fmt.Errorf("Backward() = %v reversed, want %v", back, wantS)
	}
	lo, okLo := s.Min()
	hi, okHi := s.Max()
	if okLo != (len(wantS) > 0) || okHi != okLo || (okLo && (lo != wantS[0] || hi != wantS[len(wantS)-1])) {
		return fmt.Errorf("Min/Max = %d, %d, %v", lo, hi, okLo)
	}
	if len(wantS) > 0 {
		from := wantS[len(wantS)/2]
		if got := slices.Collect(s.From(from)); !slices.Equal(got, wantS[len(wantS)/2:]) {
			return fmt.Errorf("From(%d) = %v", from, got)
		}
	}
	return nil
}

var setElems = rapid.SliceOfN(rapid.IntRange(-40, 40), 0, 60)

// setAlgebra checks Union, Intersect, Difference, IsSubset and Equal of a
// and b against the models ma and mb, and that a and b do not change.
func setAlgebra[S interface {
	Union(S) S
	Intersect(S) S
	Difference(S) S
	IsSubset(S) bool
	Equal(S) bool
}](t *rapid.T, a, b S, ma, mb intSetModel, matches func(S, intSetModel) error) {
	union, inter, diff := maps.Clone(ma), intSetModel{}, intSetModel{}
	maps.Copy(union, mb)
	subset := true
	for v := range ma {
		if mb[v] {
			inter[v] = true
		} else {
			diff[v] = true
			subset = false
		}
	}
	for name, c := range map[string]struct {
		got  S
		want intSetModel
	}{
		"Union": {a.Union(b), union}, "Intersect": {a.Intersect(b), inter}, "Difference": {a.Difference(b), diff},
	} {
		if err := matches(c.got, c.want); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if got := a.IsSubset(b); got != subset {
		t.Fatalf("IsSubset = %v, want %v", got, subset)
	}
	if got, want := a.Equal(b), maps.Equal(ma, mb); got != want {
		t.Fatalf("Equal = %v, want %v", got, want)
	}
	if err := matches(a, ma); err != nil {
		t.Fatalf("operand a changed: %v", err)
	}
	if err := matches(b, mb); err != nil {
		t.Fatalf("operand b changed: %v", err)
	}
}

func TestSetAlgebra(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		va, vb := setElems.Draw(t, "a"), setElems.Draw(t, "b")
		if rapid.Bool().Draw(t, "overlap") {
			vb = append(vb, va[:len(va)/2]...)
		}
		ma, mb := setModelOf(va), setModelOf(vb)
		setAlgebra(t, SetOf(va...), SetOf(vb...), ma, mb, setMatches)
		setAlgebra(t, SortedSetOf(va...), SortedSetOf(vb...), ma, mb, sortedSetMatches)
		// Custom hashers and orders take the general paths.
		ha, hb := NewSet[int](modHasher{}), NewSet[int](modHasher{})
		for _, v := range va {
			ha = ha.Add(v)
		}
		for _, v := range vb {
			hb = hb.Add(v)
		}
		setAlgebra(t, ha, hb, ma, mb, setMatches)
		ca, cb := NewSortedSet(cmpInt), NewSortedSet(cmpInt)
		for _, v := range va {
			ca = ca.Add(v)
		}
		for _, v := range vb {
			cb = cb.Add(v)
		}
		setAlgebra(t, ca, cb, ma, mb, sortedSetMatches)
	})
}

// modHasher is a poor but valid hasher: many collisions.
type modHasher struct{}

func (modHasher) Hash(k int) uint32   { return uint32(k % 7) }
func (modHasher) Equal(a, b int) bool { return a == b }

func cmpInt(a, b int) int { return a - b }

func TestSetModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := &history[Set[int], intSetModel]{}
		cur, model := Set[int]{}, intSetModel{}
		t.Repeat(map[string]func(*rapid.T){
			"Add": func(t *rapid.T) {
				v := rapid.IntRange(-100, 100).Draw(t, "v")
				cur, model = cur.Add(v), maps.Clone(model)
				model[v] = true
			},
			"Delete": func(t *rapid.T) {
				v := rapid.IntRange(-100, 100).Draw(t, "v")
				cur, model = cur.Delete(v), maps.Clone(model)
				delete(model, v)
			},
			"Union": func(t *rapid.T) {
				vs := setElems.Draw(t, "vs")
				cur, model = cur.Union(SetOf(vs...)), maps.Clone(model)
				maps.Copy(model, setModelOf(vs))
			},
			"Difference": func(t *rapid.T) {
				vs := setElems.Draw(t, "vs")
				cur, model = cur.Difference(SetOf(vs...)), maps.Clone(model)
				for _, v := range vs {
					delete(model, v)
				}
			},
			"Filter": func(t *rapid.T) {
				cur, model = cur.Filter(func(v int) bool { return v > 0 }), maps.Clone(model)
				maps.DeleteFunc(model, func(v int, _ bool) bool { return v <= 0 })
			},
			"Branch": func(t *rapid.T) {
				if len(h.colls) > 0 {
					cur, model = h.pick(t)
				}
			},
			"": func(t *rapid.T) {
				h.add(t, cur, model)
				h.check(t, setMatches)
			},
		})
	})
}

func TestSortedSetModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := &history[SortedSet[int], intSetModel]{}
		cur, model := SortedSet[int]{}, intSetModel{}
		t.Repeat(map[string]func(*rapid.T){
			"Add": func(t *rapid.T) {
				v := rapid.IntRange(-100, 100).Draw(t, "v")
				cur, model = cur.Add(v), maps.Clone(model)
				model[v] = true
			},
			"AddMany": func(t *rapid.T) {
				n := rapid.IntRange(1, 70).Draw(t, "n")
				model = maps.Clone(model)
				for i := range n {
					cur = cur.Add(i * 3)
					model[i*3] = true
				}
			},
			"Delete": func(t *rapid.T) {
				v := rapid.IntRange(-100, 100).Draw(t, "v")
				cur, model = cur.Delete(v), maps.Clone(model)
				delete(model, v)
			},
			"Intersect": func(t *rapid.T) {
				vs := setElems.Draw(t, "vs")
				cur = cur.Intersect(SortedSetOf(vs...))
				m := setModelOf(vs)
				model = maps.Clone(model)
				maps.DeleteFunc(model, func(v int, _ bool) bool { return !m[v] })
			},
			"Filter": func(t *rapid.T) {
				cur, model = cur.Filter(func(v int) bool { return v%2 == 0 }), maps.Clone(model)
				maps.DeleteFunc(model, func(v int, _ bool) bool { return v%2 != 0 })
			},
			"Branch": func(t *rapid.T) {
				if len(h.colls) > 0 {
					cur, model = h.pick(t)
				}
			},
			"": func(t *rapid.T) {
				h.add(t, cur, model)
				h.check(t, sortedSetMatches)
			},
		})
	})
}

func TestSetBuilders(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var hb SetBuilder[int]
		var sb SortedSetBuilder[int]
		model := intSetModel{}
		t.Repeat(map[string]func(*rapid.T){
			"Add": func(t *rapid.T) {
				v := rapid.IntRange(-100, 100).Draw(t, "v")
				hb.Add(v)
				sb.Add(v)
				model[v] = true
			},
			"Delete": func(t *rapid.T) {
				v := rapid.IntRange(-100, 100).Draw(t, "v")
				hb.Delete(v)
				sb.Delete(v)
				delete(model, v)
			},
			"Has": func(t *rapid.T) {
				v := rapid.IntRange(-100, 100).Draw(t, "v")
				if hb.Has(v) != model[v] || sb.Has(v) != model[v] {
					t.Fatalf("Has(%d) = %v, %v, want %v", v, hb.Has(v), sb.Has(v), model[v])
				}
			},
			"": func(t *rapid.T) {
				if hb.Len() != len(model) || sb.Len() != len(model) {
					t.Fatalf("Len() = %d, %d, want %d", hb.Len(), sb.Len(), len(model))
				}
			},
		})
		hs, ss := hb.Build(), sb.Build()
		if err := setMatches(hs, model); err != nil {
			t.Fatal(err)
		}
		if err := sortedSetMatches(ss, model); err != nil {
			t.Fatal(err)
		}
		checkPanics(t, "immutable.SetBuilder.Add: builder used after Build", func() { hb.Add(1) })
		checkPanics(t, "immutable.SetBuilder.Build: builder used after Build", func() { hb.Build() })
		checkPanics(t, "immutable.SortedSetBuilder.Has: builder used after Build", func() { sb.Has(1) })
		checkPanics(t, "immutable.SortedSetBuilder.Build: builder used after Build", func() { sb.Build() })
	})
}

func TestSetMisc(t *testing.T) {
	var s Set[string]
	if s.Len() != 0 || s.Has("") || s.Delete("x").Len() != 0 || !s.Equal(Set[string]{}) {
		t.Fatal("zero Set not empty")
	}
	if got := s.Add("a").Add("a"); got.Len() != 1 || got.String() != "{a}" {
		t.Fatalf("Add twice = %v", got)
	}
	if got := SortedSetOf(3, 1, 2, 1).String(); got != "{1 2 3}" {
		t.Fatalf("SortedSetOf = %s", got)
	}
	if got := CollectSet(slices.Values([]int{1, 1, 2})); got.Len() != 2 {
		t.Fatalf("CollectSet = %v", got)
	}
	if got := CollectSortedSet(slices.Values([]string{"b", "a"})).ToSlice(); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("CollectSortedSet = %v", got)
	}
	fold := NewSet[string](foldHasher{}).Add("Go").Add("GO")
	if fold.Len() != 1 || !fold.Union(SetOf("go", "rust")).Has("RUST") {
		t.Fatalf("custom hasher set: %v", fold)
	}
	if got := Reduce(ListOf(1, 2, 3).Values(), 10, func(a, v int) int { return a + v }); got != 16 {
		t.Fatalf("Reduce = %d", got)
	}
	if got := Reduce2(MapFrom(map[string]int{"a": 1, "b": 2}).All(), 0, func(a int, _ string, v int) int { return a + v }); got != 3 {
		t.Fatalf("Reduce2 = %d", got)
	}
}
