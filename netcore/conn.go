package netcore

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/panjf2000/gnet/v2"
	"golang.org/x/sys/unix"

	"github.com/dext-go/dext/netcore/http1"
)

// connState is where a connection is in its life.
type connState uint8

const (
	stIdle     connState = iota // no request in progress: the event loop reads the next head
	stActive                    // a worker serves a request
	stLinger                    // final response sent, write side shut: wait for the peer to close
	stUpgraded                  // handed to an UpgradeHandler
)

// deadlineKind says what an expired deadline means.
type deadlineKind uint8

const (
	dlNone   deadlineKind = iota
	dlIdle                // waiting for the first byte of a request
	dlHeader              // a head has started and must complete
	dlBody                // a handler waits for body bytes
	dlLinger              // lingering close
)

// flushThreshold is how many response bytes of pipelined requests are
// gathered before they are written in one go.
const flushThreshold = 32 << 10

// minRead is the smallest free space offered to a read of a detached socket.
const minRead = 16 << 10

// conn is the server's state for one client connection. Its fields below mu
// are shared by the event loop (OnTraffic, OnClose), the connection's worker
// and the ticker, and are guarded by mu. While the state is stActive the
// worker owns ex (the loop only appends input to it under mu).
type conn struct {
	s        *Server
	remote   net.Addr
	loop     gnet.EventLoop
	deadline atomic.Int64 // monotonic ns of s.clock, 0 for none
	regIdx   int          // index in s.reg, guarded by s.reg.mu

	mu       sync.Mutex // guards the fields below
	gc       gnet.Conn  // nil while detached or closed
	fd       int
	state    connState
	dkind    deadlineKind
	ex       *exchange
	waiting  bool // the worker waits on ex.wake for input
	detached bool // ex.nc holds the socket
	released bool // gnet has let go of the detached socket
	eof      bool // the peer will send nothing more
	closed   bool
	abandon  bool // closing a detached socket gnet has not let go of yet
	timedOut bool
	up       *UpgradedConn
}

// exchange holds the buffers of a connection while it has a request in
// progress or input buffered. Exchanges are pooled: an idle connection with
// nothing buffered holds none, which keeps idle connections small.
type exchange struct {
	in     []byte // input; in[r:] is unconsumed
	r      int
	keep   int // in[:keep] holds the current request's head and must not move
	parser http1.Parser
	req    Request
	resp   Response
	out    []byte // response bytes not yet written
	wake   chan struct{}
	nc     net.Conn // the socket while detached
}

// exFreeMax is how many exchanges with default-sized buffers the server
// keeps outside its sync.Pool. A sync.Pool is emptied by every other GC, so
// in a process that allocates elsewhere (the handlers, other servers) each
// GC cycle would cost a fresh exchange for every busy connection; the free
// list keeps the request path allocation-free across GCs while holding at
// most exFreeMax × (exFreeIn + exFreeOut) bytes of buffers.
const (
	exFreeMax = 64
	exFreeIn  = 4 << 10
	exFreeOut = 4 << 10
)

func (s *Server) getExchange() *exchange {
	var ex *exchange
	select {
	case ex = <-s.exFree:
	default:
		ex, _ = s.exPool.Get().(*exchange)
	}
	if ex == nil {
		ex = &exchange{wake: make(chan struct{}, 1)}
		ex.req.head.ContentLength = -1
	}
	ex.parser.Limits = s.cfg.Head
	return ex
}

func (s *Server) putExchange(ex *exchange) {
	select {
	case <-ex.wake:
	default:
	}
	if cap(ex.in) > 4*DefaultReadAhead || cap(ex.out) > 4*flushThreshold {
		return // let an outsized buffer go
	}
	ex.in, ex.r, ex.keep = ex.in[:0], 0, 0
	ex.out = ex.out[:0]
	ex.parser.Reset()
	ex.nc = nil
	ex.req.reset()
	ex.resp.reset()
	if cap(ex.in) <= exFreeIn && cap(ex.out) <= exFreeOut {
		select {
		case s.exFree <- ex:
			return
		default:
		}
	}
	s.exPool.Put(ex)
}

// now is the server's monotonic clock in nanoseconds.
func (s *Server) now() int64 { return int64(time.Since(s.epoch)) }

// setDeadlineLocked arms the connection's deadline d from now (d <= 0: none).
func (c *conn) setDeadlineLocked(kind deadlineKind, d time.Duration) {
	if kind == dlNone || d <= 0 {
		c.dkind = dlNone
		c.deadline.Store(0)
		return
	}
	c.dkind = kind
	c.deadline.Store(c.s.now() + int64(d))
}

// buffered reports the unconsumed input bytes.
func (c *conn) bufferedLocked() int {
	if c.ex == nil {
		return 0
	}
	return len(c.ex.in) - c.ex.r
}

// appendLocked adds input from the event loop.
func (c *conn) appendLocked(data []byte) {
	if c.ex == nil {
		c.ex = c.s.getExchange()
	}
	ex := c.ex
	if len(ex.in)+len(data) > cap(ex.in) {
		ex.compact()
		if need := len(ex.in) + len(data); need > cap(ex.in) {
			nb := make([]byte, len(ex.in), max(2*cap(ex.in), need, 4096))
			copy(nb, ex.in)
			ex.in = nb
		}
	}
	ex.in = append(ex.in, data...)
}

// compact moves the unconsumed input down to keep.
func (ex *exchange) compact() {
	if ex.r > ex.keep {
		m := copy(ex.in[ex.keep:], ex.in[ex.r:])
		ex.in = ex.in[:ex.keep+m]
		ex.r = ex.keep
	}
}

func (c *conn) wakeLocked() {
	if c.ex != nil {
		select {
		case c.ex.wake <- struct{}{}:
		default:
		}
	}
}

// handler is the gnet event handler of a Server.
type handler struct {
	gnet.BuiltinEventEngine
	s *Server
}

// OnBoot records the engine.
func (h *handler) OnBoot(eng gnet.Engine) gnet.Action {
	h.s.bootEngine(eng)
	return gnet.None
}

// OnTick sweeps expired deadlines.
func (h *handler) OnTick() (time.Duration, gnet.Action) {
	return h.s.tick()
}

var resp503 = []byte("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")

// OnOpen admits a connection (or a reattached one).
func (h *handler) OnOpen(gc gnet.Conn) ([]byte, gnet.Action) {
	s := h.s
	if c, ok := gc.Context().(*conn); ok {
		c.reattached(gc)
		return nil, gnet.None
	}
	if s.shutting.Load() {
		return nil, gnet.Close
	}
	if s.nconns.Add(1) > int64(s.cfg.MaxConns) {
		s.nconns.Add(-1)
		s.rejected.Add(1)
		return resp503, gnet.Close
	}
	c := &conn{s: s, gc: gc, fd: gc.Fd(), remote: gc.RemoteAddr(), loop: gc.EventLoop()}
	gc.SetContext(c)
	s.reg.add(c)
	c.mu.Lock()
	c.setDeadlineLocked(dlIdle, s.cfg.ReadHeaderTimeout)
	c.mu.Unlock()
	return nil, gnet.None
}

// OnTraffic takes a connection's input.
func (h *handler) OnTraffic(gc gnet.Conn) gnet.Action {
	c, ok := gc.Context().(*conn)
	if !ok {
		_, _ = gc.Discard(-1)
		return gnet.None
	}
	c.mu.Lock()
	switch c.state {
	case stUpgraded:
		c.mu.Unlock()
		return c.upgradedTraffic(gc)
	case stLinger:
		c.mu.Unlock()
		_, _ = gc.Discard(-1)
		return gnet.None
	}
	data, _ := gc.Next(-1)
	c.appendLocked(data)
	if c.state == stActive {
		if c.waiting {
			c.wakeLocked()
		}
		if !c.detached && c.bufferedLocked() > c.s.cfg.ReadAhead {
			if err := c.detachLocked(false); err == nil {
				c.mu.Unlock()
				return gnet.Close
			}
		}
		c.mu.Unlock()
		return gnet.None
	}
	return c.parseIdleLocked()
}

// parseIdleLocked looks for a complete head in an idle connection's input
// and hands the request to a worker. It unlocks c.mu.
func (c *conn) parseIdleLocked() gnet.Action {
	s := c.s
	ex := c.ex
	ex.keep = 0
	ex.compact()
	n, err := ex.parser.Parse(ex.in[ex.r:], &ex.req.head)
	if errors.Is(err, http1.ErrIncomplete) {
		if c.dkind != dlHeader && c.bufferedLocked() > 0 {
			c.setDeadlineLocked(dlHeader, s.cfg.ReadHeaderTimeout)
		}
		c.mu.Unlock()
		return gnet.None
	}
	if err == nil {
		err = ex.req.head.CheckBodySize(s.maxBody())
	}
	if err != nil {
		ex.out = appendProtocolError(ex.out[:0], err)
		_, _ = c.gc.Write(ex.out)
		ex.out = ex.out[:0]
		c.lingerLocked()
		c.mu.Unlock()
		return gnet.None
	}
	ex.r += n
	ex.keep = ex.r
	c.state = stActive
	c.setDeadlineLocked(dlNone, 0)
	c.mu.Unlock()
	s.pool.submit(c)
	return gnet.None
}

// OnClose ends a connection (or lets go of a detached one).
func (h *handler) OnClose(gc gnet.Conn, err error) gnet.Action {
	c, ok := gc.Context().(*conn)
	if !ok {
		return gnet.None
	}
	c.mu.Lock()
	if c.detached && !c.released && !c.abandon {
		// The loop lets go of a socket the worker now reads itself.
		c.released = true
		c.gc = nil
		c.wakeLocked()
		c.mu.Unlock()
		return gnet.None
	}
	if c.state == stActive && !c.detached && errors.Is(err, io.EOF) && !c.timedOut {
		// The peer shut its write side while its request is served: keep
		// the socket so that the responses can still be written.
		if derr := c.detachLocked(true); derr == nil {
			c.released = true
			c.eof = true
			c.gc = nil
			c.ex.req.endContext() // like net/http: the client went away
			c.wakeLocked()
			c.mu.Unlock()
			return gnet.None
		}
	}
	c.gc = nil
	up := c.up
	final := c.closeLocked()
	c.mu.Unlock()
	if final {
		c.s.connGone(c)
	}
	if up != nil {
		up.closed(err)
	}
	return gnet.None
}

// closeLocked marks c closed. It reports whether the caller must
// unregister c (the first close). The exchange is released unless a worker
// still owns it.
func (c *conn) closeLocked() bool {
	if c.closed {
		return false
	}
	c.closed = true
	c.setDeadlineLocked(dlNone, 0)
	if c.ex != nil {
		c.ex.req.endContext()
		if c.state == stActive {
			c.wakeLocked()
		} else {
			c.releaseExLocked()
		}
	}
	return true
}

func (c *conn) releaseExLocked() {
	if c.ex != nil {
		if c.ex.nc != nil {
			_ = c.ex.nc.Close()
			c.ex.nc = nil
		}
		c.s.putExchange(c.ex)
		c.ex = nil
	}
}

// closeNowLocked closes c from a worker or the ticker.
func (c *conn) closeNowLocked() (final bool) {
	if c.detached {
		if c.ex != nil && c.ex.nc != nil {
			_ = c.ex.nc.Close()
			c.ex.nc = nil
		}
		if !c.released && c.gc != nil {
			c.abandon = true // OnClose finishes the job
			return false
		}
		return c.closeLocked()
	}
	if c.gc != nil {
		_ = c.gc.Close() // OnClose finishes the job
		return false
	}
	if c.ex != nil && c.ex.nc != nil {
		_ = c.ex.nc.Close()
		c.ex.nc = nil
	}
	return c.closeLocked()
}

// detachLocked takes the socket out of gnet's hands: the worker reads and
// writes a duplicate of the descriptor through the Go runtime's poller,
// which blocks the worker (and TCP pushes back on the client) instead of
// growing buffers. inClose means gnet is closing its descriptor already.
// Unless fromLoop, the caller must then ask gnet to let go (gc.Close).
func (c *conn) detachLocked(inClose bool) error {
	if c.ex == nil {
		c.ex = c.s.getExchange()
	}
	fd2, err := unix.FcntlInt(uintptr(c.fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return err
	}
	f := os.NewFile(uintptr(fd2), "netcore")
	nc, err := net.FileConn(f)
	_ = f.Close()
	if err != nil {
		return err
	}
	c.ex.nc = nc
	c.detached = true
	c.released = inClose
	c.setDeadlineLocked(dlNone, 0) // the Go runtime's deadlines take over
	c.s.detaches.Add(1)
	return nil
}

// writeLocked writes p to the client. In the event loop's hands the socket
// is written without blocking; when the kernel's buffer is full the
// connection is detached and the write blocks (up to WriteTimeout) in the
// Go runtime's poller.
func (c *conn) writeLocked(p []byte) error {
	for len(p) > 0 {
		if c.closed {
			return c.closedErr()
		}
		if c.detached {
			nc := c.ex.nc
			c.mu.Unlock()
			if wt := c.s.cfg.WriteTimeout; wt > 0 {
				_ = nc.SetWriteDeadline(time.Now().Add(wt))
			}
			_, err := nc.Write(p)
			c.mu.Lock()
			if err != nil {
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					return ErrTimeout
				}
				return err
			}
			return nil
		}
		n, err := unix.Write(c.fd, p)
		if n > 0 {
			p = p[n:]
		}
		switch err {
		case nil, unix.EINTR:
		case unix.EAGAIN:
			if derr := c.detachLocked(false); derr != nil {
				return derr
			}
			_ = c.gc.Close()
		default:
			return err
		}
	}
	return nil
}

func (c *conn) closedErr() error {
	if c.timedOut {
		return ErrTimeout
	}
	return ErrClosed
}

// flushLocked writes the gathered response bytes.
func (c *conn) flushLocked() error {
	ex := c.ex
	if len(ex.out) == 0 {
		return nil
	}
	err := c.writeLocked(ex.out)
	ex.out = ex.out[:0]
	return err
}

// fillLocked waits until input beyond ex.in[ex.r:] has arrived. It is
// called by the worker.
func (c *conn) fillLocked(timeout time.Duration) error {
	ex := c.ex
	for len(ex.in) == ex.r {
		if c.closed {
			return c.closedErr()
		}
		if c.detached && c.released {
			if c.eof {
				return io.ErrUnexpectedEOF
			}
			ex.compact()
			if cap(ex.in)-len(ex.in) < minRead {
				nb := make([]byte, len(ex.in), len(ex.in)+max(minRead, cap(ex.in)))
				copy(nb, ex.in)
				ex.in = nb
			}
			nc, buf := ex.nc, ex.in[len(ex.in):cap(ex.in)]
			c.mu.Unlock()
			if timeout > 0 {
				_ = nc.SetReadDeadline(time.Now().Add(timeout))
			}
			n, err := nc.Read(buf)
			c.mu.Lock()
			ex.in = ex.in[:len(ex.in)+n]
			if n > 0 {
				return nil
			}
			var ne net.Error
			switch {
			case errors.As(err, &ne) && ne.Timeout():
				c.timedOut = true
				return ErrTimeout
			case errors.Is(err, io.EOF):
				c.eof = true
				return io.ErrUnexpectedEOF
			case err != nil:
				return err
			}
			continue
		}
		c.waiting = true
		if !c.detached {
			c.setDeadlineLocked(dlBody, timeout)
		}
		c.mu.Unlock()
		<-ex.wake
		c.mu.Lock()
		c.waiting = false
		if c.dkind == dlBody {
			c.setDeadlineLocked(dlNone, 0)
		}
	}
	return nil
}

// lingerLocked ends a connection after its final response: the write side
// is shut so that the client sees the end of the response, and the input is
// discarded until the client closes (or LingerTimeout), so that unread input
// does not make the kernel reset the connection under the response.
func (c *conn) lingerLocked() {
	c.state = stLinger
	if c.gc == nil {
		return
	}
	if c.eof {
		_ = c.gc.Close()
		return
	}
	if c.gc.OutboundBuffered() == 0 {
		// (gnet's own queue, used only for answers written on the loop, must
		// drain first: then the linger deadline alone ends the connection.)
		_ = unix.Shutdown(c.fd, unix.SHUT_WR)
	}
	c.setDeadlineLocked(dlLinger, DefaultLingerTimeout)
	if c.ex != nil {
		c.ex.in, c.ex.r, c.ex.keep = c.ex.in[:0], 0, 0
	}
}

// expire acts on a deadline that has passed. It runs on the ticker.
func (c *conn) expire(now int64) {
	c.mu.Lock()
	d := c.deadline.Load()
	if d == 0 || d > now || c.gc == nil || c.closed {
		c.mu.Unlock()
		return
	}
	kind := c.dkind
	c.setDeadlineLocked(dlNone, 0)
	switch kind {
	case dlHeader:
		if c.bufferedLocked() > 0 {
			_, _ = unix.Write(c.fd, resp408)
		}
		c.s.timeouts.Add(1)
	case dlBody:
		c.timedOut = true
		c.s.timeouts.Add(1)
	}
	_ = c.gc.Close()
	c.mu.Unlock()
}

var resp408 = []byte("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")

// reattached runs on the event loop when a detached connection comes back.
func (c *conn) reattached(gc gnet.Conn) {
	c.mu.Lock()
	c.gc = gc
	c.fd = gc.Fd()
	c.detached, c.released = false, false
	if c.ex != nil {
		c.ex.nc = nil // gnet closed it after taking a duplicate
	}
	switch c.state {
	case stUpgraded:
		c.mu.Unlock()
		if c.upgradeOpened(gc) == gnet.Close {
			_ = gc.Close()
		}
		return
	case stLinger:
		c.state = stActive // so that lingerLocked shuts the new descriptor
		c.lingerLocked()
	default:
		if c.bufferedLocked() > 0 {
			c.setDeadlineLocked(dlHeader, c.s.cfg.ReadHeaderTimeout)
		} else {
			c.setDeadlineLocked(dlIdle, c.s.cfg.IdleTimeout)
			c.releaseExLocked()
		}
	}
	c.mu.Unlock()
}

// reattach gives a detached connection back to its event loop. The state
// (idle, linger or upgraded) is already set. It must not hold c.mu.
func (c *conn) reattach() {
	c.mu.Lock()
	for !c.released && !c.closed {
		c.waiting = true
		ex := c.ex
		c.mu.Unlock()
		<-ex.wake
		c.mu.Lock()
		c.waiting = false
	}
	// Counted before shutting is read, as stopEngine sets shutting before
	// it reads the count: either this reattach backs off, or stopEngine
	// waits for its Enroll to be answered before it stops the loops.
	s := c.s
	s.enrolling.Add(1)
	defer s.enrolling.Add(-1)
	if c.closed || c.eof || s.shutting.Load() {
		final := c.closeNowLocked()
		c.mu.Unlock()
		if final {
			s.connGone(c)
		}
		return
	}
	nc := c.ex.nc
	c.mu.Unlock()
	ch, err := c.loop.Enroll(gnet.NewContext(context.Background(), c), nc)
	if err == nil {
		select {
		case res := <-ch:
			err = res.Err
		case <-s.done: // the loops stopped (stopEngine's ctx ended first)
			err = ErrServerClosed
		}
	}
	if err != nil {
		c.mu.Lock()
		final := c.closeNowLocked()
		c.mu.Unlock()
		if final {
			c.s.connGone(c)
		}
	}
}

// appendProtocolError appends the response to a refused request.
func appendProtocolError(dst []byte, err error) []byte {
	status, reason := 400, "bad request"
	if pe, ok := errors.AsType[*http1.ProtocolError](err); ok {
		status, reason = pe.Status, pe.Reason
	}
	dst = http1.AppendStatusLine(dst, status)
	dst = http1.AppendDateHeader(dst)
	dst = append(dst, "Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"...)
	dst = http1.AppendContentLength(dst, int64(len(reason)+1))
	dst = append(dst, "\r\n"...)
	dst = append(dst, reason...)
	return append(dst, '\n')
}
