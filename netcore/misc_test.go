package netcore_test

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dext-go/dext/netcore"
)

func TestHandlerPanic(t *testing.T) {
	s := start(t, netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		if r.Path() == "/boom" {
			panic("boom")
		}
		_, _ = w.WriteString("fine")
	}))
	got := roundTrip(t, s.Addr().String(), "GET /boom HTTP/1.1\r\nHost: a\r\n\r\nGET /after HTTP/1.1\r\nHost: a\r\n\r\n", false)
	if !strings.HasPrefix(got, "HTTP/1.1 500 ") || strings.Contains(got, "fine") {
		t.Fatalf("got %q", got)
	}
	// The server still serves other connections.
	if got := roundTrip(t, s.Addr().String(), "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false); !strings.HasSuffix(got, "fine") {
		t.Fatalf("after panic: %q", got)
	}
}

func TestRequestContext(t *testing.T) {
	ctxs := make(chan context.Context, 2)
	s := start(t, netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		ctx := r.Context()
		if ctx.Err() != nil {
			w.WriteHeader(500)
		}
		ctxs <- ctx
		if r.Path() == "/wait" {
			<-ctx.Done() // ends when the client goes away
		}
	}))
	c := dial(t, s)
	write(t, c, "GET /quick HTTP/1.1\r\nHost: a\r\n\r\n")
	if _, err := http.ReadResponse(bufio.NewReader(c), nil); err != nil {
		t.Fatal(err)
	}
	select {
	case ctx := <-ctxs:
		<-ctx.Done() // cancelled once the handler returned
	case <-time.After(3 * time.Second):
		t.Fatal("no request")
	}
	write(t, c, "GET /wait HTTP/1.1\r\nHost: a\r\n\r\n")
	ctx := <-ctxs
	c.Close()
	select {
	case <-ctx.Done():
	case <-time.After(3 * time.Second):
		t.Fatal("context not cancelled when the client closed")
	}
}

// flood writes more than the queue bound to a client that never reads.
type flood struct{ err chan error }

func (f *flood) OnOpen(c *netcore.UpgradedConn) {
	chunk := make([]byte, 64<<10)
	for range 1024 {
		if err := c.Write(chunk); err != nil {
			f.err <- err
			return
		}
	}
	f.err <- nil
}
func (f *flood) OnData(c *netcore.UpgradedConn, in []byte) int { return len(in) }
func (f *flood) OnClose(*netcore.UpgradedConn, error)          {}

func TestUpgradedQueueBound(t *testing.T) {
	f := &flood{err: make(chan error, 1)}
	s := start(t, upgrader(f), netcore.WithMaxQueuedOutput(1<<20))
	c := dial(t, s)
	write(t, c, "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: flood\r\n\r\n")
	select {
	case err := <-f.err:
		if !errors.Is(err, netcore.ErrQueueFull) {
			t.Fatalf("Write = %v, want ErrQueueFull", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no error from a flooded connection")
	}
}

// TestSlowHandlerDoesNotStallOthers blocks one connection's handler and
// checks that other connections are served meanwhile, on every event loop.
func TestSlowHandlerDoesNotStallOthers(t *testing.T) {
	release := make(chan struct{})
	s := start(t, netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		if r.Path() == "/block" {
			<-release
		}
		_, _ = w.WriteString(r.Path())
	}), netcore.WithEventLoops(2))
	defer close(release)
	for range 4 {
		c := dial(t, s)
		write(t, c, "GET /block HTTP/1.1\r\nHost: a\r\n\r\n")
	}
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	cl := &http.Client{Transport: tr, Timeout: 3 * time.Second}
	for i := range 10 {
		tr.CloseIdleConnections() // new connections, spread over the loops
		resp, err := cl.Get("http://" + s.Addr().String() + "/free")
		if err != nil {
			t.Fatalf("request %d while handlers block: %v", i, err)
		}
		resp.Body.Close()
	}
}
