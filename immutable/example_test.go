package immutable_test

import (
	"fmt"

	"github.com/dext-go/dext/immutable"
)

func Example() {
	var prices immutable.Map[string, int] // the zero value is ready to use
	v1 := prices.Set("apple", 3).Set("pear", 4)
	v2 := v1.Set("apple", 5).Delete("pear")

	a, _ := v1.Get("apple")
	b, _ := v2.Get("apple")
	fmt.Println(a, v1.Len(), b, v2.Len()) // v1 is unchanged by the updates that made v2
	// Output: 3 2 5 1
}

func ExampleList() {
	var l immutable.List[string]
	l = l.Append("b").Append("c").Prepend("a")
	for i, v := range l.All() {
		fmt.Println(i, v)
	}
	// Output:
	// 0 a
	// 1 b
	// 2 c
}

func ExampleListBuilder() {
	var b immutable.ListBuilder[int]
	for i := range 5 {
		b.Append(i * i)
	}
	l := b.Build() // b is spent: any further call panics
	fmt.Println(l.Len(), l.At(4))
	// Output: 5 16
}

func ExampleOwn() {
	s := []int{3, 1, 2}
	a := immutable.Own(s) // no copy: s must not be modified again
	fmt.Println(a.Len(), a.At(0), a.Append(4))
	// Output: 3 3 [3 1 2 4]
}

func ExampleMap_All() {
	type point struct{ X, Y int } // struct keys need no hasher
	m := immutable.MapFrom(map[point]string{{1, 2}: "a"})
	for k, v := range m.All() {
		fmt.Println(k.X, k.Y, v)
	}
	// Output: 1 2 a
}

func ExampleSortedMap() {
	var m immutable.SortedMap[int, string] // ordered keys: the zero value works
	m = m.Set(3, "c").Set(1, "a").Set(2, "b")
	for k, v := range m.Backward() {
		fmt.Print(k, v, " ")
	}
	fmt.Println()
	// Output: 3c 2b 1a
}

func ExampleSet_Union() {
	a := immutable.SetOf("go", "rust")
	b := immutable.SetOf("go", "zig")
	fmt.Println(a.Union(b).Len(), a.Intersect(b), a.Difference(b), a.Intersect(b).IsSubset(a))
	// Output: 3 {go} {rust} true
}

func ExampleSortedSet() {
	s := immutable.SortedSetOf(5, 1, 3, 1)
	fmt.Println(s, s.Union(immutable.SortedSetOf(2)))
	// Output: {1 3 5} {1 2 3 5}
}

func ExampleMap_MarshalJSON() {
	m := immutable.MapFrom(map[string]int{"b": 2, "a": 1})
	b, _ := m.MarshalJSON() // names sorted: deterministic output
	fmt.Println(string(b))
	var back immutable.Map[string, int]
	err := back.UnmarshalJSON([]byte(`{"x":1,"x":2}`))
	fmt.Println(err != nil)
	// Output:
	// {"a":1,"b":2}
	// true
}

func ExampleReduce() {
	l := immutable.ListOf(1, 2, 3, 4)
	even := l.Filter(func(v int) bool { return v%2 == 0 })
	fmt.Println(immutable.Reduce(even.Values(), 0, func(sum, v int) int { return sum + v }))
	// Output: 6
}
