// Package atomicx provides lock-free cells for sharing state between
// goroutines: typed atomic values that compare by value, an atomic
// "T or null", an atomic reference to immutable snapshots, a lazily
// initialised value that retries after errors, and a striped counter.
//
// # Cells
//
//   - [Nullable] holds a [nullable.Value]: "T or null". The zero value is null.
//   - [Value] holds a T. The zero value holds the zero T.
//   - [Ref] holds an immutable snapshot of any type T (a persistent map, a
//     pointer to a struct never modified after it is published). The zero
//     value holds the zero T.
//
// Each keeps an [sync/atomic.Pointer] to an immutable box; nil stands for
// null (Nullable) or the zero T (Value, Ref). Load is one atomic load: it
// never blocks, never retries and never allocates (wait-free). A store
// allocates one box (none for null in Nullable).
//
// Nullable and Value need a comparable T: their CompareAndSwap compares
// values with ==, not box identities. It loads the box, compares its value
// with old, and swaps the box pointer; if the pointer changed in between it
// looks again, because the new box may hold a value equal to old too. So
// CompareAndSwap(old, new) succeeds exactly when the cell holds a value equal
// to old at the moment it takes effect.
//
// Update(f) is a compare-and-swap loop: it loads the value, computes f of it
// and publishes the result if nothing else was published in between, or
// tries again with the newer value. f may therefore run more than once and
// must be a pure function of its argument. Updates are lock-free: some
// goroutine always makes progress.
//
// So Ref[immutable.Map[K, V]] is a registry with wait-free reads and
// lock-free writes: readers Load a snapshot and use it for as long as they
// like; writers Update it with a function that returns a new version.
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
// # Counters
//
// [Counter] is a striped int64 counter (xsync's): concurrent additions land
// on different cache lines, so a counter updated on every request does not
// become a point of contention. Reading it sums the stripes.
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
// goroutines, and every zero value is ready to use. The operations of
// Nullable, Value and Ref are linearizable: each takes effect at one instant
// between its call and its return, so a history of concurrent operations is
// equivalent to some sequential one that respects real-time order (the tests
// check recorded histories with a linearizability checker). Counter's Add,
// Inc and Dec are atomic; its Value and Reset visit the stripes one by one,
// so they are exact only when no Add runs at the same time.
package atomicx
