package main

import "sync"

// forkJoin runs task(0..n-1) each on a goroutine of its own and waits for them all.
func forkJoin(n int, task func(int)) {
	var done sync.WaitGroup
	done.Add(n)
	for t := 0; t < n; t++ {
		go func(t int) {
			defer done.Done()
			task(t)
		}(t)
	}
	done.Wait()
}
