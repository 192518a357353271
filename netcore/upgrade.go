package netcore

import (
	"errors"
	"net"
	"sync"
	"time"

	"github.com/panjf2000/gnet/v2"
)

// ErrQueueFull is returned by a write to an upgraded connection that would
// leave more than MaxQueuedOutput bytes queued; the connection is closed.
var ErrQueueFull = errors.New("netcore: output queue full")

// An UpgradeHandler runs a connection after [Response.Upgrade] handed it
// over (WebSockets, say). On the gnet engine its methods run on the
// connection's event loop: they must not block. Under [Bridge] they run on
// one goroutine per connection. OnOpen and OnData are never called
// concurrently for one connection.
type UpgradeHandler interface {
	// OnOpen is called once the response head has been written.
	OnOpen(c *UpgradedConn)
	// OnData is called with the bytes received and not yet consumed; it
	// returns how many it consumed. in is valid only during the call; what
	// is not consumed is offered again, with what arrives next. Unconsumed
	// input beyond MaxQueuedOutput closes the connection.
	OnData(c *UpgradedConn, in []byte) (consumed int)
	// OnClose is called once when the connection has closed, if OnOpen was
	// called. err says why (nil when closed locally).
	OnClose(c *UpgradedConn, err error)
}

// UpgradedConn is a connection handed to an [UpgradeHandler].
//
// Write is for the handler's own callbacks; AsyncWrite and Close may be
// called from any goroutine. Value and SetValue hold one value for the
// handler, unsynchronized: use them from the callbacks.
type UpgradedConn struct {
	c      *conn
	h      UpgradeHandler
	gc     gnet.Conn // set on the event loop
	opened bool
	value  any
	check  gnet.AsyncCallback

	// bridge
	nc    net.Conn
	wmu   sync.Mutex // serializes writes to nc
	limit int
	wt    time.Duration
}

// Value returns the value stored by SetValue.
func (u *UpgradedConn) Value() any { return u.value }

// SetValue stores v for the handler.
func (u *UpgradedConn) SetValue(v any) { u.value = v }

// RemoteAddr returns the client's address.
func (u *UpgradedConn) RemoteAddr() net.Addr {
	if u.nc != nil {
		return u.nc.RemoteAddr()
	}
	return u.c.remote
}

// Write sends p. Call it only from the handler's callbacks. On the gnet
// engine it does not block: what the kernel does not take is queued, and a
// queue beyond MaxQueuedOutput closes the connection with [ErrQueueFull].
// Under the bridge it blocks up to WriteTimeout.
func (u *UpgradedConn) Write(p []byte) error {
	if u.nc != nil {
		return u.bridgeWrite(p)
	}
	gc := u.gc
	if gc == nil {
		return ErrClosed
	}
	if _, err := gc.Write(p); err != nil {
		return err
	}
	if gc.OutboundBuffered() > u.c.s.cfg.MaxQueuedOutput {
		_ = gc.Close()
		return ErrQueueFull
	}
	return nil
}

// AsyncWrite queues p to be sent from any goroutine; p must not be modified
// afterwards. The queue bound of Write applies when the bytes are taken.
func (u *UpgradedConn) AsyncWrite(p []byte) error {
	if u.nc != nil {
		return u.bridgeWrite(p)
	}
	c := u.c
	c.mu.Lock()
	gc := c.gc
	c.mu.Unlock()
	if gc == nil {
		return ErrClosed
	}
	return gc.AsyncWrite(p, u.check)
}

// Close closes the connection; OnClose follows.
func (u *UpgradedConn) Close() error {
	if u.nc != nil {
		return u.nc.Close()
	}
	c := u.c
	c.mu.Lock()
	gc := c.gc
	c.mu.Unlock()
	if gc == nil {
		return nil
	}
	return gc.Close()
}

func newUpgradedConn(c *conn, h UpgradeHandler) *UpgradedConn {
	u := &UpgradedConn{c: c, h: h}
	limit := c.s.cfg.MaxQueuedOutput
	u.check = func(gc gnet.Conn, err error) error {
		if err == nil && gc.OutboundBuffered() > limit {
			_ = gc.Close()
		}
		return nil
	}
	return u
}

// upgradeLocked sends the head of an upgrade response and hands the
// connection to the UpgradeHandler. It unlocks c.mu.
func (s *Server) upgradeLocked(c *conn, w *Response) {
	w.commitLocked(true)
	if err := c.flushLocked(); err != nil {
		s.abort(c)
		return
	}
	c.state = stUpgraded
	c.ex.keep = 0
	c.up = newUpgradedConn(c, w.up)
	c.setDeadlineLocked(dlNone, 0)
	if c.detached {
		c.mu.Unlock()
		c.reattach()
		return
	}
	gc := c.gc
	c.mu.Unlock()
	_ = gc.Wake(nil)
}

// upgradeOpened runs on the event loop: OnOpen, then any input that
// arrived with the upgrade request.
func (c *conn) upgradeOpened(gc gnet.Conn) gnet.Action {
	u := c.up
	u.gc = gc
	u.opened = true
	u.h.OnOpen(u)
	return c.upgradedData(gc)
}

// upgradedTraffic runs on the event loop for an upgraded connection.
func (c *conn) upgradedTraffic(gc gnet.Conn) gnet.Action {
	if !c.up.opened {
		return c.upgradeOpened(gc)
	}
	return c.upgradedData(gc)
}

func (c *conn) upgradedData(gc gnet.Conn) gnet.Action {
	u := c.up
	limit := c.s.cfg.MaxQueuedOutput
	c.mu.Lock()
	ex := c.ex
	if ex != nil {
		// Input left over from the HTTP exchange goes first.
		data, _ := gc.Next(-1)
		c.appendLocked(data)
		c.mu.Unlock()
		in := ex.in[ex.r:]
		if len(in) > 0 {
			n := min(max(u.h.OnData(u, in), 0), len(in))
			ex.r += n
		}
		c.mu.Lock()
		if ex.r == len(ex.in) {
			c.releaseExLocked()
		} else if len(ex.in)-ex.r > limit {
			c.mu.Unlock()
			return gnet.Close
		}
		c.mu.Unlock()
		return gnet.None
	}
	c.mu.Unlock()
	in, _ := gc.Peek(-1)
	if len(in) == 0 {
		return gnet.None
	}
	n := min(max(u.h.OnData(u, in), 0), len(in))
	_, _ = gc.Discard(n)
	if gc.InboundBuffered() > limit {
		return gnet.Close
	}
	return gnet.None
}

// closed runs on the event loop when an upgraded connection closes.
func (u *UpgradedConn) closed(err error) {
	u.gc = nil
	if u.opened {
		u.h.OnClose(u, err)
	}
}

// Upgrade hands the connection to h once the handler returns: the server
// writes the head set so far (status 101 Switching Protocols unless another
// was set) with no framing headers, then calls h.OnOpen and feeds it the
// connection's input. The handler must set the headers the protocol needs
// (Upgrade, Connection, Sec-WebSocket-Accept…). Writes to the body are
// ignored. It fails with [ErrCommitted] after a Flush.
//
// With another status, say 200 and "Content-Type: text/event-stream", the
// head carries no framing, so the body the UpgradeHandler writes ends when
// the connection closes (RFC 9112 §6.3): a Server-Sent Events stream served
// from the event loop, with no goroutine per client.
func (w *Response) Upgrade(h UpgradeHandler) error {
	if w.committed {
		return ErrCommitted
	}
	if h == nil {
		panic("netcore.Response.Upgrade: nil UpgradeHandler")
	}
	w.up = h
	if w.status == 0 {
		w.status = 101
	}
	w.body = w.body[:0]
	return nil
}
