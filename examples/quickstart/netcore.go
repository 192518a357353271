package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/dext-go/dext/netcore"
)

func init() { steps = append(steps, step{"netcore", tourNetcore}) }

func tourNetcore(w io.Writer) error {
	// A handler runs on a worker goroutine, never on an event loop.
	hello := netcore.HandlerFunc(func(res *netcore.Response, req *netcore.Request) {
		res.SetHeader("Content-Type", "text/plain")
		fmt.Fprintf(res, "hello from netcore: %s %s", req.Method(), req.Path())
	})
	s := netcore.New(hello, netcore.WithIdleTimeout(5*time.Second))
	if err := s.Start("127.0.0.1:0"); err != nil { // port 0: any free port
		return err
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.Shutdown(ctx)
	}()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: 5 * time.Second}).Get("http://" + s.Addr().String() + "/tour")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "GET /tour -> %s %q (Content-Length %d)\n", resp.Status, body, resp.ContentLength)
	return nil
}
