package http1_test

import (
	"testing"

	"github.com/dext-go/dext/netcore/http1"
)

// BrowserRequest is a typical browser navigation request (Chrome, ~600 bytes).
const browserRequest = "GET /forum/topics/42?page=2&sort=new HTTP/1.1\r\n" +
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

func TestParseHeadZeroAllocs(t *testing.T) {
	buf := []byte(browserRequest)
	var h http1.Head
	var p http1.Parser
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := p.Parse(buf, &h); err != nil {
			t.Fatal(err)
		}
		if _, err := http1.ParseHead(buf, &h, http1.Limits{}); err != nil {
			t.Fatal(err)
		}
		_ = h.Get("user-agent")
	})
	if allocs != 0 {
		t.Fatalf("Parser.Parse + ParseHead(browser request) allocate %v times per run, want 0", allocs)
	}
	if string(h.Get("HOST")) != "www.example.com" || !h.KeepAlive || len(h.Headers) != 17 {
		t.Fatalf("parsed %q keep-alive=%v headers=%d", h.Get("host"), h.KeepAlive, len(h.Headers))
	}
}

func TestResponseWritersZeroAllocs(t *testing.T) {
	dst := make([]byte, 0, 512)
	body := []byte("hello")
	allocs := testing.AllocsPerRun(100, func() {
		b := http1.AppendStatusLine(dst[:0], 200)
		b = http1.AppendDateHeader(b)
		b = http1.AppendHeader(b, "Content-Type", "text/plain")
		b = http1.AppendContentLength(b, 5)
		b = append(b, "\r\n"...)
		b = http1.AppendChunk(b, body)
		b = http1.AppendLastChunk(b)
		dst = b
	})
	if allocs != 0 {
		t.Fatalf("response writers allocate %v times per run, want 0", allocs)
	}
}

func TestChunkedDecoderZeroAllocs(t *testing.T) {
	src := []byte("5;a=b\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
	var d http1.ChunkedDecoder
	allocs := testing.AllocsPerRun(100, func() {
		d.Reset()
		for s := src; ; {
			n, _, err := d.Next(s)
			s = s[n:]
			if err != nil {
				break
			}
		}
	})
	if allocs != 0 || !d.Done() {
		t.Fatalf("ChunkedDecoder.Next allocates %v times per body (done %v), want 0", allocs, d.Done())
	}
}
