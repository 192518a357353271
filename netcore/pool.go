package netcore

import (
	"sync"
	"sync/atomic"
	"time"
)

// workerIdle is how often idle workers are retired (see reap).
const workerIdle = 10 * time.Second

// spareWorkers is how many idle workers reap keeps.
const spareWorkers = 4

// pool runs connections' requests on a bounded set of goroutines. A
// connection is submitted when it has a request to serve; its worker serves
// it (and its pipelined successors) and then takes the next connection.
// Workers start on demand, up to max; the ones idle across two reaps
// (workerIdle apart) exit, but for a few spares. Submissions beyond max wait in the backlog; since a connection is
// submitted at most once at a time, the backlog never holds more entries
// than there are connections.
type pool struct {
	serve func(*conn)
	max   int32
	n     atomic.Int32 // live workers
	tasks chan *conn   // unbuffered: a send succeeds only into an idle worker
	kick  chan struct{}
	stop  chan struct{}

	retire   chan struct{} // unbuffered: a send retires one idle worker
	idle     atomic.Int32  // workers waiting for work
	minIdle  atomic.Int32  // idle at the previous reap
	lastReap int64         // server clock of the previous reap (ticker only)
	wg       sync.WaitGroup

	queued atomic.Int32 // len(mu.backlog), read without the lock
	mu     struct {
		sync.Mutex
		backlog []*conn // guarded by mu
	}
}

func newPool(max int, serve func(*conn)) *pool {
	return &pool{
		serve: serve,
		max:   int32(max),
		tasks: make(chan *conn),
		kick:  make(chan struct{}, 1),
		stop:  make(chan struct{}),

		retire: make(chan struct{}),
	}
}

// submit hands c to a worker without blocking.
func (p *pool) submit(c *conn) {
	select {
	case p.tasks <- c:
		return
	default:
	}
	if p.n.Add(1) <= p.max {
		p.wg.Add(1)
		go p.work(c)
		return
	}
	p.n.Add(-1)
	p.mu.Lock()
	p.mu.backlog = append(p.mu.backlog, c)
	p.queued.Store(int32(len(p.mu.backlog)))
	p.mu.Unlock()
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

func (p *pool) pop() *conn {
	if p.queued.Load() == 0 {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.mu.backlog) == 0 {
		return nil
	}
	c := p.mu.backlog[0]
	p.mu.backlog[0] = nil
	p.mu.backlog = p.mu.backlog[1:]
	if len(p.mu.backlog) == 0 {
		p.mu.backlog = nil
	}
	p.queued.Store(int32(len(p.mu.backlog)))
	return c
}

func (p *pool) work(c *conn) {
	defer p.wg.Done()
	for {
		p.serve(c)
		if c = p.pop(); c != nil {
			continue
		}
		p.idle.Add(1)
	wait:
		select {
		case c = <-p.tasks:
		case <-p.kick:
			if c = p.pop(); c == nil {
				goto wait
			}
		case <-p.retire:
			// Leave, unless work was queued while every other worker was
			// busy: then stay and take it.
			p.n.Add(-1)
			if p.queued.Load() > 0 {
				if p.n.Add(1) <= p.max {
					if c = p.pop(); c == nil {
						goto wait
					}
					break
				}
				p.n.Add(-1)
			}
			p.idle.Add(-1)
			return
		case <-p.stop:
			p.n.Add(-1)
			p.idle.Add(-1)
			return
		}
		p.idle.Add(-1)
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
	for n := min(p.idle.Load(), p.minIdle.Swap(p.idle.Load())) - spareWorkers; n > 0; n-- {
		select {
		case p.retire <- struct{}{}:
		default:
			return
		}
	}
}

// close makes idle workers exit; busy ones exit when their handler returns.
func (p *pool) close() { close(p.stop) }

// wait waits for every worker to exit.
func (p *pool) wait() { p.wg.Wait() }
