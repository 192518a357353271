// Package netcorebench compares netcore with net/http and fasthttp.
package netcorebench

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httputil"
	"strings"
	"testing"

	"github.com/dext-go/dext/bench/internal/report"
	"github.com/dext-go/dext/netcore/http1"
	"github.com/valyala/fasthttp"
)

// BrowserRequest is a typical browser navigation request (Chrome 131, 17
// header fields, ~900 bytes).
const BrowserRequest = "GET /forum/topics/42?page=2&sort=new HTTP/1.1\r\n" +
	"Host: www.example.com\r\n" +
	"Connection: keep-alive\r\n" +
	"Cache-Control: max-age=0\r\n" +
	"sec-ch-ua: \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"\r\n" +
	"sec-ch-ua-mobile: ?0\r\n" +
	"sec-ch-ua-platform: \"Linux\"\r\n" +
	"Upgrade-Insecure-Requests: 1\r\n" +
	"User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36\r\n" +
	"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8\r\n" +
	"Sec-Fetch-Site: same-origin\r\n" +
	"Sec-Fetch-Mode: navigate\r\n" +
	"Sec-Fetch-User: ?1\r\n" +
	"Sec-Fetch-Dest: document\r\n" +
	"Referer: https://www.example.com/forum/topics/42\r\n" +
	"Accept-Encoding: gzip, deflate, br, zstd\r\n" +
	"Accept-Language: en-US,en;q=0.9\r\n" +
	"Cookie: session=3f2a9c0d4e5b6a7f8e9d0c1b2a3f4e5d; theme=dark\r\n" +
	"\r\n"

// CurlRequest is a minimal request as curl sends it.
const CurlRequest = "GET /health HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n"

// ParseOurs parses raw with http1.Parser into a reused Head.
func ParseOurs(raw string) func(b *testing.B) {
	return func(b *testing.B) {
		buf := []byte(raw)
		var (
			p http1.Parser
			h http1.Head
		)
		b.ReportAllocs()
		b.SetBytes(int64(len(buf)))
		for b.Loop() {
			n, err := p.Parse(buf, &h)
			if err != nil || n != len(buf) || h.Get("host") == nil {
				b.Fatalf("Parse = %d, %v", n, err)
			}
		}
	}
}

// ParseNetHTTP parses raw with http.ReadRequest through a reused
// bufio.Reader, as net/http's server does per connection.
func ParseNetHTTP(raw string) func(b *testing.B) {
	return func(b *testing.B) {
		src := strings.NewReader(raw)
		br := bufio.NewReaderSize(src, 4096)
		b.ReportAllocs()
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			src.Reset(raw)
			br.Reset(src)
			req, err := http.ReadRequest(br)
			if err != nil || req.Host == "" {
				b.Fatalf("ReadRequest: %v", err)
			}
		}
	}
}

// ParseFastHTTP parses raw with fasthttp's RequestHeader.Read through a
// reused bufio.Reader and a reused header, as fasthttp's server does.
func ParseFastHTTP(raw string) func(b *testing.B) {
	return func(b *testing.B) {
		src := strings.NewReader(raw)
		br := bufio.NewReaderSize(src, 4096)
		var h fasthttp.RequestHeader
		b.ReportAllocs()
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			src.Reset(raw)
			br.Reset(src)
			h.Reset()
			if err := h.Read(br); err != nil || len(h.Host()) == 0 {
				b.Fatalf("RequestHeader.Read: %v", err)
			}
		}
	}
}

// Pipelined is 16 curl requests sent back to back, as a pipelining client
// (or TechEmpower's plaintext test) sends them.
var Pipelined = strings.Repeat(CurlRequest, 16)

// PipelinedOurs parses the 16 heads of Pipelined from one buffer.
func PipelinedOurs(b *testing.B) {
	buf := []byte(Pipelined)
	var (
		p http1.Parser
		h http1.Head
	)
	b.ReportAllocs()
	for b.Loop() {
		rest, count := buf, 0
		for len(rest) > 0 {
			n, err := p.Parse(rest, &h)
			if err != nil {
				b.Fatal(err)
			}
			rest, count = rest[n:], count+1
		}
		if count != 16 {
			b.Fatalf("parsed %d requests", count)
		}
	}
}

// PipelinedFastHTTP reads the 16 heads of Pipelined with one reused
// RequestHeader from one bufio.Reader.
func PipelinedFastHTTP(b *testing.B) {
	src := strings.NewReader(Pipelined)
	br := bufio.NewReaderSize(src, 4096)
	var h fasthttp.RequestHeader
	b.ReportAllocs()
	for b.Loop() {
		src.Reset(Pipelined)
		br.Reset(src)
		for range 16 {
			h.Reset()
			if err := h.Read(br); err != nil {
				b.Fatal(err)
			}
		}
		if br.Buffered() != 0 {
			b.Fatalf("%d bytes left", br.Buffered())
		}
	}
}

// chunkedBody is a 64 KiB body in 4 KiB chunks.
var chunkedBody = func() []byte {
	var out []byte
	chunk := bytes.Repeat([]byte("x"), 4096)
	for range 16 {
		out = http1.AppendChunk(out, chunk)
	}
	return http1.AppendLastChunk(out)
}()

// ChunkedOurs decodes chunkedBody with http1.ChunkedDecoder.Next (zero copy).
func ChunkedOurs(b *testing.B) {
	var d http1.ChunkedDecoder
	b.ReportAllocs()
	b.SetBytes(64 << 10)
	for b.Loop() {
		d.Reset()
		total := 0
		for src := chunkedBody; ; {
			n, data, err := d.Next(src)
			total += len(data)
			src = src[n:]
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		if total != 64<<10 {
			b.Fatalf("decoded %d bytes", total)
		}
	}
}

// ChunkedNetHTTP decodes chunkedBody with net/http's chunked reader into a
// reused buffer.
func ChunkedNetHTTP(b *testing.B) {
	src := bytes.NewReader(chunkedBody)
	br := bufio.NewReaderSize(src, 4096)
	buf := make([]byte, 32<<10)
	b.ReportAllocs()
	b.SetBytes(64 << 10)
	for b.Loop() {
		src.Reset(chunkedBody)
		br.Reset(src)
		n, err := io.CopyBuffer(io.Discard, httputil.NewChunkedReader(br), buf)
		if err != nil || n != 64<<10 {
			b.Fatalf("decoded %d bytes: %v", n, err)
		}
	}
}

// ParserSuite compares the HTTP/1.1 codec with net/http and fasthttp.
var ParserSuite = report.Suite{
	Name:  "http1",
	Title: "netcore/http1: request parsing",
	Notes: `Parsing one request head: ours is http1.Parser.Parse on the bytes in
place (how the gnet engine calls it; the Head is reused), net/http is
http.ReadRequest and fasthttp is RequestHeader.Read, each through a bufio.Reader
that is reset per request as their servers keep one per connection. The browser
request is a 17-field Chrome navigation (~900 bytes); the curl request has 3
fields; the pipelined row parses 16 of those from one buffer. The chunked row decodes a 64 KiB body sent in 4 KiB chunks (ours:
ChunkedDecoder.Next, zero copy; net/http: httputil.NewChunkedReader).`,
	Run: func(r *report.Recorder) {
		r.Compare("parse browser request: http1 vs net/http ReadRequest",
			report.Goal{Text: "0 allocs, faster", MaxSlowdown: 1, MaxAllocs: 0},
			ParseOurs(BrowserRequest), ParseNetHTTP(BrowserRequest))
		r.Compare("parse browser request: http1 vs fasthttp RequestHeader.Read",
			report.Goal{Text: "0 allocs, not slower", MaxSlowdown: 1, MaxAllocs: 0},
			ParseOurs(BrowserRequest), ParseFastHTTP(BrowserRequest))
		r.Compare("parse curl request: http1 vs net/http ReadRequest",
			report.Goal{Text: "0 allocs, faster", MaxSlowdown: 1, MaxAllocs: 0},
			ParseOurs(CurlRequest), ParseNetHTTP(CurlRequest))
		r.Compare("parse curl request: http1 vs fasthttp RequestHeader.Read",
			report.Goal{Text: "0 allocs, not slower", MaxSlowdown: 1, MaxAllocs: 0},
			ParseOurs(CurlRequest), ParseFastHTTP(CurlRequest))
		r.Compare("parse 16 pipelined curl requests: http1 vs fasthttp",
			report.Goal{Text: "0 allocs, not slower", MaxSlowdown: 1, MaxAllocs: 0},
			PipelinedOurs, PipelinedFastHTTP)
		r.Compare("decode 64 KiB chunked body: http1 vs net/http chunked reader",
			report.Goal{Text: "0 allocs", MaxAllocs: 0},
			ChunkedOurs, ChunkedNetHTTP)
	},
}
