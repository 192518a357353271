package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/dext-go/dext/immutable"
)

func init() { steps = append(steps, step{"immutable", tourImmutable}) }

// tourImmutable shows persistent updates (old versions stay valid), a
// builder for bulk construction, set algebra, and deterministic JSON.
func tourImmutable(w io.Writer) error {
	var prices immutable.Map[string, int] // the zero value is ready to use
	v1 := prices.Set("apple", 3).Set("pear", 4)
	v2 := v1.Set("apple", 5).Delete("pear")
	a1, _ := v1.Get("apple")
	a2, _ := v2.Get("apple")
	fmt.Fprintf(w, "map: v1 apple=%d (%d items), v2 apple=%d (%d items)\n", a1, v1.Len(), a2, v2.Len())

	var b immutable.ListBuilder[int] // in place, then handed over
	for i := range 1000 {
		b.Append(i * i)
	}
	squares := b.Build()
	fmt.Fprintf(w, "list: %d squares, last %d; sum of the even ones %d\n", squares.Len(), squares.At(squares.Len()-1),
		immutable.Reduce(squares.Filter(func(v int) bool { return v%2 == 0 }).Values(), 0, func(s, v int) int { return s + v }))

	backend := immutable.SetOf("go", "rust", "zig")
	frontend := immutable.SetOf("ts", "go")
	fmt.Fprintf(w, "sets: both %v, backend only %d, union %d\n",
		backend.Intersect(frontend), backend.Difference(frontend).Len(), backend.Union(frontend).Len())

	out, err := json.Marshal(struct {
		Prices immutable.Map[string, int]  `json:"prices"`
		Tags   immutable.SortedSet[string] `json:"tags"`
		Top    immutable.Array[string]     `json:"top"`
	}{v1, immutable.SortedSetOf("b", "a"), immutable.Of("x")})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "json: %s\n", out)
	return nil
}
