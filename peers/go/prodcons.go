package main

import "sync/atomic"

// prodcons: producers and consumers goroutines over one buffered channel of `capacity` ids; the last
// producer to finish closes it; each consumer ranges over it until closed and drained.
type prodcons struct {
	producers, consumers int
	capacity             int
	items                int64
}

func newProdcons(c *cell) (body, error) {
	return &prodcons{producers: int(c.int("producers")), consumers: int(c.int("consumers")),
		capacity: int(c.int("capacity")), items: c.int("items")}, nil
}

type tally struct{ count, idSum, hashSum uint64 }

func (p *prodcons) run(int64) (result, int, error) {
	channel := make(chan uint64, p.capacity)
	producing := int64(p.producers)
	tallies := make([]tally, p.consumers)
	forkJoin(p.producers+p.consumers, func(task int) {
		if task < p.producers {
			for id := firstItem(p.items, p.producers, task); id < firstItem(p.items, p.producers, task+1); id++ {
				channel <- uint64(id)
			}
			if atomic.AddInt64(&producing, -1) == 0 {
				close(channel)
			}
			return
		}
		var mine tally
		for id := range channel {
			mine.count++
			mine.idSum += id
			mine.hashSum += idHash(id)
		}
		tallies[task-p.producers] = mine
	})
	var all tally
	for _, t := range tallies {
		all.count += t.count
		all.idSum += t.idSum
		all.hashSum += t.hashSum
	}
	return result{"count": decimal(all.count), "id_sum": decimal(all.idSum), "hash_sum": decimal(all.hashSum)},
		p.producers + p.consumers, nil
}
