package ormbench

import (
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/callbacks"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/migrator"
	"gorm.io/gorm/schema"
)

// gormDialector runs GORM over an existing *sql.DB of modernc.org/sqlite.
// github.com/glebarez/sqlite cannot be linked beside modernc.org/sqlite:
// its fork of the driver registers the same "sqlite" driver name (and was
// transpiled against an older modernc.org/libc), so this is the minimal
// SQLite dialect GORM needs for the benchmarked calls (no migrations).
type gormDialector struct {
	conn gorm.ConnPool
}

// Name returns "sqlite".
func (gormDialector) Name() string { return "sqlite" }

// Initialize installs the connection and GORM's default callbacks.
func (d gormDialector) Initialize(db *gorm.DB) error {
	db.ConnPool = d.conn
	callbacks.RegisterDefaultCallbacks(db, &callbacks.Config{
		CreateClauses:        []string{"INSERT", "VALUES", "ON CONFLICT", "RETURNING"},
		UpdateClauses:        []string{"UPDATE", "SET", "FROM", "WHERE", "RETURNING"},
		DeleteClauses:        []string{"DELETE", "FROM", "WHERE", "RETURNING"},
		LastInsertIDReversed: true,
	})
	return nil
}

// Migrator returns GORM's generic migrator (unused by the benchmarks).
func (d gormDialector) Migrator(db *gorm.DB) gorm.Migrator {
	return migrator.Migrator{Config: migrator.Config{DB: db, Dialector: d}}
}

// DataTypeOf maps GORM data types to SQLite storage classes.
func (gormDialector) DataTypeOf(f *schema.Field) string {
	switch f.DataType {
	case schema.Bool, schema.Int, schema.Uint:
		return "integer"
	case schema.Float:
		return "real"
	case schema.Bytes:
		return "blob"
	default:
		return "text"
	}
}

// DefaultValueOf returns DEFAULT.
func (gormDialector) DefaultValueOf(*schema.Field) clause.Expression {
	return clause.Expr{SQL: "DEFAULT"}
}

// BindVarTo writes a ? placeholder.
func (gormDialector) BindVarTo(w clause.Writer, _ *gorm.Statement, _ any) { _ = w.WriteByte('?') }

// QuoteTo double-quotes each dotted part of an identifier.
func (gormDialector) QuoteTo(w clause.Writer, s string) {
	for i, part := range strings.Split(s, ".") {
		if i > 0 {
			_ = w.WriteByte('.')
		}
		_, _ = w.WriteString(`"` + strings.ReplaceAll(part, `"`, `""`) + `"`)
	}
}

// Explain renders a statement with its values for GORM's logger.
func (gormDialector) Explain(sql string, vars ...any) string {
	return logger.ExplainSQL(sql, nil, `"`, vars...)
}
