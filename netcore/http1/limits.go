package http1

// Default limits. They follow common servers: nginx answers 414 past 8 KiB
// of request line (large_client_header_buffers), and 100 fields is the
// default of Apache's LimitRequestFields.
const (
	DefaultMaxRequestLineBytes = 8 << 10
	DefaultMaxHeaderBytes      = 64 << 10
	DefaultMaxHeaderCount      = 100
)

// Limits bound the size of a request head. A zero field means its default.
type Limits struct {
	// MaxRequestLineBytes bounds the request line, without its CRLF.
	// Past it the parser answers 414 URI Too Long, even before the line is
	// complete. Default 8 KiB.
	MaxRequestLineBytes int
	// MaxHeaderBytes bounds the header section: every field line after the
	// request line, CRLFs included, plus the final empty line. Past it the
	// parser answers 431 Request Header Fields Too Large, even before the
	// head is complete (a slowloris sending an endless field is cut off).
	// Default 64 KiB.
	MaxHeaderBytes int
	// MaxHeaderCount bounds the number of field lines (431 past it).
	// Default 100.
	MaxHeaderCount int
}

// DefaultLimits returns the limits used for zero fields.
func DefaultLimits() Limits {
	return Limits{
		MaxRequestLineBytes: DefaultMaxRequestLineBytes,
		MaxHeaderBytes:      DefaultMaxHeaderBytes,
		MaxHeaderCount:      DefaultMaxHeaderCount,
	}
}

func (l Limits) withDefaults() Limits {
	if l.MaxRequestLineBytes <= 0 {
		l.MaxRequestLineBytes = DefaultMaxRequestLineBytes
	}
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if l.MaxHeaderCount <= 0 {
		l.MaxHeaderCount = DefaultMaxHeaderCount
	}
	return l
}
