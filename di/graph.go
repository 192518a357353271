package di

import (
	"fmt"
	"strings"
)

// Graph returns the registration graph in Graphviz DOT form: one node per
// registration, labelled with its type, key and lifetime (scoped nodes
// dashed, transient nodes dotted), and an edge from each constructor to
// every registration it depends on. Dependencies resolved inside factories
// are not known to the container and do not appear.
func (c *Container) Graph() string {
	var b strings.Builder
	b.WriteString("digraph di {\n\trankdir=LR;\n\tnode [shape=box];\n")
	for _, e := range c.entries {
		style := "solid"
		switch e.lifetime {
		case Scoped:
			style = "dashed"
		case Transient:
			style = "dotted"
		}
		label := typeName(e.reg.typ)
		if e.reg.keyed {
			label += fmt.Sprintf("[%q]", e.reg.key)
		}
		label += "\\n" + e.lifetime.String()
		fmt.Fprintf(&b, "\tn%d [label=%s, style=%s, tooltip=%s];\n", e.id, dotQuote(label), style, dotQuote(e.reg.site))
	}
	for _, e := range c.entries {
		for _, d := range e.deps {
			fmt.Fprintf(&b, "\tn%d -> n%d;\n", e.id, d.id)
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// dotQuote quotes s as a DOT string, keeping the \n escapes of labels.
func dotQuote(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}
