package main

import (
	"fmt"
	"io"

	"github.com/dext-go/dext/nullable"
	"github.com/go-json-experiment/json"
)

func init() { steps = append(steps, step{"nullable", tourNullable}) }

func tourNullable(w io.Writer) error {
	nick := nullable.Null[string]()
	name := nullable.Of("Ada")
	fmt.Fprintf(w, "nick is null: %v; name or default: %s\n", nick.IsNull(), name.Or("anonymous"))
	fmt.Fprintf(w, "coalesce(nick, name): %v; length of name: %v\n",
		nullable.Coalesce(nick, name), nullable.Map(name, func(s string) int { return len(s) }))
	fmt.Fprintf(w, "SQL logic: true AND null = %v, true OR null = %v\n",
		nullable.And(nullable.Of(true), nullable.Null[bool]()), nullable.Or(nullable.Of(true), nullable.Null[bool]()))

	// PATCH input: absent leaves a field alone, null clears it.
	var patch struct {
		Nick nullable.Field[string] `json:"nick,omitzero"`
		Name nullable.Field[string] `json:"name,omitzero"`
	}
	if err := json.Unmarshal([]byte(`{"name":null}`), &patch); err != nil {
		return err
	}
	fmt.Fprintf(w, "patch: nick absent %v, name null %v -> name becomes %v\n",
		patch.Nick.IsAbsent(), patch.Name.IsNull(), patch.Name.Apply(name))
	out, err := json.Marshal(struct {
		Name nullable.Value[string] `json:"name"`
		Nick nullable.Value[string] `json:"nick,omitzero"`
	}{Name: name, Nick: nick})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "JSON: %s\n", out)
	return nil
}
