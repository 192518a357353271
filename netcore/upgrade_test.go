package netcore_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dext-go/dext/netcore"
)

// lineEcho is a toy protocol: every line received is sent back upper-cased;
// "bye" closes.
type lineEcho struct {
	mu     sync.Mutex
	opened int
	closed int
}

func (e *lineEcho) OnOpen(c *netcore.UpgradedConn) {
	e.mu.Lock()
	e.opened++
	e.mu.Unlock()
	_ = c.Write([]byte("hello\n"))
}

func (e *lineEcho) OnData(c *netcore.UpgradedConn, in []byte) int {
	n := 0
	for {
		i := bytes.IndexByte(in[n:], '\n')
		if i < 0 {
			return n
		}
		line := in[n : n+i]
		n += i + 1
		if string(line) == "bye" {
			_ = c.Close()
			return n
		}
		_ = c.Write(append(bytes.ToUpper(line), '\n'))
	}
}

func (e *lineEcho) OnClose(*netcore.UpgradedConn, error) {
	e.mu.Lock()
	e.closed++
	e.mu.Unlock()
}

func upgrader(p netcore.UpgradeHandler) netcore.Handler {
	return netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		if r.Head().Upgrade == nil {
			w.WriteHeader(http.StatusUpgradeRequired)
			return
		}
		w.SetHeader("Upgrade", "lineecho")
		w.SetHeader("Connection", "Upgrade")
		if err := w.Upgrade(p); err != nil {
			panic(err)
		}
	})
}

func checkUpgrade(t *testing.T, addr string, e *lineEcho) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// The first line travels with the request: it must reach the protocol.
	if _, err := io.WriteString(c, "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: lineecho\r\n\r\nfirst\n"); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(3 * time.Second))
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 101 || resp.Header.Get("Upgrade") != "lineecho" || resp.Header.Get("Connection") != "Upgrade" {
		t.Fatalf("upgrade response %d %v", resp.StatusCode, resp.Header)
	}
	want := []string{"hello", "FIRST", "SECOND", "THIRD"}
	if _, err := io.WriteString(c, "second\nthi"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond)
	if _, err := io.WriteString(c, "rd\nbye\n"); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(br)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Fields(string(rest)); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestUpgrade(t *testing.T) {
	e := &lineEcho{}
	s := start(t, upgrader(e))
	checkUpgrade(t, s.Addr().String(), e)
	deadline := time.Now().Add(3 * time.Second)
	for {
		e.mu.Lock()
		o, cl := e.opened, e.closed
		e.mu.Unlock()
		if o == 1 && cl == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("opened %d closed %d", o, cl)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestUpgradeBridge(t *testing.T) {
	e := &lineEcho{}
	hs := httptest.NewServer(netcore.Bridge(upgrader(e)))
	defer hs.Close()
	checkUpgrade(t, strings.TrimPrefix(hs.URL, "http://"), e)
}

// sink hands its connection out and counts nothing.
type sink struct{ conns chan *netcore.UpgradedConn }

func (s *sink) OnOpen(c *netcore.UpgradedConn)                { s.conns <- c }
func (s *sink) OnData(c *netcore.UpgradedConn, in []byte) int { return len(in) }
func (s *sink) OnClose(c *netcore.UpgradedConn, err error)    {}

func TestUpgradedConnConcurrentSafe(t *testing.T) {
	sk := &sink{conns: make(chan *netcore.UpgradedConn, 1)}
	s := start(t, upgrader(sk))
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: sink\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	if _, err := http.ReadResponse(br, nil); err != nil {
		t.Fatal(err)
	}
	u := <-sk.conns
	const writers, each = 8, 200
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			line := []byte{'a' + byte(w), '\n'}
			for range each {
				if err := u.AsyncWrite(line); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	counts := map[string]int{}
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for range writers * each {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		counts[line]++
	}
	for w := range writers {
		if got := counts[string([]byte{'a' + byte(w), '\n'})]; got != each {
			t.Fatalf("writer %d: %d lines, want %d", w, got, each)
		}
	}
	// Close races with more writes: no panic, writes after it fail.
	wg.Go(func() { _ = u.Close() })
	wg.Go(func() {
		for range 100 {
			_ = u.AsyncWrite([]byte("late\n"))
		}
	})
	wg.Wait()
}

// events writes three events from the event loop and closes.
type events struct{}

func (events) OnOpen(c *netcore.UpgradedConn) {
	for i := range 3 {
		_ = c.Write(fmt.Appendf(nil, "data: %d\n\n", i))
	}
	_ = c.Close()
}
func (events) OnData(c *netcore.UpgradedConn, in []byte) int { return len(in) }
func (events) OnClose(*netcore.UpgradedConn, error)          {}

func TestUpgradeEventStream(t *testing.T) {
	s := start(t, netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		w.WriteHeader(http.StatusOK)
		w.SetHeader("Content-Type", "text/event-stream")
		_ = w.Upgrade(events{})
	}))
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get("http://" + s.Addr().String() + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || string(b) != "data: 0\n\ndata: 1\n\ndata: 2\n\n" || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("got %q, %v, %v", b, err, resp.Header)
	}
}
