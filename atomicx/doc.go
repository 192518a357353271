// Package atomicx provides lock-free cells for sharing state between
// goroutines.
//
// # Lazy values
//
// [Lazy] computes a value on first use, exactly once even when many
// goroutines ask for it at the same time, and costs one atomic load (no
// allocation) once the value is held. Unlike [sync.Once], a failed attempt is
// not final: when the initialisation function returns an error (or panics),
// the goroutines that waited on that attempt share its outcome and the next
// call tries again. This is what a dependency-injection container needs for
// its singletons.
//
// # Copying
//
// Every type in this package embeds a no-op lock so that `go vet`'s
// copylocks check reports a value copied after first use; copy a cell's
// content (its Load result), never the cell.
//
// # Concurrency
//
// Every method of every type is safe for concurrent use by multiple
// goroutines, and every zero value is ready to use.
package atomicx
