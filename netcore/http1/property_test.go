package http1_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dext-go/dext/netcore/http1"
	"github.com/dext-go/dext/netcore/http1/h1test"
	"pgregory.net/rapid"
)

const (
	tchars     = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	pathChars  = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/"
	valueChars = "abcdefghijklmnopqrstuvwxyz ABC\t\"(),/:;<=>?@[\\]{}0123456789\x80\xff~"
)

// genRequest is a valid request with its expected parse.
type genRequest struct {
	raw       string
	method    string
	target    string
	path      string
	query     *string
	minor     int
	headers   [][2]string
	host      string
	keepAlive bool
	body      string
	chunked   bool
	cl        int64
}

// bytesOf generates strings of n bytes drawn from chars, min <= n <= max.
func bytesOf(chars string, minLen, maxLen int) *rapid.Generator[string] {
	return rapid.Map(rapid.SliceOfN(rapid.SampledFrom([]byte(chars)), minLen, maxLen), func(b []byte) string { return string(b) })
}

func genToken(t *rapid.T, label string, maxLen int) string {
	return rapid.StringOfN(rapid.SampledFrom([]rune(tchars)), 1, maxLen, -1).Draw(t, label)
}

func genValue(t *rapid.T, label string) string {
	v := bytesOf(valueChars, 0, 40).Draw(t, label)
	// Field values carry no leading or trailing whitespace after parsing.
	return strings.Trim(v, " \t")
}

var special = []string{"host", "content-length", "transfer-encoding", "connection", "expect", "upgrade"}

func drawRequest(t *rapid.T) genRequest {
	var g genRequest
	g.method = rapid.OneOf(rapid.SampledFrom([]string{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"}), rapid.Custom(func(t *rapid.T) string {
		return genToken(t, "method", 10)
	})).Draw(t, "method")
	g.path = "/" + bytesOf(pathChars, 0, 30).Draw(t, "path")
	if rapid.Bool().Draw(t, "pct") {
		g.path += "%" + strings.ToUpper(strconv.FormatInt(int64(rapid.IntRange(16, 255).Draw(t, "pctv")), 16))
	}
	g.target = g.path
	if rapid.Bool().Draw(t, "hasQuery") {
		q := bytesOf(pathChars+"?", 0, 20).Draw(t, "query")
		g.query = &q
		g.target += "?" + q
	}
	g.minor = rapid.IntRange(0, 1).Draw(t, "minor")
	conn := rapid.SampledFrom([]string{"", "close", "keep-alive", "Keep-Alive, Upgrade"}).Draw(t, "conn")
	g.keepAlive = (g.minor == 1 || strings.Contains(strings.ToLower(conn), "keep-alive")) && conn != "close"

	var hs [][2]string
	if g.minor == 1 || rapid.Bool().Draw(t, "host10") {
		g.host = rapid.StringMatching(`[a-z0-9.-]{0,20}(:[0-9]{1,5})?`).Draw(t, "host")
		hs = append(hs, [2]string{rapid.SampledFrom([]string{"Host", "host", "HOST"}).Draw(t, "hostName"), g.host})
	}
	for i := range rapid.IntRange(0, 12).Draw(t, "nheaders") {
		name := genToken(t, fmt.Sprint("name", i), 20)
		if slices.Contains(special, strings.ToLower(name)) {
			continue
		}
		hs = append(hs, [2]string{name, genValue(t, fmt.Sprint("value", i))})
	}
	if conn != "" {
		hs = append(hs, [2]string{"Connection", conn})
	}
	g.cl = -1
	g.body = rapid.StringN(0, 200, -1).Draw(t, "body")
	switch {
	case g.minor == 1 && rapid.Bool().Draw(t, "chunked"):
		g.chunked = true
		hs = append(hs, [2]string{"Transfer-Encoding", "chunked"})
	case g.body != "" || rapid.Bool().Draw(t, "cl0"):
		g.cl = int64(len(g.body))
		hs = append(hs, [2]string{"Content-Length", strconv.Itoa(len(g.body))})
	}
	// Shuffle the field lines: order must be preserved by the parser.
	perm := rapid.Permutation(hs).Draw(t, "perm")
	g.headers = perm

	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.%d\r\n", g.method, g.target, g.minor)
	for _, h := range g.headers {
		ows1 := rapid.SampledFrom([]string{"", " ", "\t", "  "}).Draw(t, "ows1")
		ows2 := rapid.SampledFrom([]string{"", " ", "\t "}).Draw(t, "ows2")
		fmt.Fprintf(&b, "%s:%s%s%s\r\n", h[0], ows1, h[1], ows2)
	}
	b.WriteString("\r\n")
	if g.chunked {
		b.Write(encodeChunked(t, []byte(g.body)))
	} else {
		b.WriteString(g.body)
	}
	g.raw = b.String()
	return g
}

// encodeChunked splits body into random chunks, some with extensions.
func encodeChunked(t *rapid.T, body []byte) []byte {
	var out []byte
	for len(body) > 0 {
		n := rapid.IntRange(1, len(body)).Draw(t, "chunk")
		if rapid.IntRange(0, 4).Draw(t, "ext") == 0 {
			out = strconv.AppendInt(out, int64(n), 16)
			out = append(out, `;name="v \" x";flag`+"\r\n"...)
			out = append(out, body[:n]...)
			out = append(out, "\r\n"...)
		} else {
			out = http1.AppendChunk(out, body[:n])
		}
		body = body[n:]
	}
	return http1.AppendLastChunk(out)
}

func TestPropertyRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		g := drawRequest(t)
		var h http1.Head
		n, err := http1.ParseHead([]byte(g.raw), &h, http1.Limits{})
		if err != nil {
			t.Fatalf("ParseHead(%q) = %v", g.raw, err)
		}
		if string(h.Method) != g.method || string(h.Target) != g.target || string(h.Path) != g.path {
			t.Fatalf("ParseHead(%q): method %q target %q path %q", g.raw, h.Method, h.Target, h.Path)
		}
		if (g.query == nil) != (h.Query == nil) || (g.query != nil && *g.query != string(h.Query)) {
			t.Fatalf("ParseHead(%q): query %q, want %v", g.raw, h.Query, g.query)
		}
		if h.ProtoMajor != 1 || h.ProtoMinor != g.minor || h.KeepAlive != g.keepAlive || h.Chunked != g.chunked || h.ContentLength != g.cl {
			t.Fatalf("ParseHead(%q): proto %d.%d keepalive %v chunked %v cl %d", g.raw, h.ProtoMajor, h.ProtoMinor, h.KeepAlive, h.Chunked, h.ContentLength)
		}
		if string(h.Host) != g.host {
			t.Fatalf("ParseHead(%q): host %q, want %q", g.raw, h.Host, g.host)
		}
		if len(h.Headers) != len(g.headers) {
			t.Fatalf("ParseHead(%q): %d headers, want %d", g.raw, len(h.Headers), len(g.headers))
		}
		for i, f := range h.Headers {
			if string(f.Name) != g.headers[i][0] || string(f.Value) != g.headers[i][1] {
				t.Fatalf("header %d = %q: %q, want %q", i, f.Name, f.Value, g.headers[i])
			}
			// Get finds the first field of that name, in any case.
			want := ""
			for _, gh := range g.headers {
				if strings.EqualFold(gh[0], string(f.Name)) {
					want = gh[1]
					break
				}
			}
			if got := h.Get(strings.ToUpper(string(f.Name))); string(got) != want {
				t.Fatalf("Get(%q) = %q, want %q", f.Name, got, want)
			}
		}
		// The body decodes back.
		res := h1test.Drive([]byte(g.raw), h1test.Options{})
		if len(res.Requests) != 1 || res.Requests[0].Body != g.body || res.Status != 0 || res.Incomplete {
			t.Fatalf("Drive(%q) = %+v", g.raw, res)
		}
		_ = n
	})
}

// drawStream is a pipelined stream of valid requests, possibly mutated.
func drawStream(t *rapid.T) []byte {
	var b []byte
	for range rapid.IntRange(1, 3).Draw(t, "count") {
		b = append(b, drawRequest(t).raw...)
	}
	for range rapid.IntRange(0, 2).Draw(t, "mutations") {
		if len(b) == 0 {
			break
		}
		i := rapid.IntRange(0, len(b)-1).Draw(t, "at")
		b[i] = rapid.SampledFrom([]byte("\r\n \t:;,0a\x00\x7f\x80%/?#\"")).Draw(t, "byte")
	}
	return b
}

func TestPropertySplitInvariance(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		raw := drawStream(t)
		whole := h1test.Drive(raw, h1test.Options{})
		splits := rapid.SliceOfN(rapid.IntRange(1, 64), 0, 40).Draw(t, "splits")
		pieces := h1test.Drive(raw, h1test.Options{Splits: splits})
		if err := h1test.Same(whole, pieces); err != nil {
			t.Fatalf("Drive(%q) whole vs split %v: %v", raw, splits, err)
		}
	})
}

func TestPropertyChunkedIdentity(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		body := rapid.SliceOfN(rapid.Byte(), 0, 2000).Draw(t, "body")
		enc := encodeChunked(t, body)
		tail := []byte("GET / HTTP/1.1\r\n")
		src := append(slices.Clip(enc), tail...)

		// Zero-copy form, fed in random pieces.
		var d http1.ChunkedDecoder
		var got []byte
		rest, consumed := src, 0
		for !d.Done() {
			if len(rest) == 0 {
				t.Fatalf("decoder not done after all of %q", enc)
			}
			k := min(rapid.IntRange(1, 50).Draw(t, "piece"), len(rest))
			piece := rest[:k]
			for len(piece) > 0 {
				n, data, err := d.Next(piece)
				got = append(got, data...)
				piece, consumed = piece[n:], consumed+n
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("Next: %v", err)
				}
				if n == 0 {
					t.Fatalf("Next made no progress")
				}
			}
			rest = rest[k:]
		}
		if !bytes.Equal(got, body) || consumed != len(enc) {
			t.Fatalf("decoded %d bytes (consumed %d of %d), want %d", len(got), consumed, len(enc), len(body))
		}

		// Copying form with a small destination.
		d.Reset()
		dst := make([]byte, rapid.IntRange(1, 64).Draw(t, "dst"))
		got, rest = got[:0], src
		for {
			ns, nd, err := d.Decode(dst, rest)
			got = append(got, dst[:nd]...)
			rest = rest[ns:]
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if ns == 0 && nd == 0 {
				t.Fatalf("Decode made no progress")
			}
		}
		if !bytes.Equal(got, body) || !bytes.Equal(rest, tail) {
			t.Fatalf("Decode: body %d bytes rest %q, want %d bytes rest %q", len(got), rest, len(body), tail)
		}
	})
}

// TestParserLinear checks that feeding a head one byte at a time scans it
// once: the cost per byte must not grow with the size of the head. A head
// ten times larger must cost about ten times more, not a hundred.
func TestParserLinear(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's overhead distorts the timing; TestParserScansOnce checks the same deterministically")
	}
	cost := func(size int) float64 {
		head := []byte("GET / HTTP/1.1\r\nHost: a\r\nX: " + strings.Repeat("v", size) + "\r\n\r\n")
		var p http1.Parser
		var h http1.Head
		feed := func() {
			for i := 1; i < len(head); i++ {
				if _, err := p.Parse(head[:i], &h); !errors.Is(err, http1.ErrIncomplete) {
					t.Fatalf("Parse(prefix %d) = %v", i, err)
				}
			}
			if _, err := p.Parse(head, &h); err != nil {
				t.Fatalf("Parse(all) = %v", err)
			}
		}
		var best time.Duration
		for range 5 {
			start := time.Now()
			feed()
			if d := time.Since(start); best == 0 || d < best {
				best = d
			}
		}
		return float64(best)
	}
	small, large := cost(6<<10), cost(60<<10)
	if ratio := large / small; ratio > 25 {
		t.Fatalf("feeding a 60 KiB head byte by byte costs %.0f× a 6 KiB one, want about 10× (linear)", ratio)
	}
}
