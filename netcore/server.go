package netcore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/panjf2000/gnet/v2"
	"golang.org/x/sys/unix"
)

// Errors returned by the server and by body reads and response writes.
var (
	// ErrServerClosed is returned by [Server.Start] and [Server.Wait] after
	// [Server.Shutdown] or [Server.Close].
	ErrServerClosed = errors.New("netcore: server closed")
	// ErrClosed is returned by reads and writes on a connection that has
	// been closed (by the client, a limit, or the server).
	ErrClosed = errors.New("netcore: connection closed")
	// ErrTimeout is returned by a body Read that waited longer than
	// BodyReadTimeout, and by a write that waited longer than WriteTimeout.
	ErrTimeout = errors.New("netcore: i/o timeout")
	// ErrStarted is returned by [Server.Start] on a server already started.
	ErrStarted = errors.New("netcore: server already started")
)

// Server is an HTTP/1.1 server running on gnet event loops.
//
// Create one with [New], then [Server.Start] (returns once the listener is
// bound; [Server.Addr] reports the address) or [Server.ListenAndServe]
// (blocks). A Server serves one listener and runs once.
//
// A Server is safe for concurrent use: Addr, Stats, Shutdown and Close may be
// called from any goroutine. Its zero value is not usable.
type Server struct {
	h     Handler
	cfg   Config
	epoch time.Time

	pool   *pool
	reg    registry
	exPool sync.Pool
	exFree chan *exchange // a few small exchanges kept across GCs (see getExchange)

	nconns   atomic.Int64
	shutting atomic.Bool
	// enrolling counts detached connections being given back to an event
	// loop (conn.reattach): stopEngine lets them finish before it stops the
	// loops, because gnet drops a registration still queued when its loops
	// stop and never answers the Enroll that queued it.
	enrolling atomic.Int32
	requests  atomic.Int64
	rejected  atomic.Int64
	timeouts  atomic.Int64
	detaches  atomic.Int64

	idle chan struct{} // signalled when nconns drops while shutting down

	mu struct {
		sync.Mutex
		started bool
		eng     gnet.Engine
		booted  bool
		addr    net.Addr
	}
	ready   chan struct{}
	done    chan struct{}
	runErr  error // set before done is closed
	tickInt time.Duration
	stopped atomic.Bool
	hold    int // descriptor holding a reserved port until the loops bind it, or -1
}

// New returns a Server that serves h with the given options.
func New(h Handler, opts ...Option) *Server {
	if h == nil {
		panic("netcore.New: nil Handler")
	}
	var cfg Config
	for _, o := range opts {
		o.apply(&cfg)
	}
	s := &Server{h: h, cfg: cfg.withDefaults(), epoch: time.Now(), idle: make(chan struct{}, 1), hold: -1, exFree: make(chan *exchange, exFreeMax)}
	s.pool = newPool(s.cfg.MaxWorkers, s.serve)
	s.tickInt = tickInterval(s.cfg)
	return s
}

// Config returns the effective configuration (defaults filled in).
func (s *Server) Config() Config { return s.cfg }

func tickInterval(c Config) time.Duration {
	d := 500 * time.Millisecond
	for _, t := range []time.Duration{c.ReadHeaderTimeout, c.IdleTimeout, c.BodyReadTimeout} {
		if t > 0 && t/4 < d {
			d = t / 4
		}
	}
	return max(d, 5*time.Millisecond)
}

func (s *Server) maxBody() int64 {
	if s.cfg.MaxBodyBytes < 0 {
		return 1<<63 - 1
	}
	return s.cfg.MaxBodyBytes
}

// Start binds addr and serves it in the background. addr is "host:port" or
// "tcp://host:port" for TCP (port 0 picks a free port) or "unix:///path" for
// a Unix socket. Start returns once the server accepts connections, or with
// the error that prevented it.
func (s *Server) Start(addr string) error {
	if err := s.cfg.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	if s.mu.started {
		s.mu.Unlock()
		return ErrStarted
	}
	s.mu.started = true
	s.mu.Unlock()

	proto, reuse, err := s.resolve(addr)
	if err != nil {
		return err
	}
	s.ready = make(chan struct{})
	s.done = make(chan struct{})
	opts := []gnet.Option{
		gnet.WithNumEventLoop(s.cfg.EventLoops),
		gnet.WithReusePort(reuse),
		gnet.WithReuseAddr(true),
		gnet.WithTicker(true),
		gnet.WithTCPNoDelay(gnet.TCPNoDelay),
		gnet.WithLogger(quietLogger{}),
	}
	go func() {
		err := gnet.Run(&handler{s: s}, proto, opts...)
		if err == nil && s.stopped.Load() {
			err = ErrServerClosed
		}
		s.runErr = err
		close(s.done)
	}()
	select {
	case <-s.ready:
		s.releaseHold()
		return nil
	case <-s.done:
		s.releaseHold()
		if s.runErr == nil || errors.Is(s.runErr, ErrServerClosed) {
			return ErrServerClosed
		}
		return fmt.Errorf("netcore: listen %s: %w", addr, s.runErr)
	}
}

// ListenAndServe is [Server.Start] followed by [Server.Wait].
func (s *Server) ListenAndServe(addr string) error {
	if err := s.Start(addr); err != nil {
		return err
	}
	return s.Wait()
}

// Wait blocks until the server has stopped and returns why: ErrServerClosed
// after Shutdown or Close, or the error that stopped the event loops.
func (s *Server) Wait() error {
	if s.done == nil {
		return ErrServerClosed
	}
	<-s.done
	if s.runErr == nil {
		return ErrServerClosed
	}
	return s.runErr
}

// resolve turns addr into gnet's protocol address. For TCP port 0 with
// SO_REUSEPORT, every event loop binds its own listener, so a free port is
// reserved first (bound without listening) and held until they have bound it.
func (s *Server) resolve(addr string) (proto string, reuse bool, err error) {
	if path, ok := strings.CutPrefix(addr, "unix://"); ok {
		if path == "" {
			return "", false, errors.New("netcore: empty unix socket path")
		}
		return addr, false, nil
	}
	addr = strings.TrimPrefix(addr, "tcp://")
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", false, fmt.Errorf("netcore: address %q: %w", addr, err)
	}
	reuse = !s.cfg.NoReusePort && s.cfg.EventLoops > 1
	if port == "0" && reuse {
		p, fd, err := reservePort(host)
		if err != nil {
			return "", false, err
		}
		s.hold = fd
		port = strconv.Itoa(p)
	}
	return "tcp://" + net.JoinHostPort(host, port), reuse, nil
}

func (s *Server) releaseHold() {
	if s.hold >= 0 {
		_ = unix.Close(s.hold)
		s.hold = -1
	}
}

// reservePort binds (without listening) a SO_REUSEPORT socket to a free
// port of host.
func reservePort(host string) (port, fd int, err error) {
	ip := net.IPv4zero
	if host != "" {
		ips, err := net.DefaultResolver.LookupIP(context.Background(), "ip", host)
		if err != nil || len(ips) == 0 {
			return 0, -1, fmt.Errorf("netcore: resolve %q: %w", host, err)
		}
		ip = ips[0]
	}
	var sa unix.Sockaddr
	family := unix.AF_INET
	if ip4 := ip.To4(); ip4 != nil {
		sa4 := &unix.SockaddrInet4{}
		copy(sa4.Addr[:], ip4)
		sa = sa4
	} else {
		family = unix.AF_INET6
		sa6 := &unix.SockaddrInet6{}
		copy(sa6.Addr[:], ip.To16())
		sa = sa6
	}
	fd, err = unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, -1, fmt.Errorf("netcore: reserve port: %w", err)
	}
	if err = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEPORT, 1); err == nil {
		if err = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err == nil {
			err = unix.Bind(fd, sa)
		}
	}
	if err != nil {
		_ = unix.Close(fd)
		return 0, -1, fmt.Errorf("netcore: reserve port: %w", err)
	}
	got, err := unix.Getsockname(fd)
	if err != nil {
		_ = unix.Close(fd)
		return 0, -1, fmt.Errorf("netcore: reserve port: %w", err)
	}
	switch a := got.(type) {
	case *unix.SockaddrInet4:
		port = a.Port
	case *unix.SockaddrInet6:
		port = a.Port
	}
	return port, fd, nil
}

func (s *Server) bootEngine(eng gnet.Engine) {
	s.mu.Lock()
	s.mu.eng = eng
	s.mu.booted = true
	s.mu.Unlock()
	if fd, err := eng.Dup(); err == nil {
		if sa, err := unix.Getsockname(fd); err == nil {
			s.mu.Lock()
			s.mu.addr = sockaddrToAddr(sa)
			s.mu.Unlock()
		}
		_ = unix.Close(fd)
	}
}

func sockaddrToAddr(sa unix.Sockaddr) net.Addr {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return &net.TCPAddr{IP: net.IP(a.Addr[:]).To16(), Port: a.Port}
	case *unix.SockaddrInet6:
		return &net.TCPAddr{IP: net.IP(a.Addr[:]), Port: a.Port}
	case *unix.SockaddrUnix:
		return &net.UnixAddr{Name: a.Name, Net: "unix"}
	}
	return nil
}

// Addr returns the bound address (a *net.TCPAddr or *net.UnixAddr), or nil
// before Start has returned.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mu.addr
}

// Stats are counters of a running server.
type Stats struct {
	Conns    int64 // open connections (detached ones included)
	Requests int64 // requests handed to the handler
	Rejected int64 // connections refused by MaxConns
	Timeouts int64 // header and body read timeouts
	Detaches int64 // times a connection left its event loop (back-pressure)
}

// Stats returns the server's counters.
func (s *Server) Stats() Stats {
	return Stats{
		Conns:    s.nconns.Load(),
		Requests: s.requests.Load(),
		Rejected: s.rejected.Load(),
		Timeouts: s.timeouts.Load(),
		Detaches: s.detaches.Load(),
	}
}

func (s *Server) tick() (time.Duration, gnet.Action) {
	select {
	case <-s.ready:
	default:
		close(s.ready)
	}
	if s.stopped.Load() {
		return s.tickInt, gnet.Shutdown
	}
	now := s.now()
	s.reg.sweep(now)
	s.pool.reap(now)
	return s.tickInt, gnet.None
}

// connGone unregisters a connection closed for good.
func (s *Server) connGone(c *conn) {
	s.reg.remove(c)
	s.nconns.Add(-1)
	if s.shutting.Load() {
		select {
		case s.idle <- struct{}{}:
		default:
		}
	}
}

// Shutdown stops the server gracefully: new connections are closed at
// accept, idle connections are closed, requests in progress finish (their
// responses carry "Connection: close") and their connections close. It
// returns nil once every connection is closed and the event loops have
// stopped, or ctx's error if ctx ends first — then the remaining
// connections are closed abruptly (handlers still running keep their
// goroutines until they return).
func (s *Server) Shutdown(ctx context.Context) error {
	s.shutting.Store(true)
	if s.done == nil {
		return nil
	}
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	var err error
	for s.nconns.Load() > 0 && err == nil {
		s.reg.closeIdle()
		select {
		case <-ctx.Done():
			err = ctx.Err()
		case <-s.idle:
		case <-t.C:
		case <-s.done:
			err = s.stopEngine(ctx)
		}
	}
	if serr := s.stopEngine(ctx); err == nil {
		err = serr
	}
	return err
}

// Close stops the server at once, closing every connection.
func (s *Server) Close() error {
	s.shutting.Store(true)
	if s.done == nil {
		return nil
	}
	return s.stopEngine(context.Background())
}

func (s *Server) stopEngine(ctx context.Context) error {
	s.stopped.Store(true)
	s.mu.Lock()
	eng, booted := s.mu.eng, s.mu.booted
	s.mu.Unlock()
	// shutting is set: no reattach starts now (see conn.reattach), and the
	// ones in flight end once their loop has taken the connection, or once
	// the loops have stopped (s.done). If ctx ends first, the loops stop
	// anyway and the reattaches still waiting see s.done.
	for s.enrolling.Load() > 0 && ctx.Err() == nil {
		time.Sleep(time.Millisecond)
	}
	if booted {
		// Engine.Stop cancels the engine, then polls every 500 ms for the end:
		// a cancelled context makes it return at once; s.done reports the end.
		cctx, cancel := context.WithCancel(context.Background())
		cancel()
		_ = eng.Stop(cctx)
	}
	select {
	case <-s.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	// Connections the loops closed on the way out are gone; detached ones
	// are closed by their workers.
	s.reg.closeDetached()
	s.pool.close()
	waited := make(chan struct{})
	go func() { s.pool.wait(); close(waited) }()
	select {
	case <-waited:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// registry lists the open connections for the ticker's sweep.
type registry struct {
	mu      sync.Mutex // guards conns and every conn.regIdx
	conns   []*conn
	expired []*conn // scratch for sweep, guarded by mu
}

func (r *registry) add(c *conn) {
	r.mu.Lock()
	c.regIdx = len(r.conns)
	r.conns = append(r.conns, c)
	r.mu.Unlock()
}

func (r *registry) remove(c *conn) {
	r.mu.Lock()
	if i := c.regIdx; i >= 0 && i < len(r.conns) && r.conns[i] == c {
		last := r.conns[len(r.conns)-1]
		r.conns[i] = last
		last.regIdx = i
		r.conns[len(r.conns)-1] = nil
		r.conns = r.conns[:len(r.conns)-1]
	}
	c.regIdx = -1
	r.mu.Unlock()
}

func (r *registry) sweep(now int64) {
	r.mu.Lock()
	exp := r.expired[:0]
	for _, c := range r.conns {
		if d := c.deadline.Load(); d != 0 && d <= now {
			exp = append(exp, c)
		}
	}
	r.expired = exp
	r.mu.Unlock()
	for i, c := range exp {
		c.expire(now)
		exp[i] = nil
	}
}

func (r *registry) snapshot() []*conn {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*conn(nil), r.conns...)
}

// closeIdle closes the connections that have no request in progress, and
// upgraded ones.
func (r *registry) closeIdle() {
	for _, c := range r.snapshot() {
		c.mu.Lock()
		if c.gc != nil && (c.state == stUpgraded || c.state == stIdle && c.bufferedLocked() == 0) {
			_ = c.gc.Close()
		}
		c.mu.Unlock()
	}
}

// closeDetached closes connections that live outside the (stopped) loops.
func (r *registry) closeDetached() {
	for _, c := range r.snapshot() {
		c.mu.Lock()
		if c.gc == nil && c.ex != nil && c.ex.nc != nil {
			_ = c.ex.nc.Close()
		}
		c.mu.Unlock()
	}
}

// quietLogger drops gnet's log lines; errors reach the caller through Wait.
type quietLogger struct{}

// Debugf drops a log line.
func (quietLogger) Debugf(string, ...any) {}

// Infof drops a log line.
func (quietLogger) Infof(string, ...any) {}

// Warnf drops a log line.
func (quietLogger) Warnf(string, ...any) {}

// Errorf drops a log line.
func (quietLogger) Errorf(string, ...any) {}

// Fatalf drops a log line.
func (quietLogger) Fatalf(string, ...any) {}
