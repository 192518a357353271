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

	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() { // writer: derive versions from the shared values
			l, mm, a := list, m, arr
			for i := range 200 {
				l = list.Append(i).Set(i%n, -1).Prepend(w)
				mm = m.Set(i+n, i).Delete(i % n)
				a = arr.Append(i).Set(i%n, -1)
			}
			if l.Len() != n+2 || mm.Len() != n || a.Len() != n+1 {
				t.Errorf("writer %d: derived sizes %d %d %d", w, l.Len(), mm.Len(), a.Len())
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
				if sum != n*(n-1)/2 || m.Len() != n || arr.Len() != n {
					t.Errorf("shared versions changed: sum %d, map %d, array %d", sum, m.Len(), arr.Len())
					return
				}
			}
		})
	}
	wg.Wait()
}
