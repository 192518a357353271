package orm

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/dext-go/dext/immutable"
)

type condOp uint8

const (
	opEq condOp = iota + 1
	opNe
	opLt
	opLe
	opGt
	opGe
	opIn
	opLike
	opIsNull
	opAnd
	opOr
	opNot
)

var opSQL = [...]string{opEq: " = ", opNe: " <> ", opLt: " < ", opLe: " <= ", opGt: " > ", opGe: " >= ", opLike: " LIKE "}

// Cond is a condition of a query's WHERE clause, built by [Eq], [Ne], [Lt],
// [Le], [Gt], [Ge], [In], [Like], [IsNull], [And], [Or] and [Not]. Column
// names are checked against the model when the condition is given to
// [Query.Where]; values are always bound as parameters, never written into
// the SQL text. A Cond is an immutable value.
type Cond struct {
	op   condOp
	col  string
	val  any
	vals []any
	subs []Cond
}

// Param is a named placeholder for a value supplied when a [Compiled] query
// runs: Eq("age", orm.Param("age")) and later c.All(ctx, src, orm.Arg("age", 42)).
type Param string

// NamedArg supplies a [Param]'s value; build it with [Arg].
type NamedArg struct {
	Name  string
	Value any
}

// Arg returns the value of the parameter called name.
func Arg(name string, value any) NamedArg { return NamedArg{Name: name, Value: value} }

// Eq is column = v. A nil v is written as IS NULL.
func Eq(column string, v any) Cond { return Cond{op: opEq, col: column, val: v} }

// Ne is column <> v. A nil v is written as IS NOT NULL.
func Ne(column string, v any) Cond { return Cond{op: opNe, col: column, val: v} }

// Lt is column < v.
func Lt(column string, v any) Cond { return Cond{op: opLt, col: column, val: v} }

// Le is column <= v.
func Le(column string, v any) Cond { return Cond{op: opLe, col: column, val: v} }

// Gt is column > v.
func Gt(column string, v any) Cond { return Cond{op: opGt, col: column, val: v} }

// Ge is column >= v.
func Ge(column string, v any) Cond { return Cond{op: opGe, col: column, val: v} }

// In is column IN (vs...). An empty list matches nothing.
func In(column string, vs ...any) Cond {
	return Cond{op: opIn, col: column, vals: slices.Clone(vs)}
}

// Like is column LIKE pattern, with % and _ as wildcards and \ as the
// escape character (see [EscapeLike]).
func Like(column string, pattern any) Cond { return Cond{op: opLike, col: column, val: pattern} }

// IsNull is column IS NULL.
func IsNull(column string) Cond { return Cond{op: opIsNull, col: column} }

// And is true when every condition is; And() is true.
func And(cs ...Cond) Cond { return Cond{op: opAnd, subs: slices.Clone(cs)} }

// Or is true when any condition is; Or() is false.
func Or(cs ...Cond) Cond { return Cond{op: opOr, subs: slices.Clone(cs)} }

// Not negates c.
func Not(c Cond) Cond { return Cond{op: opNot, subs: []Cond{c}} }

// EscapeLike escapes %, _ and \ in s so that Like matches it literally:
// Like("name", EscapeLike(userInput)+"%") is a prefix match.
func EscapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// check validates the columns of c against m.
func (c Cond) check(m *model) error {
	switch c.op {
	case opAnd, opOr, opNot:
		for _, s := range c.subs {
			if err := s.check(m); err != nil {
				return err
			}
		}
		return nil
	case 0:
		return fmt.Errorf("orm: zero Cond (build conditions with orm.Eq, orm.And, ...)")
	}
	_, err := m.column(c.col)
	return err
}

// builder accumulates SQL text and bound arguments.
type builder struct {
	d      Dialect
	m      *model
	sb     strings.Builder
	args   []any
	params map[int]string // argument index → Param name
}

func (b *builder) arg(v any) error {
	if p, ok := v.(Param); ok {
		if b.params == nil {
			b.params = map[int]string{}
		}
		b.params[len(b.args)] = string(p)
		b.args = append(b.args, nil)
	} else {
		n, err := normalizeArg(v)
		if err != nil {
			return err
		}
		b.args = append(b.args, n)
	}
	b.sb.WriteString(b.d.Placeholder(len(b.args)))
	return nil
}

func (b *builder) col(name string) error {
	f, err := b.m.column(name)
	if err != nil {
		return err
	}
	b.sb.WriteString(b.d.Quote(b.m.table.Name) + "." + b.d.Quote(f.column))
	return nil
}

func (b *builder) cond(c Cond) error {
	switch c.op {
	case opAnd, opOr:
		if len(c.subs) == 0 {
			if c.op == opAnd {
				b.sb.WriteString("1")
			} else {
				b.sb.WriteString("0")
			}
			return nil
		}
		sep := " AND "
		if c.op == opOr {
			sep = " OR "
		}
		b.sb.WriteString("(")
		for i, s := range c.subs {
			if i > 0 {
				b.sb.WriteString(sep)
			}
			if err := b.cond(s); err != nil {
				return err
			}
		}
		b.sb.WriteString(")")
		return nil
	case opNot:
		b.sb.WriteString("NOT (")
		if err := b.cond(c.subs[0]); err != nil {
			return err
		}
		b.sb.WriteString(")")
		return nil
	case 0:
		return c.check(b.m)
	}
	if err := b.col(c.col); err != nil {
		return err
	}
	switch c.op {
	case opIsNull:
		b.sb.WriteString(" IS NULL")
		return nil
	case opIn:
		if len(c.vals) == 0 {
			b.sb.WriteString(" IN (SELECT 1 WHERE 0)")
			return nil
		}
		b.sb.WriteString(" IN (")
		for i, v := range c.vals {
			if i > 0 {
				b.sb.WriteString(", ")
			}
			if err := b.arg(v); err != nil {
				return err
			}
		}
		b.sb.WriteString(")")
		return nil
	case opEq, opNe:
		if c.val == nil {
			if c.op == opEq {
				b.sb.WriteString(" IS NULL")
			} else {
				b.sb.WriteString(" IS NOT NULL")
			}
			return nil
		}
	}
	b.sb.WriteString(opSQL[c.op])
	if err := b.arg(c.val); err != nil {
		return err
	}
	if c.op == opLike {
		b.sb.WriteString(` ESCAPE '\'`)
	}
	return nil
}

type order struct {
	col  string
	desc bool
}

// Query is a query over the model T, built by [Select] and refined by its
// methods. A Query is an immutable value: every method returns a new Query
// and leaves its receiver unchanged, so a partly built query can be shared
// and extended by many goroutines. Errors found while building (an unknown
// column) are kept and returned when the query runs or is compiled.
type Query[T any] struct {
	src    Source
	m      *model
	err    error
	where  []Cond
	order  []order
	limit  int64 // -1: none
	offset int64
}

// Select starts a query over T's table, run through src (a [*ReadOnly], a
// [*Snapshot] or a [*Tracking]). src may be nil for a query that is only
// compiled.
func Select[T any](src Source) Query[T] {
	m, err := modelOf[T]()
	return Query[T]{src: src, m: m, err: err, limit: -1}
}

// Where adds conditions, all of which must hold. Their column names are
// checked now; an unknown one is a [*ColumnError].
func (q Query[T]) Where(cs ...Cond) Query[T] {
	if q.err != nil {
		return q
	}
	for _, c := range cs {
		if err := c.check(q.m); err != nil {
			q.err = err
			return q
		}
	}
	q.where = append(slices.Clip(q.where), cs...)
	return q
}

// OrderBy sorts by column, ascending; later calls add tie-breakers.
func (q Query[T]) OrderBy(column string) Query[T] { return q.orderBy(column, false) }

// OrderByDesc sorts by column, descending.
func (q Query[T]) OrderByDesc(column string) Query[T] { return q.orderBy(column, true) }

func (q Query[T]) orderBy(column string, desc bool) Query[T] {
	if q.err != nil {
		return q
	}
	if _, err := q.m.column(column); err != nil {
		q.err = err
		return q
	}
	q.order = append(slices.Clip(q.order), order{column, desc})
	return q
}

// Limit returns at most n rows (n < 0: no limit).
func (q Query[T]) Limit(n int) Query[T] {
	q.limit = int64(max(n, -1))
	return q
}

// Offset skips the first n rows.
func (q Query[T]) Offset(n int) Query[T] {
	q.offset = int64(max(n, 0))
	return q
}

// Err returns the first error found while building q.
func (q Query[T]) Err() error { return q.err }

type queryKind uint8

const (
	kindSelect queryKind = iota
	kindFirst
	kindCount
	kindExists
)

func (q Query[T]) build(d Dialect, kind queryKind) (string, *builder, error) {
	if q.err != nil {
		return "", nil, q.err
	}
	b := &builder{d: d, m: q.m}
	tbl := d.Quote(q.m.table.Name)
	switch kind {
	case kindCount:
		b.sb.WriteString("SELECT count(*) FROM (SELECT 1 FROM " + tbl)
	case kindExists:
		b.sb.WriteString("SELECT EXISTS (SELECT 1 FROM " + tbl)
	default:
		b.sb.WriteString("SELECT " + q.m.selectList + " FROM " + tbl)
	}
	if len(q.where) > 0 {
		b.sb.WriteString(" WHERE ")
		if err := b.cond(And(q.where...)); err != nil {
			return "", nil, err
		}
	}
	if kind != kindExists && kind != kindCount && len(q.order) > 0 {
		b.sb.WriteString(" ORDER BY ")
		for i, o := range q.order {
			if i > 0 {
				b.sb.WriteString(", ")
			}
			if err := b.col(o.col); err != nil {
				return "", nil, err
			}
			if o.desc {
				b.sb.WriteString(" DESC")
			}
		}
	}
	limit := q.limit
	if kind == kindFirst && (limit < 0 || limit > 1) {
		limit = 1
	}
	if limit >= 0 || q.offset > 0 {
		b.sb.WriteString(" LIMIT ")
		if err := b.arg(limit); err != nil {
			return "", nil, err
		}
		if q.offset > 0 {
			b.sb.WriteString(" OFFSET ")
			if err := b.arg(q.offset); err != nil {
				return "", nil, err
			}
		}
	}
	if kind == kindCount || kind == kindExists {
		b.sb.WriteString(")")
	}
	return b.sb.String(), b, nil
}

// SQL returns the SELECT statement q runs and its arguments, for logging
// and tests. Values never appear in the text.
func (q Query[T]) SQL() (string, []any, error) {
	d := SQLite()
	if q.src != nil {
		d = q.src.session().db.dialect
	}
	s, b, err := q.build(d, kindSelect)
	if err != nil {
		return "", nil, err
	}
	return s, b.args, nil
}

func (q Query[T]) compile(kind queryKind) (*Compiled[T], error) {
	if q.err != nil {
		return nil, q.err
	}
	d := SQLite()
	if q.src != nil {
		d = q.src.session().db.dialect
	}
	c := &Compiled[T]{m: q.m, hint: 16}
	if q.limit >= 0 && q.limit < 1024 {
		c.hint = int(q.limit)
	}
	for i, k := range []queryKind{kindSelect, kindFirst, kindCount, kindExists} {
		s, b, err := q.build(d, k)
		if err != nil {
			return nil, err
		}
		c.sql[i], c.args[i], c.params[i] = s, b.args, b.params
	}
	return c, nil
}

// Compile turns q into a [Compiled] query: its SQL is built once, and it
// can run any number of times, from many goroutines, through any Source.
func (q Query[T]) Compile() (*Compiled[T], error) { return q.compile(kindSelect) }

func (q Query[T]) run(kind queryKind) (*Compiled[T], *session, error) {
	if q.err != nil {
		return nil, nil, q.err
	}
	if q.src == nil {
		return nil, nil, fmt.Errorf("orm: Query[%s] has no Source (use Compile and pass one when running)", q.m.name)
	}
	s, b, err := q.build(q.src.session().db.dialect, kind)
	if err != nil {
		return nil, nil, err
	}
	c := &Compiled[T]{m: q.m, hint: 16}
	if q.limit >= 0 && q.limit < 1024 {
		c.hint = int(q.limit)
	}
	c.sql[kind], c.args[kind], c.params[kind] = s, b.args, b.params
	return c, q.src.session(), nil
}

// All runs q and returns every matching row as an immutable array.
func (q Query[T]) All(ctx context.Context) (immutable.Array[T], error) {
	c, s, err := q.run(kindSelect)
	if err != nil {
		return immutable.Array[T]{}, err
	}
	return c.all(ctx, s, nil)
}

// Iter runs q and streams its rows: each is read when the loop asks for it,
// and breaking out of the loop closes the query.
func (q Query[T]) Iter(ctx context.Context) iter.Seq2[T, error] {
	c, s, err := q.run(kindSelect)
	if err != nil {
		return func(yield func(T, error) bool) { var zero T; yield(zero, err) }
	}
	return c.iter(ctx, s, nil)
}

// First returns the first matching row, or [ErrNotFound].
func (q Query[T]) First(ctx context.Context) (T, error) {
	c, s, err := q.run(kindFirst)
	if err != nil {
		var zero T
		return zero, err
	}
	return c.first(ctx, s, nil)
}

// Count returns the number of matching rows (after Limit and Offset).
func (q Query[T]) Count(ctx context.Context) (int64, error) {
	c, s, err := q.run(kindCount)
	if err != nil {
		return 0, err
	}
	return c.count(ctx, s, nil)
}

// Exists reports whether any row matches.
func (q Query[T]) Exists(ctx context.Context) (bool, error) {
	c, s, err := q.run(kindExists)
	if err != nil {
		return false, err
	}
	return c.exists(ctx, s, nil)
}

// Compiled is a query built once and run many times: EF's compiled query.
// It is immutable and safe for concurrent use by many goroutines, through
// any Source. Values to vary between runs are [Param]s, supplied by [Arg].
type Compiled[T any] struct {
	m      *model
	hint   int
	sql    [4]string
	args   [4][]any
	params [4]map[int]string
}

// SQL returns the compiled SELECT statement.
func (c *Compiled[T]) SQL() string { return c.sql[kindSelect] }

func (c *Compiled[T]) bind(kind queryKind, named []NamedArg) ([]any, error) {
	params := c.params[kind]
	if len(params) == 0 {
		if len(named) > 0 {
			return nil, fmt.Errorf("orm: query has no parameter %q", named[0].Name)
		}
		return c.args[kind], nil
	}
	args := slices.Clone(c.args[kind])
	for i, name := range params {
		found := false
		for _, a := range named {
			if a.Name == name {
				v, err := normalizeArg(a.Value)
				if err != nil {
					return nil, fmt.Errorf("orm: parameter %q: %w", name, err)
				}
				args[i], found = v, true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("orm: missing value for parameter %q", name)
		}
	}
	for _, a := range named {
		if !slices.Contains(valuesOf(params), a.Name) {
			return nil, fmt.Errorf("orm: query has no parameter %q", a.Name)
		}
	}
	return args, nil
}

func valuesOf(m map[int]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func (c *Compiled[T]) all(ctx context.Context, s *session, named []NamedArg) (immutable.Array[T], error) {
	args, err := c.bind(kindSelect, named)
	if err != nil {
		return immutable.Array[T]{}, err
	}
	return collect[T](ctx, s, c.m, c.m.fields, c.sql[kindSelect], args, c.hint)
}

func (c *Compiled[T]) iter(ctx context.Context, s *session, named []NamedArg) iter.Seq2[T, error] {
	args, err := c.bind(kindSelect, named)
	if err != nil {
		return func(yield func(T, error) bool) { var zero T; yield(zero, err) }
	}
	return stream[T](ctx, s, c.m, c.m.fields, c.sql[kindSelect], args)
}

func (c *Compiled[T]) first(ctx context.Context, s *session, named []NamedArg) (T, error) {
	var v T
	args, err := c.bind(kindFirst, named)
	if err != nil {
		return v, err
	}
	err = first(ctx, s, c.m, c.sql[kindFirst], args, ptrOf(&v))
	return v, err
}

func (c *Compiled[T]) count(ctx context.Context, s *session, named []NamedArg) (int64, error) {
	args, err := c.bind(kindCount, named)
	if err != nil {
		return 0, err
	}
	var n int64
	err = scalar(ctx, s, c.sql[kindCount], args, &n)
	return n, err
}

func (c *Compiled[T]) exists(ctx context.Context, s *session, named []NamedArg) (bool, error) {
	args, err := c.bind(kindExists, named)
	if err != nil {
		return false, err
	}
	var n int64
	err = scalar(ctx, s, c.sql[kindExists], args, &n)
	return n != 0, err
}

// All runs the query through src.
func (c *Compiled[T]) All(ctx context.Context, src Source, args ...NamedArg) (immutable.Array[T], error) {
	return c.all(ctx, src.session(), args)
}

// Iter streams the query's rows through src.
func (c *Compiled[T]) Iter(ctx context.Context, src Source, args ...NamedArg) iter.Seq2[T, error] {
	return c.iter(ctx, src.session(), args)
}

// First returns the first row, or [ErrNotFound].
func (c *Compiled[T]) First(ctx context.Context, src Source, args ...NamedArg) (T, error) {
	return c.first(ctx, src.session(), args)
}

// Count returns the number of matching rows.
func (c *Compiled[T]) Count(ctx context.Context, src Source, args ...NamedArg) (int64, error) {
	return c.count(ctx, src.session(), args)
}

// Exists reports whether any row matches.
func (c *Compiled[T]) Exists(ctx context.Context, src Source, args ...NamedArg) (bool, error) {
	return c.exists(ctx, src.session(), args)
}
