package main

import (
	"fmt"
	"io"
	"sync"

	"github.com/dext-go/dext/atomicx"
	"github.com/dext-go/dext/immutable"
	"github.com/dext-go/dext/nullable"
)

func init() { steps = append(steps, step{"atomicx", tourAtomicx}) }

// tourAtomicx shows a registry (a Ref to an immutable map: readers never
// block, writers publish new versions), an atomic nullable, and a lazily
// built singleton.
func tourAtomicx(w io.Writer) error {
	var services atomicx.Ref[immutable.Map[string, int]]
	register := func(name string, port int) {
		services.Update(func(m immutable.Map[string, int]) immutable.Map[string, int] {
			return m.Set(name, port)
		})
	}

	var wg sync.WaitGroup
	for i, name := range []string{"users", "posts", "search"} {
		wg.Go(func() { register(name, 8080+i) })
	}
	wg.Wait()
	before := services.Load() // a snapshot: later updates do not change it
	register("auth", 9000)

	port, _ := services.Load().Get("search")
	fmt.Fprintf(w, "registry: %d services, search on :%d; the snapshot taken before auth still holds %d\n",
		services.Load().Len(), port, before.Len())

	var leader atomicx.Nullable[string]
	won := leader.CompareAndSwap(nullable.Null[string](), nullable.Of("node-a"))
	lost := leader.CompareAndSwap(nullable.Null[string](), nullable.Of("node-b"))
	fmt.Fprintf(w, "leader: %s (node-a won: %v, node-b won: %v)\n", leader.Load().Or("none"), won, lost)

	var config atomicx.Lazy[map[string]string]
	built := 0
	for range 3 {
		if _, err := config.Get(func() (map[string]string, error) {
			built++
			return map[string]string{"env": "dev"}, nil
		}); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "config built %d time(s)\n", built)
	return nil
}
