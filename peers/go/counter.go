package main

import (
	"sync"
	"sync/atomic"
)

// counter: `tasks` goroutines each add 1 `adds` times. atomic: atomic.AddInt64 on one int64; mutex: `+= 1`
// under a sync.Mutex; sharded: a slot per goroutine, each on a cache line of its own; sharded-packed: the
// slots side by side (false sharing). A slot is written only by its goroutine (a plain load and store per
// add, as the C++ relaxed ones) and summed after the join.
type counter struct {
	variant string
	tasks   int
	adds    int64
}

// wordsPerLine is the int64 slots of one 64-byte cache line.
const wordsPerLine = 8

func newCounter(c *cell) (body, error) {
	switch c.Variant {
	case "atomic", "mutex", "sharded", "sharded-packed":
		return &counter{variant: c.Variant, tasks: c.Tasks, adds: c.int("adds")}, nil
	}
	return nil, unsupported("unknown counter variant " + c.Variant)
}

func (c *counter) run(int64) (result, int, error) {
	adds := c.adds
	var total int64
	switch c.variant {
	case "atomic":
		forkJoin(c.tasks, func(int) {
			for i := int64(0); i < adds; i++ {
				atomic.AddInt64(&total, 1)
			}
		})
	case "mutex":
		var guard sync.Mutex
		forkJoin(c.tasks, func(int) {
			for i := int64(0); i < adds; i++ {
				guard.Lock()
				total++
				guard.Unlock()
			}
		})
	default:
		stride := wordsPerLine
		if c.variant == "sharded-packed" {
			stride = 1
		}
		slots := make([]int64, c.tasks*stride)
		forkJoin(c.tasks, func(t int) {
			slot := &slots[t*stride]
			for i := int64(0); i < adds; i++ {
				*slot++
			}
		})
		for t := 0; t < c.tasks; t++ {
			total += slots[t*stride]
		}
	}
	return result{"total": decimal(uint64(total))}, c.tasks, nil
}
