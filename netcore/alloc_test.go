package netcore_test

import (
	"bytes"
	"io"
	"net"
	"runtime"
	"testing"

	"github.com/dext-go/dext/netcore"
)

// helloHandler writes a fixed body: the steady state of serving it must not
// allocate.
var helloHandler = netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
	w.SetHeader("Content-Type", "text/plain")
	_, _ = w.Write(helloBody)
})

var helloBody = []byte("Hello, World!")

// rawClient sends one fixed request and reads one response of known length
// without allocating, so that the process's allocations are the server's.
type rawClient struct {
	c    net.Conn
	req  []byte
	buf  []byte
	size int
}

func newRawClient(tb testing.TB, addr string) *rawClient {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	rc := &rawClient{c: c, req: []byte("GET /hello HTTP/1.1\r\nHost: bench\r\n\r\n"), buf: make([]byte, 4096)}
	// Learn the response size from a first exchange.
	if _, err := c.Write(rc.req); err != nil {
		tb.Fatal(err)
	}
	n := 0
	for {
		m, err := c.Read(rc.buf[n:])
		n += m
		if err != nil {
			tb.Fatal(err)
		}
		if i := bytes.Index(rc.buf[:n], []byte("\r\n\r\n")); i >= 0 && n >= i+4+len(helloBody) {
			break
		}
	}
	rc.size = n
	return rc
}

func (rc *rawClient) do(tb testing.TB) {
	if _, err := rc.c.Write(rc.req); err != nil {
		tb.Fatal(err)
	}
	if _, err := io.ReadFull(rc.c, rc.buf[:rc.size]); err != nil {
		tb.Fatal(err)
	}
}

// TestZeroAllocsPerRequest fails if serving a fixed-body request allocates in
// the steady state (server and raw client share the process; the client does
// not allocate).
func TestZeroAllocsPerRequest(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	s := start(t, helloHandler)
	rc := newRawClient(t, s.Addr().String())
	defer rc.c.Close()
	for range 1000 {
		rc.do(t)
	}
	const n = 5000
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range n {
		rc.do(t)
	}
	runtime.ReadMemStats(&after)
	allocs := float64(after.Mallocs-before.Mallocs) / n
	t.Logf("%.4f allocations per request", allocs)
	// A Date value is formatted once a second and a worker's idle timer may
	// be re-armed: far below one per hundred requests.
	if allocs > 0.01 {
		t.Fatalf("%.4f allocations per request, want 0", allocs)
	}
}

// TestZeroAllocsAcrossGC fails if a garbage collection costs the next
// requests fresh buffers: exchanges parked between requests must survive
// the GCs that other code in the process causes (a sync.Pool alone is
// emptied by every other GC).
func TestZeroAllocsAcrossGC(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	s := start(t, helloHandler)
	rc := newRawClient(t, s.Addr().String())
	defer rc.c.Close()
	for range 1000 {
		rc.do(t)
	}
	const blocks, per = 20, 100
	var mallocs uint64
	var before, after runtime.MemStats
	for range blocks {
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range per {
			rc.do(t)
		}
		runtime.ReadMemStats(&after)
		mallocs += after.Mallocs - before.Mallocs
	}
	allocs := float64(mallocs) / (blocks * per)
	t.Logf("%.4f allocations per request with two GCs every %d requests", allocs, per)
	if allocs > 0.01 {
		t.Fatalf("%.4f allocations per request across GCs, want 0", allocs)
	}
}
