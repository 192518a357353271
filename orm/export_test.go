package orm

// TrackingBusy reports whether a method of t is running.
func TrackingBusy(t *Tracking) bool { return t.busy.Load() }
