package main

import "time"

// parallel: items 0..items-1 split over `tasks` goroutines. cpu: each item's splitmix chain; io: each item
// first blocks in time.Sleep for wait_us µs (the goroutine parks; its thread runs others).
type parallel struct {
	io    bool
	items int64
	work  int64
	wait  time.Duration
	tasks int
}

func newParallel(c *cell) (body, error) {
	p := &parallel{io: c.Variant == "io", items: c.int("items"), tasks: c.Tasks}
	if p.io {
		p.wait = time.Duration(c.int("wait_us")) * time.Microsecond
	} else {
		p.work = c.int("work")
	}
	return p, nil
}

func (p *parallel) run(int64) (result, int, error) {
	sums := make([]uint64, p.tasks)
	forkJoin(p.tasks, func(t int) {
		var sum uint64
		for i := firstItem(p.items, p.tasks, t); i < firstItem(p.items, p.tasks, t+1); i++ {
			if p.io {
				time.Sleep(p.wait)
				sum += uint64(i) + 1
			} else {
				sum += cpuItem(uint64(i), p.work)
			}
		}
		sums[t] = sum
	})
	var checksum uint64
	for _, sum := range sums {
		checksum += sum
	}
	return result{"count": decimal(uint64(p.items)), "checksum": decimal(checksum)}, p.tasks, nil
}
