package orm_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dext-go/dext/orm"
)

type Account struct {
	ID      int64 `orm:"pk"`
	Owner   string
	Balance int64
}

func TestMigrateIsVersionedAndIdempotent(t *testing.T) {
	ctx := context.Background()
	db, err := orm.Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	steps := []orm.Migration{
		{Version: 2, Name: "seed", SQL: []string{"INSERT INTO account (id, owner, balance) VALUES (1, 'ann', 10)"}},
		{Version: 1, Name: "init", Models: []any{Account{}, Doc{}}},
		{Version: 3, Name: "func", Func: func(ctx context.Context, tx *orm.Tx) error {
			_, err := tx.Exec(ctx, "UPDATE account SET balance = balance + ?", 5)
			return err
		}},
	}
	applied, err := db.Migrate(ctx, steps...)
	if err != nil || fmt.Sprint(applied) != "[1 2 3]" {
		t.Fatalf("Migrate = %v, %v, want [1 2 3]", applied, err)
	}
	applied, err = db.Migrate(ctx, steps...)
	if err != nil || len(applied) != 0 {
		t.Fatalf("second Migrate = %v, %v, want nothing applied", applied, err)
	}
	a, err := orm.Get[Account](ctx, db.ReadOnly(), 1)
	if err != nil || a.Balance != 15 {
		t.Errorf("account = %+v, %v, want balance 15 (each step ran once)", a, err)
	}
	renamed := append([]orm.Migration(nil), steps...)
	renamed[1].Name = "renamed"
	if _, err := db.Migrate(ctx, renamed...); err == nil {
		t.Error("Migrate with a renamed recorded version succeeded")
	}
	if _, err := db.Migrate(ctx, orm.Migration{Version: 9, Name: "a"}, orm.Migration{Version: 9, Name: "b"}); err == nil {
		t.Error("duplicate versions accepted")
	}
	bad := orm.Migration{Version: 4, Name: "bad", SQL: []string{"CREATE TABLE x (a)", "NOT SQL"}}
	if _, err := db.Migrate(ctx, append(steps, bad)...); err == nil {
		t.Error("failing migration reported success")
	}
	if _, err := orm.RawRow(ctx, db.ReadOnly(), "SELECT count(*) FROM x"); err == nil {
		t.Error("a failed migration left its first statement applied")
	}
}

func seedAccounts(t testing.TB, db *orm.DB, n int, each int64) {
	t.Helper()
	tr := db.Tracking()
	for i := range n {
		if err := tr.Add(&Account{ID: int64(i + 1), Owner: fmt.Sprint("o", i), Balance: each}); err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.SaveChanges(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestReadOnlyConcurrentSafe shares one ReadOnly and one Compiled query
// between goroutines while a writer moves money; every Snapshot must see a
// constant total.
func TestReadOnlyConcurrentSafe(t *testing.T) {
	db := openTest(t, Account{})
	ctx := context.Background()
	const accounts, each = 10, 100
	seedAccounts(t, db, accounts, each)
	ro := db.ReadOnly()
	all, err := orm.Select[Account](nil).OrderBy("id").Compile()
	if err != nil {
		t.Fatal(err)
	}
	rich, err := orm.Select[Account](nil).Where(orm.Ge("balance", orm.Param("min"))).Compile()
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { // the writer
		tr := db.Tracking()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			from, err := orm.Find[Account](ctx, tr, int64(i%accounts+1))
			if err != nil {
				t.Error(err)
				return
			}
			to, err := orm.Find[Account](ctx, tr, int64((i+3)%accounts+1))
			if err != nil {
				t.Error(err)
				return
			}
			from.Balance -= 7
			to.Balance += 7
			if err := tr.SaveChanges(ctx); err != nil {
				t.Error(err)
				return
			}
		}
	})
	var readers sync.WaitGroup
	for g := range 8 {
		readers.Go(func() {
			for range 30 {
				err := ro.Snapshot(ctx, func(s *orm.Snapshot) error {
					as, err := all.All(ctx, s)
					if err != nil {
						return err
					}
					var sum int64
					for a := range as.Values() {
						sum += a.Balance
					}
					row, err := orm.RawRow(ctx, s, "SELECT sum(balance) FROM account")
					if err != nil {
						return err
					}
					if sum != accounts*each || row[0] != int64(accounts*each) {
						return fmt.Errorf("snapshot totals %d and %v, want %d", sum, row[0], accounts*each)
					}
					_, err = rich.Count(ctx, s, orm.Arg("min", g))
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := all.First(ctx, ro); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	readers.Wait()
	close(stop)
	wg.Wait()
}

func TestSnapshotIsolationAndMisuse(t *testing.T) {
	db := openTest(t, Account{})
	ctx := context.Background()
	seedAccounts(t, db, 1, 5)
	var leaked *orm.Snapshot
	err := db.ReadOnly().Snapshot(ctx, func(s *orm.Snapshot) error {
		leaked = s
		a, err := orm.Get[Account](ctx, s, 1)
		if err != nil {
			return err
		}
		if _, err := db.Exec(ctx, "UPDATE account SET balance = 99"); err != nil {
			return err
		}
		b, err := orm.Get[Account](ctx, s, 1)
		if err != nil {
			return err
		}
		if a.Balance != 5 || b.Balance != 5 {
			return fmt.Errorf("snapshot saw %d then %d, want 5 both times", a.Balance, b.Balance)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := orm.Get[Account](ctx, db.ReadOnly(), 1); a.Balance != 99 {
		t.Errorf("after the snapshot balance = %d, want 99", a.Balance)
	}
	if _, err := orm.Get[Account](ctx, leaked, 1); err == nil {
		t.Error("a Snapshot used after its function returned still works")
	}
	if _, err := orm.Get[Account](ctx, db.ReadOnly(), 42); !errors.Is(err, orm.ErrNotFound) {
		t.Errorf("Get(missing) = %v, want ErrNotFound", err)
	}
}

func TestLockedDatabaseIsClearError(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "lock.db")
	a, err := orm.Open(ctx, path, orm.WithBusyTimeout(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.CreateTables(ctx, Account{}); err != nil {
		t.Fatal(err)
	}
	b, err := orm.Open(ctx, path, orm.WithBusyTimeout(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	release := make(chan struct{})
	held := make(chan struct{})
	done := make(chan error)
	go func() {
		done <- a.WriteTx(ctx, func(tx *orm.Tx) error {
			if _, err := tx.Exec(ctx, "INSERT INTO account (id, owner, balance) VALUES (1, 'a', 1)"); err != nil {
				return err
			}
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	_, err = b.Exec(ctx, "INSERT INTO account (id, owner, balance) VALUES (2, 'b', 1)")
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !errors.Is(err, orm.ErrLocked) {
		t.Errorf("write while another process holds the lock = %v, want ErrLocked", err)
	}
}

func TestClosedDB(t *testing.T) {
	ctx := context.Background()
	db, err := orm.Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateTables(ctx, Account{}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if _, err := orm.Select[Account](db.ReadOnly()).All(ctx); !errors.Is(err, orm.ErrClosed) {
		t.Errorf("query after Close = %v, want ErrClosed", err)
	}
	if err := db.Tracking().SaveChanges(ctx); err != nil && !errors.Is(err, orm.ErrClosed) {
		t.Errorf("SaveChanges after Close = %v", err)
	}
	if _, err := db.Exec(ctx, "SELECT 1"); !errors.Is(err, orm.ErrClosed) {
		t.Errorf("Exec after Close = %v, want ErrClosed", err)
	}
}
