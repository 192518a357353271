package di

import "context"

type scopeKey struct{}

// WithScope returns a copy of ctx that carries s; [ScopeFrom] gets it back.
// Middleware uses it to hand a request's scope to its handlers.
func WithScope(ctx context.Context, s *Scope) context.Context {
	return context.WithValue(ctx, scopeKey{}, s)
}

// ScopeFrom returns the scope that [WithScope] stored in ctx, if any.
func ScopeFrom(ctx context.Context) (*Scope, bool) {
	s, ok := ctx.Value(scopeKey{}).(*Scope)
	return s, ok && s != nil
}
