package http1

// Header is one field line of a request head. Name and Value are views into
// the parsed buffer: Name is exactly as received (a token, case preserved),
// Value has its leading and trailing whitespace removed.
type Header struct {
	Name, Value []byte
}

// Head is a parsed request head. Every []byte field is a view into the
// buffer passed to [ParseHead] or [Parser.Parse]: it is valid only while
// that buffer is unchanged, and must be copied to be kept longer.
//
// A Head is meant to be reused: [ParseHead] resets it first and keeps the
// capacity of Headers, so parsing into a warm Head does not allocate. The
// zero value is ready to use. A Head is not safe for concurrent use.
type Head struct {
	// Method is the request method, a token such as "GET" (case-sensitive).
	Method []byte
	// Target is the raw request-target as received.
	Target []byte
	// Path is the path of Target (origin-form and absolute-form; "/" when
	// an absolute-form target has an empty path, "*" for asterisk-form, nil
	// for CONNECT's authority-form). It is still percent-encoded.
	Path []byte
	// Query is the part of Target after '?', without it; nil when Target
	// has no '?'. It is still percent-encoded.
	Query []byte
	// ProtoMajor and ProtoMinor are the HTTP version: 1.0 or 1.1.
	ProtoMajor, ProtoMinor int
	// Headers holds the field lines in the order received.
	Headers []Header

	// ContentLength is the value of the Content-Length header, or -1 when
	// there is none. A request with neither Content-Length nor Chunked has
	// no body (RFC 9112 §6.3).
	ContentLength int64
	// Chunked reports a Transfer-Encoding of exactly "chunked": the body
	// must be read with a [ChunkedDecoder].
	Chunked bool
	// KeepAlive reports whether the connection may serve another request
	// after this one: HTTP/1.1 unless "Connection: close"; HTTP/1.0 only
	// with "Connection: keep-alive" (and no close).
	KeepAlive bool
	// Expect100 reports "Expect: 100-continue" in an HTTP/1.1 request
	// (RFC 9110 §10.1.1; the expectation is ignored in HTTP/1.0). Other
	// expectations are left in Headers for the server to judge.
	Expect100 bool
	// Host is the authority of the request: the target's authority for
	// absolute-form and authority-form targets (RFC 9112 §3.2.2), else the
	// Host header (possibly empty, nil in an HTTP/1.0 request without one).
	Host []byte
	// Upgrade is the Upgrade header's value when the request asks to switch
	// protocols: HTTP/1.1, "upgrade" among the Connection options and an
	// Upgrade header present (RFC 9110 §7.8). Otherwise nil.
	Upgrade []byte
}

// Reset clears h for reuse, keeping the capacity of Headers.
func (h *Head) Reset() {
	hs := h.Headers[:0]
	*h = Head{Headers: hs, ContentLength: -1}
}

// Get returns the value of the first header named name (compared without
// regard to ASCII case), or nil if there is none. It does not allocate.
func (h *Head) Get(name string) []byte {
	for i := range h.Headers {
		if equalFoldAny(h.Headers[i].Name, name) {
			return h.Headers[i].Value
		}
	}
	return nil
}

// HasBody reports whether a body follows the head (Content-Length > 0 or
// chunked).
func (h *Head) HasBody() bool { return h.Chunked || h.ContentLength > 0 }

// CheckBodySize returns a [ProtocolError] with status 413 when the declared
// Content-Length exceeds maxBody, and nil otherwise (also for chunked bodies,
// whose size is only known while decoding: see [ChunkedDecoder.MaxBodyBytes]).
// Answering 413 before reading a body that is too large is RFC 9110 §15.5.14.
func (h *Head) CheckBodySize(maxBody int64) error {
	if h.ContentLength > maxBody {
		return errBodyTooLarge
	}
	return nil
}

// IsProto reports whether the request's version is major.minor.
func (h *Head) IsProto(major, minor int) bool {
	return h.ProtoMajor == major && h.ProtoMinor == minor
}
