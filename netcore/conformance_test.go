package netcore_test

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dext-go/dext/netcore"
	"github.com/dext-go/dext/netcore/http1/h1test"
)

// describe answers 200 with a JSON description of the request it received
// (an h1test.Request). When the body cannot be read it answers nothing, so
// that the server's own answer (413, 400) or close shows.
var describe = netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
	body, err := io.ReadAll(r)
	if err != nil {
		return
	}
	d := h1test.Request{
		Method:    r.Method(),
		Target:    r.Target(),
		Host:      r.Host(),
		Proto:     r.Proto(),
		Body:      string(body),
		KeepAlive: r.KeepAlive(),
		Expect100: r.Head().Expect100,
		Chunked:   r.ContentLength() < 0,
		Upgrade:   string(r.Head().Upgrade),
	}
	for name, value := range r.HeaderValues() {
		d.Headers = append(d.Headers, name+": "+value)
	}
	for _, t := range r.Trailers() {
		d.Trailers = append(d.Trailers, string(t.Name)+": "+string(t.Value))
	}
	b, _ := json.Marshal(d)
	// In a header too, for HEAD answers, which have no body.
	w.SetHeader("X-Described", base64.StdEncoding.EncodeToString(b))
	w.SetHeader("Content-Type", "application/json")
	_, _ = w.Write(b)
})

// exchange is what a client saw on one connection.
type exchange struct {
	requests []h1test.Request // described by 200 answers
	status   int              // the first non-200 final status, or 0
	closed   bool             // the server closed the connection
	statuses []int
}

// converse sends raw, optionally shuts the write side, and reads answers
// until the server closes (or d passes).
func converse(addr, raw string, closeWrite bool, d time.Duration) (exchange, error) {
	var ex exchange
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return ex, err
	}
	defer c.Close()
	if _, err := io.WriteString(c, raw); err != nil {
		return ex, err
	}
	if closeWrite {
		_ = c.(*net.TCPConn).CloseWrite()
	}
	_ = c.SetReadDeadline(time.Now().Add(d))
	br := bufio.NewReader(c)
	for {
		if _, err := br.Peek(1); err != nil {
			if errors.Is(err, io.EOF) {
				ex.closed = true
				return ex, nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return ex, nil
			}
			ex.closed = true // reset
			return ex, nil
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			return ex, fmt.Errorf("reading answer %d: %w", len(ex.statuses), err)
		}
		if resp.StatusCode < 200 {
			continue
		}
		ex.statuses = append(ex.statuses, resp.StatusCode)
		if resp.StatusCode != 200 {
			if _, err := io.Copy(io.Discard, resp.Body); err != nil {
				return ex, err
			}
			if ex.status == 0 {
				ex.status = resp.StatusCode
			}
			continue
		}
		// Read with no request, a HEAD answer's Content-Length would be
		// taken for a body: leave those bytes alone.
		desc, err := base64.StdEncoding.DecodeString(resp.Header.Get("X-Described"))
		if err != nil {
			return ex, err
		}
		var r h1test.Request
		if err := json.Unmarshal(desc, &r); err != nil {
			return ex, fmt.Errorf("answer %q: %w", desc, err)
		}
		if r.Method != http.MethodHead {
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				return ex, err
			}
			if string(body) != string(desc) {
				return ex, fmt.Errorf("body %q differs from header %q", body, desc)
			}
		}
		ex.requests = append(ex.requests, r)
	}
}

// checkCase compares what the engine answered with the table's expectations.
func checkCase(tc h1test.Case, ex exchange, headers bool) error {
	res := h1test.Result{Requests: ex.requests, Status: ex.status}
	if tc.WantIncomplete {
		// The server waits for the rest, then gives up: 408 for a head, a
		// close for a body.
		res.Incomplete = ex.status == 408 || ex.status == 0 && ex.closed
		if ex.status == 408 {
			res.Status = 0
		}
	}
	if !headers {
		for i := range res.Requests {
			res.Requests[i].Headers = nil
		}
		tc.Want = append([]h1test.Request(nil), tc.Want...)
		for i := range tc.Want {
			tc.Want[i].Headers = nil
		}
	}
	if !headers {
		for i := range res.Requests {
			slices.Sort(res.Requests[i].Trailers)
		}
		for i := range tc.Want {
			tc.Want[i].Trailers = slices.Sorted(slices.Values(tc.Want[i].Trailers))
		}
	}
	if err := tc.Check(res); err != nil {
		return err
	}
	// After an error answer, or a request that does not keep the
	// connection alive, the server closes.
	last := len(tc.Want) > 0 && (!tc.Want[len(tc.Want)-1].KeepAlive)
	if (tc.WantStatus != 0 || last) && !ex.closed {
		return errors.New("connection left open")
	}
	if len(ex.statuses) != len(tc.Want)+min(tc.WantStatus, 1) && (!tc.WantIncomplete || ex.status != 408) {
		return fmt.Errorf("answers %v", ex.statuses)
	}
	return nil
}

// conformanceServers starts one engine per body limit in the table.
func conformanceServers(t *testing.T) func(maxBody int64) string {
	var mu sync.Mutex
	servers := map[int64]string{}
	return func(maxBody int64) string {
		mu.Lock()
		defer mu.Unlock()
		if a, ok := servers[maxBody]; ok {
			return a
		}
		opts := []netcore.Option{
			netcore.WithReadHeaderTimeout(200 * time.Millisecond),
			netcore.WithBodyReadTimeout(200 * time.Millisecond),
		}
		if maxBody > 0 {
			opts = append(opts, netcore.WithMaxBodyBytes(maxBody))
		}
		s := start(t, describe, opts...)
		servers[maxBody] = s.Addr().String()
		return servers[maxBody]
	}
}

// TestConformanceEngine replays the http1 conformance table over TCP
// against the gnet engine: every request the table accepts must reach the
// handler intact and in order, every rejection must be answered with the
// table's status and a close, and incomplete input must time out.
func TestConformanceEngine(t *testing.T) {
	addrOf := conformanceServers(t)
	if len(h1test.Cases)+len(engineCases) < 80 {
		t.Fatalf("only %d cases", len(h1test.Cases)+len(engineCases))
	}
	t.Run("table", func(t *testing.T) {
		for _, tc := range h1test.Cases {
			t.Run(tc.Name, func(t *testing.T) {
				t.Parallel()
				ex, err := converse(addrOf(tc.MaxBody), tc.Raw, !tc.WantIncomplete, 3*time.Second)
				if err != nil {
					t.Fatal(err)
				}
				if err := checkCase(tc, ex, true); err != nil {
					t.Errorf("%s (%s): %v\nraw %q", tc.Name, tc.RFC, err, tc.Raw)
				}
			})
		}
	})
}

// TestConformanceBridge replays the accepted requests of the table against
// the same handler under net/http. Rejections are not compared: net/http's
// parser is not the same (it accepts bare LF, obs-fold and more), which is
// why the engine has its own; header order and case are not compared either
// (net/http canonicalizes names into a map).
func TestConformanceBridge(t *testing.T) {
	hs := httptest.NewServer(netcore.Bridge(describe))
	defer hs.Close()
	addr := strings.TrimPrefix(hs.URL, "http://")
	n := 0
	for _, tc := range h1test.Cases {
		if tc.WantStatus != 0 || tc.WantIncomplete || len(tc.Want) == 0 || bridgeDiffers[tc.Name] != "" {
			continue
		}
		n++
		t.Run(tc.Name, func(t *testing.T) {
			ex, err := converse(addr, tc.Raw, true, 3*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkCase(tc, ex, false); err != nil {
				t.Errorf("%s: %v\nraw %q", tc.Name, err, tc.Raw)
			}
		})
	}
	t.Logf("%d accepted cases compared with net/http", n)
}

// bridgeDiffers lists the accepted cases where net/http, by design, does not
// present the request the way the engine does.
var bridgeDiffers = map[string]string{
	"asterisk-form":            "net/http answers OPTIONS * itself (globalOptionsHandler)",
	"leading empty line":       "net/http answers 400 to empty lines before the request line (RFC 9112 §2.2: SHOULD ignore at least one)",
	"four leading empty lines": "same as leading empty line",
	"chunk extensions":         "net/http's chunked reader refuses whitespace and quoted-strings in chunk extensions, which RFC 9112 §7.1.1 allows",
}

// engineCases are checks of the engine's own behaviour, beyond the parser's
// table: raw input and the exact answers expected.
var engineCases = []struct {
	name      string
	raw       string
	opts      []netcore.Option
	closeW    bool
	want      []string // substrings of the whole answer, in order
	wantNot   []string
	wantClose bool
}{
	{name: "pipelined answers in order", closeW: true,
		raw:  "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /3 HTTP/1.1\r\nHost: a\r\n\r\n",
		want: []string{`"Target":"/1"`, `"Target":"/2"`, `"Body":"abc"`, `"Target":"/3"`}, wantClose: true},
	{name: "malformed request after valid ones", closeW: true,
		raw:  "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: a\r\n\r\n",
		want: []string{`"Target":"/1"`, "HTTP/1.1 400 ", "Connection: close"}, wantNot: []string{`"/3"`}, wantClose: true},
	{name: "CL.TE smuggling refused", closeW: true,
		raw:  "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n",
		want: []string{"HTTP/1.1 400 "}, wantNot: []string{"smuggled", "HTTP/1.1 200"}, wantClose: true},
	{name: "TE.CL smuggling refused", closeW: true,
		raw:  "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n",
		want: []string{"HTTP/1.1 400 "}, wantNot: []string{"HTTP/1.1 200"}, wantClose: true},
	{name: "duplicate Content-Length refused", closeW: true,
		raw:  "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 30\r\n\r\nabc",
		want: []string{"HTTP/1.1 400 "}, wantClose: true},
	{name: "HEAD answer has no body", closeW: true,
		raw:  "HEAD /h HTTP/1.1\r\nHost: a\r\n\r\nGET /after HTTP/1.1\r\nHost: a\r\n\r\n",
		want: []string{"HTTP/1.1 200 OK", "Content-Length: ", "HTTP/1.1 200 OK", `"Target":"/after"`}, wantNot: []string{`"Target":"/h"`}},
	{name: "HTTP/1.0 closes", raw: "GET / HTTP/1.0\r\n\r\n",
		want: []string{"HTTP/1.1 200 OK", "Connection: close"}, wantClose: true},
	{name: "Date header on every answer", closeW: true, raw: "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
		want: []string{"Date: ", " GMT\r\n"}},
	{name: "slowloris head times out", raw: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b",
		opts: []netcore.Option{netcore.WithReadHeaderTimeout(150 * time.Millisecond)},
		want: []string{"HTTP/1.1 408 "}, wantClose: true},
	{name: "header section too large", closeW: true,
		raw:  "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + strings.Repeat("b", 70<<10) + "\r\n\r\n",
		want: []string{"HTTP/1.1 431 "}, wantClose: true},
	{name: "413 before the body is sent", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n",
		opts: []netcore.Option{netcore.WithMaxBodyBytes(1000)},
		want: []string{"HTTP/1.1 413 "}, wantClose: true},
	{name: "Expect 100-continue answered before body", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n",
		want: []string{"HTTP/1.1 100 Continue\r\n\r\n"}},
	{name: "idle keep-alive closed", raw: "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
		opts: []netcore.Option{netcore.WithIdleTimeout(100 * time.Millisecond)},
		want: []string{"HTTP/1.1 200 OK"}, wantNot: []string{"408"}, wantClose: true},
}

func TestConformanceEngineCases(t *testing.T) {
	for _, tc := range engineCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := start(t, describe, tc.opts...)
			c, err := net.Dial("tcp", s.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if _, err := io.WriteString(c, tc.raw); err != nil {
				t.Fatal(err)
			}
			if tc.closeW {
				_ = c.(*net.TCPConn).CloseWrite()
			}
			_ = c.SetReadDeadline(time.Now().Add(time.Second))
			b, err := io.ReadAll(c)
			closed := err == nil
			got := string(b)
			rest := got
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("answer lacks %q (in order) in %q", w, got)
				}
				rest = rest[i+len(w):]
			}
			for _, w := range tc.wantNot {
				if strings.Contains(got, w) {
					t.Fatalf("answer has %q: %q", w, got)
				}
			}
			if tc.wantClose && !closed {
				t.Fatalf("connection left open: %v; got %q", err, got)
			}
		})
	}
}
