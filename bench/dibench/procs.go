package dibench

import "runtime"

// setProcs sets GOMAXPROCS and returns the previous value.
func setProcs(n int) int { return runtime.GOMAXPROCS(n) }
