package orm

// TrackingBusy reports whether a method of t is running.
func TrackingBusy(t *Tracking) bool { return t.busy.Load() }

// Snake exposes the column-name conversion.
func Snake(s string) string { return snake(s) }
