// Command skynet_reference is the yardstick for the go model's spawn/skynet (docs/performance.md, "The go
// peer's skynet beside a plain Go skynet"): a standalone Go skynet written from the benchmark's description,
// outside concbench's protocol. Every node of a 10-ary tree over 1,000,000 leaves starts its ten children as
// goroutines; each child sends its sum on the node's own unbuffered channel, leaf i sends i. It prints the
// sum and the tree's time in nanoseconds: "SUM NS".
package main

import (
	"fmt"
	"os"
	"time"
)

func node(out chan<- int, first, size int) {
	if size == 1 {
		out <- first
		return
	}
	children := make(chan int)
	part := size / 10
	for k := 0; k < 10; k++ {
		go node(children, first+k*part, part)
	}
	total := 0
	for k := 0; k < 10; k++ {
		total += <-children
	}
	out <- total
}

func main() {
	began := time.Now()
	root := make(chan int)
	go node(root, 0, 1000000)
	sum := <-root
	elapsed := time.Since(began)
	if sum != 499999500000 {
		fmt.Fprintln(os.Stderr, "wrong sum", sum)
		os.Exit(1)
	}
	fmt.Println(sum, elapsed.Nanoseconds())
}
