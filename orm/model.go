package orm

import (
	"database/sql"
	"database/sql/driver"
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode"
	"unsafe"
)

// fieldKind selects the codec of a field: how it is encoded into a bound
// parameter and decoded from a driver value, through an unsafe pointer to
// the field (offsets are computed once per type, never per row).
type fieldKind uint8

const (
	kInt fieldKind = iota + 1
	kInt8
	kInt16
	kInt32
	kInt64
	kUint
	kUint8
	kUint16
	kUint32
	kUint64
	kFloat32
	kFloat64
	kBool
	kString
	kBytes
	kTime
	kJSON
	kNullable // nullable.Value[X] with a native X: X at inner.off, valid flag at validOff
	kScanner  // sql.Scanner + driver.Valuer, through reflect.NewAt
)

// field is one mapped struct field.
type field struct {
	goName  string
	column  string
	pos     int // position in model.fields
	off     uintptr
	typ     reflect.Type
	kind    fieldKind
	colType ColumnType
	notNull bool

	pk, autoinc, version, fts bool
	references                string

	// kNullable: the inner value's codec and the validity flag's offset.
	inner    *field
	validOff uintptr
	// kScanner: the type Get() returns, when it has one (time.Time needs
	// the text decoded before Scan sees it).
	scanInner reflect.Type
}

// model is the plan of one struct type, built once and shared.
type model struct {
	typ    reflect.Type
	name   string // Go type name
	table  Table
	fields []*field
	cols   map[string]*field // by column name and by Go field name
	pk     *field
	ver    *field
	fts    []*field
	deps   []string // tables this one references

	// SQL fragments, quoted by the dialect at plan time.
	selectList string // "t"."a", "t"."b", ...

	scanners sync.Pool // of *rowScanner over every field

	once       sync.Once // guards the statements below, built on first use
	sqlGet     string    // SELECT ... WHERE pk = ?
	sqlInsert  string    // INSERT of every column
	sqlInsertG string    // INSERT leaving out the generated key
	sqlDelete  string    // DELETE ... WHERE pk = ? [AND version = ?]
}

func (m *model) buildSQL(d Dialect) {
	tbl := d.Quote(m.table.Name)
	m.sqlGet = "SELECT " + m.selectList + " FROM " + tbl + " WHERE " + d.Quote(m.pk.column) + " = " + d.Placeholder(1)
	ins := func(skipKey bool) string {
		var cols, vals []string
		for _, f := range m.fields {
			if skipKey && f == m.pk {
				continue
			}
			cols = append(cols, d.Quote(f.column))
			vals = append(vals, d.Placeholder(len(vals)+1))
		}
		return "INSERT INTO " + tbl + " (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(vals, ", ") + ")"
	}
	m.sqlInsert = ins(false)
	m.sqlInsertG = ins(true)
	m.sqlDelete = "DELETE FROM " + tbl + " WHERE " + d.Quote(m.pk.column) + " = " + d.Placeholder(1)
	if m.ver != nil {
		m.sqlDelete += " AND " + d.Quote(m.ver.column) + " = " + d.Placeholder(2)
	}
}

func (m *model) stmts(d Dialect) *model {
	m.once.Do(func() { m.buildSQL(d) })
	return m
}

func (m *model) column(name string) (*field, error) {
	if f, ok := m.cols[name]; ok {
		return f, nil
	}
	return nil, &ColumnError{Model: m.name, Column: name}
}

var models sync.Map // reflect.Type → *model or error

// modelFor returns the plan of t, building it the first time.
func modelFor(t reflect.Type) (*model, error) {
	if v, ok := models.Load(t); ok {
		if m, ok := v.(*model); ok {
			return m, nil
		}
		return nil, v.(error)
	}
	m, err := buildModel(t, sqliteDialect{})
	if err != nil {
		models.Store(t, err)
		return nil, err
	}
	v, _ := models.LoadOrStore(t, m)
	if m, ok := v.(*model); ok {
		return m, nil
	}
	return nil, v.(error)
}

// modelOf is modelFor for a type parameter.
func modelOf[T any]() (*model, error) { return modelFor(reflect.TypeFor[T]()) }

// Tabler is implemented by models that choose their table name.
type Tabler interface{ TableName() string }

var (
	timeType    = reflect.TypeFor[time.Time]()
	bytesType   = reflect.TypeFor[[]byte]()
	scannerType = reflect.TypeFor[sql.Scanner]()
	valuerType  = reflect.TypeFor[driver.Valuer]()
	tablerType  = reflect.TypeFor[Tabler]()
)

const nullablePkg = "github.com/dext-go/dext/nullable"

func buildModel(t reflect.Type, d Dialect) (*model, error) {
	if t.Kind() != reflect.Struct {
		return nil, &ModelError{Model: t.String(), Reason: "a model must be a struct type"}
	}
	m := &model{typ: t, name: t.Name(), cols: map[string]*field{}}
	if m.name == "" {
		m.name = t.String()
	}
	m.table.Name = snake(t.Name())
	if t.Implements(tablerType) {
		m.table.Name = reflect.Zero(t).Interface().(Tabler).TableName()
	}
	if m.table.Name == "" {
		return nil, &ModelError{Model: m.name, Reason: "empty table name"}
	}
	indexes := map[string]*Index{}
	var indexOrder []string
	if err := m.addFields(t, 0, indexes, &indexOrder); err != nil {
		return nil, err
	}
	if len(m.fields) == 0 {
		return nil, &ModelError{Model: m.name, Reason: "no mapped fields"}
	}
	if m.pk == nil {
		// A field named ID is the key by convention.
		if f, ok := m.cols["ID"]; ok {
			f.pk = true
			m.pk = f
			if f.colType == TypeInteger {
				f.autoinc = true
			}
		} else {
			return nil, &ModelError{Model: m.name, Reason: `no primary key: tag a field orm:"pk" or name it ID`}
		}
	}
	if m.pk.kind == kNullable || m.pk.kind == kScanner || m.pk.kind == kJSON {
		return nil, &ModelError{Model: m.name, Field: m.pk.goName, Reason: "a primary key must be an integer, string, or []byte"}
	}
	if m.pk.autoinc && m.pk.colType != TypeInteger {
		return nil, &ModelError{Model: m.name, Field: m.pk.goName, Reason: "autoincrement needs an integer key"}
	}
	if len(m.fts) > 0 && m.pk.colType != TypeInteger {
		return nil, &ModelError{Model: m.name, Reason: "full-text fields need an integer primary key"}
	}
	for _, f := range m.fields {
		m.table.Columns = append(m.table.Columns, Column{
			Name: f.column, Type: f.colType, NotNull: f.notNull, PrimaryKey: f.pk,
			AutoIncrement: f.autoinc, References: f.references,
		})
		if f.references != "" {
			tbl, _, _ := strings.Cut(f.references, ".")
			m.deps = append(m.deps, tbl)
		}
	}
	for _, name := range indexOrder {
		m.table.Indexes = append(m.table.Indexes, *indexes[name])
	}
	for _, f := range m.fts {
		m.table.FullText = append(m.table.FullText, f.column)
	}
	m.table.Key = m.pk.column
	sel := make([]string, len(m.fields))
	for i, f := range m.fields {
		sel[i] = d.Quote(m.table.Name) + "." + d.Quote(f.column)
	}
	m.selectList = strings.Join(sel, ", ")
	return m, nil
}

func (m *model) addFields(t reflect.Type, base uintptr, indexes map[string]*Index, order *[]string) error {
	for sf := range t.Fields() {
		tag, hasTag := sf.Tag.Lookup("orm")
		if tag == "-" {
			continue
		}
		if sf.Anonymous && !hasTag && sf.Type.Kind() == reflect.Struct && sf.Type != timeType && !isNullable(sf.Type) {
			if err := m.addFields(sf.Type, base+sf.Offset, indexes, order); err != nil {
				return err
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		f := &field{goName: sf.Name, column: snake(sf.Name), off: base + sf.Offset, typ: sf.Type, pos: len(m.fields)}
		var isJSON bool
		var uniq, idx []string
		for opt := range strings.SplitSeq(tag, ",") {
			key, val, _ := strings.Cut(strings.TrimSpace(opt), ":")
			switch key {
			case "":
			case "pk":
				f.pk = true
			case "autoincrement":
				f.autoinc = true
			case "column":
				f.column = val
			case "unique":
				uniq = append(uniq, val)
			case "index":
				idx = append(idx, val)
			case "version":
				f.version = true
			case "fts":
				f.fts = true
			case "json":
				isJSON = true
			case "references":
				if tbl, col, ok := strings.Cut(val, "."); !ok || tbl == "" || col == "" {
					return &ModelError{Model: m.name, Field: sf.Name, Reason: `references must be "table.column"`}
				}
				f.references = val
			default:
				return &ModelError{Model: m.name, Field: sf.Name, Reason: "unknown tag option " + key}
			}
		}
		if f.column == "" {
			return &ModelError{Model: m.name, Field: sf.Name, Reason: "empty column name"}
		}
		if err := m.setKind(f, isJSON); err != nil {
			return err
		}
		if _, dup := m.cols[f.column]; dup {
			return &ModelError{Model: m.name, Field: sf.Name, Reason: "duplicate column " + f.column}
		}
		if f.pk {
			if m.pk != nil {
				return &ModelError{Model: m.name, Field: sf.Name, Reason: "more than one primary key"}
			}
			m.pk = f
		}
		if f.autoinc && !f.pk {
			return &ModelError{Model: m.name, Field: sf.Name, Reason: "autoincrement without pk"}
		}
		if f.version {
			if m.ver != nil || f.colType != TypeInteger || f.kind == kBool || f.kind == kNullable || f.kind == kScanner {
				return &ModelError{Model: m.name, Field: sf.Name, Reason: "a version column must be the only one and an integer"}
			}
			m.ver = f
		}
		if f.fts {
			if f.kind != kString && (f.kind != kNullable || f.inner.kind != kString) {
				return &ModelError{Model: m.name, Field: sf.Name, Reason: "full-text fields must be strings"}
			}
			m.fts = append(m.fts, f)
		}
		for _, u := range uniq {
			addIndex(indexes, order, "ux_"+m.table.Name+"_", u, f.column, true)
		}
		for _, u := range idx {
			addIndex(indexes, order, "ix_"+m.table.Name+"_", u, f.column, false)
		}
		m.fields = append(m.fields, f)
		m.cols[f.column] = f
		if _, taken := m.cols[f.goName]; !taken {
			m.cols[f.goName] = f
		}
	}
	return nil
}

func addIndex(indexes map[string]*Index, order *[]string, prefix, name, column string, unique bool) {
	if name == "" {
		name = prefix + column
	}
	ix, ok := indexes[name]
	if !ok {
		ix = &Index{Name: name, Unique: unique}
		indexes[name] = ix
		*order = append(*order, name)
	}
	ix.Columns = append(ix.Columns, column)
	ix.Unique = ix.Unique || unique
}

func isNullable(t reflect.Type) bool {
	return t.PkgPath() == nullablePkg && strings.HasPrefix(t.Name(), "Value[")
}

// setKind chooses f's codec.
func (m *model) setKind(f *field, isJSON bool) error {
	t := f.typ
	f.notNull = true
	if isJSON {
		f.kind, f.colType = kJSON, TypeText
		return nil
	}
	if isNullable(t) {
		// nullable.Value[X] is {v X; valid bool}: with a native X, encode
		// and decode X in place and set the flag, without reflection.
		vf, ok1 := t.FieldByName("v")
		bf, ok2 := t.FieldByName("valid")
		if ok1 && ok2 && bf.Type.Kind() == reflect.Bool && t.NumField() == 2 {
			inner := &field{goName: f.goName, column: f.column, off: vf.Offset, typ: vf.Type}
			if err := m.nativeKind(inner); err == nil {
				f.kind, f.colType, f.notNull = kNullable, inner.colType, false
				f.inner, f.validOff = inner, bf.Offset
				return nil
			}
		}
	}
	if reflect.PointerTo(t).Implements(scannerType) && t.Implements(valuerType) {
		f.kind, f.colType, f.notNull = kScanner, TypeAny, false
		if g, ok := t.MethodByName("Get"); ok && g.Type.NumOut() >= 1 {
			f.scanInner = g.Type.Out(0)
			probe := &field{typ: f.scanInner}
			if m.nativeKind(probe) == nil {
				f.colType = probe.colType
			}
		}
		return nil
	}
	if err := m.nativeKind(f); err != nil {
		return err
	}
	if f.kind == kBytes {
		f.notNull = false
	}
	return nil
}

func (m *model) nativeKind(f *field) error {
	t := f.typ
	if t == timeType {
		f.kind, f.colType = kTime, TypeText
		return nil
	}
	switch t.Kind() {
	case reflect.Int:
		f.kind = kInt
	case reflect.Int8:
		f.kind = kInt8
	case reflect.Int16:
		f.kind = kInt16
	case reflect.Int32:
		f.kind = kInt32
	case reflect.Int64:
		f.kind = kInt64
	case reflect.Uint:
		f.kind = kUint
	case reflect.Uint8:
		f.kind = kUint8
	case reflect.Uint16:
		f.kind = kUint16
	case reflect.Uint32:
		f.kind = kUint32
	case reflect.Uint64:
		f.kind = kUint64
	case reflect.Float32:
		f.kind, f.colType = kFloat32, TypeReal
		return nil
	case reflect.Float64:
		f.kind, f.colType = kFloat64, TypeReal
		return nil
	case reflect.Bool:
		f.kind = kBool
	case reflect.String:
		f.kind, f.colType = kString, TypeText
		return nil
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			f.kind, f.colType = kBytes, TypeBlob
			return nil
		}
		fallthrough
	default:
		return &ModelError{Model: m.name, Field: f.goName, Reason: "unsupported type " + t.String() + ` (tag it orm:"json" or orm:"-")`}
	}
	f.colType = TypeInteger
	return nil
}

// snake converts a Go identifier to snake_case: "UserID" → "user_id",
// "HTTPServer" → "http_server".
func snake(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) ||
				(i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1]))) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ptrOf returns p as an unsafe.Pointer for the field codecs. Every caller
// passes a *T whose plan was built from T's own type, so the field offsets
// applied to the pointer stay inside the value.
func ptrOf[T any](p *T) unsafe.Pointer {
	return unsafe.Pointer(p) //nolint:gosec // G103 audited: see the comment above
}

// ptr returns the address of f inside the struct at base.
func (f *field) ptr(base unsafe.Pointer) unsafe.Pointer { return unsafe.Add(base, f.off) }
