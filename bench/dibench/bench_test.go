package dibench

import "testing"

func BenchmarkSingletonOurs(b *testing.B)      { SingletonOurs(b) }
func BenchmarkSingletonOursScope(b *testing.B) { SingletonOursScope(b) }
func BenchmarkSingletonHand(b *testing.B)      { SingletonHand(b) }
func BenchmarkSingletonSamber(b *testing.B)    { SingletonSamber(b) }
func BenchmarkSingletonDig(b *testing.B)       { SingletonDig(b) }
func BenchmarkSingletonGolobby(b *testing.B)   { SingletonGolobby(b) }
func BenchmarkScopedOurs(b *testing.B)         { ScopedOurs(b) }
func BenchmarkScopedHand(b *testing.B)         { ScopedHand(b) }
func BenchmarkRequestOurs(b *testing.B)        { RequestOurs(b) }
func BenchmarkRequestOursReflect(b *testing.B) { RequestOursReflect(b) }
func BenchmarkRequestHand(b *testing.B)        { RequestHand(b) }
func BenchmarkRequestSamber(b *testing.B)      { RequestSamber(b) }
func BenchmarkParallelOurs2(b *testing.B)      { parallelism(2, ParallelOurs)(b) }
func BenchmarkParallelOurs1(b *testing.B)      { parallelism(1, ParallelOurs)(b) }
func BenchmarkParallelSamber2(b *testing.B)    { parallelism(2, ParallelSamber)(b) }
func BenchmarkParallelSamber1(b *testing.B)    { parallelism(1, ParallelSamber)(b) }
