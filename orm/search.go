package orm

import (
	"context"
	"strings"

	"github.com/dext-go/dext/immutable"
)

// Hit is one full-text search result: the entity, its bm25 rank (lower is
// a better match) and a snippet of the matching text with the matched terms
// between the markers.
type Hit[T any] struct {
	Entity  T
	Rank    float64
	Snippet string
}

// SearchOptions tunes [Search]. The zero value means: 20 hits, a snippet of
// the first full-text column, up to 16 tokens, terms marked with [ and ],
// "…" for elided text.
type SearchOptions struct {
	Limit         int
	SnippetColumn string
	Tokens        int
	Before, After string
	Ellipsis      string
}

// Search runs a full-text query over T's full-text fields (tagged
// orm:"fts"), ranking hits by bm25. expr is an FTS5 query expression
// (words, "phrases", AND/OR/NOT, prefix*, column:term), always bound as a
// parameter. A malformed expression is a [*SearchError]
// (errors.Is(err, ErrSearchSyntax)); a model without full-text fields is a
// [*ModelError].
func Search[T any](ctx context.Context, src Source, expr string, opts SearchOptions) (immutable.Array[Hit[T]], error) {
	m, err := modelOf[T]()
	if err != nil {
		return immutable.Array[Hit[T]]{}, err
	}
	if len(m.fts) == 0 {
		return immutable.Array[Hit[T]]{}, &ModelError{Model: m.name, Reason: `no full-text fields (tag string fields orm:"fts")`}
	}
	if strings.TrimSpace(expr) == "" {
		return immutable.Array[Hit[T]]{}, &SearchError{Expr: expr, Err: errEmptySearch}
	}
	if opts.Limit <= 0 {
		opts.Limit = 20
	}
	if opts.Tokens <= 0 || opts.Tokens > 64 {
		opts.Tokens = 16
	}
	if opts.Before == "" && opts.After == "" {
		opts.Before, opts.After = "[", "]"
	}
	if opts.Ellipsis == "" {
		opts.Ellipsis = "…"
	}
	col := 0
	if opts.SnippetColumn != "" {
		f, err := m.column(opts.SnippetColumn)
		if err != nil {
			return immutable.Array[Hit[T]]{}, err
		}
		col = -1
		for i, ff := range m.fts {
			if ff == f {
				col = i
			}
		}
		if col < 0 {
			return immutable.Array[Hit[T]]{}, &ModelError{Model: m.name, Field: f.goName, Reason: "snippet column is not a full-text field"}
		}
	}
	s := src.session()
	d := s.db.dialect
	q := d.SearchSQL(&m.table, m.selectList, col, opts.Tokens)
	out := make([]Hit[T], 0, min(opts.Limit, 64))
	n := len(m.fields)
	err = s.direct(ctx, q, []any{opts.Before, opts.After, opts.Ellipsis, expr, int64(opts.Limit), expr}, nil, func(r *cursor) error {
		out = append(out, Hit[T]{})
		h := &out[len(out)-1]
		if err := r.decodeRow(m, m.fields, ptrOf(&h.Entity)); err != nil {
			return err
		}
		rank, err := r.value(n)
		if err != nil {
			return err
		}
		snippet, err := r.value(n + 1)
		if err != nil {
			return err
		}
		h.Rank, _ = rank.(float64)
		switch sn := snippet.(type) {
		case string:
			h.Snippet = sn
		case []byte:
			h.Snippet = string(sn)
		}
		return nil
	})
	if err != nil {
		return immutable.Array[Hit[T]]{}, searchErr(d, expr, err)
	}
	return immutable.Own(out), nil
}

func searchErr(d Dialect, expr string, err error) error {
	if d.IsSearchSyntax(err) {
		return &SearchError{Expr: expr, Err: err}
	}
	return d.Translate(err)
}
