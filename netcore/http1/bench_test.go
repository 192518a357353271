package http1_test

import (
	"errors"
	"io"
	"testing"

	"github.com/dext-go/dext/netcore/http1"
)

const curlRequest = "GET /health HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n"

func benchParse(b *testing.B, raw string) {
	buf := []byte(raw)
	var (
		p http1.Parser
		h http1.Head
	)
	b.ReportAllocs()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		if n, err := p.Parse(buf, &h); err != nil || n != len(buf) {
			b.Fatalf("Parse = %d, %v", n, err)
		}
	}
}

func BenchmarkParseBrowser(b *testing.B) { benchParse(b, browserRequest) }
func BenchmarkParseCurl(b *testing.B)    { benchParse(b, curlRequest) }

func BenchmarkChunkedNext(b *testing.B) {
	var src []byte
	chunk := make([]byte, 4096)
	for range 16 {
		src = http1.AppendChunk(src, chunk)
	}
	src = http1.AppendLastChunk(src)
	var d http1.ChunkedDecoder
	b.ReportAllocs()
	b.SetBytes(16 * 4096)
	for b.Loop() {
		d.Reset()
		for s := src; ; {
			n, _, err := d.Next(s)
			s = s[n:]
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkAppendResponseHead(b *testing.B) {
	dst := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		d := http1.AppendStatusLine(dst[:0], 200)
		d = http1.AppendDateHeader(d)
		d = http1.AppendHeader(d, "Content-Type", "application/json")
		d = http1.AppendContentLength(d, 1024)
		dst = append(d, '\r', '\n')
	}
}
