package http1_test

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/dext-go/dext/netcore/http1"
)

func ExampleParser() {
	var (
		p http1.Parser
		h http1.Head
	)
	// The head arrives in two reads.
	buf := []byte("POST /upload?x=1 HTTP/1.1\r\nHost: example.com\r\nContent-")
	_, err := p.Parse(buf, &h)
	fmt.Println(errors.Is(err, http1.ErrIncomplete))

	buf = append(buf, "Length: 5\r\n\r\nhello"...)
	n, err := p.Parse(buf, &h)
	fmt.Println(err, string(h.Method), string(h.Path), string(h.Query), string(h.Host))
	fmt.Println(h.ContentLength, h.KeepAlive, string(buf[n:]))
	// Output:
	// true
	// <nil> POST /upload x=1 example.com
	// 5 true hello
}

func ExampleParseHead_protocolError() {
	var h http1.Head
	_, err := http1.ParseHead([]byte("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"), &h, http1.Limits{})
	if pe, ok := errors.AsType[*http1.ProtocolError](err); ok {
		fmt.Println(pe.Status, pe.Reason)
	}
	// Output:
	// 400 both Content-Length and Transfer-Encoding
}

func ExampleChunkedDecoder() {
	var d http1.ChunkedDecoder
	src := []byte("5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Check: ok\r\n\r\nGET /next")
	var body []byte
	for {
		n, data, err := d.Next(src)
		body = append(body, data...) // data aliases src: no copy needed to inspect it
		src = src[n:]
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Printf("%s | %s: %s | rest %q\n", body, d.Trailers()[0].Name, d.Trailers()[0].Value, src)
	// Output:
	// hello world | X-Check: ok | rest "GET /next"
}

func ExampleAppendStatusLine() {
	b := http1.AppendStatusLine(nil, 404)
	b = http1.AppendContentLength(b, 0)
	b = append(b, "\r\n"...)
	fmt.Printf("%q\n", b)
	b = http1.AppendChunk(nil, []byte("data"))
	b = http1.AppendLastChunk(b)
	fmt.Printf("%q\n", b)
	// Output:
	// "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
	// "4\r\ndata\r\n0\r\n\r\n"
}

func ExampleDateCache() {
	var c http1.DateCache
	t := time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC)
	fmt.Println(string(c.Append(nil, t)))
	// Later in the same second, the cached text is reused.
	fmt.Println(string(c.Append([]byte("Date: "), t.Add(500*time.Millisecond))))
	// Output:
	// Sun, 06 Nov 1994 08:49:37 GMT
	// Date: Sun, 06 Nov 1994 08:49:37 GMT
}

func ExampleValidHeaderValue() {
	for _, v := range []string{"text/html; charset=utf-8", "x\r\nSet-Cookie: admin=1"} {
		fmt.Println(http1.ValidHeaderValue(v))
	}
	// Output:
	// true
	// false
}
