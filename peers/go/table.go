package main

import (
	"sync"
	"sync/atomic"
	"time"
)

// table is one philosophers run's bookkeeping: meals, eating flags (the neighbours check), the fairness window
// and waits, and what the deadlock watch reads. Every field shared between goroutines is read and written
// with sync/atomic (sequentially consistent: of two neighbours starting at once, one sees the other).
type table struct {
	meals      int64
	eaten      []int64
	eating     []int32
	waitNs     []int64
	violations int64
	window     []int64
	windowOnce sync.Once
	mealsDone  int64
	blocked    int64
	atTable    int64
}

func newTable(seats int, meals int64) *table {
	return &table{meals: meals, eaten: make([]int64, seats), eating: make([]int32, seats),
		waitNs: make([]int64, seats), atTable: int64(seats)}
}

// lock takes a fork, counted as blocked while it waits for it.
func (t *table) lock(fork *sync.Mutex) {
	if fork.TryLock() {
		return
	}
	atomic.AddInt64(&t.blocked, 1)
	fork.Lock()
	atomic.AddInt64(&t.blocked, -1)
}

// acquire takes a slot of the waiter's semaphore, counted as blocked while it waits for one.
func (t *table) acquire(semaphore chan struct{}) {
	select {
	case semaphore <- struct{}{}:
		return
	default:
	}
	atomic.AddInt64(&t.blocked, 1)
	semaphore <- struct{}{}
	atomic.AddInt64(&t.blocked, -1)
}

func (t *table) startEating(seat int, waited time.Duration) {
	t.waitNs[seat] += waited.Nanoseconds() // only this seat's goroutine writes it
	atomic.StoreInt32(&t.eating[seat], 1)
	n := len(t.eating)
	if atomic.LoadInt32(&t.eating[(seat+n-1)%n]) != 0 || atomic.LoadInt32(&t.eating[(seat+1)%n]) != 0 {
		atomic.AddInt64(&t.violations, 1)
	}
}

func (t *table) stopEating(seat int) {
	atomic.StoreInt32(&t.eating[seat], 0)
	if atomic.AddInt64(&t.eaten[seat], 1) == t.meals {
		t.windowOnce.Do(func() {
			t.window = make([]int64, len(t.eaten))
			for i := range t.eaten {
				t.window[i] = atomic.LoadInt64(&t.eaten[i])
			}
		})
	}
	atomic.AddInt64(&t.mealsDone, 1)
}

// result is read after every goroutine was joined.
func (t *table) result() result {
	r := result{"meals": decimals(t.eaten), "violations": decimal(uint64(t.violations)), "wait_ns": decimals(t.waitNs)}
	if t.window != nil {
		r["window"] = decimals(t.window)
	}
	return r
}

// stuckWatch is the deadlock watch (deadlock_monitor.cpp's StuckWatch): every seat at the table blocked and no
// meal ended, at every look, for `bound`.
type stuckWatch struct {
	bound     time.Duration
	lastMeals int64
	since     time.Time
}

func (w *stuckWatch) stuck(t *table, now time.Time) bool {
	atTable, blocked, meals := atomic.LoadInt64(&t.atTable), atomic.LoadInt64(&t.blocked), atomic.LoadInt64(&t.mealsDone)
	if atTable == 0 || blocked < atTable || meals != w.lastMeals {
		w.since, w.lastMeals = time.Time{}, meals
		return false
	}
	if w.since.IsZero() {
		w.since = now
		return false
	}
	return now.Sub(w.since) >= w.bound
}

// jitter is the philosophers' seeded jitter, as the C++ one (philosophers.cpp): splitmix64 per seat and run.
type jitter struct{ state uint64 }

func newJitter(seed, run, seat uint64) *jitter {
	return &jitter{state: seed ^ (finalise(run+gamma) + 0x632be59bd9b4e019*(seat+1))}
}

// between is a number of µs in [low, high].
func (j *jitter) between(low, high int64) int64 {
	if high <= low {
		return low
	}
	j.state += gamma
	return low + int64(finalise(j.state)%uint64(high-low+1))
}
