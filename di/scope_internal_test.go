package di

import (
	"context"
	"math"
	"testing"
)

type genProbe struct{ n int }

// A storage whose generations are used up is never reused: a scope that
// got it as generation MaxUint32 would otherwise see the instances of the
// scope that got it as generation 0.
func TestScopeStorageGenerationsUsedUp(t *testing.T) {
	b := NewBuilder()
	ProvideFunc(b, func(Resolver) (*genProbe, error) { return &genProbe{}, nil }, Scoped)
	c, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	s := c.NewScope()
	st := s.st
	st.gen = math.MaxUint32
	s.gen = math.MaxUint32
	if _, err := Resolve[*genProbe](s); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if g := st.gen; g != math.MaxUint32 {
		t.Fatalf("storage generation after its last use = %d, want it left at MaxUint32", g)
	}
	for range 100 {
		s2 := c.NewScope()
		if s2.st == st {
			t.Fatal("NewScope reused a storage whose generations are used up")
		}
		if err := s2.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}
