package orm

import (
	"errors"
	"fmt"
)

// Sentinel errors. Test for them with [errors.Is]; the typed errors below
// wrap them.
var (
	// ErrNotFound is returned by [Find], [Query.First] and [Compiled.First]
	// when no row matches.
	ErrNotFound = errors.New("orm: not found")
	// ErrConcurrencyConflict is wrapped by [*ConcurrencyError]: an update or
	// delete matched no row because another writer changed or deleted it.
	ErrConcurrencyConflict = errors.New("orm: concurrency conflict")
	// ErrConstraint is wrapped by [*ConstraintError]: a UNIQUE, PRIMARY KEY,
	// FOREIGN KEY, NOT NULL or CHECK constraint rejected a write.
	ErrConstraint = errors.New("orm: constraint violation")
	// ErrUnknownColumn is wrapped by [*ColumnError]: a query named a column
	// its model does not have.
	ErrUnknownColumn = errors.New("orm: unknown column")
	// ErrSearchSyntax is wrapped by [*SearchError]: a full-text search
	// expression could not be parsed.
	ErrSearchSyntax = errors.New("orm: malformed search expression")
	// ErrLocked means the database stayed locked by another process or
	// connection for longer than the busy timeout.
	ErrLocked = errors.New("orm: database is locked")
	// ErrCorrupt means the file is not a SQLite database or is damaged.
	ErrCorrupt = errors.New("orm: database file is corrupt or not a database")
	// ErrModel is wrapped by [*ModelError]: a struct cannot be used as a
	// model (unsupported field type, missing key, conflicting tags).
	ErrModel = errors.New("orm: invalid model")
	// ErrClosed is returned by operations on a closed [DB].
	ErrClosed = errors.New("orm: database is closed")
)

// ConcurrencyError reports that SaveChanges found an entity changed or
// deleted by someone else since it was read (its version column, or the row
// itself, no longer matched). errors.Is(err, ErrConcurrencyConflict) is true.
type ConcurrencyError struct {
	Entity string // the model's Go type name, e.g. "Account"
	Table  string
	Key    any // the primary key value
}

func (e *ConcurrencyError) Error() string {
	return fmt.Sprintf("orm: concurrency conflict on %s %v (table %s): the row was changed or deleted since it was read", e.Entity, e.Key, e.Table)
}

// Unwrap returns [ErrConcurrencyConflict].
func (e *ConcurrencyError) Unwrap() error { return ErrConcurrencyConflict }

// ConstraintError reports a write rejected by a constraint.
// errors.Is(err, ErrConstraint) is true; Err is the driver's error.
type ConstraintError struct {
	Kind       string // "UNIQUE", "PRIMARY KEY", "FOREIGN KEY", "NOT NULL", "CHECK"
	Constraint string // what the database names, e.g. "user.email" or a CHECK's name
	Err        error
}

func (e *ConstraintError) Error() string {
	if e.Constraint == "" {
		return "orm: " + e.Kind + " constraint failed"
	}
	return "orm: " + e.Kind + " constraint failed: " + e.Constraint
}

// Unwrap returns [ErrConstraint] and the driver's error.
func (e *ConstraintError) Unwrap() []error { return []error{ErrConstraint, e.Err} }

// ColumnError reports a column name that the model does not have.
// errors.Is(err, ErrUnknownColumn) is true.
type ColumnError struct {
	Model  string
	Column string
}

func (e *ColumnError) Error() string {
	return fmt.Sprintf("orm: model %s has no column %q", e.Model, e.Column)
}

// Unwrap returns [ErrUnknownColumn].
func (e *ColumnError) Unwrap() error { return ErrUnknownColumn }

// SearchError reports a full-text expression the engine could not parse.
// errors.Is(err, ErrSearchSyntax) is true.
type SearchError struct {
	Expr string
	Err  error // the engine's message
}

func (e *SearchError) Error() string {
	return fmt.Sprintf("orm: malformed search expression %q: %v", e.Expr, e.Err)
}

// Unwrap returns [ErrSearchSyntax] and the engine's error.
func (e *SearchError) Unwrap() []error { return []error{ErrSearchSyntax, e.Err} }

// ModelError reports a struct that cannot be used as a model.
// errors.Is(err, ErrModel) is true.
type ModelError struct {
	Model  string
	Field  string
	Reason string
}

func (e *ModelError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("orm: model %s: %s", e.Model, e.Reason)
	}
	return fmt.Sprintf("orm: model %s, field %s: %s", e.Model, e.Field, e.Reason)
}

// Unwrap returns [ErrModel].
func (e *ModelError) Unwrap() error { return ErrModel }

// ScanError reports a stored value that cannot be converted to its field.
type ScanError struct {
	Model  string
	Column string
	Err    error
}

func (e *ScanError) Error() string {
	return fmt.Sprintf("orm: scan %s.%s: %v", e.Model, e.Column, e.Err)
}

// Unwrap returns the conversion error.
func (e *ScanError) Unwrap() error { return e.Err }

var errEmptySearch = errors.New("empty expression")
