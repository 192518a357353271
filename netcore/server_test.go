package netcore_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dext-go/dext/netcore"
)

// echo answers with the method, path and body it received.
var echo = netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
	body, err := io.ReadAll(r)
	if err != nil {
		w.WriteHeader(499)
		fmt.Fprintf(w, "read error: %v", err)
		return
	}
	w.SetHeader("Content-Type", "text/plain")
	fmt.Fprintf(w, "%s %s %s", r.Method(), r.Target(), body)
})

func start(t testing.TB, h netcore.Handler, opts ...netcore.Option) *netcore.Server {
	t.Helper()
	s := netcore.New(h, opts...)
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return s
}

func TestGetKeepAlive(t *testing.T) {
	s := start(t, echo)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	cl := &http.Client{Transport: tr}
	for i := range 5 {
		resp, err := cl.Post("http://"+s.Addr().String()+"/p?x=1", "text/plain", strings.NewReader(fmt.Sprint("body", i)))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if want := fmt.Sprintf("POST /p?x=1 body%d", i); string(b) != want || resp.StatusCode != 200 {
			t.Fatalf("got %d %q, want %q", resp.StatusCode, b, want)
		}
	}
	if got := s.Stats().Requests; got != 5 {
		t.Fatalf("requests = %d", got)
	}
}

func TestPipelined(t *testing.T) {
	s := start(t, echo)
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var req strings.Builder
	for i := range 20 {
		fmt.Fprintf(&req, "POST /%d HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n%02d", i, i)
	}
	if _, err := io.WriteString(c, req.String()); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	for i := range 20 {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(i, err)
		}
		b, _ := io.ReadAll(resp.Body)
		if want := fmt.Sprintf("POST /%d %02d", i, i); string(b) != want {
			t.Fatalf("response %d = %q, want %q", i, b, want)
		}
	}
}
