package netcore_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dext-go/dext/netcore"
)

func dial(t *testing.T, s *netcore.Server) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func write(t *testing.T, c net.Conn, s string) {
	t.Helper()
	if _, err := io.WriteString(c, s); err != nil {
		t.Fatal(err)
	}
}

// readAll reads until the server closes, failing after d.
func readAll(t *testing.T, c net.Conn, d time.Duration) string {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(d))
	b, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("read: %v (got %q)", err, b)
	}
	return string(b)
}

func TestReadHeaderTimeout(t *testing.T) {
	s := start(t, echo, netcore.WithReadHeaderTimeout(100*time.Millisecond))
	c := dial(t, s)
	write(t, c, "GET / HTTP/1.1\r\nHost: a\r\nX-Slow: ")
	t0 := time.Now()
	got := readAll(t, c, 3*time.Second)
	if !strings.HasPrefix(got, "HTTP/1.1 408 ") {
		t.Fatalf("got %q", got)
	}
	if el := time.Since(t0); el > 2*time.Second {
		t.Fatalf("408 after %v", el)
	}
	// A connection that sends nothing is closed silently.
	c2 := dial(t, s)
	if got := readAll(t, c2, 3*time.Second); got != "" {
		t.Fatalf("silent connection got %q", got)
	}
	if s.Stats().Timeouts < 1 {
		t.Fatalf("Timeouts = %d", s.Stats().Timeouts)
	}
}

func TestIdleTimeout(t *testing.T) {
	s := start(t, echo, netcore.WithIdleTimeout(100*time.Millisecond))
	c := dial(t, s)
	write(t, c, "GET /a HTTP/1.1\r\nHost: a\r\n\r\n")
	got := readAll(t, c, 3*time.Second)
	if !strings.HasSuffix(got, "GET /a ") || strings.Contains(got, "408") {
		t.Fatalf("got %q", got)
	}
}

func TestBodyReadTimeout(t *testing.T) {
	errc := make(chan error, 1)
	s := start(t, netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		_, err := io.ReadAll(r)
		errc <- err
	}), netcore.WithBodyReadTimeout(100*time.Millisecond))
	c := dial(t, s)
	write(t, c, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc")
	select {
	case err := <-errc:
		if !errors.Is(err, netcore.ErrTimeout) {
			t.Fatalf("Read error = %v, want ErrTimeout", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("body read did not time out")
	}
	readAll(t, c, 3*time.Second)
}

func TestMaxConns(t *testing.T) {
	s := start(t, echo, netcore.WithMaxConns(2))
	c1, c2 := dial(t, s), dial(t, s)
	write(t, c1, "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n")
	write(t, c2, "GET /2 HTTP/1.1\r\nHost: a\r\n\r\n")
	for _, c := range []net.Conn{c1, c2} {
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("admitted connection: %v %v", resp, err)
		}
	}
	c3 := dial(t, s)
	if got := readAll(t, c3, 3*time.Second); !strings.HasPrefix(got, "HTTP/1.1 503 ") {
		t.Fatalf("third connection got %q", got)
	}
	if s.Stats().Rejected != 1 {
		t.Fatalf("Rejected = %d", s.Stats().Rejected)
	}
}

func TestMaxBodyBytes(t *testing.T) {
	s := start(t, echo, netcore.WithMaxBodyBytes(8))
	got := roundTrip(t, s.Addr().String(), "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\n123456789", false)
	if !strings.HasPrefix(got, "HTTP/1.1 413 ") {
		t.Fatalf("Content-Length: got %q", got)
	}
	got = roundTrip(t, s.Addr().String(), "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n5\r\n67890\r\n0\r\n\r\n", false)
	if !strings.HasPrefix(got, "HTTP/1.1 499 ") {
		// echo answers 499 with the read error: the handler saw the 413.
		t.Fatalf("chunked: got %q", got)
	}
	if !strings.Contains(got, "413") {
		t.Fatalf("chunked: error does not name 413: %q", got)
	}
	quiet := start(t, netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) { _, _ = io.Copy(io.Discard, r) }), netcore.WithMaxBodyBytes(8))
	got = roundTrip(t, quiet.Addr().String(), "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n5\r\n67890\r\n0\r\n\r\n", false)
	if !strings.HasPrefix(got, "HTTP/1.1 413 ") {
		t.Fatalf("chunked, silent handler: got %q", got)
	}
}

func TestShutdownGraceful(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	s := netcore.New(netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		if r.Path() == "/slow" {
			close(entered)
			<-release
		}
		_, _ = w.WriteString("done")
	}))
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	idle := dial(t, s)
	write(t, idle, "GET /fast HTTP/1.1\r\nHost: a\r\n\r\n")
	if _, err := http.ReadResponse(bufio.NewReader(idle), nil); err != nil {
		t.Fatal(err)
	}
	busy := dial(t, s)
	write(t, busy, "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
	<-entered
	done := make(chan error, 1)
	go func() { done <- s.Shutdown(context.Background()) }()
	// The idle connection is closed.
	if got := readAll(t, idle, 3*time.Second); got != "" {
		t.Fatalf("idle connection got %q", got)
	}
	select {
	case err := <-done:
		t.Fatalf("Shutdown returned %v with a request in progress", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	got := readAll(t, busy, 3*time.Second)
	if !strings.Contains(got, "Connection: close\r\n") || !strings.HasSuffix(got, "done") {
		t.Fatalf("in-flight response %q", got)
	}
	busy.Close() // ends the server's lingering close
	if err := <-done; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if err := s.Wait(); !errors.Is(err, netcore.ErrServerClosed) {
		t.Fatalf("Wait = %v", err)
	}
	if _, err := net.Dial("tcp", s.Addr().String()); err == nil {
		t.Fatal("dial after Shutdown succeeded")
	}
}

func TestShutdownContextExpires(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{})
	s := netcore.New(netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		close(entered)
		<-release
	}))
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	c := dial(t, s)
	write(t, c, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
	<-entered
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := s.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown = %v", err)
	}
	close(release)
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatalf("second Shutdown = %v", err)
	}
}

// TestLargeBodyDetaches streams a body far beyond ReadAhead to a handler
// that reads slowly: the connection must leave the event loop (bounded
// memory) and the body arrive intact, and the connection must come back
// for the next request.
func TestLargeBodyDetaches(t *testing.T) {
	const size = 8 << 20
	s := start(t, netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		h := sha256.New()
		buf := make([]byte, 32<<10)
		n := 0
		for {
			m, err := r.Read(buf)
			h.Write(buf[:m])
			n += m
			if n < 1<<20 {
				time.Sleep(time.Millisecond) // slow at first, so the client gets ahead
			}
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				w.WriteHeader(500)
				return
			}
		}
		fmt.Fprintf(w, "%d %x", n, h.Sum(nil))
	}), netcore.WithReadAhead(64<<10))
	body := make([]byte, size)
	for i := range body {
		body[i] = byte(i * 7)
	}
	want := fmt.Sprintf("%d %x", size, sha256.Sum256(body))
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	cl := &http.Client{Transport: tr}
	for range 2 {
		resp, err := cl.Post("http://"+s.Addr().String()+"/", "application/octet-stream", strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != want {
			t.Fatalf("got %q, want %q", b, want)
		}
	}
	if s.Stats().Detaches < 1 {
		t.Fatalf("Detaches = %d, want >= 1", s.Stats().Detaches)
	}
	// The connection went back to its loop: one connection served both.
	if s.Stats().Conns != 1 {
		t.Fatalf("Conns = %d", s.Stats().Conns)
	}
}

func TestSlowReaderAndWriteTimeout(t *testing.T) {
	const size = 16 << 20
	errc := make(chan error, 2)
	s := start(t, netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		chunk := make([]byte, 64<<10)
		w.SetContentLength(size)
		for n := 0; n < size; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				errc <- err
				return
			}
		}
		errc <- w.Flush()
	}), netcore.WithWriteTimeout(time.Second)) // generous: the steady reader must never stall that long
	// A client that reads slowly but steadily gets everything.
	c := dial(t, s)
	write(t, c, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 256<<10)
	n := 0
	for n < size {
		m, err := resp.Body.Read(buf)
		n += m
		if err != nil {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if n != size {
		t.Fatalf("read %d of %d", n, size)
	}
	if err := <-errc; err != nil {
		t.Fatalf("handler write: %v", err)
	}
	// A client that never reads makes the write time out.
	c2 := dial(t, s)
	write(t, c2, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
	select {
	case err := <-errc:
		if !errors.Is(err, netcore.ErrTimeout) {
			t.Fatalf("write error = %v, want ErrTimeout", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("write did not time out")
	}
	if s.Stats().Detaches < 1 {
		t.Fatal("no detach")
	}
}

func TestServerConcurrentSafe(t *testing.T) {
	s := start(t, echo, netcore.WithMaxWorkers(8))
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 16 {
		wg.Go(func() {
			c, err := net.Dial("tcp", s.Addr().String())
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			br := bufio.NewReader(c)
			for round := range 20 {
				depth := 1 + (g+round)%5
				var b strings.Builder
				for i := range depth {
					fmt.Fprintf(&b, "POST /%d/%d/%d HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx", g, round, i)
				}
				if _, err := io.WriteString(c, b.String()); err != nil {
					errs <- err
					return
				}
				for i := range depth {
					resp, err := http.ReadResponse(br, nil)
					if err != nil {
						errs <- err
						return
					}
					body, _ := io.ReadAll(resp.Body)
					if want := fmt.Sprintf("POST /%d/%d/%d x", g, round, i); string(body) != want {
						errs <- fmt.Errorf("got %q, want %q", body, want)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// zeros is an endless reader of zero bytes that allocates nothing.
type zeros struct{ left int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.left == 0 {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), z.left))
	clear(p[:n])
	z.left -= int64(n)
	return n, nil
}

// TestSlowUploadBoundedMemory uploads 64 MiB to a handler that reads slowly
// and samples the heap meanwhile: without back-pressure the event loop would
// buffer most of the body (gnet keeps reading whatever is not consumed).
func TestSlowUploadBoundedMemory(t *testing.T) {
	const size = 64 << 20
	s := start(t, netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		buf := make([]byte, 64<<10)
		var n, since int
		for {
			m, err := r.Read(buf)
			n += m
			if since += m; since >= 1<<20 {
				since = 0
				time.Sleep(2 * time.Millisecond)
			}
			if err != nil {
				break
			}
		}
		fmt.Fprint(w, n)
	}), netcore.WithMaxBodyBytes(-1))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
		}
	}()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	req, err := http.NewRequest(http.MethodPost, "http://"+s.Addr().String()+"/up", &zeros{left: size})
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = size
	resp, err := (&http.Client{Transport: tr}).Do(req)
	close(stop)
	<-sampled
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != fmt.Sprint(size) {
		t.Fatalf("got %q", b)
	}
	growth := int64(peak.Load()) - int64(base)
	t.Logf("heap in use grew by at most %d KiB during a %d MiB slow upload", growth>>10, size>>20)
	if growth > 16<<20 {
		t.Fatalf("heap grew by %d MiB during the upload", growth>>20)
	}
}
