// Package netcore is the HTTP/1.1 server engine of Dext for Go, built on
// gnet's event loops.
//
// gnet supplies epoll event loops and nothing else; netcore adds the HTTP
// server: the strict parser of package [github.com/dext-go/dext/netcore/http1],
// keep-alive and pipelining, chunked bodies, Expect: 100-continue, limits and
// timeouts, back-pressure in both directions, graceful shutdown, protocol
// upgrades and a bridge to net/http.
//
// # Serving
//
//	s := netcore.New(netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
//		w.SetHeader("Content-Type", "text/plain")
//		w.WriteString("hello")
//	}))
//	if err := s.Start("127.0.0.1:0"); err != nil { … }
//	fmt.Println(s.Addr())
//	defer s.Shutdown(ctx)
//
// [Server.Start] accepts "host:port" (TCP: one SO_REUSEPORT listener per
// event loop) and "unix:///path". Port 0 works and [Server.Addr] reports the
// port bound.
//
// # Handlers and the worker pool
//
// Event loops only move bytes and parse heads. A [Handler] runs on a bounded
// pool of worker goroutines ([Config.MaxWorkers]), never on an event loop, so
// a slow handler stalls only its own connection. Connections with a request
// ready wait in one queue; a burst of them wakes one idle worker, and a worker
// that takes a connection while others wait first makes sure another worker
// is on its way, so a blocked handler never holds up the queue (waking a
// goroutine costs more than serving a small request). The requests pipelined on
// one connection are served in order by one worker; responses to them are
// gathered and written together. The [Request] and [Response] are pooled and
// valid only until the handler returns.
//
// # Bodies and back-pressure
//
// A request body streams: [Request] is an io.Reader fed by the event loop.
// gnet cannot pause reading a socket, so when more than [Config.ReadAhead]
// bytes wait for a slow handler, the connection leaves the event loop: the
// worker reads a duplicate of its descriptor through the Go runtime's poller,
// so the kernel's TCP window pushes back on the client and memory stays
// bounded whatever the body's size. When the exchange ends the connection
// returns to its event loop. Writes work the same way: a response is written
// without blocking, and a client that reads slowly detaches the connection so
// that the handler blocks (up to [Config.WriteTimeout]) instead of queueing
// memory.
//
// [Response] buffers a small body and sends it with a Content-Length;
// [Response.Flush] streams (chunked, or with a declared length), which is what
// Server-Sent Events need.
//
// # Upgrades
//
// [Response.Upgrade] hands the connection, after the response head, to an
// [UpgradeHandler] whose callbacks run inside the event loop (WebSockets need
// no goroutine per connection); its output queue is bounded by
// [Config.MaxQueuedOutput].
//
// # Limits and timeouts
//
// Every limit is a [Config] field with a documented default; timeouts are
// checked by gnet's ticker, not by a timer or goroutine per connection. See
// README.md for the full table.
//
// # net/http
//
// [Bridge] runs the same Handler as an http.Handler, for TLS, HTTP/2 or any
// net/http deployment.
//
// # Concurrency
//
// A [Server] is safe for concurrent use. A Request and its Response belong to
// the handler's goroutine. An [UpgradedConn]'s AsyncWrite and Close may be
// called from any goroutine; its other methods from its handler's callbacks.
package netcore
