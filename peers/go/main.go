// Command concbench-peer-go runs the cells of the `go` model over concbench's peer protocol (docs/models.md,
// "External models: the peer protocol"): JSON lines on stdin and stdout, one `cell`, then one `run` at a time.
// Tasks are goroutines on GOMAXPROCS = the cell's cores. Diagnostics go to stderr (the cell's log).
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"
)

const mapping = "goroutine-per-task"

// maxLine is the protocol's longest line (1 MiB) and its newline.
const maxLine = 1<<20 + 1

type message map[string]interface{}

type pipes struct {
	in  *bufio.Scanner
	out *bufio.Writer
}

func (p *pipes) send(m message) {
	line, err := json.Marshal(m)
	if err != nil {
		line, _ = json.Marshal(message{"type": "error", "reason": err.Error()})
	}
	p.out.Write(append(line, '\n'))
	p.out.Flush()
}

// receive reads one line into `into`; false at the end of stdin.
func (p *pipes) receive(into interface{}) (bool, error) {
	if !p.in.Scan() {
		return false, p.in.Err()
	}
	return true, json.Unmarshal(p.in.Bytes(), into)
}

// start reads the cell and makes its body, or says why it cannot run it (the answer that ends the exchange).
func start(p *pipes) (b body, refusal message) {
	defer func() {
		if failure := recover(); failure != nil {
			b, refusal = nil, message{"type": "error", "reason": fmt.Sprint(failure)}
		}
	}()
	var c cell
	if ok, err := p.receive(&c); !ok || err != nil || c.Type != "cell" || c.Protocol != 1 {
		return nil, message{"type": "error", "reason": fmt.Sprintf("expected a `cell` message of protocol 1 (%v)", err)}
	}
	if c.Model != "go" {
		return nil, message{"type": "unsupported", "reason": "this peer runs the model go, not " + c.Model}
	}
	newBody, known := workloads[c.Workload]
	if !known {
		return nil, message{"type": "unsupported", "reason": "no go body for workload " + c.Workload}
	}
	runtime.GOMAXPROCS(c.Cores)
	made, err := newBody(&c)
	var refused unsupported
	if errors.As(err, &refused) {
		return nil, message{"type": "unsupported", "reason": err.Error()}
	}
	if err != nil {
		return nil, message{"type": "error", "reason": err.Error()}
	}
	return made, nil
}

// answer runs the body once and says how it went.
func answer(b body, run int64) (reply message, deadlocked bool) {
	runtime.GC() // before the clock: a run does not pay for collecting the garbage of the one before
	began := time.Now()
	result, tasks, err := b.run(run)
	elapsed := time.Since(began)
	var stuck *deadlock
	if errors.As(err, &stuck) {
		return message{"type": "deadlock", "reason": stuck.reason, "metrics": stuck.metrics}, true
	}
	if err != nil {
		return message{"type": "error", "reason": err.Error()}, false
	}
	return message{"type": "result", "elapsed_ns": elapsed.Nanoseconds(), "workers": workersFor(tasks),
		"mapping": mapping, "result": result}, false
}

func serve() int {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 64<<10), maxLine)
	p := &pipes{in: in, out: bufio.NewWriter(os.Stdout)}
	b, refusal := start(p)
	if refusal != nil {
		p.send(refusal)
		return 0
	}
	p.send(message{"type": "ready", "versions": map[string]string{"go_version": runtime.Version()}})
	for {
		var request struct {
			Type string `json:"type"`
			Run  int64  `json:"run"`
		}
		ok, err := p.receive(&request)
		if !ok && err == nil {
			return 0
		}
		if err != nil || request.Type != "run" {
			p.send(message{"type": "error", "reason": fmt.Sprintf("expected `run` (%v)", err)})
			return 1
		}
		reply, deadlocked := answer(b, request.Run)
		p.send(reply)
		if deadlocked {
			return 0 // the deadlocked goroutines can never be joined: exiting ends them
		}
	}
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == echoArgument {
		os.Exit(echo())
	}
	os.Exit(serve())
}
