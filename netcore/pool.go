package netcore

import (
	"runtime"
	"sync"
	"time"
)

// workerIdle is how often idle workers are retired (see reap).
const workerIdle = 10 * time.Second

// spareWorkers is how many idle workers reap keeps.
const spareWorkers = 4

// pool runs connections' requests on a bounded set of goroutines. A
// connection is submitted when it has a request to serve; a worker serves
// it (and its pipelined successors) and then takes the next connection.
//
// Submitted connections wait in one FIFO queue. Waking a parked goroutine
// costs far more than serving a small request (on a busy machine it wakes a
// thread too), so the pool wakes as few workers as it can without letting a
// slow handler hold up the queue, the way the Go scheduler treats its
// spinning threads:
//
//   - a worker is "searching" from the moment it is woken until it takes a
//     connection from the queue; submit wakes (or starts) a worker only when
//     none is searching, so a burst of submissions wakes one;
//   - a searching worker that takes a connection while others still wait
//     makes sure another worker is searching before it calls the handler;
//   - a worker that finishes a connection takes the next one queued itself.
//
// So whenever a connection waits, some worker that is not inside a handler
// is on its way to take it: a handler that blocks never delays the
// connections queued behind it (beyond the max workers bound). Workers start
// on demand, up to max; the ones idle across two reaps (workerIdle apart)
// exit, but for a few spares. A connection is submitted at most once at a
// time, so the queue never holds more entries than there are connections.
type pool struct {
	serve func(*conn)
	max   int
	wg    sync.WaitGroup

	minIdle  int   // idle workers at the previous reap (ticker only)
	lastReap int64 // server clock of the previous reap (ticker only)

	// Guarded by mu.
	mu        sync.Mutex
	n         int     // live workers
	q         []*conn // queue ring
	qHead     int
	qLen      int
	parked    []*worker // idle workers, longest parked first
	searching int       // workers woken or started that have not taken a connection yet
	stopped   bool
}

// worker is one goroutine of the pool.
type worker struct {
	wake chan bool // true: exit
}

func newPool(max int, serve func(*conn)) *pool {
	return &pool{serve: serve, max: max}
}

// push appends c to the queue; p.mu is held.
func (p *pool) push(c *conn) {
	if p.qLen == len(p.q) {
		nq := make([]*conn, max(16, 2*len(p.q)))
		for i := range p.qLen {
			nq[i] = p.q[(p.qHead+i)%len(p.q)]
		}
		p.q, p.qHead = nq, 0
	}
	p.q[(p.qHead+p.qLen)%len(p.q)] = c
	p.qLen++
}

// pop removes the queue's first connection; p.mu is held.
func (p *pool) pop() *conn {
	if p.qLen == 0 {
		return nil
	}
	c := p.q[p.qHead]
	p.q[p.qHead] = nil
	p.qHead = (p.qHead + 1) % len(p.q)
	p.qLen--
	return c
}

// submit queues c for a worker without blocking. It runs on an event loop.
//
// When it wakes a worker it yields the loop's P. The woken worker sits in
// that P's next-to-run slot: yielding runs it at once on this thread, and
// the loop goroutine goes on on the thread the runtime woke for the
// worker, instead of that thread waking only to wait before stealing the
// worker (about one thread switch less per burst of requests).
func (p *pool) submit(c *conn) {
	p.mu.Lock()
	p.push(c)
	if p.searching > 0 {
		p.mu.Unlock()
		return
	}
	p.wakeLocked() // unlocks
	runtime.Gosched()
}

// wakeLocked makes one more worker search the queue: a parked one, or a new
// one if the pool is below max. It unlocks p.mu.
func (p *pool) wakeLocked() {
	if n := len(p.parked); n > 0 {
		w := p.parked[n-1]
		p.parked[n-1] = nil
		p.parked = p.parked[:n-1]
		p.searching++
		p.mu.Unlock()
		w.wake <- false
		return
	}
	if p.n >= p.max {
		p.mu.Unlock()
		return // every worker is busy: the first to finish takes the queue
	}
	p.n++
	p.searching++
	p.wg.Add(1)
	p.mu.Unlock()
	go p.work(&worker{wake: make(chan bool, 1)})
}

func (p *pool) work(w *worker) {
	defer p.wg.Done()
	counted := true // this worker is counted in p.searching
	p.mu.Lock()
	for {
		c := p.pop()
		if counted {
			counted = false
			p.searching--
		}
		if c != nil {
			if p.qLen > 0 && p.searching == 0 {
				p.wakeLocked() // unlocks
			} else {
				p.mu.Unlock()
			}
			p.serve(c)
			p.mu.Lock()
			continue
		}
		if p.stopped {
			p.n--
			p.mu.Unlock()
			return
		}
		p.parked = append(p.parked, w)
		p.mu.Unlock()
		if quit := <-w.wake; quit {
			return // the waker has uncounted this worker
		}
		p.mu.Lock()
		counted = true
	}
}

// reap retires the workers that have stayed idle since the previous reap,
// keeping a few spares; the server calls it from its ticker. Waiting without
// a timer keeps the per-request path free of timer operations.
func (p *pool) reap(now int64) {
	if now-p.lastReap < int64(workerIdle) {
		return
	}
	p.lastReap = now
	p.mu.Lock()
	idle := len(p.parked)
	// Retire from the bottom of the stack: those parked longest.
	n := min(idle, p.minIdle) - spareWorkers
	p.minIdle = idle
	if n > 0 {
		p.retireLocked(n)
	}
	p.mu.Unlock()
}

// retireLocked makes the n workers parked longest exit; p.mu is held.
func (p *pool) retireLocked(n int) {
	for _, w := range p.parked[:n] {
		w.wake <- true
	}
	k := copy(p.parked, p.parked[n:])
	clear(p.parked[k:])
	p.parked = p.parked[:k]
	p.n -= n
}

// close makes idle workers exit; busy ones exit when their handler returns.
func (p *pool) close() {
	p.mu.Lock()
	p.stopped = true
	p.retireLocked(len(p.parked))
	p.mu.Unlock()
}

// wait waits for every worker to exit.
func (p *pool) wait() { p.wg.Wait() }
