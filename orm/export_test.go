package orm

// TrackingBusy reports whether a method of t is running.
func TrackingBusy(t *Tracking) bool { return t.busy.Load() }

// Snake exposes the column-name conversion.
func Snake(s string) string { return snake(s) }

// DisableNative makes db read through the driver only; call it before the
// first query.
func DisableNative(db *DB) { db.noNative = true }

// NativeReaders returns how many idle reader connections use the native
// read path.
func NativeReaders(db *DB) int {
	p := db.readers
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, c := range p.idle {
		if c.lite == liteOn {
			n++
		}
	}
	return n
}
