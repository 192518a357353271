package orm

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"modernc.org/sqlite"
)

// ColumnType is the storage class of a column, independent of the database.
type ColumnType uint8

// The storage classes a model field maps to.
const (
	TypeInteger ColumnType = iota + 1 // int*, uint*, bool, version counters
	TypeReal                          // float32, float64
	TypeText                          // string, time.Time (stored as fixed-width UTC text), JSON
	TypeBlob                          // []byte
	TypeAny                           // driver.Valuer types of unknown shape
)

// Column describes one column of a [Table], as the model declares it.
type Column struct {
	Name          string
	Type          ColumnType
	NotNull       bool
	PrimaryKey    bool
	AutoIncrement bool   // the database generates the key
	References    string // "table.column" for a foreign key, or ""
}

// Index describes a plain or unique index over one or more columns.
type Index struct {
	Name    string
	Columns []string
	Unique  bool
}

// Table describes a model's table: what a [Dialect] needs to create it.
type Table struct {
	Name    string
	Columns []Column
	Indexes []Index
	// FullText lists the columns indexed for full-text search, in order.
	FullText []string
	// Key is the primary-key column (an integer key when FullText is set).
	Key string
}

// FullTextTable is the name of the full-text table kept beside t.
func (t *Table) FullTextTable() string { return t.Name + "_fts" }

// Dialect is the boundary between the ORM and one database engine: DSNs,
// identifier quoting, placeholders, DDL, full-text search and error
// classification. The ORM ships the SQLite dialect ([SQLite]); the interface
// is shaped so that a PostgreSQL dialect (tsvector search, $n placeholders,
// REPEATABLE READ snapshots) can be added without changing callers.
//
// A Dialect must be safe for concurrent use; the SQLite one is stateless.
type Dialect interface {
	// Name is the dialect's short name, e.g. "sqlite".
	Name() string
	// DriverName is the database/sql driver to open.
	DriverName() string
	// WriterDSN and ReaderDSN return the data source names of the single
	// writer connection and of the read-only pool for the database at path.
	WriterDSN(path string, busyTimeoutMS int) string
	ReaderDSN(path string, busyTimeoutMS int) string
	// BeginWrite and BeginRead start a write transaction (taking the
	// write lock at once) and a read-only snapshot transaction.
	BeginWrite() string
	BeginRead() string
	// Quote quotes an identifier.
	Quote(ident string) string
	// Placeholder returns the n-th (1-based) bind parameter marker.
	Placeholder(n int) string
	// CreateTable returns the statements that create t, its indexes and
	// its full-text index, each idempotent (IF NOT EXISTS).
	CreateTable(t *Table) []string
	// SearchSQL returns a query selecting cols (already quoted and
	// qualified) of t's rows that match a search expression, with two more
	// result columns: the rank (lower is better) and a snippet of the
	// column at snippetCol. Its parameters, in order, are: snippet start
	// marker, end marker, ellipsis, the expression, the limit, and the
	// expression again.
	SearchSQL(t *Table, cols string, snippetCol int, tokens int) string
	// Translate maps a driver error to the ORM's typed errors (or returns
	// it unchanged).
	Translate(err error) error
	// IsSearchSyntax reports whether err, returned by a SearchSQL query,
	// means the expression was malformed.
	IsSearchSyntax(err error) bool
}

// SQLite returns the SQLite dialect (modernc.org/sqlite, FTS5).
func SQLite() Dialect { return sqliteDialect{} }

type sqliteDialect struct{}

var _ Dialect = sqliteDialect{}

// Name returns "sqlite".
func (sqliteDialect) Name() string { return "sqlite" }

// DriverName returns "sqlite", modernc.org/sqlite's driver.
func (sqliteDialect) DriverName() string { return "sqlite" }

func (sqliteDialect) dsn(path string, q url.Values) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// WriterDSN sets WAL, synchronous=NORMAL, foreign keys, the busy timeout
// and BEGIN IMMEDIATE for database/sql transactions.
func (d sqliteDialect) WriterDSN(path string, busy int) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.Itoa(busy)+")")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Set("_txlock", "immediate")
	return d.dsn(path, q)
}

// ReaderDSN is WriterDSN's settings plus query_only.
func (d sqliteDialect) ReaderDSN(path string, busy int) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.Itoa(busy)+")")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_pragma", "query_only(ON)")
	q.Add("_pragma", "temp_store(MEMORY)")
	return d.dsn(path, q)
}

// Quote doubles embedded quotes and wraps ident in double quotes.
func (sqliteDialect) Quote(ident string) string {
	return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"`
}

// Placeholder returns "?".
func (sqliteDialect) Placeholder(int) string { return "?" }

// BeginWrite returns "BEGIN IMMEDIATE".
func (sqliteDialect) BeginWrite() string { return "BEGIN IMMEDIATE" }

// BeginRead returns "BEGIN" (deferred: the snapshot starts at the first read).
func (sqliteDialect) BeginRead() string { return "BEGIN" }

func (d sqliteDialect) typeName(t ColumnType) string {
	switch t {
	case TypeInteger:
		return "INTEGER"
	case TypeReal:
		return "REAL"
	case TypeText:
		return "TEXT"
	case TypeBlob:
		return "BLOB"
	default:
		return ""
	}
}

// CreateTable returns CREATE TABLE, CREATE [UNIQUE] INDEX and, for
// full-text fields, an external-content FTS5 table with the three triggers
// that keep it in sync.
func (d sqliteDialect) CreateTable(t *Table) []string {
	var b strings.Builder
	b.WriteString("CREATE TABLE IF NOT EXISTS ")
	b.WriteString(d.Quote(t.Name))
	b.WriteString(" (")
	for i, c := range t.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(d.Quote(c.Name))
		if tn := d.typeName(c.Type); tn != "" {
			b.WriteString(" " + tn)
		}
		if c.PrimaryKey {
			// INTEGER PRIMARY KEY is SQLite's rowid alias: the database
			// assigns it when the insert leaves it out.
			b.WriteString(" PRIMARY KEY")
		}
		if c.NotNull && !c.PrimaryKey {
			b.WriteString(" NOT NULL")
		}
		if c.References != "" {
			tbl, col, _ := strings.Cut(c.References, ".")
			b.WriteString(" REFERENCES " + d.Quote(tbl) + "(" + d.Quote(col) + ")")
		}
	}
	b.WriteString(")")
	stmts := []string{b.String()}
	for _, ix := range t.Indexes {
		cols := make([]string, len(ix.Columns))
		for i, c := range ix.Columns {
			cols[i] = d.Quote(c)
		}
		kw := "INDEX"
		if ix.Unique {
			kw = "UNIQUE INDEX"
		}
		stmts = append(stmts, fmt.Sprintf("CREATE %s IF NOT EXISTS %s ON %s (%s)", kw, d.Quote(ix.Name), d.Quote(t.Name), strings.Join(cols, ", ")))
	}
	if len(t.FullText) == 0 {
		return stmts
	}
	fts := t.FullTextTable()
	cols := make([]string, len(t.FullText))
	newCols := make([]string, len(t.FullText))
	oldCols := make([]string, len(t.FullText))
	for i, c := range t.FullText {
		cols[i] = d.Quote(c)
		newCols[i] = "new." + d.Quote(c)
		oldCols[i] = "old." + d.Quote(c)
	}
	colList := strings.Join(cols, ", ")
	key := d.Quote(t.Key)
	stmts = append(stmts,
		fmt.Sprintf("CREATE VIRTUAL TABLE IF NOT EXISTS %s USING fts5(%s, content=%s, content_rowid=%s)",
			d.Quote(fts), colList, d.quoteString(t.Name), d.quoteString(t.Key)),
		fmt.Sprintf("CREATE TRIGGER IF NOT EXISTS %s AFTER INSERT ON %s BEGIN INSERT INTO %s(rowid, %s) VALUES (new.%s, %s); END",
			d.Quote(fts+"_ai"), d.Quote(t.Name), d.Quote(fts), colList, key, strings.Join(newCols, ", ")),
		fmt.Sprintf("CREATE TRIGGER IF NOT EXISTS %s AFTER DELETE ON %s BEGIN INSERT INTO %s(%s, rowid, %s) VALUES ('delete', old.%s, %s); END",
			d.Quote(fts+"_ad"), d.Quote(t.Name), d.Quote(fts), d.Quote(fts), colList, key, strings.Join(oldCols, ", ")),
		fmt.Sprintf("CREATE TRIGGER IF NOT EXISTS %s AFTER UPDATE OF %s, %s ON %s BEGIN INSERT INTO %s(%s, rowid, %s) VALUES ('delete', old.%s, %s); INSERT INTO %s(rowid, %s) VALUES (new.%s, %s); END",
			d.Quote(fts+"_au"), key, colList, d.Quote(t.Name),
			d.Quote(fts), d.Quote(fts), colList, key, strings.Join(oldCols, ", "),
			d.Quote(fts), colList, key, strings.Join(newCols, ", ")),
	)
	return stmts
}

func (sqliteDialect) quoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// SearchSQL ranks the matches on the FTS5 index alone (bm25 needs no
// content), keeps the best ones, and only then reads their rows and builds
// their snippets: a common word matching thousands of rows costs an index
// scan, not thousands of row reads and snippets.
func (d sqliteDialect) SearchSQL(t *Table, cols string, snippetCol int, tokens int) string {
	fts := d.Quote(t.FullTextTable())
	return fmt.Sprintf("SELECT %s, top.rank, snippet(%s, %d, ?, ?, ?, %d) "+
		"FROM (SELECT rowid AS id, bm25(%s) AS rank FROM %s WHERE %s MATCH ? ORDER BY rank LIMIT ?) AS top "+
		"JOIN %s ON %s.rowid = top.id JOIN %s ON %s.%s = top.id WHERE %s MATCH ? ORDER BY top.rank",
		cols, fts, snippetCol, tokens,
		fts, fts, fts,
		fts, fts, d.Quote(t.Name), d.Quote(t.Name), d.Quote(t.Key), fts)
}

// SQLite result codes (sqlite3.h).
const (
	sqliteError      = 1
	sqliteBusy       = 5
	sqliteLocked     = 6
	sqliteCorrupt    = 11
	sqliteConstraint = 19
	sqliteNotADB     = 26
)

// Translate maps SQLite constraint, busy/locked and corrupt/not-a-database
// result codes to the ORM's errors.
func (sqliteDialect) Translate(err error) error {
	se := sqliteErr(err)
	if se == nil {
		return err
	}
	switch se.Code() & 0xff {
	case sqliteConstraint:
		return constraintError(se.Error(), err)
	case sqliteBusy, sqliteLocked:
		return fmt.Errorf("%w: %w", ErrLocked, err)
	case sqliteCorrupt, sqliteNotADB:
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return err
}

// sqliteErr returns the SQLite error in err's chain: the driver's, or the
// native read path's; nil when there is none.
func sqliteErr(err error) interface {
	error
	Code() int
} {
	if se, ok := errors.AsType[*sqlite.Error](err); ok {
		return se
	}
	if le, ok := errors.AsType[*liteError](err); ok {
		return le
	}
	return nil
}

// constraintError parses SQLite's "<KIND> constraint failed: <name>"
// message, e.g. "UNIQUE constraint failed: user.email (2067)".
func constraintError(msg string, err error) error {
	ce := &ConstraintError{Kind: "CONSTRAINT", Err: err}
	for _, kind := range []string{"UNIQUE", "PRIMARY KEY", "FOREIGN KEY", "NOT NULL", "CHECK"} {
		i := strings.Index(msg, kind+" constraint failed")
		if i < 0 {
			continue
		}
		ce.Kind = kind
		rest := msg[i+len(kind)+len(" constraint failed"):]
		if name, ok := strings.CutPrefix(rest, ": "); ok {
			if j := strings.LastIndex(name, " ("); j >= 0 {
				name = name[:j]
			}
			ce.Constraint = strings.TrimSpace(name)
		}
		break
	}
	return ce
}

// IsSearchSyntax recognises FTS5's parse errors.
func (sqliteDialect) IsSearchSyntax(err error) bool {
	se := sqliteErr(err)
	if se == nil {
		return false
	}
	// The search statement itself is fixed and valid, so a plain
	// SQLITE_ERROR while running it comes from the expression ("fts5:
	// syntax error", "unterminated string", "no such column", "expected
	// integer" in NEAR, ...).
	return se.Code()&0xff == sqliteError
}
