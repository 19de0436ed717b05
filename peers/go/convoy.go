package main

import (
	"os"
	"os/exec"
	"sync/atomic"
	"syscall"
)

// convoy: a goroutine makes `ops` round trips (write one byte, read it back: blocking calls that park it in
// Go's netpoller) to an echo outside the model, a child process (this program run as `echo`); beside-cpu:
// meanwhile a second goroutine spins CPU work until the round trips are done. Go preempts the spinner
// (no yield in its loop).
type convoy struct {
	ops       int64
	besideCPU bool
	request   *os.File // to the echo
	reply     *os.File // from the echo
}

const echoArgument = "echo"

func newConvoy(c *cell) (body, error) {
	v := &convoy{ops: c.int("ops"), besideCPU: c.Variant == "beside-cpu"}
	return v, v.startEcho()
}

// startEcho starts the echo with the two pipes as its stdin and stdout (nothing else of this process's: the
// protocol's pipes stay here), killed if this peer dies; it ends when its stdin closes.
func (v *convoy) startEcho() error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	toEcho, request, err := os.Pipe()
	if err != nil {
		return err
	}
	reply, fromEcho, err := os.Pipe()
	if err != nil {
		return err
	}
	echo := exec.Command(self, echoArgument)
	echo.Stdin, echo.Stdout, echo.Stderr = toEcho, fromEcho, os.Stderr
	echo.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := echo.Start(); err != nil {
		return err
	}
	toEcho.Close()
	fromEcho.Close()
	v.request, v.reply = request, reply
	return nil
}

// echo is the echo process's body: every byte read from stdin is written back to stdout.
func echo() int {
	buffer := make([]byte, 1)
	for {
		n, err := syscall.Read(0, buffer)
		if n <= 0 || err != nil {
			return 0
		}
		if _, err := syscall.Write(1, buffer); err != nil {
			return 1
		}
	}
}

func (v *convoy) run(int64) (result, int, error) {
	var intact int64
	var ioDone int32
	var ioErr error
	cpuRunning := make(chan struct{})
	tasks := 1
	if v.besideCPU {
		tasks = 2
	}
	forkJoin(tasks, func(task int) {
		if task == 1 {
			close(cpuRunning)
			x := gamma
			for atomic.LoadInt32(&ioDone) == 0 {
				x ^= x >> 31
				x *= 0xbf58476d1ce4e5b9
			}
			cpuSink = x
			return
		}
		defer atomic.StoreInt32(&ioDone, 1)
		if v.besideCPU {
			<-cpuRunning
		}
		sent, got := make([]byte, 1), make([]byte, 1)
		for op := int64(0); op < v.ops; op++ {
			sent[0] = byte('a' + op%26)
			if _, ioErr = v.request.Write(sent); ioErr != nil {
				return
			}
			if _, ioErr = v.reply.Read(got); ioErr != nil {
				return
			}
			if got[0] == sent[0] {
				intact++
			}
		}
	})
	if ioErr != nil {
		return nil, 0, ioErr
	}
	return result{"round_trips": decimal(uint64(intact))}, tasks, nil
}

// cpuSink keeps the CPU goroutine's work from being optimised away.
var cpuSink uint64
