package di_test

import (
	"fmt"

	"github.com/dext-go/dext/di"
)

// (Kept in its own file: the output names the registering lines.)
func ExampleContainer_Graph() {
	b := di.NewBuilder()
	di.Instance(b, &Clock{})
	di.Provide(b, func(*Clock) *Store { return &Store{} }, di.Scoped)
	c, _ := b.Build()
	fmt.Print(c.Graph())
	// Output:
	// digraph di {
	// 	rankdir=LR;
	// 	node [shape=box];
	// 	n0 [label="*di_test.Clock\nsingleton", style=solid, tooltip="di/example_graph_test.go:12"];
	// 	n1 [label="*di_test.Store\nscoped", style=dashed, tooltip="di/example_graph_test.go:13"];
	// 	n1 -> n0;
	// }
}
