package main

// The workloads' reference arithmetic (docs/models.md, "The result of each workload"; the same as
// tests/scripts/known_answers.py): splitmix64's finaliser, wrapping mod 2^64.

const gamma uint64 = 0x9e3779b97f4a7c15

func finalise(x uint64) uint64 {
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// cpuItem is parallel/cpu's value of item i: the chain i·GAMMA + 1, finalised `work` times.
func cpuItem(i uint64, work int64) uint64 {
	x := i*gamma + 1
	for ; work > 0; work-- {
		x = finalise(x)
	}
	return x
}

// idHash is prodcons' hash of an id.
func idHash(id uint64) uint64 { return finalise(id + gamma) }

// firstItem is where task t's share of `items` split over `tasks` starts (and task t + 1's ends).
func firstItem(items int64, tasks, t int) int64 { return items * int64(t) / int64(tasks) }
