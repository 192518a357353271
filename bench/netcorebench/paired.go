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
	var os, ps, rs []float64
	var oReqs, pReqs, oAllocs, pAllocs float64
	for i := range pairs {
		var o, p slice
		if i%2 == 0 {
			if o, err = drive(lo, depth, d); err == nil {
				p, err = drive(lp, depth, d)
			}
		} else {
			if p, err = drive(lp, depth, d); err == nil {
				o, err = drive(lo, depth, d)
			}
		}
		if err != nil {
			return Throughput{}, err
		}
		os, ps, rs = append(os, o.rate()), append(ps, p.rate()), append(rs, o.rate()/p.rate())
		oReqs += float64(o.reqs)
		pReqs += float64(p.reqs)
		oAllocs += float64(o.mallocs)
		pAllocs += float64(p.mallocs)
	}
	med := func(v []float64) float64 { slices.Sort(v); return v[len(v)/2] }
	return Throughput{Ours: med(os), Peer: med(ps), Ratio: med(rs), AllocsPerReq: oAllocs / oReqs, PeerAllocsPerR: pAllocs / pReqs}, nil
}
