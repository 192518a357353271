package netcore_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dext-go/dext/netcore"
)

// roundTrip sends raw on a fresh connection, shuts the write side when
// closeWrite is set, and returns everything the server sent until it closed
// the connection or the deadline passed.
func roundTrip(t *testing.T, addr, raw string, closeWrite bool) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	if closeWrite {
		_ = c.(*net.TCPConn).CloseWrite()
	}
	_ = c.SetReadDeadline(time.Now().Add(3 * time.Second))
	b, _ := io.ReadAll(c)
	return string(b)
}

func TestChunkedUpload(t *testing.T) {
	s := start(t, echo)
	got := roundTrip(t, s.Addr().String(), "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n", false)
	if !strings.HasPrefix(got, "HTTP/1.1 200 OK\r\n") || !strings.HasSuffix(got, "POST /c hello world") {
		t.Fatalf("got %q", got)
	}
	if !strings.Contains(got, "Connection: close\r\n") {
		t.Fatalf("no Connection: close in %q", got)
	}
}

func TestHalfCloseStillAnswers(t *testing.T) {
	s := start(t, echo)
	got := roundTrip(t, s.Addr().String(), "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n", true)
	if strings.Count(got, "HTTP/1.1 200 OK") != 2 || !strings.Contains(got, "GET /1 ") || !strings.HasSuffix(got, "GET /2 ") {
		t.Fatalf("got %q", got)
	}
}

func TestStreamingChunkedResponse(t *testing.T) {
	s := start(t, netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		for i := range 3 {
			fmt.Fprintf(w, "part%d;", i)
			if err := w.Flush(); err != nil {
				return
			}
		}
	}))
	resp, err := http.Get("http://" + s.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if string(b) != "part0;part1;part2;" || len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" {
		t.Fatalf("got %q, TE %v", b, resp.TransferEncoding)
	}
	http.DefaultClient.CloseIdleConnections()
}

func TestHeadAndHTTP10(t *testing.T) {
	s := start(t, netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		_, _ = w.WriteString("hello")
	}))
	got := roundTrip(t, s.Addr().String(), "HEAD / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false)
	if !strings.Contains(got, "Content-Length: 5\r\n") || !strings.HasSuffix(got, "\r\n\r\n") {
		t.Fatalf("HEAD: got %q", got)
	}
	got = roundTrip(t, s.Addr().String(), "GET / HTTP/1.0\r\n\r\n", false)
	if !strings.HasPrefix(got, "HTTP/1.1 200 OK\r\n") || !strings.Contains(got, "Connection: close\r\n") || !strings.HasSuffix(got, "hello") {
		t.Fatalf("HTTP/1.0: got %q", got)
	}
	// HTTP/1.0 keep-alive: two responses on one connection.
	got = roundTrip(t, s.Addr().String(), "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.0\r\n\r\n", false)
	if strings.Count(got, "hello") != 2 || !strings.Contains(got, "Connection: keep-alive\r\n") {
		t.Fatalf("HTTP/1.0 keep-alive: got %q", got)
	}
}

func TestExpectContinue(t *testing.T) {
	s := start(t, echo)
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	_ = c.SetReadDeadline(time.Now().Add(3 * time.Second))
	line, err := br.ReadString('\n')
	if err != nil || line != "HTTP/1.1 100 Continue\r\n" {
		t.Fatalf("interim = %q, %v", line, err)
	}
	if blank, _ := br.ReadString('\n'); blank != "\r\n" {
		t.Fatalf("after interim: %q", blank)
	}
	if _, err := io.WriteString(c, "data"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	if string(b) != "POST /e data" {
		t.Fatalf("got %q", b)
	}
}

func TestExpectContinueNotReadCloses(t *testing.T) {
	s := start(t, netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	}))
	got := roundTrip(t, s.Addr().String(), "POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n", false)
	if !strings.HasPrefix(got, "HTTP/1.1 401 Unauthorized\r\n") || strings.Contains(got, "100 Continue") || !strings.Contains(got, "Connection: close") {
		t.Fatalf("got %q", got)
	}
}

func TestUnixSocket(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.sock")
	s := netcore.New(echo)
	if err := s.Start("unix://" + path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if a, ok := s.Addr().(*net.UnixAddr); !ok || a.Name != path {
		t.Fatalf("Addr = %v", s.Addr())
	}
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", path)
	}}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get("http://unix/x")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "GET /x " {
		t.Fatalf("got %q", b)
	}
}

func TestBridge(t *testing.T) {
	hs := httptest.NewServer(netcore.Bridge(echo))
	defer hs.Close()
	resp, err := http.Post(hs.URL+"/b?q", "text/plain", strings.NewReader("xyz"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "POST /b?q xyz" || resp.Header.Get("Content-Type") != "text/plain" || resp.ContentLength != int64(len(b)) {
		t.Fatalf("got %q %v", b, resp.Header)
	}
	hs.Client().CloseIdleConnections()
	http.DefaultClient.CloseIdleConnections()
}

// TestUnixSocketDetach pushes a body past ReadAhead over a Unix socket: the
// connection detaches and must come back to its loop for the next request.
func TestUnixSocketDetach(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.sock")
	s := netcore.New(netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		n, err := io.Copy(io.Discard, r)
		if err != nil {
			w.WriteHeader(500)
			return
		}
		fmt.Fprint(w, n)
	}), netcore.WithReadAhead(4<<10))
	if err := s.Start("unix://" + path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", path)
	}}
	defer tr.CloseIdleConnections()
	cl := &http.Client{Transport: tr}
	for i := range 3 {
		size := 1<<20 + i
		resp, err := cl.Post("http://unix/up", "application/octet-stream", strings.NewReader(strings.Repeat("u", size)))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != fmt.Sprint(size) {
			t.Fatalf("upload %d: got %q", i, b)
		}
	}
	if st := s.Stats(); st.Detaches < 1 || st.Conns != 1 {
		t.Fatalf("stats %+v: want detaches and one connection reused", st)
	}
}

func TestBridgeStreaming(t *testing.T) {
	hs := httptest.NewServer(netcore.Bridge(netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		for i := range 3 {
			fmt.Fprintf(w, "e%d;", i)
			if err := w.Flush(); err != nil {
				return
			}
		}
	})))
	defer hs.Close()
	defer hs.Client().CloseIdleConnections()
	resp, err := hs.Client().Get(hs.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if string(b) != "e0;e1;e2;" || len(resp.TransferEncoding) == 0 {
		t.Fatalf("got %q, TE %v", b, resp.TransferEncoding)
	}
}

// TestCloseDuringReattach closes the server right after a request whose body
// detached its connection from the event loop, while the worker may be
// giving the connection back to its loop: Close must neither wait forever
// for a registration the stopped loop never runs nor leave gnet's goroutine
// (and descriptor) that waits for it behind.
func TestCloseDuringReattach(t *testing.T) {
	defer func() {
		deadline := time.Now().Add(5 * time.Second)
		for {
			buf := make([]byte, 1<<20)
			stacks := string(buf[:runtime.Stack(buf, true)])
			if !strings.Contains(stacks, "(*eventloop).enroll") {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("a registration outlived its server:\n%s", stacks)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	for i := range 40 {
		path := filepath.Join(t.TempDir(), fmt.Sprintf("r%d.sock", i))
		s := netcore.New(netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
			n, _ := io.Copy(io.Discard, r)
			fmt.Fprint(w, n)
		}), netcore.WithReadAhead(4<<10))
		if err := s.Start("unix://" + path); err != nil {
			t.Fatal(err)
		}
		c, err := net.Dial("unix", path)
		if err != nil {
			t.Fatal(err)
		}
		body := strings.Repeat("r", 64<<10)
		if _, err := fmt.Fprintf(c, "POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: %d\r\n\r\n%s", len(body), body); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		closed := make(chan error, 1)
		go func() { closed <- s.Close() }()
		select {
		case err := <-closed:
			if err != nil {
				t.Fatalf("round %d: Close: %v", i, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("round %d: Close did not return", i)
		}
		c.Close()
	}
}
