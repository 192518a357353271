package netcore_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/dext-go/dext/netcore/http1"
	"github.com/dext-go/dext/netcore/http1/h1test"
)

const fuzzMaxBody = 1 << 20

func addSeeds(f *testing.F, withSplits bool) {
	for i, c := range h1test.Cases {
		if len(c.Raw) > 4096 {
			continue // the long cases test limits, not structure
		}
		if withSplits {
			f.Add([]byte(c.Raw), []byte{byte(i % 7), byte(i % 3), 0, 5})
		} else {
			f.Add([]byte(c.Raw))
		}
	}
}

// pieces turns fuzzer bytes into piece lengths 1..256.
func pieces(b []byte) []int {
	sp := make([]int, len(b))
	for i, c := range b {
		sp[i] = int(c) + 1
	}
	return sp
}

// FuzzParser: the parser never panics or hangs, answers the same for any
// split of its input, and keeps its promises about what it accepts.
func FuzzParser(f *testing.F) {
	addSeeds(f, true)
	f.Fuzz(func(t *testing.T, data, splits []byte) {
		whole := h1test.Drive(data, h1test.Options{MaxBody: fuzzMaxBody})
		split := h1test.Drive(data, h1test.Options{MaxBody: fuzzMaxBody, Splits: pieces(splits)})
		if err := h1test.Same(whole, split); err != nil {
			t.Fatalf("Drive(%q) whole vs split %v: %v", data, pieces(splits), err)
		}
		if whole.Err != nil {
			if _, ok := errors.AsType[*http1.ProtocolError](whole.Err); !ok {
				t.Fatalf("Drive(%q) error %v is not a *ProtocolError", data, whole.Err)
			}
		}

		var h http1.Head
		n, err := http1.ParseHead(data, &h, http1.Limits{})
		switch {
		case errors.Is(err, http1.ErrIncomplete):
			return
		case err != nil:
			pe, ok := errors.AsType[*http1.ProtocolError](err)
			if !ok || !validStatus[pe.Status] {
				t.Fatalf("ParseHead(%q) = %v, not a ProtocolError with a known status", data, err)
			}
			return
		}
		checkHead(t, data, n, &h)
		// Every proper prefix of an accepted head is incomplete, not an error.
		step := max(1, n/64)
		var h2 http1.Head
		for k := 0; k < n; k += step {
			if _, err := http1.ParseHead(data[:k], &h2, http1.Limits{}); !errors.Is(err, http1.ErrIncomplete) {
				t.Fatalf("ParseHead(%q) = %v, but the whole head %q is accepted", data[:k], err, data[:n])
			}
		}
	})
}

var validStatus = map[int]bool{400: true, 413: true, 414: true, 431: true, 501: true, 505: true}

// checkHead checks the promises of an accepted head.
func checkHead(t *testing.T, data []byte, n int, h *http1.Head) {
	t.Helper()
	if n < 4 || n > len(data) || string(data[n-4:n]) != "\r\n\r\n" {
		t.Fatalf("ParseHead(%q) = %d, not the end of a head", data, n)
	}
	head := data[:n]
	within := func(name string, b []byte) {
		if b == nil {
			return
		}
		if !bytes.Contains(head, b) {
			t.Fatalf("ParseHead(%q): %s %q is not a view of the input", data, name, b)
		}
	}
	within("method", h.Method)
	within("target", h.Target)
	within("query", h.Query)
	within("host", h.Host)
	if !http1.ValidHeaderName(h.Method) || len(h.Target) == 0 {
		t.Fatalf("ParseHead(%q): method %q target %q", data, h.Method, h.Target)
	}
	if h.ProtoMajor != 1 || h.ProtoMinor > 1 {
		t.Fatalf("ParseHead(%q): version %d.%d", data, h.ProtoMajor, h.ProtoMinor)
	}
	if h.Chunked && h.ContentLength >= 0 {
		t.Fatalf("ParseHead(%q): both chunked and Content-Length %d", data, h.ContentLength)
	}
	for _, f := range h.Headers {
		if !http1.ValidHeaderName(f.Name) || !http1.ValidHeaderValue(f.Value) {
			t.Fatalf("ParseHead(%q): field %q: %q accepted", data, f.Name, f.Value)
		}
		within("name", f.Name)
	}
	if h.ProtoMinor == 1 && h.Get("host") == nil {
		t.Fatalf("ParseHead(%q): HTTP/1.1 without Host accepted", data)
	}
}

// FuzzChunkedDecoder: the decoder never panics or hangs, always makes
// progress, returns body bytes that alias its input, and answers the same
// for any split of its input.
func FuzzChunkedDecoder(f *testing.F) {
	for _, s := range []string{
		"5\r\nhello\r\n0\r\n\r\n",
		"5;a=b;c=\"d\\\"e\"\r\nhello\r\n0\r\nX: y\r\n\r\nrest",
		"1\r\na\r\n1\r\nb\r\n0\r\n\r\n",
		"ffffffffffffffff\r\n",
		"5 ;x\r\nhello\r\n0\r\n\r\n",
		"0\r\nA: b\r\nC:d\r\n\r\n",
		"5\nhello\n0\n\n",
		"0\r\n\r",
	} {
		f.Add([]byte(s), []byte{3, 1, 0})
	}
	f.Fuzz(func(t *testing.T, data, splits []byte) {
		a := decodeAll(t, data, nil)
		b := decodeAll(t, data, pieces(splits))
		if a != b {
			t.Fatalf("decode(%q): whole %+v, split %v %+v", data, a, pieces(splits), b)
		}
	})
}

type decodeResult struct {
	body     string
	consumed int
	err      string
	done     bool
	trailers string
}

func decodeAll(t *testing.T, data []byte, splits []int) decodeResult {
	var d http1.ChunkedDecoder
	d.MaxBodyBytes = fuzzMaxBody
	var r decodeResult
	var body []byte
	fed := 0
	for fed < len(data) {
		k := len(data) - fed
		if len(splits) > 0 {
			k = min(k, splits[0])
			splits = splits[1:]
		}
		src := data[fed : fed+k]
		fed += k
		for len(src) > 0 {
			n, out, err := d.Next(src)
			if n < 0 || n > len(src) || (n == 0 && err == nil) {
				t.Fatalf("Next(%q) consumed %d", src, n)
			}
			if len(out) > 0 && (&out[0] != &src[n-len(out)] || len(out) > n) {
				t.Fatalf("Next(%q) returned data that is not the end of src[:%d]", src, n)
			}
			body = append(body, out...)
			r.consumed += n
			src = src[n:]
			if err != nil {
				if !errors.Is(err, io.EOF) {
					if _, ok := errors.AsType[*http1.ProtocolError](err); !ok {
						t.Fatalf("Next: %v is not a ProtocolError", err)
					}
				}
				r.err = err.Error()
				r.done = d.Done()
				r.body = string(body)
				for _, tr := range d.Trailers() {
					r.trailers += fmt.Sprintf("%s: %s\n", tr.Name, tr.Value)
				}
				return r
			}
		}
	}
	r.body = string(body)
	return r
}
