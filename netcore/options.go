package netcore

import (
	"errors"
	"fmt"
	"runtime"
	"syscall"
	"time"

	"github.com/dext-go/dext/netcore/http1"
)

// Default limits. Each is documented on the [Config] field it fills.
const (
	DefaultMaxBodyBytes      = 32 << 20
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultIdleTimeout       = 60 * time.Second
	DefaultBodyReadTimeout   = 60 * time.Second
	DefaultWriteTimeout      = 30 * time.Second
	DefaultMaxConns          = 100_000
	DefaultMaxQueuedOutput   = 4 << 20
	DefaultMaxWorkers        = 4096
	DefaultReadAhead         = 64 << 10
	DefaultDrainBytes        = 256 << 10
	DefaultLingerTimeout     = 2 * time.Second
)

// Config holds every limit and setting of a [Server]. A zero field means its
// documented default; a negative duration or size means "no limit" where the
// field says so. Build a Server with [WithConfig] or with the individual
// options, which set one field each.
type Config struct {
	// Head bounds the request line, the header section and the number of
	// header fields (see [http1.Limits]: 8 KiB, 64 KiB and 100 by default;
	// the answers are 414 and 431).
	Head http1.Limits

	// MaxBodyBytes bounds a request body. A Content-Length above it is
	// answered 413 before the handler runs; a chunked body that grows past
	// it makes the body's Read fail with a *[http1.ProtocolError] of status
	// 413, and the server answers 413 if the handler has not answered yet.
	// Default 32 MiB; negative means unlimited.
	MaxBodyBytes int64

	// ReadHeaderTimeout is the time allowed to receive a whole request head
	// once its first byte has arrived (slowloris protection). Past it the
	// server answers 408 and closes. Default 10 s.
	ReadHeaderTimeout time.Duration

	// IdleTimeout is how long a keep-alive connection may wait for the first
	// byte of its next request. Past it the connection is closed. Default
	// 60 s.
	IdleTimeout time.Duration

	// BodyReadTimeout is the longest a handler's body Read waits for the next
	// bytes of the body. Past it the Read fails with [ErrTimeout] and the
	// connection is closed. Default 60 s.
	BodyReadTimeout time.Duration

	// WriteTimeout is the longest one response write may wait for a slow
	// reader to make room. Past it the write fails with [ErrTimeout] and the
	// connection is closed. Default 30 s.
	WriteTimeout time.Duration

	// MaxConns bounds the open connections. A connection accepted beyond it
	// is answered 503 and closed at once. Default: 100,000, lowered to
	// leave 128 descriptors free below the process's RLIMIT_NOFILE soft limit
	// (gnet stops its event loop if accept fails with EMFILE).
	MaxConns int

	// MaxQueuedOutput bounds the bytes queued, and not yet accepted by the
	// kernel, for one upgraded connection (see [Response.Upgrade]). A write
	// that leaves more queued closes the connection. Default 4 MiB.
	MaxQueuedOutput int

	// MaxWorkers bounds the goroutines that run handlers. Requests beyond it
	// wait in a queue (one entry per connection at most) until a worker is
	// free. Default 4096.
	MaxWorkers int

	// ReadAhead bounds the bytes buffered in memory for one connection while
	// its handler runs (request body not yet read, pipelined requests). Past
	// it the connection leaves the event loop and the handler's goroutine
	// reads the socket directly, so TCP flow control pushes back on the
	// client. Default 64 KiB.
	ReadAhead int

	// DrainBytes is how much of an unread request body the server reads and
	// discards after the handler returns, to keep the connection alive. A
	// longer remainder closes the connection instead. Default 256 KiB.
	DrainBytes int64

	// EventLoops is the number of gnet event loops. Default: GOMAXPROCS/2, at
	// least 1: handlers and response writes run on worker goroutines, so a loop
	// per P would leave none for them (see the README).
	EventLoops int

	// NoReusePort turns SO_REUSEPORT off for TCP listeners: one listener is
	// shared by the event loops through a main reactor instead of one
	// listener per loop. Unix sockets never use SO_REUSEPORT.
	NoReusePort bool
}

// Validate reports a field that cannot be used.
func (c Config) Validate() error {
	if c.MaxConns < 0 || c.MaxQueuedOutput < 0 || c.MaxWorkers < 0 || c.ReadAhead < 0 || c.EventLoops < 0 {
		return errors.New("netcore: Config: negative MaxConns, MaxQueuedOutput, MaxWorkers, ReadAhead or EventLoops")
	}
	if c.Head.MaxHeaderBytes < 0 || c.Head.MaxRequestLineBytes < 0 || c.Head.MaxHeaderCount < 0 {
		return errors.New("netcore: Config: negative head limit")
	}
	return nil
}

func (c Config) withDefaults() Config {
	dur := func(d *time.Duration, def time.Duration) {
		if *d == 0 {
			*d = def
		}
	}
	dur(&c.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	dur(&c.IdleTimeout, DefaultIdleTimeout)
	dur(&c.BodyReadTimeout, DefaultBodyReadTimeout)
	dur(&c.WriteTimeout, DefaultWriteTimeout)
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.MaxConns == 0 {
		c.MaxConns = DefaultMaxConns
		var rl syscall.Rlimit
		if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err == nil && rl.Cur < uint64(c.MaxConns)+128 {
			c.MaxConns = max(int(rl.Cur)-128, 1)
		}
	}
	if c.MaxQueuedOutput == 0 {
		c.MaxQueuedOutput = DefaultMaxQueuedOutput
	}
	if c.MaxWorkers == 0 {
		c.MaxWorkers = DefaultMaxWorkers
	}
	if c.ReadAhead == 0 {
		c.ReadAhead = DefaultReadAhead
	}
	if c.DrainBytes == 0 {
		c.DrainBytes = DefaultDrainBytes
	}
	if c.EventLoops == 0 {
		c.EventLoops = max(1, runtime.GOMAXPROCS(0)/2)
	}
	h := &c.Head
	if h.MaxHeaderBytes == 0 {
		h.MaxHeaderBytes = http1.DefaultMaxHeaderBytes
	}
	if h.MaxRequestLineBytes == 0 {
		h.MaxRequestLineBytes = http1.DefaultMaxRequestLineBytes
	}
	if h.MaxHeaderCount == 0 {
		h.MaxHeaderCount = http1.DefaultMaxHeaderCount
	}
	return c
}

// An Option configures a [Server].
type Option interface{ apply(*Config) }

type optionFunc func(*Config)

func (f optionFunc) apply(c *Config) { f(c) }

type configOption Config

func (o configOption) apply(c *Config) { *c = Config(o) }

// WithConfig replaces the whole configuration; options after it adjust it.
func WithConfig(c Config) Option { return configOption(c) }

// WithHeadLimits sets [Config.Head].
func WithHeadLimits(l http1.Limits) Option { return optionFunc(func(c *Config) { c.Head = l }) }

// WithMaxBodyBytes sets [Config.MaxBodyBytes].
func WithMaxBodyBytes(n int64) Option { return optionFunc(func(c *Config) { c.MaxBodyBytes = n }) }

// WithReadHeaderTimeout sets [Config.ReadHeaderTimeout].
func WithReadHeaderTimeout(d time.Duration) Option {
	return optionFunc(func(c *Config) { c.ReadHeaderTimeout = d })
}

// WithIdleTimeout sets [Config.IdleTimeout].
func WithIdleTimeout(d time.Duration) Option {
	return optionFunc(func(c *Config) { c.IdleTimeout = d })
}

// WithBodyReadTimeout sets [Config.BodyReadTimeout].
func WithBodyReadTimeout(d time.Duration) Option {
	return optionFunc(func(c *Config) { c.BodyReadTimeout = d })
}

// WithWriteTimeout sets [Config.WriteTimeout].
func WithWriteTimeout(d time.Duration) Option {
	return optionFunc(func(c *Config) { c.WriteTimeout = d })
}

// WithMaxConns sets [Config.MaxConns].
func WithMaxConns(n int) Option { return optionFunc(func(c *Config) { c.MaxConns = n }) }

// WithMaxQueuedOutput sets [Config.MaxQueuedOutput].
func WithMaxQueuedOutput(n int) Option { return optionFunc(func(c *Config) { c.MaxQueuedOutput = n }) }

// WithMaxWorkers sets [Config.MaxWorkers].
func WithMaxWorkers(n int) Option { return optionFunc(func(c *Config) { c.MaxWorkers = n }) }

// WithReadAhead sets [Config.ReadAhead].
func WithReadAhead(n int) Option { return optionFunc(func(c *Config) { c.ReadAhead = n }) }

// WithEventLoops sets [Config.EventLoops].
func WithEventLoops(n int) Option { return optionFunc(func(c *Config) { c.EventLoops = n }) }

// WithoutReusePort sets [Config.NoReusePort].
func WithoutReusePort() Option { return optionFunc(func(c *Config) { c.NoReusePort = true }) }

func durString(d time.Duration) string {
	if d < 0 {
		return "none"
	}
	return d.String()
}

// String describes the effective limits, for logs.
func (c Config) String() string {
	c = c.withDefaults()
	return fmt.Sprintf("head line %d B, head %d B/%d fields, body %d B, header %s, idle %s, body read %s, write %s, conns %d, queued %d B, workers %d, read-ahead %d B",
		c.Head.MaxRequestLineBytes, c.Head.MaxHeaderBytes, c.Head.MaxHeaderCount, c.MaxBodyBytes,
		durString(c.ReadHeaderTimeout), durString(c.IdleTimeout), durString(c.BodyReadTimeout), durString(c.WriteTimeout),
		c.MaxConns, c.MaxQueuedOutput, c.MaxWorkers, c.ReadAhead)
}
