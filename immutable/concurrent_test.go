package immutable

import (
	"sync"
	"testing"
)

// TestCollectionsConcurrentSafe has readers iterate and query shared
// collections while writers derive new versions from the same values. Under
// -race any write to shared structure is reported; the readers also check
// that the shared versions never change.
func TestCollectionsConcurrentSafe(t *testing.T) {
	const n = 300
	var lb ListBuilder[int]
	var mb MapBuilder[int, int]
	for i := range n {
		lb.Append(i)
		mb.Set(i, i)
	}
	list, m := lb.Build(), mb.Build()
	arr := list.ToArray()
	sm := CollectSortedMap(m.All())
	set := CollectSet(list.Values())
	ss := CollectSortedSet(arr.Values())

	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() { // writer: derive versions from the shared values
			l, mm, a, s, st, sst := list, m, arr, sm, set, ss
			for i := range 200 {
				l = list.Append(i).Set(i%n, -1).Prepend(w)
				mm = m.Set(i+n, i).Delete(i % n)
				a = arr.Append(i).Set(i%n, -1)
				s = sm.Set(i+n, i).Delete(i % n)
				st = set.Add(i + n).Delete(i % n).Union(SetOf(-1))
				sst = ss.Add(i + n).Delete(i % n).Intersect(ss)
			}
			if l.Len() != n+2 || mm.Len() != n || a.Len() != n+1 || s.Len() != n || st.Len() != n+1 || sst.Len() != n-1 {
				t.Errorf("writer %d: derived sizes %d %d %d %d %d %d", w, l.Len(), mm.Len(), a.Len(), s.Len(), st.Len(), sst.Len())
			}
		})
		wg.Go(func() { // reader: the shared versions never change
			for range 20 {
				sum := 0
				for i, v := range list.All() {
					if i != v {
						t.Errorf("list[%d] = %d", i, v)
						return
					}
					sum += v
				}
				for k, v := range m.All() {
					if k != v {
						t.Errorf("map[%d] = %d", k, v)
						return
					}
				}
				for i, v := range arr.All() {
					if i != v {
						t.Errorf("array[%d] = %d", i, v)
						return
					}
				}
				prev := -1
				for k, v := range sm.All() {
					if k != v || k <= prev {
						t.Errorf("sorted map: %d=%d after %d", k, v, prev)
						return
					}
					prev = k
				}
				setSum := Reduce(set.All(), 0, func(a, v int) int { return a + v })
				sortedSum := Reduce(ss.Backward(), 0, func(a, v int) int { return a + v })
				if sum != n*(n-1)/2 || setSum != sum || sortedSum != sum || m.Len() != n || arr.Len() != n || sm.Len() != n {
					t.Errorf("shared versions changed: sums %d %d %d, map %d, array %d, sorted map %d", sum, setSum, sortedSum, m.Len(), arr.Len(), sm.Len())
					return
				}
			}
		})
	}
	wg.Wait()
}
