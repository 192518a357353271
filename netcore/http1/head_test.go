package http1

import (
	"errors"
	"io"
	"testing"
)

func TestHeadHelpers(t *testing.T) {
	var h Head
	n, err := ParseHead([]byte("POST /x HTTP/1.0\r\nContent-Length: 11\r\nX-A: 1\r\nx-a: 2\r\n\r\n"), &h, Limits{})
	if err != nil || n == 0 {
		t.Fatalf("ParseHead = %d, %v", n, err)
	}
	if !h.HasBody() || !h.IsProto(1, 0) || h.IsProto(1, 1) {
		t.Fatalf("HasBody %v IsProto(1,0) %v", h.HasBody(), h.IsProto(1, 0))
	}
	if got := string(h.Get("X-a")); got != "1" {
		t.Fatalf("Get(X-a) = %q, want the first value", got)
	}
	if h.Get("missing") != nil {
		t.Fatal("Get(missing) != nil")
	}
	if err := h.CheckBodySize(10); err == nil {
		t.Fatal("CheckBodySize(10) with Content-Length 11 = nil")
	} else if pe, ok := errors.AsType[*ProtocolError](err); !ok || pe.Status != 413 {
		t.Fatalf("CheckBodySize(10) = %v, want a 413 ProtocolError", err)
	}
	if err := h.CheckBodySize(11); err != nil {
		t.Fatalf("CheckBodySize(11) = %v", err)
	}
	cap0 := cap(h.Headers)
	h.Reset()
	if h.ContentLength != -1 || len(h.Headers) != 0 || cap(h.Headers) != cap0 || h.Method != nil || h.HasBody() {
		t.Fatalf("after Reset: %+v", h)
	}
	if DefaultLimits() != (Limits{}).withDefaults() || DefaultLimits().MaxHeaderBytes != 64<<10 {
		t.Fatalf("DefaultLimits() = %+v", DefaultLimits())
	}
}

func TestLimitsApplied(t *testing.T) {
	lim := Limits{MaxRequestLineBytes: 16, MaxHeaderBytes: 32, MaxHeaderCount: 2}
	tests := []struct {
		give string
		want int // status, 0 for accepted or incomplete
	}{
		{"GET /0123456789 HTTP/1.1\r\nHost: a\r\n\r\n", 414},
		{"GET /01 HTTP/1.1\r\nHost: a\r\n\r\n", 0},
		{"GET /01 HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n", 431},
		{"GET /01 HTTP/1.1\r\nHost: a\r\nA: 0123456789012345\r\n\r\n", 0},    // exactly 32 bytes
		{"GET /01 HTTP/1.1\r\nHost: a\r\nA: 01234567890123456\r\n\r\n", 431}, // 33
		{"GET /01 HTTP/1.1\r\nHost: a\r\nA: 01234567890123456789", 0},        // unfinished, 32 bytes: incomplete
		{"GET /01 HTTP/1.1\r\nHost: a\r\nA: 012345678901234567890", 431},     // unfinished, 33
		{"GET /0123456789ABCDEF", 414},                                       // unfinished
	}
	for _, tt := range tests {
		var h Head
		_, err := ParseHead([]byte(tt.give), &h, lim)
		got := 0
		if pe, ok := errors.AsType[*ProtocolError](err); ok {
			got = pe.Status
		} else if err != nil && !errors.Is(err, ErrIncomplete) {
			t.Errorf("ParseHead(%q) = %v", tt.give, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseHead(%q) status = %d (%v), want %d", tt.give, got, err, tt.want)
		}
	}
}

func TestChunkedHelpers(t *testing.T) {
	if got := AppendChunk([]byte("x"), nil); string(got) != "x" {
		t.Fatalf("AppendChunk(empty) = %q", got)
	}
	if got := string(AppendChunkHeader(nil, 255)); got != "ff\r\n" {
		t.Fatalf("AppendChunkHeader(255) = %q", got)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("AppendChunkHeader(0) did not panic")
			}
		}()
		AppendChunkHeader(nil, 0)
	}()
	d := ChunkedDecoder{MaxBodyBytes: 100}
	dst := make([]byte, 3)
	src := []byte("5\r\nhello\r\n0\r\n\r\n")
	var body []byte
	for {
		ns, nd, err := d.Decode(dst, src)
		body = append(body, dst[:nd]...)
		src = src[ns:]
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil || (ns == 0 && nd == 0) {
			t.Fatalf("Decode = %d, %d, %v", ns, nd, err)
		}
	}
	if string(body) != "hello" || d.BodyBytes() != 5 || !d.Done() || len(src) != 0 {
		t.Fatalf("decoded %q (%d bytes), done %v, rest %q", body, d.BodyBytes(), d.Done(), src)
	}
	// After the end, Next reports io.EOF without consuming.
	if n, data, err := d.Next([]byte("GET")); n != 0 || data != nil || !errors.Is(err, io.EOF) {
		t.Fatalf("Next after done = %d, %q, %v", n, data, err)
	}
	d.Reset()
	if d.Done() || d.BodyBytes() != 0 || d.MaxBodyBytes != 100 {
		t.Fatalf("after Reset: done %v, bytes %d, max %d", d.Done(), d.BodyBytes(), d.MaxBodyBytes)
	}
}
