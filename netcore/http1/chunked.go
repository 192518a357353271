package http1

import (
	"bytes"
	"io"
	"strconv"
)

// Chunked-decoder defaults.
const (
	// MaxChunkLineBytes bounds a chunk-size line, extensions included,
	// without its CRLF (400 past it).
	MaxChunkLineBytes = 1024
	// DefaultMaxTrailerBytes bounds the trailer section (431 past it).
	DefaultMaxTrailerBytes = 8 << 10
	// DefaultMaxTrailerCount bounds the number of trailer fields (431).
	DefaultMaxTrailerCount = 32
	// maxExcess bounds framing overhead beyond what the data justifies.
	maxExcess = 16 << 10
)

type chunkState uint8

const (
	csSize         chunkState = iota // first hex digit of chunk-size
	csSizeMore                       // more hex digits, or what follows them
	csSizeBWS                        // whitespace after chunk-size: ';' must follow
	csExtPreName                     // after ';', before chunk-ext-name
	csExtName                        // in chunk-ext-name
	csExtPostName                    // whitespace after chunk-ext-name
	csExtPreValue                    // after '='
	csExtValue                       // in a token chunk-ext-val
	csExtQuoted                      // in a quoted-string chunk-ext-val
	csExtQuotedEsc                   // after '\' in a quoted-string
	csExtPostValue                   // whitespace after chunk-ext-val
	csSizeLF                         // CR of the chunk-size line seen
	csData                           // in chunk-data
	csDataCR                         // CRLF after chunk-data
	csDataLF
	csTrailerStart // at the start of a trailer line or the final CRLF
	csTrailerLine
	csTrailerLF
	csEndLF // final CR seen
	csDone
)

// ChunkedDecoder decodes a chunked request body (RFC 9112 §7.1)
// incrementally, from input that may be split anywhere. Chunk sizes must be
// 1 to 16 hex digits and fit an int64; extensions must be
// well-formed (token, or token "=" token / quoted-string) and are
// discarded; trailer fields follow the header rules of [ParseHead] and are
// kept apart, never merged into the head (see [ChunkedDecoder.Trailers]).
// Every malformed input yields a *[ProtocolError]; the connection must then
// be closed.
//
// Line terminators must be CRLF: a bare LF or bare CR is refused, as in the
// head. Overhead is bounded: a body whose framing (chunk lines,
// extensions) exceeds 16 bytes per chunk plus twice its data by more than
// 16 KiB is refused, so tiny chunks with long extensions cannot make the
// server work for nothing.
//
// The zero value is ready to use; set the Max fields before the first call.
// A ChunkedDecoder is not safe for concurrent use; [ChunkedDecoder.Reset]
// readies it for the next body.
type ChunkedDecoder struct {
	// MaxBodyBytes bounds the decoded body; past it the decoder returns a
	// 413 error as soon as a chunk-size line announces too much. Zero means
	// no limit.
	MaxBodyBytes int64
	// MaxTrailerBytes bounds the trailer section, CRLFs included (431
	// past it). Zero means DefaultMaxTrailerBytes.
	MaxTrailerBytes int
	// MaxTrailerCount bounds the number of trailer fields (431 past it).
	// Zero means DefaultMaxTrailerCount.
	MaxTrailerCount int

	state    chunkState
	digits   int   // hex digits of the current chunk-size
	lineLen  int   // bytes of the current chunk-size line
	size     int64 // bytes left in the current chunk
	total    int64 // body bytes decoded so far
	excess   int64 // framing overhead beyond the allowance
	trailer  []byte
	tlStart  int // start of the current trailer line in trailer
	tcount   int // trailer fields seen
	tbytes   int // trailer-section bytes received
	trailers []Header
}

// Reset readies d for a new body, keeping its limits and buffers.
func (d *ChunkedDecoder) Reset() {
	*d = ChunkedDecoder{
		MaxBodyBytes:    d.MaxBodyBytes,
		MaxTrailerBytes: d.MaxTrailerBytes,
		MaxTrailerCount: d.MaxTrailerCount,
		trailer:         d.trailer[:0],
		trailers:        d.trailers[:0],
	}
}

// Done reports whether the whole body, trailers included, has been decoded.
func (d *ChunkedDecoder) Done() bool { return d.state == csDone }

// BodyBytes returns the number of body bytes decoded so far.
func (d *ChunkedDecoder) BodyBytes() int64 { return d.total }

// Trailers returns the trailer fields once [ChunkedDecoder.Done]; they stay
// valid until Reset.
func (d *ChunkedDecoder) Trailers() []Header { return d.trailers }

// Next decodes from src without copying. It consumes n bytes of src and
// returns in data the body bytes found among them, a sub-slice of src (at
// most one contiguous run per call, possibly empty). It returns io.EOF
// when the body ends within src[:n]: the bytes after src[:n] belong to the
// next request. Call it again with src[n:] until it returns an error, or
// until n == len(src) and more input is needed. Next always consumes at
// least one byte of a non-empty src unless the body is done.
func (d *ChunkedDecoder) Next(src []byte) (n int, data []byte, err error) {
	return d.next(src, -1)
}

// Decode copies decoded body bytes from src into dst, consuming nsrc bytes
// of src and writing ndst bytes of dst. It stops when src is used up, dst is
// full or the body ends (err == io.EOF).
func (d *ChunkedDecoder) Decode(dst, src []byte) (nsrc, ndst int, err error) {
	for nsrc < len(src) || d.state == csDone {
		room := len(dst) - ndst
		if room == 0 && d.state == csData {
			return nsrc, ndst, nil
		}
		n, data, err := d.next(src[nsrc:], room)
		nsrc += n
		ndst += copy(dst[ndst:], data)
		if err != nil {
			return nsrc, ndst, err
		}
		if n == 0 {
			break
		}
	}
	return nsrc, ndst, nil
}

// next is Next returning at most limit data bytes (no limit if negative).
func (d *ChunkedDecoder) next(src []byte, limit int) (n int, data []byte, err error) {
	if d.state == csDone {
		return 0, nil, io.EOF
	}
	for n < len(src) {
		c := src[n]
		switch d.state {
		case csData:
			take := min(int64(len(src)-n), d.size)
			if limit >= 0 && take > int64(limit) {
				take = int64(limit)
			}
			data = src[n : n+int(take)]
			n += int(take)
			d.size -= take
			if d.size == 0 {
				d.state = csDataCR
			}
			return n, data, nil
		case csDataCR:
			if c != '\r' {
				return n, nil, errChunkCRLF
			}
			d.state = csDataLF
			if n+1 < len(src) && src[n+1] == '\n' { // fast path: the whole CRLF
				d.state = csSize
				n += 2
				continue
			}
		case csDataLF:
			if c != '\n' {
				return n, nil, errChunkCRLF
			}
			d.state = csSize
		case csTrailerStart, csTrailerLine, csTrailerLF, csEndLF:
			if err := d.trailerByte(c); err != nil {
				return n, nil, err
			}
			if d.state == csDone {
				return n + 1, nil, io.EOF
			}
		case csSize:
			// Fast path: a complete size line without extensions.
			if k, ok := d.plainSizeLine(src[n:]); ok {
				if err := d.endSizeLine(); err != nil {
					return n + k - 1, nil, err // at the LF, as the byte-wise path
				}
				n += k
				continue
			}
			if err := d.lineByte(c); err != nil {
				return n, nil, err
			}
		default:
			if err := d.lineByte(c); err != nil {
				return n, nil, err
			}
		}
		n++
	}
	return n, nil, nil
}

// plainSizeLine recognises 1 to 15 hex digits followed by CRLF at the start
// of p, sets the chunk size and returns the line's length. Anything else
// (extensions, a partial line, 16 digits) is left to the byte-wise path.
func (d *ChunkedDecoder) plainSizeLine(p []byte) (int, bool) {
	var size int64
	i := 0
	for ; i < len(p) && i < 15; i++ {
		v := hexValue[p[i]]
		if v == 0xff {
			break
		}
		size = size<<4 | int64(v)
	}
	if i == 0 || i+1 >= len(p) || p[i] != '\r' || p[i+1] != '\n' {
		return 0, false
	}
	d.size, d.lineLen = size, i
	return i + 2, true
}

// lineByte advances the chunk-size line state machine by one byte.
func (d *ChunkedDecoder) lineByte(c byte) error {
	if d.state != csSizeLF {
		d.lineLen++
		if d.lineLen > MaxChunkLineBytes {
			return errChunkLineLong
		}
	}
	switch d.state {
	case csSize:
		v := hexValue[c]
		if v == 0xff {
			return errChunkSize
		}
		d.size, d.digits, d.state = int64(v), 1, csSizeMore
	case csSizeMore:
		if v := hexValue[c]; v != 0xff {
			d.digits++
			if d.digits > 16 || d.size > (1<<63-1)>>4 {
				return errChunkTooLarge
			}
			d.size = d.size<<4 | int64(v)
			return nil
		}
		switch {
		case c == ';':
			d.state = csExtPreName
		case isWS(c):
			d.state = csSizeBWS
		case c == '\r':
			d.state = csSizeLF
		default:
			return errChunkSize
		}
	case csSizeBWS:
		switch {
		case isWS(c):
		case c == ';':
			d.state = csExtPreName
		default:
			return errChunkExt // whitespace is only allowed before ';'
		}
	case csExtPreName:
		switch {
		case isWS(c):
		case tokenTable[c]:
			d.state = csExtName
		default:
			return errChunkExt
		}
	case csExtName:
		switch {
		case tokenTable[c]:
		case isWS(c):
			d.state = csExtPostName
		case c == '=':
			d.state = csExtPreValue
		case c == ';':
			d.state = csExtPreName
		case c == '\r':
			d.state = csSizeLF
		default:
			return errChunkExt
		}
	case csExtPostName:
		switch {
		case isWS(c):
		case c == '=':
			d.state = csExtPreValue
		case c == ';':
			d.state = csExtPreName
		default:
			return errChunkExt
		}
	case csExtPreValue:
		switch {
		case isWS(c):
		case c == '"':
			d.state = csExtQuoted
		case tokenTable[c]:
			d.state = csExtValue
		default:
			return errChunkExt
		}
	case csExtValue:
		switch {
		case tokenTable[c]:
		case isWS(c):
			d.state = csExtPostValue
		case c == ';':
			d.state = csExtPreName
		case c == '\r':
			d.state = csSizeLF
		default:
			return errChunkExt
		}
	case csExtQuoted:
		switch {
		case c == '"':
			d.state = csExtPostValue
		case c == '\\':
			d.state = csExtQuotedEsc
		case c == '\t' || (c >= 0x20 && c != 0x7f):
		default:
			return errChunkExt
		}
	case csExtQuotedEsc:
		if c != '\t' && (c < 0x20 || c == 0x7f) {
			return errChunkExt
		}
		d.state = csExtQuoted
	case csExtPostValue:
		switch {
		case isWS(c):
		case c == ';':
			d.state = csExtPreName
		case c == '\r':
			d.state = csSizeLF
		default:
			return errChunkExt
		}
	case csSizeLF:
		if c != '\n' {
			return errBareCR
		}
		return d.endSizeLine()
	}
	return nil
}

// endSizeLine accounts for a complete chunk-size line.
func (d *ChunkedDecoder) endSizeLine() error {
	// Framing of this chunk: the line and its CRLF, plus the CRLF after
	// the data; allowance: 16 bytes plus twice the data.
	d.excess += int64(d.lineLen) + 4 - 16 - 2*min(d.size, maxExcess)
	d.excess = max(d.excess, 0)
	if d.excess > maxExcess {
		return errChunkOverhead
	}
	d.lineLen, d.digits = 0, 0
	if d.size == 0 {
		d.state = csTrailerStart
		return nil
	}
	if d.MaxBodyBytes > 0 && d.size > d.MaxBodyBytes-d.total {
		return errBodyTooLarge
	}
	d.total += d.size
	d.state = csData
	return nil
}

// trailerByte advances the trailer-section state machine by one byte.
func (d *ChunkedDecoder) trailerByte(c byte) error {
	maxBytes, maxCount := d.MaxTrailerBytes, d.MaxTrailerCount
	if maxBytes <= 0 {
		maxBytes = DefaultMaxTrailerBytes
	}
	if maxCount <= 0 {
		maxCount = DefaultMaxTrailerCount
	}
	d.tbytes++
	if d.tbytes > maxBytes {
		return errTrailerTooLarge
	}
	switch d.state {
	case csTrailerStart:
		if c == '\r' {
			d.state = csEndLF
			return nil
		}
		if c == '\n' {
			return errBareLF
		}
		d.tcount++
		if d.tcount > maxCount {
			return errTrailerCount
		}
		d.tlStart = len(d.trailer)
		d.state = csTrailerLine
		d.trailer = append(d.trailer, c)
	case csTrailerLine:
		switch c {
		case '\r':
			d.state = csTrailerLF
		case '\n':
			return errBareLF
		default:
			d.trailer = append(d.trailer, c)
		}
	case csTrailerLF:
		if c != '\n' {
			return errBareCR
		}
		if _, _, err := parseFieldLine(d.trailer[d.tlStart:]); err != nil {
			return err
		}
		d.trailer = append(d.trailer, '\n') // line separator
		d.state = csTrailerStart
	case csEndLF:
		if c != '\n' {
			return errBareCR
		}
		d.state = csDone
		d.buildTrailers()
	}
	return nil
}

func (d *ChunkedDecoder) buildTrailers() {
	t := d.trailer
	for len(t) > 0 {
		i := bytes.IndexByte(t, '\n')
		name, value, _ := parseFieldLine(t[:i]) // validated when received
		d.trailers = append(d.trailers, Header{Name: name, Value: value})
		t = t[i+1:]
	}
}

// AppendChunk appends p as one chunk (size line, data, CRLF) to dst. An
// empty p appends nothing, since an empty chunk would end the body.
func AppendChunk(dst, p []byte) []byte {
	if len(p) == 0 {
		return dst
	}
	dst = AppendChunkHeader(dst, len(p))
	dst = append(dst, p...)
	return append(dst, '\r', '\n')
}

// AppendChunkHeader appends the size line of an n-byte chunk ("<hex>\r\n").
// Write the n data bytes and then "\r\n" after it: this lets a writer send
// a large payload with writev instead of copying it. It panics if n <= 0.
func AppendChunkHeader(dst []byte, n int) []byte {
	if n <= 0 {
		panic("http1.AppendChunkHeader: chunk size must be positive")
	}
	dst = strconv.AppendUint(dst, uint64(n), 16)
	return append(dst, '\r', '\n')
}

// AppendLastChunk appends the last chunk and an empty trailer section
// ("0\r\n\r\n"), which ends a chunked body.
func AppendLastChunk(dst []byte) []byte {
	return append(dst, "0\r\n\r\n"...)
}
