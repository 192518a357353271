package atomicxbench_test

import (
	"testing"

	"github.com/dext-go/dext/bench/atomicxbench"
)

func BenchmarkNullableMostlyLoad(b *testing.B)    { atomicxbench.NullableMostlyLoad(b) }
func BenchmarkRWMutexMostlyLoad(b *testing.B)     { atomicxbench.RWMutexMostlyLoad(b) }
func BenchmarkNoCellMostlyLoad(b *testing.B)      { atomicxbench.NoCellMostlyLoad(b) }
func BenchmarkAtomicInt64MostlyLoad(b *testing.B) { atomicxbench.AtomicInt64MostlyLoad(b) }
func BenchmarkNullableLoad(b *testing.B)          { atomicxbench.NullableLoad(b) }
func BenchmarkRWMutexLoad(b *testing.B)           { atomicxbench.RWMutexLoad(b) }
func BenchmarkCounterInc(b *testing.B)            { atomicxbench.CounterInc(b) }
func BenchmarkAtomicInt64Inc(b *testing.B)        { atomicxbench.AtomicInt64Inc(b) }
func BenchmarkLazyGet(b *testing.B)               { atomicxbench.LazyGet(b) }
func BenchmarkOnceGet(b *testing.B)               { atomicxbench.OnceGet(b) }
