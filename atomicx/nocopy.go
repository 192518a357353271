package atomicx

// noCopy is embedded (as a blank field) in every type of this package so that
// `go vet`'s copylocks check reports a value that is copied after first use.
// It has no state and costs nothing.
//
// See https://golang.org/issues/8005#issuecomment-190753527.
type noCopy struct{}

// Lock is a no-op used by `go vet -copylocks`.
func (*noCopy) Lock() {}

// Unlock is a no-op used by `go vet -copylocks`.
func (*noCopy) Unlock() {}
