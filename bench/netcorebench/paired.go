package netcorebench

import (
	"runtime"
	"slices"
	"time"
)

// Throughput is the outcome of a paired measurement.
type Throughput struct {
	Ours, Peer     float64 // median requests/s
	Ratio          float64 // median of the per-pair ratios ours/peer (above 1: ours faster)
	AllocsPerReq   float64 // whole-process allocations per request while ours ran
	PeerAllocsPerR float64 // the same while peer ran
}

// slice is what one side of a pair did.
type slice struct {
	reqs    int
	el      time.Duration
	mallocs uint64
}

func (s slice) rate() float64 { return float64(s.reqs) / s.el.Seconds() }

// drive loads l for d.
func drive(l *Load, depth int, d time.Duration) (slice, error) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	var s slice
	for time.Since(start) < d {
		if err := l.Round(depth); err != nil {
			return s, err
		}
		s.reqs += len(l.conns) * depth
	}
	s.el = time.Since(start)
	runtime.ReadMemStats(&after)
	s.mallocs = after.Mallocs - before.Mallocs
	return s, nil
}

// Paired measures ours and peer in many short alternating slices (the order
// flips every pair) and keeps the median of the per-pair ratios, so that a
// load change on a shared machine hits both sides of a pair alike.
func Paired(oursAddr, peerAddr, path string, conns, depth, pairs int, d time.Duration) (Throughput, error) {
	lo, err := NewLoad(oursAddr, path, conns, depth)
	if err != nil {
		return Throughput{}, err
	}
	defer lo.Close()
	lp, err := NewLoad(peerAddr, path, conns, depth)
	if err != nil {
		return Throughput{}, err
	}
	defer lp.Close()
	// Warm both.
	if _, err := drive(lo, depth, d/2); err != nil {
		return Throughput{}, err
	}
	if _, err := drive(lp, depth, d/2); err != nil {
		return Throughput{}, err
	}
	os, ps, err := alternate(pairs,
		func() (slice, error) { return drive(lo, depth, d) },
		func() (slice, error) { return drive(lp, depth, d) })
	if err != nil {
		return Throughput{}, err
	}
	var or, pr, rs []float64
	var oReqs, pReqs, oAllocs, pAllocs float64
	for i, o := range os {
		p := ps[i]
		or, pr, rs = append(or, o.rate()), append(pr, p.rate()), append(rs, o.rate()/p.rate())
		oReqs += float64(o.reqs)
		pReqs += float64(p.reqs)
		oAllocs += float64(o.mallocs)
		pAllocs += float64(p.mallocs)
	}
	return Throughput{Ours: median(or), Peer: median(pr), Ratio: median(rs), AllocsPerReq: oAllocs / oReqs, PeerAllocsPerR: pAllocs / pReqs}, nil
}

// alternate measures ours and peer in pairs, the order flipping every pair,
// and returns what each side measured, pair by pair.
func alternate[T any](pairs int, ours, peer func() (T, error)) (os, ps []T, err error) {
	for i := range pairs {
		var o, p T
		if i%2 == 0 {
			if o, err = ours(); err == nil {
				p, err = peer()
			}
		} else {
			if p, err = peer(); err == nil {
				o, err = ours()
			}
		}
		if err != nil {
			return nil, nil, err
		}
		os, ps = append(os, o), append(ps, p)
	}
	return os, ps, nil
}

// median returns the median of v, which it sorts.
func median(v []float64) float64 {
	slices.Sort(v)
	return v[len(v)/2]
}
