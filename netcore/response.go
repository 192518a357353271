package netcore

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/dext-go/dext/netcore/http1"
)

// autoFlush is how much body a Response buffers before it starts streaming
// it (chunked, unless a Content-Length was set).
const autoFlush = 64 << 10

// ErrBodyLength is returned by a Write past the declared Content-Length.
var ErrBodyLength = errors.New("netcore: write beyond the declared Content-Length")

// ErrCommitted is returned by [Response.Upgrade] after the head was sent.
var ErrCommitted = errors.New("netcore: response head already sent")

// Response builds the answer to a request.
//
// The handler sets the status and header fields, then writes the body. By
// default the whole body is buffered and sent with a Content-Length when the
// handler returns, so a small response costs one write. [Response.Flush]
// (or a body beyond 64 KiB) sends the head and what is buffered at once and
// streams the rest: with the declared Content-Length if the handler set one,
// else chunked (HTTP/1.1) or until the connection closes (HTTP/1.0).
//
// A Response is used by one goroutine at a time; it is not safe for
// concurrent use, and it is valid only until the handler returns.
type Response struct {
	c         *conn
	req       *Request
	status    int
	fields    []field
	body      []byte
	declared  int64 // Content-Length set by the handler, or -1
	written   int64 // body bytes sent after the head
	committed bool
	chunked   bool
	closeConn bool
	wantClose bool
	hasDate   bool
	hasConn   bool
	up        UpgradeHandler
	err       error

	w http.ResponseWriter // bridge
}

type field struct{ name, value string }

func (w *Response) reset() {
	clear(w.fields)
	*w = Response{fields: w.fields[:0], body: w.body[:0], declared: -1}
}

func (w *Response) begin(c *conn, r *Request) {
	w.reset()
	w.c, w.req = c, r
}

// Status returns the status set so far (200 if none).
func (w *Response) Status() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// Committed reports whether the head has been sent.
func (w *Response) Committed() bool { return w.committed }

// WriteHeader sets the status code (100–999; 200 by default). Calls after
// the head was sent are ignored.
func (w *Response) WriteHeader(status int) {
	if w.committed || status < 100 || status > 999 {
		return
	}
	w.status = status
}

func canonicalSpecial(name string) string {
	switch {
	case strings.EqualFold(name, "Content-Length"):
		return "Content-Length"
	case strings.EqualFold(name, "Transfer-Encoding"):
		return "Transfer-Encoding"
	case strings.EqualFold(name, "Connection"):
		return "Connection"
	case strings.EqualFold(name, "Date"):
		return "Date"
	}
	return ""
}

// SetHeader sets the header field name to value, replacing any previous
// values. A name or value that is not valid HTTP (a CR or LF in it, say) is
// dropped. Content-Length declares the body length; Transfer-Encoding is
// managed by the server and ignored; "Connection: close" closes the
// connection after the response. Calls after the head was sent are ignored.
func (w *Response) SetHeader(name, value string) {
	w.DelHeader(name)
	w.AddHeader(name, value)
}

// AddHeader adds a header field, keeping previous values (see SetHeader).
func (w *Response) AddHeader(name, value string) {
	if w.committed || !http1.ValidHeaderName(name) || !http1.ValidHeaderValue(value) {
		return
	}
	switch canonicalSpecial(name) {
	case "Content-Length":
		n, err := strconv.ParseInt(value, 10, 64)
		if err == nil && n >= 0 {
			w.declared = n
		}
		return
	case "Transfer-Encoding":
		return
	case "Connection":
		if strings.Contains(strings.ToLower(value), "close") {
			w.wantClose = true
			return
		}
		w.hasConn = true
	case "Date":
		w.hasDate = true
	}
	w.fields = append(w.fields, field{name, value})
}

// DelHeader removes every field named name.
func (w *Response) DelHeader(name string) {
	if w.committed {
		return
	}
	switch canonicalSpecial(name) {
	case "Content-Length":
		w.declared = -1
		return
	case "Date":
		w.hasDate = false
	case "Connection":
		w.hasConn = false
	}
	fs := w.fields[:0]
	for _, f := range w.fields {
		if !strings.EqualFold(f.name, name) {
			fs = append(fs, f)
		}
	}
	clear(w.fields[len(fs):])
	w.fields = fs
}

// HeaderValue returns the first value set for name, or "".
func (w *Response) HeaderValue(name string) string {
	for _, f := range w.fields {
		if strings.EqualFold(f.name, name) {
			return f.value
		}
	}
	if canonicalSpecial(name) == "Content-Length" && w.declared >= 0 {
		return strconv.FormatInt(w.declared, 10)
	}
	return ""
}

// SetContentLength declares the body length, so that a streamed body is
// sent without chunked encoding.
func (w *Response) SetContentLength(n int64) {
	if !w.committed && n >= 0 {
		w.declared = n
	}
}

// SetClose asks for the connection to be closed after this response.
func (w *Response) SetClose() { w.wantClose = true }

// WriteString is Write for a string.
func (w *Response) WriteString(s string) (int, error) {
	return w.write(nil, s)
}

// Write adds p to the body. Before the head is sent it is buffered (and
// streamed once more than 64 KiB is buffered); after, it is sent on the next
// Flush or when enough has gathered. It fails once the connection is gone.
func (w *Response) Write(p []byte) (int, error) {
	return w.write(p, "")
}

func (w *Response) write(p []byte, s string) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	n := len(p) + len(s)
	if w.w != nil {
		return w.bridgeWrite(p, s)
	}
	if !w.committed {
		w.body = append(w.body, p...)
		w.body = append(w.body, s...)
		if len(w.body) >= autoFlush && w.up == nil {
			if err := w.Flush(); err != nil {
				return 0, err
			}
		}
		return n, nil
	}
	if w.declared >= 0 && w.written+int64(n) > w.declared {
		return 0, ErrBodyLength
	}
	w.written += int64(n)
	if w.noBody() || n == 0 {
		return n, nil
	}
	c := w.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ex == nil {
		w.err = c.closedErr()
		return 0, w.err
	}
	ex := c.ex
	if w.chunked {
		ex.out = appendChunkHeader(ex.out, n)
	}
	ex.out = append(ex.out, p...)
	ex.out = append(ex.out, s...)
	if w.chunked {
		ex.out = append(ex.out, '\r', '\n')
	}
	if len(ex.out) >= flushThreshold {
		if err := c.flushLocked(); err != nil {
			w.err = err
			return 0, err
		}
	}
	return n, nil
}

func appendChunkHeader(dst []byte, n int) []byte {
	dst = strconv.AppendUint(dst, uint64(n), 16)
	return append(dst, '\r', '\n')
}

// noBody reports whether the response must not carry a body: a HEAD
// request, or a 1xx, 204 or 304 status.
func (w *Response) noBody() bool {
	st := w.Status()
	return (w.req != nil && string(w.req.head.Method) == http.MethodHead) || st < 200 || st == 204 || st == 304
}

// Flush sends the head (if not yet sent) and every buffered body byte.
// After it, the response streams.
func (w *Response) Flush() error {
	if w.err != nil {
		return w.err
	}
	if w.w != nil {
		return w.bridgeFlush()
	}
	c := w.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ex == nil {
		w.err = c.closedErr()
		return w.err
	}
	if !w.committed {
		w.commitLocked(false)
		body := w.body
		w.body = w.body[:0]
		if len(body) > 0 && !w.noBody() {
			if w.declared >= 0 && int64(len(body)) > w.declared {
				body = body[:w.declared]
			}
			w.written += int64(len(body))
			if w.chunked {
				c.ex.out = appendChunkHeader(c.ex.out, len(body))
			}
			c.ex.out = append(c.ex.out, body...)
			if w.chunked {
				c.ex.out = append(c.ex.out, '\r', '\n')
			}
		}
	}
	if err := c.flushLocked(); err != nil {
		w.err = err
		return err
	}
	return nil
}

// commitLocked appends the head to the connection's output. final means the
// handler has returned and the whole body is in w.body.
func (w *Response) commitLocked(final bool) {
	c := w.c
	ex := c.ex
	w.committed = true
	st := w.Status()
	r := w.req
	w.closeConn = w.wantClose || !r.head.KeepAlive || c.s.shutting.Load()
	if final && !r.bodyDone && !w.closeConn {
		if r.bodyErr != nil || r.need100 && !r.sent100 || !r.chunked && r.remaining > c.s.cfg.DrainBytes {
			w.closeConn = true
		}
	}
	out := http1.AppendStatusLine(ex.out, st)
	if !w.hasDate {
		out = http1.AppendDateHeader(out)
	}
	for _, f := range w.fields {
		out = http1.AppendHeader(out, f.name, f.value)
	}
	noBody := st < 200 || st == 204 || st == 304
	switch {
	case w.up != nil:
	case final:
		isHead := string(r.head.Method) == http.MethodHead
		if !noBody && (!isHead || w.declared >= 0 || len(w.body) > 0) {
			n := w.declared
			if n < 0 {
				n = int64(len(w.body))
			}
			out = http1.AppendContentLength(out, n)
		}
	case noBody:
	case w.declared >= 0:
		out = http1.AppendContentLength(out, w.declared)
	case r.ProtoAtLeast(1, 1) && !w.noBody():
		out = append(out, "Transfer-Encoding: chunked\r\n"...)
		w.chunked = true
	case !w.noBody():
		w.closeConn = true // HTTP/1.0: the body ends when the connection does
	}
	switch {
	case w.up != nil:
	case w.closeConn:
		out = append(out, "Connection: close\r\n"...)
	case r.head.ProtoMinor == 0 && !w.hasConn:
		out = append(out, "Connection: keep-alive\r\n"...)
	}
	ex.out = append(out, '\r', '\n')
}

// finish completes the response after the handler returned. It reports
// whether the connection may serve another request.
func (w *Response) finishLocked() bool {
	c := w.c
	if !w.committed {
		w.commitLocked(true)
		if !w.noBody() {
			body := w.body
			if w.declared >= 0 && int64(len(body)) != w.declared {
				// The handler declared a length it did not write: the
				// client cannot find the next response. Close after it.
				w.closeConn = true
				if int64(len(body)) > w.declared {
					body = body[:w.declared]
				}
			}
			c.ex.out = append(c.ex.out, body...)
		}
		return !w.closeConn
	}
	if w.chunked {
		c.ex.out = append(c.ex.out, "0\r\n\r\n"...)
	}
	if w.declared >= 0 && w.written != w.declared && !w.noBody() {
		w.closeConn = true
	}
	return !w.closeConn
}
