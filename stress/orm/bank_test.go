package orm_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"go.uber.org/goleak"

	"github.com/dext-go/dext/orm"
	"github.com/dext-go/dext/stress/internal/load"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type Account struct {
	ID      int64 `orm:"pk"`
	Owner   string
	Balance int64
	Version int64 `orm:"version"`
}

// TestBankTransfers moves money between accounts from several writers —
// Tracking units of work (which meet optimistic-concurrency conflicts and
// retry) and raw write transactions — while 32 goroutines share one
// ReadOnly and check, inside every Snapshot, that the total never changes
// and that two different queries of the snapshot agree.
func TestBankTransfers(t *testing.T) {
	ctx := context.Background()
	db, err := orm.Open(ctx, filepath.Join(t.TempDir(), "bank.db"), orm.WithReaders(4))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx, orm.Migration{Version: 1, Name: "accounts", Models: []any{Account{}}}); err != nil {
		t.Fatal(err)
	}
	accounts := load.Scale(40)
	const initial = 1000
	total := int64(accounts * initial)
	tr := db.Tracking()
	for i := range accounts {
		if err := tr.Add(&Account{ID: int64(i + 1), Owner: fmt.Sprint("owner", i), Balance: initial}); err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.SaveChanges(ctx); err != nil {
		t.Fatal(err)
	}

	transfers := load.Scale(25)
	var conflicts, done atomic.Int64
	var writers sync.WaitGroup
	for w := range 3 {
		writers.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			for range transfers {
				from, to := rng.Int64N(int64(accounts))+1, rng.Int64N(int64(accounts))+1
				amount := rng.Int64N(50) + 1
				if w == 2 {
					// A hand-written write transaction.
					err := db.WriteTx(ctx, func(tx *orm.Tx) error {
						if _, err := tx.Exec(ctx, "UPDATE account SET balance = balance - ?, version = version + 1 WHERE id = ?", amount, from); err != nil {
							return err
						}
						_, err := tx.Exec(ctx, "UPDATE account SET balance = balance + ?, version = version + 1 WHERE id = ?", amount, to)
						return err
					})
					if err != nil {
						t.Error(err)
						return
					}
					done.Add(1)
					continue
				}
				for attempt := 0; ; attempt++ {
					tr := db.Tracking() // a fresh unit of work per attempt
					a, err := orm.Find[Account](ctx, tr, from)
					if err != nil {
						t.Error(err)
						return
					}
					b, err := orm.Find[Account](ctx, tr, to)
					if err != nil {
						t.Error(err)
						return
					}
					a.Balance -= amount
					b.Balance += amount
					err = tr.SaveChanges(ctx)
					if errors.Is(err, orm.ErrConcurrencyConflict) && attempt < 1000 {
						conflicts.Add(1)
						continue
					}
					if err != nil {
						t.Error(err)
						return
					}
					break
				}
				done.Add(1)
			}
		})
	}

	ro := db.ReadOnly()
	all, err := orm.Select[Account](nil).OrderBy("id").Compile()
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var snapshots atomic.Int64
	var readers sync.WaitGroup
	for range 32 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				err := ro.Snapshot(ctx, func(s *orm.Snapshot) error {
					as, err := all.All(ctx, s)
					if err != nil {
						return err
					}
					var sum int64
					for a := range as.Values() {
						sum += a.Balance
					}
					row, err := orm.RawRow(ctx, s, "SELECT sum(balance), count(*) FROM account")
					if err != nil {
						return err
					}
					if sum != total || row[0] != total || row[1] != int64(accounts) || as.Len() != accounts {
						return fmt.Errorf("snapshot sees total %d (query) and %v (sum), %d accounts; want %d", sum, row[0], as.Len(), total)
					}
					return nil
				})
				if err != nil {
					t.Error(err)
					return
				}
				snapshots.Add(1)
			}
		})
	}
	writers.Wait()
	close(stop)
	readers.Wait()
	final, err := orm.RawRow(ctx, ro, "SELECT sum(balance) FROM account")
	if err != nil || final[0] != total {
		t.Fatalf("final total %v, %v; want %d", final, err, total)
	}
	if done.Load() != int64(3*transfers) {
		t.Errorf("%d transfers done, want %d", done.Load(), 3*transfers)
	}
	t.Logf("%d transfers, %d optimistic-concurrency retries, %d consistent snapshots", done.Load(), conflicts.Load(), snapshots.Load())
}
