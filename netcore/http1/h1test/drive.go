// Package h1test holds the request conformance table of package http1 and a
// reference driver that feeds raw bytes through [http1.Parser] and
// [http1.ChunkedDecoder] the way an event loop would. It is exported so that
// the engine's over-TCP conformance tests and the fuzz targets share one
// table; it is not meant for production use.
package h1test

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/dext-go/dext/netcore/http1"
)

// Request is what the parser made of one accepted request.
type Request struct {
	Method, Target, Host string
	// Proto is "HTTP/1.0" or "HTTP/1.1".
	Proto string
	// Headers are the field lines as "Name: value" (value trimmed).
	Headers []string
	// Body is the decoded body.
	Body      string
	KeepAlive bool
	Expect100 bool
	Chunked   bool
	// Upgrade is the protocol asked for, when Head.Upgrade is set.
	Upgrade string
	// Trailers are the trailer fields of a chunked body, as "Name: value".
	Trailers []string
}

// Result is the outcome of feeding a byte stream to the parser.
type Result struct {
	// Requests were accepted in order.
	Requests []Request
	// Status is the status of the *http1.ProtocolError that ended the
	// stream, or 0.
	Status int
	// Err is that error.
	Err error
	// Incomplete reports that the input ended inside a request (a server
	// would wait for more, until its header or body timeout).
	Incomplete bool
	// Rest is what was left unread after the last request, when it ended
	// the connection (Connection: close, HTTP/1.0, or an upgrade).
	Rest string
}

// Options tune [Drive].
type Options struct {
	// Limits for the head (zero: defaults).
	Limits http1.Limits
	// MaxBody bounds Content-Length and chunked bodies (413); 0 means no limit.
	MaxBody int64
	// Splits cut the input into pieces fed one after another: each value
	// is a piece length (values < 1 count as 1); the remainder is fed
	// last. Nil feeds everything at once.
	Splits []int
}

// Drive feeds raw to a Parser and ChunkedDecoder in the pieces given by
// o.Splits, like an event loop whose reads return those pieces, and reports
// the requests accepted and how the stream ended. It stops after a request
// that does not keep the connection alive or that upgrades it.
func Drive(raw []byte, o Options) Result {
	var (
		res     Result
		p       = http1.Parser{Limits: o.Limits}
		h       http1.Head
		dec     = http1.ChunkedDecoder{MaxBodyBytes: o.MaxBody}
		buf     []byte
		inBody  bool
		left    int64 // Content-Length bytes still to read
		cur     Request
		body    []byte
		fed     int
		splitAt = 0
	)
	fail := func(err error) Result {
		res.Err = err
		if pe, ok := errors.AsType[*http1.ProtocolError](err); ok {
			res.Status = pe.Status
		}
		return res
	}
	for fed < len(raw) {
		// Feed the next piece.
		n := len(raw) - fed
		if splitAt < len(o.Splits) {
			n = min(max(o.Splits[splitAt], 1), n)
			splitAt++
		}
		buf = append(buf, raw[fed:fed+n]...)
		fed += n
		// Consume what we can.
		for {
			if !inBody {
				hn, err := p.Parse(buf, &h)
				if errors.Is(err, http1.ErrIncomplete) {
					break
				}
				if err != nil {
					return fail(err)
				}
				cur = fromHead(&h)
				if err := h.CheckBodySize(maxBody(o.MaxBody)); err != nil {
					return fail(err)
				}
				buf = buf[hn:]
				body = body[:0]
				inBody = true
				left = max(h.ContentLength, 0)
				dec.Reset()
			}
			done := false
			if cur.Chunked {
				for len(buf) > 0 {
					cn, data, err := dec.Next(buf)
					body = append(body, data...)
					buf = buf[cn:]
					if errors.Is(err, io.EOF) {
						done = true
						break
					}
					if err != nil {
						return fail(err)
					}
				}
			} else {
				take := min(left, int64(len(buf)))
				body = append(body, buf[:take]...)
				buf = buf[take:]
				left -= take
				done = left == 0
			}
			if !done {
				break
			}
			cur.Body = string(body)
			if cur.Chunked {
				for _, t := range dec.Trailers() {
					cur.Trailers = append(cur.Trailers, string(t.Name)+": "+string(t.Value))
				}
			}
			res.Requests = append(res.Requests, cur)
			inBody = false
			if !cur.KeepAlive || cur.Upgrade != "" {
				res.Rest = string(buf) + string(raw[fed:])
				return res
			}
		}
	}
	res.Incomplete = inBody || len(buf) > 0
	return res
}

func maxBody(m int64) int64 {
	if m <= 0 {
		return 1<<63 - 1
	}
	return m
}

func fromHead(h *http1.Head) Request {
	r := Request{
		Method:    string(h.Method),
		Target:    string(h.Target),
		Host:      string(h.Host),
		Proto:     "HTTP/1." + string(rune('0'+h.ProtoMinor)),
		KeepAlive: h.KeepAlive,
		Expect100: h.Expect100,
		Chunked:   h.Chunked,
		Upgrade:   string(h.Upgrade),
	}
	for _, f := range h.Headers {
		r.Headers = append(r.Headers, string(f.Name)+": "+string(f.Value))
	}
	return r
}

// Equal reports whether a and b are the same request; nil and empty slices
// are equal.
func (a Request) Equal(b Request) bool {
	return a.Method == b.Method && a.Target == b.Target && a.Host == b.Host &&
		a.Proto == b.Proto && a.Body == b.Body && a.KeepAlive == b.KeepAlive &&
		a.Expect100 == b.Expect100 && a.Chunked == b.Chunked && a.Upgrade == b.Upgrade &&
		strings.Join(a.Headers, "\n") == strings.Join(b.Headers, "\n") &&
		strings.Join(a.Trailers, "\n") == strings.Join(b.Trailers, "\n") &&
		len(a.Headers) == len(b.Headers) && len(a.Trailers) == len(b.Trailers)
}

// Same reports how two results differ, or nil when they are the same
// (requests, status, error text, incompleteness and rest).
func Same(a, b Result) error {
	if len(a.Requests) != len(b.Requests) || a.Status != b.Status || a.Incomplete != b.Incomplete || a.Rest != b.Rest {
		return fmt.Errorf("%d requests status %d incomplete %v rest %q vs %d requests status %d incomplete %v rest %q",
			len(a.Requests), a.Status, a.Incomplete, a.Rest, len(b.Requests), b.Status, b.Incomplete, b.Rest)
	}
	for i := range a.Requests {
		if !a.Requests[i].Equal(b.Requests[i]) {
			return fmt.Errorf("request %d: %+v vs %+v", i, a.Requests[i], b.Requests[i])
		}
	}
	if (a.Err == nil) != (b.Err == nil) || (a.Err != nil && a.Err.Error() != b.Err.Error()) {
		return fmt.Errorf("err %w vs %w", a.Err, b.Err)
	}
	return nil
}
