package main

import "sync"

// spawn. flat: a goroutine per task, joined with a sync.WaitGroup; task i hands back i in its slot.
// skynet: the 10-ary tree over `leaves` leaves; every inner node starts its ten children as goroutines,
// which send their sums on the node's channel, and sends the total on its parent's.
type spawn struct {
	skynet bool
	leaves int64
	tasks  int
}

const fanOut = 10

func newSpawn(c *cell) (body, error) {
	s := &spawn{skynet: c.Variant == "skynet", leaves: int64(c.Tasks), tasks: c.Tasks}
	if s.skynet {
		s.leaves = c.int("leaves")
	}
	return s, nil
}

func (s *spawn) run(int64) (result, int, error) {
	if s.skynet {
		root := make(chan uint64, 1)
		skynetNode(0, uint64(s.leaves), root)
		return result{"sum": decimal(<-root)}, s.tasks, nil
	}
	slots := make([]uint64, s.leaves)
	var joined sync.WaitGroup
	joined.Add(len(slots))
	for i := range slots {
		go func(i int) {
			slots[i] = uint64(i)
			joined.Done()
		}(i)
	}
	joined.Wait()
	var sum uint64
	for _, v := range slots {
		sum += v
	}
	return result{"sum": decimal(sum)}, s.tasks, nil
}

// skynetNode sends the sum of the leaves [first, first + size) on `out`.
func skynetNode(first, size uint64, out chan<- uint64) {
	if size == 1 {
		out <- first
		return
	}
	child := size / fanOut
	sums := make(chan uint64, fanOut) // a buffer: no child waits for its parent to receive
	for k := uint64(0); k < fanOut; k++ {
		go skynetNode(first+k*child, child, sums)
	}
	var sum uint64
	for k := 0; k < fanOut; k++ {
		sum += <-sums
	}
	out <- sum
}
