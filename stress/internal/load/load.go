// Package load sizes the stress suites: light by default (so `make test`
// stays fast on two cores), heavier when the STRESS environment variable is
// set to a positive multiplier (STRESS=1 means ×10, STRESS=5 means ×50).
package load

import (
	"os"
	"strconv"
)

// Factor is the multiplier applied to every suite's base size.
func Factor() int {
	n, err := strconv.Atoi(os.Getenv("STRESS"))
	if err != nil || n <= 0 {
		return 1
	}
	return 10 * n
}

// Scale returns base multiplied by [Factor].
func Scale(base int) int { return base * Factor() }

// Heavy reports whether STRESS is set.
func Heavy() bool { return Factor() > 1 }
