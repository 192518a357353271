package atomicx_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/dext-go/dext/atomicx"
	"github.com/dext-go/dext/nullable"
)

func ExampleLazy() {
	type config struct{ port int }
	var cfg atomicx.Lazy[*config]

	attempts := 0
	load := func() (*config, error) {
		attempts++
		if attempts == 1 {
			return nil, errors.New("config server unavailable")
		}
		return &config{port: 8080}, nil
	}

	if _, err := cfg.Get(load); err != nil {
		fmt.Println("first try:", err)
	}
	c, _ := cfg.Get(load) // a failed attempt is retried
	again, _ := cfg.Get(load)
	fmt.Println("port:", c.port, "same value:", c == again, "attempts:", attempts)
	// Output:
	// first try: config server unavailable
	// port: 8080 same value: true attempts: 2
}

func ExampleNullable() {
	var leader atomicx.Nullable[string] // the zero value is null

	fmt.Println("leader:", leader.Load().Or("(none)"))

	// Claim leadership only if nobody holds it.
	fmt.Println("a claims:", leader.CompareAndSwap(nullable.Null[string](), nullable.Of("a")))
	fmt.Println("b claims:", leader.CompareAndSwap(nullable.Null[string](), nullable.Of("b")))

	// Step down: back to null, and learn who held it.
	old := leader.Swap(nullable.Null[string]())
	fmt.Println("stepped down:", old.Or("(none)"), "now null:", leader.Load().IsNull())
	// Output:
	// leader: (none)
	// a claims: true
	// b claims: false
	// stepped down: a now null: true
}

func ExampleNullable_Update() {
	var best atomicx.Nullable[int]
	record := func(score int) {
		best.Update(func(cur nullable.Value[int]) nullable.Value[int] {
			if b, ok := cur.Get(); ok && b >= score {
				return cur // unchanged: nothing is written
			}
			return nullable.Of(score)
		})
	}
	for _, s := range []int{40, 75, 60} {
		record(s)
	}
	fmt.Println(best.Load().Get())
	// Output: 75 true
}

func ExampleValue() {
	type state int
	const (
		idle state = iota
		running
		stopped
	)
	var s atomicx.Value[state] // the zero value holds idle

	fmt.Println("start:", s.CompareAndSwap(idle, running))
	fmt.Println("start again:", s.CompareAndSwap(idle, running))
	fmt.Println("stop, was running:", s.Swap(stopped) == running)
	// Output:
	// start: true
	// start again: false
	// stop, was running: true
}

func ExampleRef() {
	// A registry: readers load a snapshot without locks; writers publish a
	// new copy. The snapshot is never modified after it is published.
	var routes atomicx.Ref[map[string]string]
	register := func(path, handler string) {
		routes.Update(func(old map[string]string) map[string]string {
			next := make(map[string]string, len(old)+1)
			maps.Copy(next, old)
			next[path] = handler
			return next
		})
	}
	register("/users", "listUsers")
	snapshot := routes.Load()
	register("/posts", "listPosts")

	fmt.Println(len(snapshot), len(routes.Load()), routes.Load()["/posts"])
	// Output: 1 2 listPosts
}

func ExampleRef_TryUpdate() {
	var names atomicx.Ref[[]string]
	add := func(name string) bool {
		_, added := names.TryUpdate(func(old []string) ([]string, bool) {
			if slices.Contains(old, name) {
				return nil, false // already there: leave the snapshot alone
			}
			return append(slices.Clip(old), name), true
		})
		return added
	}
	fmt.Println(add("ada"), add("bob"), add("ada"), names.Load())
	// Output: true true false [ada bob]
}

func ExampleCounter() {
	var requests atomicx.Counter
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 1000 {
				requests.Inc()
			}
		})
	}
	wg.Wait()
	fmt.Println(requests.Value())
	// Output: 4000
}
