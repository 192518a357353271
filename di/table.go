package di

import "math/bits"

// tslot is one cell of the container's type table.
type tslot struct {
	tid uintptr
	e   *entry
}

// buildTable lays the winning registration of every unkeyed type into an
// open-addressing table indexed by a multiplicative hash of the type ID, so
// that finding a type's registration is usually one multiply, one shift and
// one load. The container is immutable, so Build tries several multipliers
// and keeps the one that leaves the fewest types away from their first
// probe (with up to 8 types or so, none).
func (c *Container) buildTable(winners map[uintptr]*entry) {
	size := 8
	for size < 4*len(winners) {
		size *= 2
	}
	shift := uint(64 - bits.TrailingZeros(uint(size)))
	seed := uint64(0x9E3779B97F4A7C15)
	bestMiss := -1
	for range 32 {
		seed = splitmix(seed)
		mult := seed | 1
		table := make([]tslot, size)
		miss := 0
		for tid, e := range winners {
			i := (uint64(tid) * mult) >> shift
			for table[i].e != nil {
				i = (i + 1) & uint64(size-1)
				miss++
			}
			table[i] = tslot{tid: tid, e: e}
		}
		if bestMiss < 0 || miss < bestMiss {
			bestMiss = miss
			c.table, c.mult, c.shift = table, mult, shift
		}
		if miss == 0 {
			return
		}
	}
}

func splitmix(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
	x = (x ^ (x >> 27)) * 0x94D049BB133111EB
	return x ^ (x >> 31)
}

// lookup returns the winning unkeyed registration of the type, or nil.
func (c *Container) lookup(tid uintptr) *entry {
	mask := uint64(len(c.table) - 1)
	for i := (uint64(tid) * c.mult) >> c.shift; ; i = (i + 1) & mask {
		t := c.table[i]
		if t.tid == tid {
			return t.e
		}
		if t.e == nil {
			return nil
		}
	}
}
