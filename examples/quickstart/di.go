package main

import (
	"context"
	"fmt"
	"io"

	"github.com/dext-go/dext/di"
)

func init() { steps = append(steps, step{"di", tourDI}) }

// tourAudit is a scoped service that needs disposal at the end of its request.
type tourAudit struct {
	w       io.Writer
	request int
}

func (a *tourAudit) Close() error {
	fmt.Fprintf(a.w, "  request %d: audit flushed\n", a.request)
	return nil
}

type tourGreeter struct {
	prefix string
	audit  *tourAudit
}

func tourDI(w io.Writer) error {
	b := di.NewBuilder()
	di.Instance(b, "Hello") // a singleton value
	request := 0
	di.ProvideFunc(b, func(di.Resolver) (*tourAudit, error) {
		request++
		return &tourAudit{w: w, request: request}, nil
	}, di.Scoped)
	di.Provide(b, func(p string, a *tourAudit) *tourGreeter { // constructor injection
		return &tourGreeter{prefix: p, audit: a}
	}, di.Scoped)
	c, err := b.Build()
	if err != nil {
		return err
	}
	defer c.Close(context.Background())

	for range 2 {
		scope := c.NewScope()
		g, err := di.Resolve[*tourGreeter](scope)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  request %d: %s, Ada\n", g.audit.request, g.prefix)
		if err := scope.Close(context.Background()); err != nil {
			return err
		}
	}

	// A graph with a captive dependency does not build.
	bad := di.NewBuilder()
	di.ProvideFunc(bad, func(di.Resolver) (*tourAudit, error) { return &tourAudit{}, nil }, di.Scoped)
	di.Provide(bad, func(a *tourAudit) *tourGreeter { return &tourGreeter{audit: a} }, di.Singleton)
	_, err = bad.Build()
	fmt.Fprintf(w, "  %v\n", err)
	return nil
}
