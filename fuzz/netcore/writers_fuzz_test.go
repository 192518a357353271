package netcore_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/dext-go/dext/netcore/http1"
)

// FuzzChunkedRoundTrip: a body written with AppendChunk in chunks of
// arbitrary sizes and ended with AppendLastChunk decodes back to itself.
func FuzzChunkedRoundTrip(f *testing.F) {
	f.Add([]byte("hello world"), []byte{5, 1})
	f.Add([]byte{}, []byte{})
	f.Add(bytes.Repeat([]byte{0, '\r', '\n'}, 100), []byte{0, 255, 3})
	f.Fuzz(func(t *testing.T, body, sizes []byte) {
		var enc []byte
		rest := body
		for i := 0; len(rest) > 0; i++ {
			n := len(rest)
			if i < len(sizes) {
				n = min(int(sizes[i])+1, n)
			}
			enc = http1.AppendChunk(enc, rest[:n])
			rest = rest[n:]
		}
		enc = http1.AppendLastChunk(enc)
		var d http1.ChunkedDecoder
		var got []byte
		src := enc
		for {
			n, data, err := d.Next(src)
			got = append(got, data...)
			src = src[n:]
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("decoding %q: %v", enc, err)
			}
		}
		if !bytes.Equal(got, body) || len(src) != 0 {
			t.Fatalf("round trip of %q gave %q, %d bytes left", body, got, len(src))
		}
	})
}

// FuzzHeaderValue: a value that ValidHeaderValue accepts can be written as a
// field line and is read back unchanged, as exactly one field: a writer
// that checks values cannot be made to inject fields or split a message.
func FuzzHeaderValue(f *testing.F) {
	for _, s := range []string{"text/plain", "a\r\nX-Injected: 1", "a\nb", " a", "caf\xc3\xa9", "\t", "a\x00"} {
		f.Add("X-Name", s)
	}
	f.Fuzz(func(t *testing.T, name, value string) {
		if !http1.ValidHeaderName(name) || !http1.ValidHeaderValue(value) {
			return
		}
		raw := http1.AppendHeader([]byte("GET / HTTP/1.1\r\nHost: a\r\n"), name, value)
		raw = append(raw, "\r\n"...)
		var h http1.Head
		n, err := http1.ParseHead(raw, &h, http1.Limits{})
		if err != nil {
			// Only the semantics of a few names can refuse a valid value.
			if isFramingName(name) {
				return
			}
			t.Fatalf("ParseHead(%q) = %v", raw, err)
		}
		if n != len(raw) || len(h.Headers) != 2 || string(h.Headers[1].Name) != name || string(h.Headers[1].Value) != value {
			t.Fatalf("ParseHead(%q) = %d, headers %q", raw, n, h.Headers)
		}
	})
}

// isFramingName reports names whose values the parser interprets (and may
// refuse): Host, Content-Length, Transfer-Encoding.
func isFramingName(name string) bool {
	for _, n := range []string{"host", "content-length", "transfer-encoding"} {
		if strings.EqualFold(name, n) {
			return true
		}
	}
	return false
}
