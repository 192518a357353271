package atomicx

import (
	"sync/atomic"

	"github.com/puzpuzpuz/xsync/v3"
)

// Counter is a striped int64 counter for hot paths: many goroutines adding
// to it at the same time touch different cache lines (xsync's Counter), so
// they do not contend the way they do on one atomic.Int64. Reading it sums
// the stripes, so reads cost more than on an atomic.Int64: use Counter where
// writes dominate (request counts, statistics).
//
// Each addition also costs more than an uncontended atomic.Int64 Add (xsync
// picks a stripe through a sync.Pool), so the stripes pay off only when many
// cores add at once: on the 2-core machine of bench/RESULTS.md, one
// atomic.Int64 shared by 2 goroutines was faster.
//
// The zero value is zero and ready to use (the stripes are allocated on
// first use). A Counter must not be copied after first use (`go vet` reports
// copies). It is safe for concurrent use by multiple goroutines.
//
// Add, Inc and Dec are atomic. [Counter.Value] and [Counter.Reset] visit the
// stripes one after another: with no concurrent writers they are exact;
// while writers are active Value returns a sum that includes some of the
// concurrent additions and not others, and Reset may keep some of them.
type Counter struct {
	_ noCopy
	c atomic.Pointer[xsync.Counter] // nil until first use
}

// stripes returns the xsync counter, allocating it on first use. The fast
// path is small enough to inline.
func (c *Counter) stripes() *xsync.Counter {
	if x := c.c.Load(); x != nil {
		return x
	}
	return c.allocate()
}

func (c *Counter) allocate() *xsync.Counter {
	x := xsync.NewCounter()
	if c.c.CompareAndSwap(nil, x) {
		return x
	}
	return c.c.Load()
}

// Add adds delta to the counter.
func (c *Counter) Add(delta int64) { c.stripes().Add(delta) }

// Inc adds one to the counter.
func (c *Counter) Inc() { c.stripes().Add(1) }

// Dec subtracts one from the counter.
func (c *Counter) Dec() { c.stripes().Add(-1) }

// Value returns the sum of every addition so far (see [Counter] for what it
// means while writers are active).
func (c *Counter) Value() int64 {
	x := c.c.Load()
	if x == nil {
		return 0
	}
	return x.Value()
}

// Reset sets the counter to zero (see [Counter] for what it means while
// writers are active).
func (c *Counter) Reset() {
	if x := c.c.Load(); x != nil {
		x.Reset()
	}
}
