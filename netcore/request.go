package netcore

import (
	"context"
	"errors"
	"io"
	"iter"
	"net"
	"net/http"

	"github.com/dext-go/dext/netcore/http1"
)

// A Handler responds to an HTTP request.
//
// ServeHTTP1 runs on a worker goroutine, never on an event loop, so it may
// block (read a slow body, call a database). The Request and Response are
// valid only until it returns: they are reused for the next request, and so
// are the byte slices and strings the Request hands out. Copy what must
// outlive the call (strings.Clone, bytes.Clone).
type Handler interface {
	ServeHTTP1(w *Response, r *Request)
}

// HandlerFunc adapts a function to [Handler].
type HandlerFunc func(w *Response, r *Request)

// ServeHTTP1 calls f(w, r).
func (f HandlerFunc) ServeHTTP1(w *Response, r *Request) { f(w, r) }

// Request is an HTTP request as the server received it. It reads its own
// body: Request implements io.Reader.
//
// Its string accessors return copies (Method interns the standard
// methods); [Request.Head] gives allocation-free views of the connection's
// buffer, valid only until the handler returns. A Request is used by one goroutine at
// a time; it is not safe for concurrent use.
type Request struct {
	head http1.Head
	c    *conn

	// body framing (engine)
	remaining int64 // Content-Length bytes left to read
	chunked   bool
	dec       http1.ChunkedDecoder
	bodyDone  bool
	bodyErr   error
	need100   bool // an interim 100 Continue is owed before the body is read
	sent100   bool

	ctx    context.Context
	cancel context.CancelFunc

	// bridge
	hr   *http.Request
	body io.Reader
}

func (r *Request) reset() {
	r.endContext()
	r.head.Reset()
	r.c = nil
	r.remaining, r.chunked, r.bodyDone, r.bodyErr = 0, false, false, nil
	r.need100, r.sent100 = false, false
	r.hr, r.body = nil, nil
}

// endContext cancels the request's context, if one was made.
func (r *Request) endContext() {
	if r.cancel != nil {
		r.cancel()
		r.cancel = nil
	}
	r.ctx = nil
}

// begin readies r for a request whose head is parsed.
func (r *Request) begin(c *conn) {
	r.c = c
	r.bodyDone, r.bodyErr, r.sent100 = false, nil, false
	switch {
	case r.head.Chunked:
		r.chunked, r.remaining = true, 0
		r.dec.Reset()
		if mb := c.s.cfg.MaxBodyBytes; mb > 0 {
			r.dec.MaxBodyBytes = mb
		} else {
			r.dec.MaxBodyBytes = 0
		}
	case r.head.ContentLength > 0:
		r.chunked, r.remaining = false, r.head.ContentLength
	default:
		r.chunked, r.remaining, r.bodyDone = false, 0, true
	}
	r.need100 = r.head.Expect100 && !r.bodyDone
}

// Method returns the request method, e.g. "GET". Standard methods are
// returned as constants that stay valid after the handler returns.
func (r *Request) Method() string {
	m := r.head.Method
	switch string(m) {
	case http.MethodGet:
		return http.MethodGet
	case http.MethodPost:
		return http.MethodPost
	case http.MethodHead:
		return http.MethodHead
	case http.MethodPut:
		return http.MethodPut
	case http.MethodDelete:
		return http.MethodDelete
	case http.MethodPatch:
		return http.MethodPatch
	case http.MethodOptions:
		return http.MethodOptions
	}
	return string(m)
}

// Target returns the raw request-target, e.g. "/search?q=go".
func (r *Request) Target() string { return string(r.head.Target) }

// Path returns the path of the target, still percent-encoded.
func (r *Request) Path() string { return string(r.head.Path) }

// Query returns the raw query (after '?', without it), or "".
func (r *Request) Query() string { return string(r.head.Query) }

// Host returns the request's authority (Host header or absolute target).
func (r *Request) Host() string { return string(r.head.Host) }

// Proto returns "HTTP/1.1" or "HTTP/1.0" (or what the bridge received).
func (r *Request) Proto() string {
	if r.hr != nil {
		return r.hr.Proto
	}
	if r.head.ProtoMinor == 0 {
		return "HTTP/1.0"
	}
	return "HTTP/1.1"
}

// ProtoAtLeast reports whether the request's version is at least major.minor.
func (r *Request) ProtoAtLeast(major, minor int) bool {
	return r.head.ProtoMajor > major || r.head.ProtoMajor == major && r.head.ProtoMinor >= minor
}

// Header returns the value of the first header field named name (compared
// without regard to case), or "".
func (r *Request) Header(name string) string { return string(r.head.Get(name)) }

// HeaderValues yields every header field in the order received, with the
// name as sent.
func (r *Request) HeaderValues() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for _, h := range r.head.Headers {
			if !yield(string(h.Name), string(h.Value)) {
				return
			}
		}
	}
}

// Head returns the parsed request head (read-only; valid until the handler
// returns).
func (r *Request) Head() *http1.Head { return &r.head }

// ContentLength returns the declared body length, or -1 for a chunked body.
func (r *Request) ContentLength() int64 {
	if r.head.Chunked {
		return -1
	}
	return max(r.head.ContentLength, 0)
}

// Trailers returns the trailer fields of a chunked body, once the body has
// been read to its end (nil before, and for other bodies).
func (r *Request) Trailers() []http1.Header {
	if r.hr != nil {
		var ts []http1.Header
		for name, vs := range r.hr.Trailer {
			for _, v := range vs {
				ts = append(ts, http1.Header{Name: []byte(name), Value: []byte(v)})
			}
		}
		return ts
	}
	if !r.chunked || !r.bodyDone {
		return nil
	}
	return r.dec.Trailers()
}

// KeepAlive reports whether the client wants to keep the connection open.
func (r *Request) KeepAlive() bool { return r.head.KeepAlive }

// RemoteAddr returns the client's address (nil if unknown).
func (r *Request) RemoteAddr() net.Addr {
	if r.hr != nil {
		a, _ := net.ResolveTCPAddr("tcp", r.hr.RemoteAddr)
		return a
	}
	if r.c == nil {
		return nil
	}
	return r.c.remote
}

// Context returns the request's context: cancelled when the handler
// returns, when the connection closes or the client shuts its side (as
// net/http does; answers can still be written after a half-close), or when
// the server closes abruptly. It is made on first use (handlers that do not call Context pay
// nothing).
func (r *Request) Context() context.Context {
	if r.hr != nil {
		return r.hr.Context()
	}
	if r.c == nil {
		return context.Background()
	}
	c := r.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if r.ctx == nil {
		r.ctx, r.cancel = context.WithCancel(context.Background())
		if c.closed || c.eof {
			r.cancel()
		}
	}
	return r.ctx
}

// Read reads the request body; it returns io.EOF at its end. Reading a body
// sent with "Expect: 100-continue" first sends the interim response. A body
// larger than MaxBodyBytes fails with a *[http1.ProtocolError] of status 413;
// malformed chunked framing fails with one of status 400; a client that stops
// sending fails with [ErrTimeout] after BodyReadTimeout.
func (r *Request) Read(p []byte) (int, error) {
	if r.body != nil {
		return r.body.Read(p)
	}
	if r.bodyErr != nil {
		return 0, r.bodyErr
	}
	if r.bodyDone || r.c == nil {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	c := r.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if r.need100 && !r.sent100 {
		r.sent100 = true
		if c.bufferedLocked() == 0 {
			if err := c.flushLocked(); err != nil {
				r.bodyErr = err
				return 0, err
			}
			if err := c.writeLocked(continue100); err != nil {
				r.bodyErr = err
				return 0, err
			}
		}
	}
	n, err := r.readLocked(p)
	if err != nil && !errors.Is(err, io.EOF) {
		r.bodyErr = err
	}
	return n, err
}

var continue100 = []byte("HTTP/1.1 100 Continue\r\n\r\n")

func (r *Request) readLocked(p []byte) (int, error) {
	c := r.c
	for {
		ex := c.ex
		if avail := ex.in[ex.r:]; len(avail) > 0 {
			if !r.chunked {
				n := copy(p[:min(int64(len(p)), r.remaining)], avail)
				ex.r += n
				r.remaining -= int64(n)
				if r.remaining == 0 {
					r.bodyDone = true
				}
				return n, nil
			}
			nsrc, ndst, err := r.dec.Decode(p, avail)
			ex.r += nsrc
			if errors.Is(err, io.EOF) {
				r.bodyDone = true
				if ndst > 0 {
					return ndst, nil
				}
				return 0, io.EOF
			}
			if err != nil {
				return ndst, err
			}
			if ndst > 0 {
				return ndst, nil
			}
			continue
		}
		if err := c.fillLocked(c.s.cfg.BodyReadTimeout); err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, ErrClosed) {
				return 0, io.ErrUnexpectedEOF
			}
			return 0, err
		}
	}
}

// discardBody reads and drops what is left of the body, up to limit bytes.
// It reports whether the body ended (the connection can serve another
// request).
func (r *Request) discardBody(limit int64) bool {
	if r.bodyDone {
		return true
	}
	if r.bodyErr != nil || r.need100 && !r.sent100 {
		// A client waiting for 100 Continue may or may not send the body:
		// the framing of the rest of the stream is unknown.
		return false
	}
	if !r.chunked && r.remaining > limit {
		return false
	}
	var buf [4096]byte
	var n int64
	for n <= limit {
		m, err := r.Read(buf[:])
		n += int64(m)
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			return false
		}
	}
	return false
}
