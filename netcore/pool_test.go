package netcore

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestPoolConcurrentSafe submits from many goroutines to a small pool whose
// tasks block for a while: every task runs exactly once, no more than max at
// a time, and the pool drains.
func TestPoolConcurrentSafe(t *testing.T) {
	const max, submitters, each = 4, 16, 50
	var running, peak, done atomic.Int32
	var mu sync.Mutex
	seen := map[*conn]int{}
	p := newPool(max, func(c *conn) {
		r := running.Add(1)
		for {
			old := peak.Load()
			if r <= old || peak.CompareAndSwap(old, r) {
				break
			}
		}
		mu.Lock()
		seen[c]++
		mu.Unlock()
		time.Sleep(50 * time.Microsecond)
		running.Add(-1)
		done.Add(1)
	})
	var wg sync.WaitGroup
	for range submitters {
		wg.Go(func() {
			for range each {
				p.submit(&conn{})
			}
		})
	}
	wg.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for done.Load() != submitters*each {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d tasks ran", done.Load(), submitters*each)
		}
		time.Sleep(time.Millisecond)
	}
	if peak.Load() > max {
		t.Fatalf("%d tasks ran at once, max %d", peak.Load(), max)
	}
	for c, n := range seen {
		if n != 1 {
			t.Fatalf("task %p ran %d times", c, n)
		}
	}
	p.close()
	p.wait()
}

// TestPoolReap checks that idle workers are retired down to the spares, and
// that the pool still serves afterwards.
func TestPoolReap(t *testing.T) {
	release := make(chan struct{})
	var started, ran atomic.Int32
	p := newPool(64, func(*conn) {
		started.Add(1)
		<-release
		ran.Add(1)
	})
	for range 20 {
		p.submit(&conn{})
	}
	// Twenty blocked tasks need twenty workers: each worker that takes a
	// task while others wait makes sure another one is searching.
	for started.Load() != 20 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	for _, idle := p.counts(); idle != 20; _, idle = p.counts() {
		time.Sleep(time.Millisecond)
	}
	now := int64(time.Hour)
	p.reap(now) // first sighting of 20 idle workers
	p.reap(now + int64(workerIdle))
	deadline := time.Now().Add(5 * time.Second)
	for live, _ := p.counts(); live != spareWorkers; live, _ = p.counts() {
		if time.Now().After(deadline) {
			t.Fatalf("%d workers left, want %d", live, spareWorkers)
		}
		time.Sleep(time.Millisecond)
	}
	p.submit(&conn{})
	for ran.Load() != 21 {
		if time.Now().After(deadline) {
			t.Fatal("the pool stopped serving after a reap")
		}
		time.Sleep(time.Millisecond)
	}
	p.close()
	p.wait()
}

// TestPoolBlockedHandlerDoesNotStall queues connections behind handlers
// that block: each of them is still served, by another worker, while the
// blocked ones wait. Submissions come in bursts (one wake per burst), which
// is where a pool that wakes as few workers as it can could strand work.
func TestPoolBlockedHandlerDoesNotStall(t *testing.T) {
	for _, burst := range []int{1, 2, 8, 64} {
		release := make(chan struct{})
		blocks := map[*conn]bool{}
		var all []*conn
		for i := range 4 * burst {
			c := &conn{}
			blocks[c] = i%2 == 0 // every other handler blocks, the first one included
			all = append(all, c)
		}
		served := make(chan *conn, len(all))
		p := newPool(1024, func(c *conn) {
			if blocks[c] {
				<-release
				return
			}
			served <- c
		})
		for i := 0; i < len(all); i += burst {
			for _, c := range all[i:min(i+burst, len(all))] {
				p.submit(c)
			}
		}
		timeout := time.After(10 * time.Second)
		for range len(all) / 2 {
			select {
			case <-served:
			case <-timeout:
				t.Fatalf("burst %d: a connection waited behind blocked handlers", burst)
			}
		}
		close(release)
		p.close()
		p.wait()
	}
}

// counts returns the pool's live and idle workers.
func (p *pool) counts() (live, idle int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n, len(p.parked)
}
