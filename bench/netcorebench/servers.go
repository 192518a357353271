package netcorebench

// The engine comparisons: throughput (keep-alive, pipelined), allocations
// per request, memory per idle connection, memory under a large slow upload
// and start-up time, on loopback.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/dext-go/dext/netcore"
)

// HelloBody and JSONBody are the two fixed responses every engine serves.
var (
	HelloBody = []byte("Hello, World!")
	JSONBody  = makeJSON()
)

// makeJSON returns a 1 KiB JSON document.
func makeJSON() []byte {
	var b bytes.Buffer
	b.WriteString(`{"items":[`)
	for i := 0; ; i++ {
		item := fmt.Sprintf(`{"id":%d,"name":"item-%03d"}`, i, i)
		if b.Len()+len(item)+3 > 1024 {
			break
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(item)
	}
	b.WriteString(`]}`)
	out := b.Bytes()
	for len(out) < 1024 {
		out = append(out[:len(out)-1], ' ', '}')
	}
	return out[:1024:1024]
}

// UploadDelay is how long the upload handlers sleep after each 256 KiB they
// read: a handler far slower than a loopback client.
var UploadDelay = time.Millisecond

// Netcore serves the endpoints with the netcore engine.
var Netcore = netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
	switch r.Path() {
	case "/json":
		w.SetHeader("Content-Type", "application/json")
		_, _ = w.Write(JSONBody)
	case "/upload":
		n := slowRead(r)
		w.SetHeader("Content-Type", "text/plain")
		_, _ = fmt.Fprint(w, n)
	default:
		w.SetHeader("Content-Type", "text/plain")
		_, _ = w.Write(HelloBody)
	}
})

// NetHTTP serves the endpoints with net/http.
var NetHTTP = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/json":
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(JSONBody)
	case "/upload":
		n := slowRead(r.Body)
		w.Header().Set("Content-Type", "text/plain")
		_, _ = fmt.Fprint(w, n)
	default:
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write(HelloBody)
	}
})

// FastHTTP serves the endpoints with fasthttp.
func FastHTTP(ctx *fasthttp.RequestCtx) {
	switch string(ctx.Path()) {
	case "/json":
		ctx.SetContentType("application/json")
		_, _ = ctx.Write(JSONBody)
	default:
		ctx.SetContentType("text/plain")
		_, _ = ctx.Write(HelloBody)
	}
}

func slowRead(r io.Reader) int64 {
	buf := make([]byte, 64<<10)
	var n, since int64
	for {
		m, err := r.Read(buf)
		n += int64(m)
		if err != nil {
			return n
		}
		if since += int64(m); since >= 256<<10 {
			since = 0
			time.Sleep(UploadDelay)
		}
	}
}

// Server is a running engine.
type Server struct {
	Addr string
	stop func()
}

// Stop stops the server.
func (s *Server) Stop() { s.stop() }

// Engines names the engines, in report order.
var Engines = []string{"netcore", "net/http", "fasthttp"}

// Start starts the named engine on a free loopback port.
func Start(engine string) (*Server, error) {
	return StartOn(engine, "127.0.0.1:0")
}

// StartOn starts the named engine on addr.
func StartOn(engine, addr string) (*Server, error) {
	switch engine {
	case "netcore":
		s := netcore.New(Netcore, netcore.WithMaxBodyBytes(-1))
		if err := s.Start(addr); err != nil {
			return nil, err
		}
		return &Server{Addr: s.Addr().String(), stop: func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = s.Shutdown(ctx)
		}}, nil
	case "net/http":
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, err
		}
		hs := &http.Server{Handler: NetHTTP, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = hs.Serve(ln) }()
		return &Server{Addr: ln.Addr().String(), stop: func() { _ = hs.Close() }}, nil
	case "fasthttp":
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, err
		}
		fs := &fasthttp.Server{Handler: FastHTTP, MaxRequestBodySize: 1 << 30, StreamRequestBody: true}
		done := make(chan struct{})
		go func() { _ = fs.Serve(ln); close(done) }()
		return &Server{Addr: ln.Addr().String(), stop: func() { _ = fs.Shutdown(); <-done }}, nil
	}
	return nil, fmt.Errorf("netcorebench: unknown engine %q", engine)
}

// Request returns depth pipelined GET requests for path.
func Request(path string, depth int) []byte {
	one := "GET " + path + " HTTP/1.1\r\nHost: bench\r\nUser-Agent: netcorebench\r\nAccept: */*\r\n\r\n"
	return []byte(strings.Repeat(one, depth))
}
