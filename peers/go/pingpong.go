package main

// pingpong: two goroutines hand the turn back and forth over one unbuffered channel. Goroutine 0 plays the
// even rounds, 1 the odd ones; a round waits for the turn to reach it (the other's send), sets it to r + 1
// and hands it over.
type pingpong struct{ switches int64 }

func newPingpong(c *cell) (body, error) { return &pingpong{switches: c.int("switches")}, nil }

func (p *pingpong) run(int64) (result, int, error) {
	handover := make(chan int64)
	var turn int64 // written by the goroutine holding the turn; the channel orders the writes
	rounds := make([]int64, 2)
	forkJoin(2, func(task int) {
		for r := int64(task); r < p.switches; r += 2 {
			if r > 0 {
				turn = <-handover
			}
			if turn != r {
				return // a lost round: `turn` and `rounds` come out wrong and the runner says so
			}
			turn = r + 1
			rounds[task]++
			if turn < p.switches {
				handover <- turn
			}
		}
	})
	return result{"turn": decimal(uint64(turn)), "rounds": decimals(rounds)}, 2, nil
}
