package main

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// philosophers: a goroutine per seat, a sync.Mutex per fork. naive: left then right; ordered: the lower fork
// first; waiter: a channel of N-1 slots as the semaphore, then left, right; trylock: left, then
// sync.Mutex.TryLock on the right, on failure put left back and sleep a random backoff. A watch in the
// run's goroutine answers `deadlock` when every seat still at the table is blocked and no meal ends for
// deadlock_ms (naive can deadlock: every goroutine holding its left fork).
type philosophers struct {
	strategy                         string
	seats                            int
	meals                            int64
	thinkUs, eatUs, backoffUs, gapUs int64
	yieldBetween                     bool
	seed                             uint64
	deadlockAfter                    time.Duration
}

func newPhilosophers(c *cell) (body, error) {
	switch c.Variant {
	case "naive", "ordered", "waiter", "trylock":
	default:
		return nil, unsupported("unknown strategy " + c.Variant)
	}
	p := &philosophers{strategy: c.Variant, seats: c.Tasks, meals: c.int("meals"), thinkUs: c.int("think_us"),
		eatUs: c.int("eat_us"), backoffUs: 1, gapUs: c.int("gap_us"), yieldBetween: c.int("yield_between") != 0,
		seed: uint64(c.int("seed")), deadlockAfter: time.Duration(c.int("deadlock_ms")) * time.Millisecond}
	if p.strategy == "trylock" {
		p.backoffUs = c.int("backoff_us")
	}
	return p, nil
}

// forks are the forks seat takes, in order.
func (p *philosophers) forks(seat int) (int, int) {
	left, right := seat, (seat+1)%p.seats
	if p.strategy == "ordered" && right < left {
		return right, left
	}
	return left, right
}

func sleepUs(us int64) { time.Sleep(time.Duration(us) * time.Microsecond) }

func (p *philosophers) run(index int64) (result, int, error) {
	t := newTable(p.seats, p.meals)
	forks := make([]sync.Mutex, p.seats)
	waiter := make(chan struct{}, p.seats-1)
	done := make(chan struct{})
	var dining sync.WaitGroup
	dining.Add(p.seats)
	for seat := 0; seat < p.seats; seat++ {
		go func(seat int) {
			defer dining.Done()
			p.dine(t, forks, waiter, seat, newJitter(p.seed, uint64(index), uint64(seat)))
		}(seat)
	}
	go func() {
		dining.Wait()
		close(done)
	}()
	period := p.deadlockAfter / 4
	if period > 10*time.Millisecond || period <= 0 {
		period = 10 * time.Millisecond
	}
	look := time.NewTicker(period)
	defer look.Stop()
	watch := stuckWatch{bound: p.deadlockAfter, lastMeals: -1}
	for {
		select {
		case <-done:
			return t.result(), p.seats, nil
		case now := <-look.C:
			if watch.stuck(t, now) {
				return nil, 0, &deadlock{
					reason: fmt.Sprintf("no meal for %d ms while all %d philosophers at the table were blocked",
						p.deadlockAfter.Milliseconds(), atomic.LoadInt64(&t.atTable)),
					metrics: map[string]string{"meals_done": fmt.Sprint(atomic.LoadInt64(&t.mealsDone))}}
			}
		}
	}
}

func (p *philosophers) dine(t *table, forks []sync.Mutex, waiter chan struct{}, seat int, jitter *jitter) {
	first, second := p.forks(seat)
	for meal := int64(0); meal < p.meals; meal++ {
		hungry := time.Now()
		if p.strategy == "trylock" {
			for {
				t.lock(&forks[first])
				p.betweenForks()
				if forks[second].TryLock() {
					break
				}
				forks[first].Unlock()
				sleepUs(jitter.between(1, p.backoffUs))
			}
		} else {
			if p.strategy == "waiter" {
				t.acquire(waiter)
			}
			t.lock(&forks[first])
			p.betweenForks()
			t.lock(&forks[second])
		}
		t.startEating(seat, time.Since(hungry))
		sleepUs(p.eatUs)
		t.stopEating(seat)
		forks[second].Unlock()
		forks[first].Unlock()
		if p.strategy == "waiter" {
			<-waiter
		}
		if meal+1 < p.meals {
			sleepUs(jitter.between(p.thinkUs/2, p.thinkUs*3/2))
		}
	}
	atomic.AddInt64(&t.atTable, -1)
}

func (p *philosophers) betweenForks() {
	if p.yieldBetween {
		runtime.Gosched()
	}
	if p.gapUs != 0 {
		sleepUs(p.gapUs)
	}
}
