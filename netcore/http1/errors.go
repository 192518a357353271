package http1

import (
	"errors"
	"strconv"
)

// ErrIncomplete is returned by [ParseHead] and [Parser.Parse] when buf holds
// a valid prefix of a request head and more bytes are needed. It is not a
// protocol error: read more and call again with the bytes appended.
var ErrIncomplete = errors.New("http1: incomplete request head")

// ProtocolError is a request the server must refuse. Status is the response
// status to send (400, 413, 414, 431, 501 or 505); after sending it the
// server must close the connection, because the framing of whatever follows
// can no longer be trusted. Reason is a short, fixed explanation safe to put
// in a response body (it never echoes request bytes).
//
// The parser returns shared, immutable *ProtocolError values so that
// rejecting a request does not allocate: never modify one. Test for it with
// errors.As.
type ProtocolError struct {
	Status int
	Reason string
}

func (e *ProtocolError) Error() string {
	return "http1: " + strconv.Itoa(e.Status) + " " + StatusText(e.Status) + ": " + e.Reason
}

func perr(status int, reason string) *ProtocolError {
	return &ProtocolError{Status: status, Reason: reason}
}

// The protocol errors. They are values, not API: match on Status.
var (
	errLineTooLong     = perr(414, "request line too long")
	errHeadTooLarge    = perr(431, "request header section too large")
	errTooManyHeaders  = perr(431, "too many header fields")
	errBareLF          = perr(400, "bare LF line terminator")
	errBareCR          = perr(400, "bare CR")
	errEmptyLines      = perr(400, "too many empty lines before the request line")
	errRequestLine     = perr(400, "malformed request line")
	errMethod          = perr(400, "invalid method")
	errTarget          = perr(400, "invalid request-target")
	errVersion         = perr(400, "malformed HTTP version")
	errVersionNotSupp  = perr(505, "HTTP version not supported")
	errObsFold         = perr(400, "obsolete line folding")
	errHeaderName      = perr(400, "invalid header field name")
	errHeaderValue     = perr(400, "invalid header field value")
	errNoHost          = perr(400, "missing Host header")
	errMultiHost       = perr(400, "multiple Host headers")
	errBadHost         = perr(400, "invalid Host header")
	errCLAndTE         = perr(400, "both Content-Length and Transfer-Encoding")
	errBadCL           = perr(400, "invalid Content-Length")
	errMultiCL         = perr(400, "multiple Content-Length headers")
	errBadTE           = perr(400, "malformed Transfer-Encoding")
	errTENotChunked    = perr(400, "chunked is not the final transfer coding")
	errTEUnknown       = perr(501, "unsupported transfer coding")
	errTEHTTP10        = perr(400, "Transfer-Encoding in an HTTP/1.0 request")
	errBodyTooLarge    = perr(413, "request body too large")
	errChunkSize       = perr(400, "invalid chunk size")
	errChunkTooLarge   = perr(400, "chunk size too large")
	errChunkExt        = perr(400, "invalid chunk extension")
	errChunkLineLong   = perr(400, "chunk size line too long")
	errChunkCRLF       = perr(400, "missing CRLF after chunk data")
	errChunkOverhead   = perr(400, "chunked encoding contains too much non-data")
	errTrailerTooLarge = perr(431, "trailer section too large")
	errTrailerCount    = perr(431, "too many trailer fields")
)
