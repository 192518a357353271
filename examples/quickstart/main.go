// Command quickstart is a short, runnable tour of the Dext for Go modules.
//
//	go run ./examples/quickstart
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run writes the tour to w. Each module adds a step.
func run(w io.Writer) error {
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

// steps is the tour, in the order of the module map (each file adds one).
var steps []step
