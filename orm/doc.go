// Package orm is SQLite-first data access for Go: plain structs as models,
// a unit of work with change tracking, a read-only context that is safe to
// share between goroutines and returns immutable snapshots, a typed query
// builder, migrations and FTS5 full-text search. It runs on
// modernc.org/sqlite (no cgo, FTS5 built in); the database engine sits
// behind a [Dialect], so that PostgreSQL can follow.
//
// # Opening a database
//
// [Open] configures SQLite the way its experts do: WAL journal,
// synchronous=NORMAL, foreign keys on, a busy timeout, ONE writer
// connection whose transactions begin with BEGIN IMMEDIATE (so a writer
// waits for the lock instead of failing with SQLITE_BUSY halfway), and a
// pool of query_only reader connections. Every connection keeps its own
// cache of prepared statements, so a query's SQL is compiled once per
// connection, not once per call.
//
// Reads other than streaming Iter, and the statements of SaveChanges, run
// on the connection's SQLite handle itself, through the C API of
// modernc.org/sqlite/lib: each column is read once and stored straight
// into its field, with no driver.Value per value. This native path is used
// only where it gives exactly the driver's results (see the README);
// everything else goes through the driver.
//
// # Models
//
// A model is a struct. Its table is the snake_case type name (or what a
// TableName method returns); its columns are the exported fields in
// snake_case. The `orm` struct tag refines them:
//
//	type Post struct {
//		ID      int64                  `orm:"pk,autoincrement"` // a field named ID is the key by default
//		Slug    string                 `orm:"unique"`           // unique index ux_post_slug
//		UserID  int64                  `orm:"references:user.id,index"`
//		Title   string                 `orm:"fts"`              // full-text indexed
//		Body    string                 `orm:"fts,column:content"`
//		Meta    map[string]string      `orm:"json"`             // stored as JSON text (JSON v2)
//		Draft   nullable.Value[string]                          // NULL-able column
//		At      time.Time                                       // fixed-width UTC text, ns precision
//		Raw     []byte                                          // BLOB
//		Cache   string                 `orm:"-"`                // not stored
//		Version int64                  `orm:"version"`          // optimistic concurrency
//	}
//
// Options: pk, autoincrement, column:NAME, unique[:INDEX], index[:INDEX]
// (fields naming the same index form a composite one), version, fts, json,
// references:TABLE.COLUMN, and "-" to skip a field. Field types: integers,
// floats, bool, string, []byte, time.Time, nullable.Value[T] of those,
// any sql.Scanner + driver.Valuer, and any type tagged json.
//
// The plan of a type (field offsets, codecs, SQL) is built once, on first
// use; rows are then decoded straight into the struct's memory with no
// reflection per row.
//
// # Contexts
//
// [Tracking] is the unit of work: [Find] loads and tracks, [Tracking.Add]
// and [Tracking.Remove] stage inserts and deletes, and
// [Tracking.SaveChanges] writes every change in one transaction, updating
// only the columns that changed. [ReadOnly] is for reads: untracked,
// immutable results ([immutable.Array]), and [ReadOnly.Snapshot] for
// several queries that must see one consistent state.
//
// # Queries
//
// [Select] starts a [Query]: Where with [Eq], [Ne], [Lt], [Le], [Gt], [Ge],
// [In], [Like], [IsNull], [And], [Or], [Not]; OrderBy, Limit, Offset; and
// All, Iter (streaming, iter.Seq2), First, Count, Exists. Every value is a
// bound parameter; column names are checked against the model when the
// query is built ([*ColumnError]). [Query.Compile] gives a [Compiled]
// query whose SQL is built once and which runs from many goroutines, with
// [Param] placeholders bound by [Arg]. [Raw] scans hand-written SQL into a
// model; [Get] reads one entity by key; [Search] runs full-text queries.
//
// # Errors
//
// [ErrNotFound]; [*ConcurrencyError] (errors.Is [ErrConcurrencyConflict])
// names the entity and key whose row changed under it;
// [*ConstraintError] (errors.Is [ErrConstraint]) names the violated
// constraint; [*ColumnError] ([ErrUnknownColumn]); [*SearchError]
// ([ErrSearchSyntax]) for a malformed full-text expression; [*ModelError]
// ([ErrModel]); [ErrLocked] and [ErrCorrupt] for a database file that is
// locked beyond the busy timeout or is not a (healthy) database;
// [ErrClosed].
//
// # Concurrency
//
// [DB], [ReadOnly] and [Compiled] are safe for concurrent use by many
// goroutines. [Query] is an immutable value and may be shared. A
// [Tracking] belongs to one goroutine at a time (like EF Core's DbContext);
// using one from two goroutines at once panics with a message saying so.
// A [Snapshot] or a [Tx] belongs to the goroutine running the function it
// was given to, and is valid only until that function returns. Writes are
// serialised on the single writer connection; readers never wait for the
// writer (WAL), and each read sees only committed data.
package orm
