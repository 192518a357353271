// Command quickstart is a short, runnable tour of the Dext for Go modules.
//
//	go run ./examples/quickstart
package main

import (
	"fmt"
	"io"
	"os"
	"slices"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run writes the tour to w. Each module adds a step.
func run(w io.Writer) error {
	slices.SortStableFunc(steps, func(a, b step) int { return rank(a.name) - rank(b.name) })
	for _, step := range steps {
		fmt.Fprintf(w, "== %s\n", step.name)
		if err := step.run(w); err != nil {
			return fmt.Errorf("%s: %w", step.name, err)
		}
	}
	return nil
}

type step struct {
	name string
	run  func(io.Writer) error
}

// steps is the tour; each file adds one, and run sorts them by tourOrder.
var steps []step

// tourOrder is the module map, bottom-up; unknown steps go last.
var tourOrder = []string{"nullable", "immutable", "atomicx", "di", "orm", "netcore"}

func rank(name string) int {
	if i := slices.Index(tourOrder, name); i >= 0 {
		return i
	}
	return len(tourOrder)
}
