package netcore_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/dext-go/dext/netcore"
)

func get(url string) (string, error) {
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.Status + " " + string(b), err
}

func ExampleServer() {
	s := netcore.New(netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		w.SetHeader("Content-Type", "text/plain")
		fmt.Fprintf(w, "hello, %s", r.Query())
	}), netcore.WithReadHeaderTimeout(5*time.Second))
	if err := s.Start("127.0.0.1:0"); err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = s.Shutdown(context.Background()) }()

	out, err := get("http://" + s.Addr().String() + "/?gopher")
	fmt.Println(out, err)
	// Output: 200 OK hello, gopher <nil>
}

func ExampleResponse_Flush() {
	// Server-Sent Events: each event is flushed as it is written.
	s := netcore.New(netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		w.SetHeader("Content-Type", "text/event-stream")
		for i := range 3 {
			fmt.Fprintf(w, "data: tick %d\n\n", i)
			if err := w.Flush(); err != nil {
				return
			}
		}
	}))
	if err := s.Start("127.0.0.1:0"); err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = s.Shutdown(context.Background()) }()

	out, err := get("http://" + s.Addr().String() + "/events")
	fmt.Print(strings.ReplaceAll(out, "\n\n", "\n"), err)
	// Output:
	// 200 OK data: tick 0
	// data: tick 1
	// data: tick 2
	// <nil>
}

func ExampleBridge() {
	// The same handler under net/http (TLS and HTTP/2 deployments).
	h := netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		body, _ := io.ReadAll(r)
		fmt.Fprintf(w, "%s %s %s", r.Method(), r.Path(), body)
	})
	hs := httptest.NewServer(netcore.Bridge(h))
	defer hs.Close()
	defer hs.Client().CloseIdleConnections()

	resp, err := hs.Client().Post(hs.URL+"/echo", "text/plain", strings.NewReader("ping"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Status, string(b))
	// Output: 200 OK POST /echo ping
}
