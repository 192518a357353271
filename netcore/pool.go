package netcore

import (
	"sync"
	"sync/atomic"
	"time"
)

// workerIdle is how long an idle worker waits for work before it exits.
const workerIdle = 10 * time.Second

// pool runs connections' requests on a bounded set of goroutines. A
// connection is submitted when it has a request to serve; its worker serves
// it (and its pipelined successors) and then takes the next connection.
// Workers start on demand, up to max, and exit after workerIdle without
// work. Submissions beyond max wait in the backlog; since a connection is
// submitted at most once at a time, the backlog never holds more entries
// than there are connections.
type pool struct {
	serve func(*conn)
	max   int32
	n     atomic.Int32 // live workers
	tasks chan *conn   // unbuffered: a send succeeds only into an idle worker
	kick  chan struct{}
	stop  chan struct{}
	wg    sync.WaitGroup

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
	var t *time.Timer
	for {
		p.serve(c)
		if c = p.pop(); c != nil {
			continue
		}
		if t == nil {
			t = time.NewTimer(workerIdle)
		} else {
			t.Reset(workerIdle)
		}
	wait:
		select {
		case c = <-p.tasks:
		case <-p.kick:
			if c = p.pop(); c == nil {
				goto wait
			}
		case <-t.C:
			// Leave, unless work was queued while every other worker was
			// busy: then stay and take it.
			p.n.Add(-1)
			if p.queued.Load() > 0 {
				if p.n.Add(1) <= p.max {
					if c = p.pop(); c == nil {
						t.Reset(workerIdle)
						goto wait
					}
					break
				}
				p.n.Add(-1)
			}
			return
		case <-p.stop:
			p.n.Add(-1)
			t.Stop()
			return
		}
		t.Stop()
	}
}

// close makes idle workers exit; busy ones exit when their handler returns.
func (p *pool) close() { close(p.stop) }

// wait waits for every worker to exit.
func (p *pool) wait() { p.wg.Wait() }
