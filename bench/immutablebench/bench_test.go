package immutablebench_test

import (
	"testing"

	"github.com/dext-go/dext/bench/immutablebench"
)

func BenchmarkMapGetString(b *testing.B)         { immutablebench.MapGetString(b) }
func BenchmarkDirectMapGetString(b *testing.B)   { immutablebench.DirectMapGetString(b) }
func BenchmarkBuiltinGetString(b *testing.B)     { immutablebench.BuiltinGetString(b) }
func BenchmarkMapGetInt(b *testing.B)            { immutablebench.MapGetInt(b) }
func BenchmarkDirectMapGetInt(b *testing.B)      { immutablebench.DirectMapGetInt(b) }
func BenchmarkBuiltinGetInt(b *testing.B)        { immutablebench.BuiltinGetInt(b) }
func BenchmarkMapSetString(b *testing.B)         { immutablebench.MapSetString(b) }
func BenchmarkDirectMapSetString(b *testing.B)   { immutablebench.DirectMapSetString(b) }
func BenchmarkMapSetInt(b *testing.B)            { immutablebench.MapSetInt(b) }
func BenchmarkDirectMapSetInt(b *testing.B)      { immutablebench.DirectMapSetInt(b) }
func BenchmarkMapIterate(b *testing.B)           { immutablebench.MapIterate(b) }
func BenchmarkDirectMapIterate(b *testing.B)     { immutablebench.DirectMapIterate(b) }
func BenchmarkBuiltinIterate(b *testing.B)       { immutablebench.BuiltinIterate(b) }
func BenchmarkListGet(b *testing.B)              { immutablebench.ListGet(b) }
func BenchmarkDirectListGet(b *testing.B)        { immutablebench.DirectListGet(b) }
func BenchmarkListSet(b *testing.B)              { immutablebench.ListSet(b) }
func BenchmarkDirectListSet(b *testing.B)        { immutablebench.DirectListSet(b) }
func BenchmarkListAppend(b *testing.B)           { immutablebench.ListAppend(b) }
func BenchmarkDirectListAppend(b *testing.B)     { immutablebench.DirectListAppend(b) }
func BenchmarkListIterate(b *testing.B)          { immutablebench.ListIterate(b) }
func BenchmarkDirectListIterate(b *testing.B)    { immutablebench.DirectListIterate(b) }
func BenchmarkListBuild(b *testing.B)            { immutablebench.ListBuild(b) }
func BenchmarkListChain(b *testing.B)            { immutablebench.ListChain(b) }
func BenchmarkMapBuild(b *testing.B)             { immutablebench.MapBuild(b) }
func BenchmarkMapChain(b *testing.B)             { immutablebench.MapChain(b) }
func BenchmarkSortedMapBuild(b *testing.B)       { immutablebench.SortedMapBuild(b) }
func BenchmarkSortedMapChain(b *testing.B)       { immutablebench.SortedMapChain(b) }
func BenchmarkDirectMapBuild(b *testing.B)       { immutablebench.DirectMapBuild(b) }
func BenchmarkDirectMapChain(b *testing.B)       { immutablebench.DirectMapChain(b) }
func BenchmarkDirectSortedMapBuild(b *testing.B) { immutablebench.DirectSortedMapBuild(b) }
func BenchmarkDirectSortedMapChain(b *testing.B) { immutablebench.DirectSortedMapChain(b) }

func BenchmarkMapGetIntSequential(b *testing.B) { immutablebench.MapGetIntSequential(b) }
func BenchmarkDirectMapGetIntSequential(b *testing.B) {
	immutablebench.DirectMapGetIntSequential(b)
}
func BenchmarkSameHasherMapGetInt(b *testing.B) { immutablebench.SameHasherMapGetInt(b) }
func BenchmarkSameHasherMapSetInt(b *testing.B) { immutablebench.SameHasherMapSetInt(b) }

func BenchmarkMapCursor(b *testing.B)  { immutablebench.MapCursor(b) }
func BenchmarkListCursor(b *testing.B) { immutablebench.ListCursor(b) }

func BenchmarkSmall(b *testing.B) {
	for _, n := range []int{8, 64, 1024} {
		b.Run("ArrayGet", immutablebench.ArrayGetN(n))
		b.Run("ListGet", immutablebench.ListGetN(n))
		b.Run("ArrayIterate", immutablebench.ArrayIterateN(n))
		b.Run("ListIterate", immutablebench.ListIterateN(n))
		b.Run("ArrayAppend", immutablebench.ArrayAppendN(n))
		b.Run("ListAppend", immutablebench.ListAppendN(n))
		b.Run("ArraySet", immutablebench.ArraySetN(n))
		b.Run("ListSet", immutablebench.ListSetN(n))
	}
}
