package netcorebench

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// Load is a wrk-like load generator: one goroutine drives every connection
// through an epoll set of its own with raw non-blocking reads and writes, so
// that its cost per request is small (one write and about one read) and the
// same whichever server it loads. It allocates nothing per request.
type Load struct {
	conns []*loadConn
	epfd  int
	evs   []unix.EpollEvent
	byFd  map[int32]*loadConn
}

type loadConn struct {
	nc   net.Conn // keeps the descriptor open
	fd   int
	req  []byte
	buf  []byte
	n    int // bytes in buf
	want int // answers still expected this round
}

// NewLoad dials conns connections that each send depth pipelined GETs of
// path per round.
func NewLoad(addr, path string, conns, depth int) (*Load, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	l := &Load{epfd: epfd, evs: make([]unix.EpollEvent, conns), byFd: map[int32]*loadConn{}}
	req := Request(path, depth)
	for range conns {
		nc, err := net.Dial("tcp", addr)
		if err != nil {
			l.Close()
			return nil, err
		}
		raw, err := nc.(*net.TCPConn).SyscallConn()
		if err != nil {
			l.Close()
			return nil, err
		}
		lc := &loadConn{nc: nc, req: req, buf: make([]byte, 256<<10)}
		if err := raw.Control(func(fd uintptr) { lc.fd = int(fd) }); err != nil {
			l.Close()
			return nil, err
		}
		if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, lc.fd, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(lc.fd)}); err != nil {
			l.Close()
			return nil, err
		}
		l.conns = append(l.conns, lc)
		l.byFd[int32(lc.fd)] = lc
	}
	return l, nil
}

// Close closes every connection.
func (l *Load) Close() {
	for _, c := range l.conns {
		_ = c.nc.Close()
	}
	_ = unix.Close(l.epfd)
}

// Round sends one round of requests on every connection and waits for every
// answer.
func (l *Load) Round(depth int) error {
	pending := 0
	for _, c := range l.conns {
		c.want = depth
		pending++
		for p := c.req; len(p) > 0; {
			n, err := unix.Write(c.fd, p)
			if err != nil && !errors.Is(err, unix.EAGAIN) && !errors.Is(err, unix.EINTR) {
				return err
			}
			if n > 0 {
				p = p[n:]
			}
		}
	}
	for pending > 0 {
		n, err := unix.EpollWait(l.epfd, l.evs, 5000)
		if err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			return err
		}
		if n == 0 {
			return errors.New("netcorebench: no answer within 5 s")
		}
		for _, ev := range l.evs[:n] {
			c := l.byFd[ev.Fd]
			m, err := unix.Read(c.fd, c.buf[c.n:])
			if err != nil {
				if errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EINTR) {
					continue
				}
				return err
			}
			if m == 0 {
				return errors.New("netcorebench: server closed the connection")
			}
			c.n += m
			done, err := c.consume()
			if err != nil {
				return err
			}
			if done {
				pending--
			}
		}
	}
	return nil
}

var crlf2 = []byte("\r\n\r\n")

// consume parses the complete answers in buf; it reports whether the
// round's answers have all arrived.
func (c *loadConn) consume() (bool, error) {
	off := 0
	for c.want > 0 {
		b := c.buf[off:c.n]
		end := bytes.Index(b, crlf2)
		if end < 0 {
			break
		}
		if len(b) < 12 || string(b[9:12]) != "200" {
			return false, fmt.Errorf("%w: %q", errStatus, b[:min(len(b), 40)])
		}
		cl := contentLength(b[:end])
		if cl < 0 {
			return false, errors.New("netcorebench: answer without Content-Length")
		}
		total := end + 4 + cl
		if len(b) < total {
			break
		}
		off += total
		c.want--
	}
	c.n = copy(c.buf, c.buf[off:c.n])
	if c.n == len(c.buf) {
		return false, errors.New("netcorebench: answer too large")
	}
	return c.want == 0, nil
}

func contentLength(head []byte) int {
	for len(head) > 0 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		if len(line) > len(clName) && bytes.EqualFold(line[:len(clName)], clName) {
			n, err := strconv.Atoi(string(bytes.TrimSpace(line[len(clName):])))
			if err != nil {
				return -1
			}
			return n
		}
	}
	return -1
}

// Rounds returns a benchmark body: each op is one round of depth requests
// on each of conns connections.
func Rounds(addr, path string, conns, depth int) func(b *testing.B) {
	return func(b *testing.B) {
		l, err := NewLoad(addr, path, conns, depth)
		if err != nil {
			b.Fatal(err)
		}
		defer l.Close()
		if err := l.Round(depth); err != nil { // connections warm
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if err := l.Round(depth); err != nil {
				b.Fatal(err)
			}
		}
	}
}
