package main

import (
	"fmt"
	"io"

	"github.com/dext-go/dext/nullable"
)

func init() { steps = append(steps, step{"nullable", tourNullable}) }

func tourNullable(w io.Writer) error {
	nick := nullable.Null[string]()
	name := nullable.Of("Ada")
	fmt.Fprintf(w, "nick is null: %v; name or default: %s\n", nick.IsNull(), name.Or("anonymous"))
	return nil
}
