// Package ormbench compares the orm module with plain database/sql
// (prepared statements, hand-written Scan), GORM, bun and sqlx, all on the
// same SQLite file through the same modernc.org/sqlite driver.
package ormbench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/dext-go/dext/bench/internal/report"
	"github.com/dext-go/dext/orm"
)

// Suite is the orm section of bench/RESULTS.md.
var Suite = report.Suite{
	Name:  "orm",
	Title: "orm: against database/sql, GORM, bun and sqlx on SQLite",
	Notes: `
Every side works on the same SQLite file (WAL, 10,000 rows of six columns:
id, name, email, age, score, active) through the same driver,
modernc.org/sqlite. "database/sql" is the floor: a statement prepared once
and a hand-written ` + "`Scan`" + ` into the struct. orm reads go through the shared
` + "`ReadOnly`" + ` context (` + "`orm.Get`" + `, a compiled query) and writes through
` + "`Tracking.SaveChanges`" + `. The orm opens its connections through the same
driver and runs its statements on their SQLite handle with the C API of
modernc.org/sqlite/lib (its native path: each column read once straight
into its field, no ` + "`driver.Value`" + ` per value; see orm/README.md). GORM
(v1.31, ` + "`PrepareStmt`" + `, default transaction off, over a ` + "`*sql.DB`" + ` of the
same driver through a small dialector in this package), bun (v1.3,
sqlitedialect) and sqlx (v1.4, ` + "`Preparex`" + `) run their idiomatic calls.
Inserts: 1,000 rows in one transaction, generated keys read back on every
side; they write to the disk, so their ratio moves the most with other
jobs' I/O (single rounds range 0.6–1.7× on a loaded machine). "parallel"
runs the orm point read with ` + "`b.RunParallel`" + ` (2 goroutines on this 2-core
machine) against the same body on one goroutine: the ratio is the
speed-up, and it shrinks to nothing when other jobs hold the cores.
Bodies: bench/ormbench.`,
	Run: func(r *report.Recorder) {
		r.Compare("point read by key: orm.Get vs database/sql",
			report.Goal{Text: "within 1.2× of raw", MaxSlowdown: 1.2, MaxAllocs: -1}, OrmPointRead, RawPointRead)
		r.Compare("point read by key: orm.Get vs GORM First",
			report.Goal{Text: "≥2× faster", MaxSlowdown: 0.5, MaxAllocs: -1}, OrmPointRead, GormPointRead)
		r.Compare("point read by key: orm.Get vs bun",
			report.Goal{Text: "≥2× faster", MaxSlowdown: 0.5, MaxAllocs: -1}, OrmPointRead, BunPointRead)
		r.Compare("point read by key: orm.Get vs sqlx Get",
			report.NoGoal, OrmPointRead, SqlxPointRead)
		r.Compare("read 1,000 rows: orm compiled query vs database/sql",
			report.Goal{Text: "within 1.15× of raw", MaxSlowdown: 1.15, MaxAllocs: -1}, OrmRead1000, RawRead1000)
		r.Compare("read 1,000 rows: orm compiled query vs GORM Find",
			report.Goal{Text: "≥2× faster", MaxSlowdown: 0.5, MaxAllocs: -1}, OrmRead1000, GormRead1000)
		r.Compare("read 1,000 rows: orm compiled query vs bun",
			report.Goal{Text: "≥2× faster", MaxSlowdown: 0.5, MaxAllocs: -1}, OrmRead1000, BunRead1000)
		r.Compare("read 1,000 rows: orm compiled query vs sqlx Select",
			report.NoGoal, OrmRead1000, SqlxRead1000)
		r.Compare("1,000 inserts in one transaction: SaveChanges vs database/sql",
			report.Goal{Text: "within 1.3× of raw", MaxSlowdown: 1.3, MaxAllocs: -1}, OrmInsert1000, RawInsert1000)
		r.Compare("1,000 inserts in one transaction: SaveChanges vs GORM Create",
			report.NoGoal, OrmInsert1000, GormInsert1000)
		r.Compare("1,000 inserts in one transaction: SaveChanges vs bun",
			report.NoGoal, OrmInsert1000, BunInsert1000)
		r.Compare("parallel point reads on one ReadOnly: 2 goroutines vs 1",
			report.NoGoal, OrmPointReadParallel, OrmPointRead)
		Cleanup()
	},
}

// Row is the benchmark model, shared by orm, GORM and sqlx.
type Row struct {
	ID     int64   `orm:"pk,autoincrement" gorm:"primaryKey" db:"id"`
	Name   string  `db:"name"`
	Email  string  `db:"email"`
	Age    int     `db:"age"`
	Score  float64 `db:"score"`
	Active bool    `db:"active"`
}

// TableName names the table for orm and GORM.
func (Row) TableName() string { return "bench_row" }

// InsRow is Row in the insert table (kept apart so reads see a fixed table).
type InsRow struct {
	ID     int64 `orm:"pk,autoincrement" gorm:"primaryKey"`
	Name   string
	Email  string
	Age    int
	Score  float64
	Active bool
}

// TableName names the insert table for orm and GORM.
func (InsRow) TableName() string { return "bench_ins" }

// BunRow is Row for bun.
type BunRow struct {
	bun.BaseModel `bun:"table:bench_row"`
	ID            int64   `bun:"id,pk,autoincrement"`
	Name          string  `bun:"name"`
	Email         string  `bun:"email"`
	Age           int     `bun:"age"`
	Score         float64 `bun:"score"`
	Active        bool    `bun:"active"`
}

// BunInsRow is InsRow for bun.
type BunInsRow struct {
	bun.BaseModel `bun:"table:bench_ins"`
	ID            int64   `bun:"id,pk,autoincrement"`
	Name          string  `bun:"name"`
	Email         string  `bun:"email"`
	Age           int     `bun:"age"`
	Score         float64 `bun:"score"`
	Active        bool    `bun:"active"`
}

const rows = 10000

const selectCols = "SELECT id, name, email, age, score, active FROM bench_row"

type env struct {
	dir   string
	orm   *orm.DB
	raw   *sql.DB // modernc, WAL, like the orm's readers
	gorm  *gorm.DB
	bun   *bun.DB
	sqlx  *sqlx.DB
	get   *sql.Stmt
	list  *sql.Stmt
	getx  *sqlx.Stmt
	listx *sqlx.Stmt
	list1 *orm.Compiled[Row]
}

var (
	envOnce sync.Once
	theEnv  *env
	envErr  error
)

// setup opens the shared database once per process, in a temporary
// directory that lives as long as the process.
func setup(tb testing.TB) *env {
	tb.Helper()
	envOnce.Do(func() { theEnv, envErr = open() })
	if envErr != nil {
		tb.Fatal(envErr)
	}
	return theEnv
}

func open() (*env, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "ormbench")
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "bench.db")
	e := &env{dir: dir}
	if e.orm, err = orm.Open(ctx, path, orm.WithReaders(4)); err != nil {
		return nil, err
	}
	if err := e.orm.CreateTables(ctx, Row{}, InsRow{}); err != nil {
		return nil, err
	}
	t := e.orm.Tracking()
	for i := range rows {
		if err := t.Add(&Row{Name: fmt.Sprint("user ", i), Email: fmt.Sprintf("u%d@example.com", i), Age: 18 + i%60, Score: float64(i) / 7, Active: i%3 == 0}); err != nil {
			return nil, err
		}
	}
	if err := t.SaveChanges(ctx); err != nil {
		return nil, err
	}
	dsn := "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	if e.raw, err = sql.Open("sqlite", dsn); err != nil {
		return nil, err
	}
	e.raw.SetMaxOpenConns(4)
	e.raw.SetMaxIdleConns(4)
	if e.get, err = e.raw.PrepareContext(ctx, selectCols+" WHERE id = ?"); err != nil {
		return nil, err
	}
	if e.list, err = e.raw.PrepareContext(ctx, selectCols+" WHERE id >= ? ORDER BY id LIMIT 1000"); err != nil {
		return nil, err
	}
	gdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	gdb.SetMaxOpenConns(4)
	if e.gorm, err = gorm.Open(gormDialector{conn: gdb}, &gorm.Config{
		PrepareStmt: true, SkipDefaultTransaction: true, Logger: logger.Discard,
	}); err != nil {
		return nil, err
	}
	bdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	bdb.SetMaxOpenConns(4)
	e.bun = bun.NewDB(bdb, sqlitedialect.New())
	xdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	xdb.SetMaxOpenConns(4)
	e.sqlx = sqlx.NewDb(xdb, "sqlite")
	if e.getx, err = e.sqlx.PreparexContext(ctx, selectCols+" WHERE id = ?"); err != nil {
		return nil, err
	}
	if e.listx, err = e.sqlx.PreparexContext(ctx, selectCols+" WHERE id >= ? ORDER BY id LIMIT 1000"); err != nil {
		return nil, err
	}
	if e.list1, err = orm.Select[Row](nil).Where(orm.Ge("id", orm.Param("from"))).OrderBy("id").Limit(1000).Compile(); err != nil {
		return nil, err
	}
	return e, nil
}

// Cleanup closes the shared database and removes its directory; the next
// benchmark opens a fresh one.
func Cleanup() {
	if theEnv != nil {
		e := theEnv
		e.orm.Close()
		e.raw.Close()
		if db, err := e.gorm.DB(); err == nil {
			db.Close()
		}
		e.bun.Close()
		e.sqlx.Close()
		os.RemoveAll(e.dir)
	}
	envOnce, theEnv, envErr = sync.Once{}, nil, nil
}

var sink int64

func key(i int) int64 { return int64(i%rows + 1) }

// OrmPointRead reads one row by key through the shared ReadOnly context.
func OrmPointRead(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	ro := e.orm.ReadOnly()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r, err := orm.Get[Row](ctx, ro, key(i))
		if err != nil {
			b.Fatal(err)
		}
		sink += r.ID
		i++
	}
}

// OrmPointReadParallel is OrmPointRead from GOMAXPROCS goroutines sharing
// one ReadOnly.
func OrmPointReadParallel(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	ro := e.orm.ReadOnly()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := orm.Get[Row](ctx, ro, key(i)); err != nil {
				b.Error(err)
				return
			}
			i += 7
		}
	})
}

// RawPointRead is the floor: a prepared statement and a hand-written Scan.
func RawPointRead(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		var r Row
		if err := e.get.QueryRowContext(ctx, key(i)).Scan(&r.ID, &r.Name, &r.Email, &r.Age, &r.Score, &r.Active); err != nil {
			b.Fatal(err)
		}
		sink += r.ID
		i++
	}
}

// GormPointRead is GORM's First by primary key.
func GormPointRead(b *testing.B) {
	e := setup(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		var r Row
		if err := e.gorm.First(&r, key(i)).Error; err != nil {
			b.Fatal(err)
		}
		sink += r.ID
		i++
	}
}

// BunPointRead is bun's NewSelect by primary key.
func BunPointRead(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		var r BunRow
		if err := e.bun.NewSelect().Model(&r).Where("id = ?", key(i)).Scan(ctx); err != nil {
			b.Fatal(err)
		}
		sink += r.ID
		i++
	}
}

// SqlxPointRead is sqlx's Get on a prepared statement.
func SqlxPointRead(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		var r Row
		if err := e.getx.GetContext(ctx, &r, key(i)); err != nil {
			b.Fatal(err)
		}
		sink += r.ID
		i++
	}
}

func check1000(b *testing.B, n int) {
	if n != 1000 {
		b.Fatalf("read %d rows, want 1000", n)
	}
}

// OrmRead1000 reads 1,000 rows with a compiled query.
func OrmRead1000(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	ro := e.orm.ReadOnly()
	b.ReportAllocs()
	for b.Loop() {
		rs, err := e.list1.All(ctx, ro, orm.Arg("from", 1))
		if err != nil {
			b.Fatal(err)
		}
		check1000(b, rs.Len())
	}
}

// RawRead1000 reads 1,000 rows with a prepared statement and Scan.
func RawRead1000(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		rs, err := e.list.QueryContext(ctx, 1)
		if err != nil {
			b.Fatal(err)
		}
		out := make([]Row, 0, 1000)
		for rs.Next() {
			var r Row
			if err := rs.Scan(&r.ID, &r.Name, &r.Email, &r.Age, &r.Score, &r.Active); err != nil {
				b.Fatal(err)
			}
			out = append(out, r)
		}
		if err := rs.Close(); err != nil {
			b.Fatal(err)
		}
		check1000(b, len(out))
	}
}

// GormRead1000 reads 1,000 rows with GORM's Find.
func GormRead1000(b *testing.B) {
	e := setup(b)
	b.ReportAllocs()
	for b.Loop() {
		var out []Row
		if err := e.gorm.Where("id >= ?", 1).Order("id").Limit(1000).Find(&out).Error; err != nil {
			b.Fatal(err)
		}
		check1000(b, len(out))
	}
}

// BunRead1000 reads 1,000 rows with bun.
func BunRead1000(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		var out []BunRow
		if err := e.bun.NewSelect().Model(&out).Where("id >= ?", 1).Order("id").Limit(1000).Scan(ctx); err != nil {
			b.Fatal(err)
		}
		check1000(b, len(out))
	}
}

// SqlxRead1000 reads 1,000 rows with sqlx's Select on a prepared statement.
func SqlxRead1000(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		var out []Row
		if err := e.listx.SelectContext(ctx, &out, 1); err != nil {
			b.Fatal(err)
		}
		check1000(b, len(out))
	}
}

func newIns(i int) InsRow {
	return InsRow{Name: "n", Email: fmt.Sprint(i, "@x"), Age: i % 90, Score: float64(i), Active: i%2 == 0}
}

// OrmInsert1000 adds 1,000 entities to a Tracking and saves them.
func OrmInsert1000(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		t := e.orm.Tracking()
		rs := make([]InsRow, 1000)
		for i := range rs {
			rs[i] = newIns(i)
			if err := t.Add(&rs[i]); err != nil {
				b.Fatal(err)
			}
		}
		if err := t.SaveChanges(ctx); err != nil {
			b.Fatal(err)
		}
		if rs[999].ID == 0 {
			b.Fatal("no generated key")
		}
	}
}

// RawInsert1000 inserts 1,000 rows with a prepared statement in one
// transaction, reading each generated key.
func RawInsert1000(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	ins, err := e.raw.PrepareContext(ctx, "INSERT INTO bench_ins (name, email, age, score, active) VALUES (?, ?, ?, ?, ?)")
	if err != nil {
		b.Fatal(err)
	}
	defer ins.Close()
	b.ReportAllocs()
	for b.Loop() {
		rs := make([]InsRow, 1000)
		tx, err := e.raw.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		st := tx.StmtContext(ctx, ins)
		for i := range rs {
			rs[i] = newIns(i)
			r := &rs[i]
			res, err := st.ExecContext(ctx, r.Name, r.Email, r.Age, r.Score, r.Active)
			if err != nil {
				b.Fatal(err)
			}
			if r.ID, err = res.LastInsertId(); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// GormInsert1000 creates 1,000 rows one by one in one GORM transaction.
func GormInsert1000(b *testing.B) {
	e := setup(b)
	b.ReportAllocs()
	for b.Loop() {
		rs := make([]InsRow, 1000)
		err := e.gorm.Transaction(func(tx *gorm.DB) error {
			for i := range rs {
				rs[i] = newIns(i)
				if err := tx.Create(&rs[i]).Error; err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BunInsert1000 inserts 1,000 rows one by one in one bun transaction.
func BunInsert1000(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		rs := make([]BunInsRow, 1000)
		err := e.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for i := range rs {
				r := newIns(i)
				rs[i] = BunInsRow{Name: r.Name, Email: r.Email, Age: r.Age, Score: r.Score, Active: r.Active}
				if _, err := tx.NewInsert().Model(&rs[i]).Exec(ctx); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
