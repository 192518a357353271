package atomicx_test

import (
	"errors"
	"fmt"

	"github.com/dext-go/dext/atomicx"
)

func ExampleLazy() {
	type config struct{ port int }
	var cfg atomicx.Lazy[*config]

	attempts := 0
	load := func() (*config, error) {
		attempts++
		if attempts == 1 {
			return nil, errors.New("config server unavailable")
		}
		return &config{port: 8080}, nil
	}

	if _, err := cfg.Get(load); err != nil {
		fmt.Println("first try:", err)
	}
	c, _ := cfg.Get(load) // a failed attempt is retried
	again, _ := cfg.Get(load)
	fmt.Println("port:", c.port, "same value:", c == again, "attempts:", attempts)
	// Output:
	// first try: config server unavailable
	// port: 8080 same value: true attempts: 2
}
