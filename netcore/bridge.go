package netcore

import (
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dext-go/dext/netcore/http1"
)

// Bridge returns an http.Handler that runs h under net/http, for
// deployments that need TLS or HTTP/2 (or any net/http middleware) in
// front of the same handler. The Request and Response behave as on the
// gnet engine, with these differences: the limits and timeouts are the
// http.Server's; Request strings stay valid after the handler returns;
// streaming and Flush use http.ResponseController; Upgrade hijacks the
// connection (HTTP/1.x only) and runs the UpgradeHandler on a goroutine of
// its own.
func Bridge(h Handler) http.Handler {
	if h == nil {
		panic("netcore.Bridge: nil Handler")
	}
	return &bridge{h: h}
}

type bridge struct {
	h    Handler
	pool sync.Pool
}

type bridgeExchange struct {
	req  Request
	resp Response
}

func (b *bridge) ServeHTTP(rw http.ResponseWriter, hr *http.Request) {
	bx, _ := b.pool.Get().(*bridgeExchange)
	if bx == nil {
		bx = &bridgeExchange{}
	}
	req, w := &bx.req, &bx.resp
	fillHead(&req.head, hr)
	req.hr, req.body = hr, hr.Body
	w.reset()
	w.req, w.w = req, rw
	b.h.ServeHTTP1(w, req)
	w.bridgeFinish()
	req.reset()
	w.reset()
	b.pool.Put(bx)
}

// fillHead describes hr as an http1.Head (allocating: the bridge is not the
// fast path).
func fillHead(h *http1.Head, hr *http.Request) {
	h.Reset()
	h.Method = []byte(hr.Method)
	h.Target = []byte(hr.RequestURI)
	if hr.URL != nil {
		h.Path = []byte(hr.URL.EscapedPath())
		if hr.URL.RawQuery != "" || hr.URL.ForceQuery {
			h.Query = []byte(hr.URL.RawQuery)
		}
	}
	h.ProtoMajor, h.ProtoMinor = hr.ProtoMajor, hr.ProtoMinor
	h.Host = []byte(hr.Host)
	h.Headers = append(h.Headers, http1.Header{Name: []byte("Host"), Value: h.Host})
	for name, vs := range hr.Header {
		for _, v := range vs {
			h.Headers = append(h.Headers, http1.Header{Name: []byte(name), Value: []byte(v)})
		}
	}
	h.ContentLength = hr.ContentLength
	if hr.ContentLength < 0 {
		h.Chunked = true
	}
	h.KeepAlive = !hr.Close
	h.Expect100 = hr.ProtoAtLeast(1, 1) && strings.EqualFold(hr.Header.Get("Expect"), "100-continue")
	if up := hr.Header.Get("Upgrade"); up != "" && hr.ProtoAtLeast(1, 1) {
		for _, v := range hr.Header.Values("Connection") {
			for tok := range strings.SplitSeq(v, ",") {
				if strings.EqualFold(strings.TrimSpace(tok), "upgrade") {
					h.Upgrade = []byte(up)
				}
			}
		}
	}
}

func (w *Response) bridgeCommit() {
	if w.committed {
		return
	}
	w.committed = true
	hdr := w.w.Header()
	for _, f := range w.fields {
		hdr.Add(f.name, f.value)
	}
	if w.declared >= 0 {
		hdr.Set("Content-Length", strconv.FormatInt(w.declared, 10))
	}
	if w.wantClose {
		hdr.Set("Connection", "close")
	}
	w.w.WriteHeader(w.Status())
}

func (w *Response) bridgeWrite(p []byte, s string) (int, error) {
	if !w.committed {
		w.body = append(w.body, p...)
		w.body = append(w.body, s...)
		if len(w.body) >= autoFlush && w.up == nil {
			if err := w.bridgeFlush(); err != nil {
				return 0, err
			}
		}
		return len(p) + len(s), nil
	}
	var n int
	var err error
	if p != nil {
		n, err = w.w.Write(p)
	} else {
		n, err = io.WriteString(w.w, s)
	}
	if err != nil {
		w.err = err
	}
	return n, err
}

func (w *Response) bridgeFlush() error {
	if !w.committed {
		w.bridgeCommit()
		if len(w.body) > 0 {
			if _, err := w.w.Write(w.body); err != nil {
				w.err = err
				return err
			}
			w.body = w.body[:0]
		}
	}
	if err := http.NewResponseController(w.w).Flush(); err != nil {
		w.err = err
		return err
	}
	return nil
}

func (w *Response) bridgeFinish() {
	if w.up != nil {
		w.bridgeUpgrade()
		return
	}
	if !w.committed {
		if w.declared < 0 && !w.noBody() {
			w.declared = int64(len(w.body))
		}
		w.bridgeCommit()
		if len(w.body) > 0 && !w.noBody() {
			_, _ = w.w.Write(w.body)
		}
	}
}

// bridgeUpgrade hijacks the net/http connection, writes the head and runs
// the UpgradeHandler on a goroutine that reads the connection.
func (w *Response) bridgeUpgrade() {
	nc, brw, err := http.NewResponseController(w.w).Hijack()
	if err != nil {
		w.up = nil
		w.status = http.StatusNotImplemented
		w.body = append(w.body[:0], "upgrade not supported on this connection\n"...)
		w.declared = -1
		w.bridgeFinish()
		return
	}
	head := http1.AppendStatusLine(nil, w.Status())
	head = http1.AppendDateHeader(head)
	for _, f := range w.fields {
		head = http1.AppendHeader(head, f.name, f.value)
	}
	head = append(head, '\r', '\n')
	var pending []byte
	if n := brw.Reader.Buffered(); n > 0 {
		pending, _ = brw.Peek(n)
		pending = append([]byte(nil), pending...)
	}
	u := &UpgradedConn{h: w.up, nc: nc, limit: DefaultMaxQueuedOutput, wt: DefaultWriteTimeout}
	if err := u.bridgeWrite(head); err != nil {
		_ = nc.Close()
		return
	}
	go u.bridgeRun(pending)
}

func (u *UpgradedConn) bridgeWrite(p []byte) error {
	u.wmu.Lock()
	defer u.wmu.Unlock()
	_ = u.nc.SetWriteDeadline(time.Now().Add(u.wt))
	_, err := u.nc.Write(p)
	return err
}

// bridgeRun reads an upgraded net/http connection and feeds the handler.
func (u *UpgradedConn) bridgeRun(pending []byte) {
	u.opened = true
	u.h.OnOpen(u)
	buf := make([]byte, 0, 16<<10)
	buf = append(buf, pending...)
	var err error
	for {
		if len(buf) > 0 {
			n := min(max(u.h.OnData(u, buf), 0), len(buf))
			m := copy(buf, buf[n:])
			buf = buf[:m]
			if len(buf) > u.limit {
				err = ErrQueueFull
				break
			}
		}
		if cap(buf)-len(buf) < 4096 {
			nb := make([]byte, len(buf), 2*cap(buf))
			copy(nb, buf)
			buf = nb
		}
		var n int
		n, err = u.nc.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			if n > 0 {
				u.h.OnData(u, buf)
			}
			break
		}
	}
	_ = u.nc.Close()
	if errors.Is(err, io.EOF) || isClosedErr(err) {
		err = nil
	}
	u.h.OnClose(u, err)
}

func isClosedErr(err error) bool { return errors.Is(err, net.ErrClosed) }
