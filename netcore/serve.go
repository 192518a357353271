package netcore

import (
	"errors"

	"github.com/dext-go/dext/netcore/http1"
)

// serve runs on a worker: it serves the connection's parsed request and any
// complete requests pipelined behind it, then hands the connection back to
// its event loop (or closes it).
func (s *Server) serve(c *conn) {
	c.mu.Lock()
	ex := c.ex
	c.mu.Unlock()
	req, w := &ex.req, &ex.resp
	for {
		req.begin(c)
		w.begin(c, req)
		s.requests.Add(1)
		panicked := s.callHandler(w, req)

		drained := req.bodyDone
		if !drained && !panicked && w.up == nil {
			drained = req.discardBody(s.cfg.DrainBytes)
		}

		c.mu.Lock()
		req.endContext()
		if c.closed {
			c.state = stLinger
			c.releaseExLocked()
			c.mu.Unlock()
			return
		}
		var keep bool
		switch {
		case panicked && w.committed:
			final := c.abortLocked()
			c.mu.Unlock()
			if final {
				s.connGone(c)
			}
			return
		case panicked:
			ex.out = appendStatusOnly(ex.out, 500)
		case req.bodyErr != nil && !w.committed && w.status == 0 && len(w.body) == 0 && isProtocolError(req.bodyErr):
			ex.out = appendProtocolError(ex.out, req.bodyErr)
		case w.up != nil:
			s.upgradeLocked(c, w)
			return
		default:
			keep = w.finishLocked() && drained && req.bodyErr == nil
		}
		if !keep {
			s.endLocked(c)
			return
		}

		ex.keep = 0
		ex.compact()
		n, err := ex.parser.Parse(ex.in[ex.r:], &req.head)
		if err == nil {
			err = req.head.CheckBodySize(s.maxBody())
		}
		switch {
		case err == nil:
			ex.r += n
			ex.keep = ex.r
			if len(ex.out) >= flushThreshold {
				if err := c.flushLocked(); err != nil {
					s.abort(c)
					return
				}
			}
			c.mu.Unlock()
			continue
		case errors.Is(err, http1.ErrIncomplete):
			if err := c.flushLocked(); err != nil {
				s.abort(c)
				return
			}
			c.state = stIdle
			if c.detached {
				c.mu.Unlock()
				c.reattach()
				return
			}
			if c.bufferedLocked() > 0 {
				c.setDeadlineLocked(dlHeader, s.cfg.ReadHeaderTimeout)
			} else {
				c.setDeadlineLocked(dlIdle, s.cfg.IdleTimeout)
				c.releaseExLocked()
			}
			c.mu.Unlock()
			return
		default:
			ex.out = appendProtocolError(ex.out, err)
			s.endLocked(c)
			return
		}
	}
}

// endLocked sends what is gathered and ends the connection with a
// lingering close. It unlocks c.mu.
func (s *Server) endLocked(c *conn) {
	if err := c.flushLocked(); err != nil {
		s.abort(c)
		return
	}
	c.state = stLinger
	if c.detached {
		c.mu.Unlock()
		c.reattach()
		return
	}
	c.lingerLocked()
	c.releaseExLocked()
	c.mu.Unlock()
}

// abort closes c at once; it unlocks c.mu.
func (s *Server) abort(c *conn) {
	final := c.abortLocked()
	c.mu.Unlock()
	if final {
		s.connGone(c)
	}
}

// abortLocked closes c from its worker. It reports whether the caller must
// call connGone.
func (c *conn) abortLocked() bool {
	c.state = stLinger
	if c.closed {
		c.releaseExLocked()
		return false
	}
	return c.closeNowLocked()
}

// callHandler runs the handler, reporting whether it panicked.
func (s *Server) callHandler(w *Response, r *Request) (panicked bool) {
	defer func() {
		if p := recover(); p != nil {
			panicked = true
		}
	}()
	s.h.ServeHTTP1(w, r)
	return false
}

func appendStatusOnly(dst []byte, status int) []byte {
	dst = http1.AppendStatusLine(dst, status)
	dst = http1.AppendDateHeader(dst)
	return append(dst, "Connection: close\r\nContent-Length: 0\r\n\r\n"...)
}

func isProtocolError(err error) bool {
	_, ok := errors.AsType[*http1.ProtocolError](err)
	return ok
}
