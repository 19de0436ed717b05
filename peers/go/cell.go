package main

import (
	"fmt"
	"runtime"
	"strconv"
)

// cell is the protocol's `cell` message: the key, with every parameter a decimal string or a word.
type cell struct {
	Type     string            `json:"type"`
	Protocol int               `json:"protocol"`
	Model    string            `json:"model"`
	Workload string            `json:"workload"`
	Variant  string            `json:"variant"`
	Cores    int               `json:"cores"`
	Tasks    int               `json:"tasks"`
	Params   map[string]string `json:"params"`
}

// int is a parameter the workload needs; a missing or malformed one ends the cell with `error` (start's recover).
func (c *cell) int(name string) int64 {
	value, err := strconv.ParseInt(c.Params[name], 10, 64)
	if err != nil {
		panic(fmt.Sprintf("parameter %s: %q is not an integer", name, c.Params[name]))
	}
	return value
}

// result is a run's `result` object: decimal strings, or lists of them.
type result map[string]interface{}

// body is one cell's work: run does one complete run (spawn, run and join every task) and says how many
// tasks it ran at once at most (workersFor turns them into OS threads).
type body interface {
	run(index int64) (result, int, error)
}

var workloads = map[string]func(*cell) (body, error){
	"counter":      newCounter,
	"parallel":     newParallel,
	"prodcons":     newProdcons,
	"pingpong":     newPingpong,
	"spawn":        newSpawn,
	"philosophers": newPhilosophers,
	"convoy":       newConvoy,
}

// unsupported is a cell the model cannot run sensibly: the answer to `cell` is `unsupported`.
type unsupported string

func (u unsupported) Error() string { return string(u) }

// deadlock is a run that can never end: the answer to `run` is `deadlock`.
type deadlock struct {
	reason  string
	metrics map[string]string
}

func (d *deadlock) Error() string { return d.reason }

// workersFor is the OS threads that ran `tasks` goroutines: at most GOMAXPROCS run Go code at once.
func workersFor(tasks int) int {
	workers := runtime.GOMAXPROCS(0)
	if tasks < workers {
		workers = tasks
	}
	if workers < 1 {
		return 1
	}
	return workers
}

func decimal(v uint64) string { return strconv.FormatUint(v, 10) }

func decimals(values []int64) []string {
	texts := make([]string, len(values))
	for i, v := range values {
		texts[i] = strconv.FormatInt(v, 10)
	}
	return texts
}
