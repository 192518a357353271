package netcore_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dext-go/dext/netcore"
	"github.com/dext-go/dext/netcore/http1/h1test"
)

// engineServer is one engine shared by every FuzzEngine input of the
// process, with short timeouts so that incomplete input ends quickly.
var engineServer = sync.OnceValues(func() (*netcore.Server, error) {
	engineStarted.Store(true)
	s := netcore.New(netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		n, err := io.Copy(io.Discard, r)
		if err != nil {
			return
		}
		if strings.HasSuffix(r.Path(), "/stream") {
			_, _ = w.WriteString("part;")
			_ = w.Flush()
		}
		w.SetHeader("X-Body", strings.Repeat("b", int(n%7)))
		_, _ = w.WriteString(r.Method())
	}),
		netcore.WithReadHeaderTimeout(300*time.Millisecond),
		netcore.WithBodyReadTimeout(300*time.Millisecond),
		netcore.WithIdleTimeout(300*time.Millisecond),
		netcore.WithMaxBodyBytes(1<<16),
		netcore.WithReadAhead(4<<10))
	return s, s.Start("127.0.0.1:0")
})

var engineStarted atomic.Bool

// FuzzEngine sends arbitrary bytes (in two writes, then a half-close) to a
// running engine: the engine must answer with well-formed HTTP/1.1
// responses and close within its timeouts, never hang or crash, and keep
// serving other connections.
func FuzzEngine(f *testing.F) {
	for i, c := range h1test.Cases {
		if len(c.Raw) <= 4096 {
			// Half-closed, so that seeds replay fast; a few are left open
			// to run into the timeouts.
			f.Add([]byte(c.Raw), uint16(i*13), !c.WantIncomplete || i%4 != 0)
		}
	}
	f.Add([]byte("POST /stream HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"), uint16(40), true)
	f.Fuzz(func(t *testing.T, raw []byte, split uint16, halfClose bool) {
		s, err := engineServer()
		if err != nil {
			t.Fatal(err)
		}
		addr := s.Addr().String()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		cut := int(split) % (len(raw) + 1)
		if _, err := c.Write(raw[:cut]); err != nil {
			return // the server may close on the first part already
		}
		time.Sleep(time.Millisecond)
		_, _ = c.Write(raw[cut:])
		if halfClose {
			_ = c.(*net.TCPConn).CloseWrite()
		}
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		br := bufio.NewReader(c)
		for {
			if _, err := br.Peek(1); err != nil {
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					t.Fatalf("the engine neither answered nor closed within 5 s (input %q)", raw)
				}
				break // closed (or reset after an error answer)
			}
			resp, err := http.ReadResponse(br, &http.Request{Method: "GET"})
			if err != nil {
				t.Fatalf("malformed answer: %v (input %q)", err, raw)
			}
			if _, err := io.Copy(io.Discard, resp.Body); err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					t.Fatalf("answer body hangs (input %q)", raw)
				}
			}
		}
		// The engine still serves.
		probe, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer probe.Close()
		_ = probe.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := io.WriteString(probe, "GET /probe HTTP/1.1\r\nHost: p\r\nConnection: close\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(probe), nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("probe after input %q: %v %v", raw, resp, err)
		}
	})
}

// TestMain stops the shared engine, if FuzzEngine started it, once the
// tests of the package have run.
func TestMain(m *testing.M) {
	code := m.Run()
	if engineStarted.Load() {
		if s, err := engineServer(); err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_ = s.Shutdown(ctx)
			cancel()
		}
	}
	os.Exit(code)
}
