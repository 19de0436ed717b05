"""`python-threads`: a threading.Thread per task under CPython's GIL; Lock, Condition, Semaphore and
queue.Queue as the model's mutex and channel; time.sleep as its blocking wait."""

import itertools
import os
import queue
import threading
import time

from peer_common import (MASK, Echo, ParallelSetup, Philosophers, StuckWatch, body_for, convoy_byte, cpu_round,
                         Tally, prodcons_answer, share_of, thread_per_task_limit)

MAPPING = "thread-per-task"


def fork_join(bodies):
    """Runs each body on a thread of its own, joins them all; returns how many threads it started."""
    threads = [threading.Thread(target=body) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(threads)


class Parallel(ParallelSetup):
    def __init__(self, cell):
        super().__init__(cell)
        thread_per_task_limit(cell, self.tasks)

    def run(self, _):
        sums = [0] * self.tasks

        def task(t):
            total = 0
            for item in self.items_of(t):
                if self.io:
                    time.sleep(self.wait_s)
                total += self.value(item)
            sums[t] = total & MASK

        workers = fork_join([lambda t=t: task(t) for t in range(self.tasks)])
        return self.answer(sums), workers


class Counter:
    """atomic: itertools.count's next() (one C call: atomic under the GIL); mutex: a Lock around `+= 1`;
    sharded and sharded-packed: a slot per task of one list (CPython has no say in memory layout: the two
    are the same body here)."""

    def __init__(self, cell):
        self.variant, self.tasks, self.adds = cell.variant, cell.tasks, cell.int("adds")
        thread_per_task_limit(cell, self.tasks)

    def run(self, _):
        adds = self.adds
        if self.variant == "atomic":
            shared = itertools.count()

            def task(_t):
                for _ in range(adds):
                    next(shared)

            workers = fork_join([lambda t=t: task(t) for t in range(self.tasks)])
            return {"total": str(next(shared))}, workers
        if self.variant == "mutex":
            lock, box = threading.Lock(), [0]

            def task(_t):
                for _ in range(adds):
                    with lock:
                        box[0] += 1

            workers = fork_join([lambda t=t: task(t) for t in range(self.tasks)])
            return {"total": str(box[0])}, workers
        shards = [0] * self.tasks

        def task(t):
            for _ in range(adds):
                shards[t] += 1

        workers = fork_join([lambda t=t: task(t) for t in range(self.tasks)])
        return {"total": str(sum(shards))}, workers


class Prodcons:
    """queue.Queue(capacity); the last producer to finish closes it: one end marker per consumer."""

    def __init__(self, cell):
        self.producers, self.consumers = cell.int("producers"), cell.int("consumers")
        self.capacity, self.items = cell.int("capacity"), cell.int("items")
        thread_per_task_limit(cell, self.producers + self.consumers)

    def run(self, _):
        channel = queue.Queue(self.capacity)
        left, left_lock = [self.producers], threading.Lock()
        tallies = [None] * self.consumers
        end = object()

        def producer(p):
            for item_id in share_of(self.items, self.producers, p):
                channel.put(item_id)
            with left_lock:
                left[0] -= 1
                last = left[0] == 0
            if last:
                for _ in range(self.consumers):
                    channel.put(end)

        def consumer(c):
            tally = tallies[c] = Tally()
            item_id = channel.get()
            while item_id is not end:
                tally.add(item_id)
                item_id = channel.get()

        workers = fork_join([lambda p=p: producer(p) for p in range(self.producers)] +
                            [lambda c=c: consumer(c) for c in range(self.consumers)])
        return prodcons_answer(tallies), workers


class Pingpong:
    """The turn under a Condition: a task waits until the turn is its round, plays it, notifies the other."""

    def __init__(self, cell):
        self.switches = cell.int("switches")

    def run(self, _):
        turn, rounds, cond = [0], [0, 0], threading.Condition()

        def play(task):
            played = 0
            for r in range(task, self.switches, 2):
                with cond:
                    while turn[0] != r:
                        cond.wait()
                    turn[0] = r + 1
                    cond.notify()
                played += 1
            rounds[task] = played

        workers = fork_join([lambda: play(0), lambda: play(1)])
        return {"turn": str(turn[0]), "rounds": [str(r) for r in rounds]}, workers


class Spawn:
    """flat: a thread per task; skynet: every node a thread that starts its ten children, then joins them."""

    def __init__(self, cell):
        self.skynet = cell.variant == "skynet"
        self.leaves = cell.int("leaves") if self.skynet else cell.tasks
        thread_per_task_limit(cell, cell.tasks)

    def run(self, _):
        if not self.skynet:
            slots = [0] * self.leaves

            def leaf(i):
                slots[i] = i

            workers = fork_join([lambda i=i: leaf(i) for i in range(self.leaves)])
            return {"sum": str(sum(slots))}, workers
        started = [0]

        def node(first, size, out, index):
            if size == 1:
                out[index] = first
                return
            child = size // 10
            sums = [0] * 10
            started[0] += fork_join([lambda k=k: node(first + k * child, child, sums, k) for k in range(10)])
            out[index] = sum(sums)

        root = [0]
        node(0, self.leaves, root, 0)
        return {"sum": str(root[0])}, max(1, started[0])


class Dining:
    """A Lock per fork, a Semaphore(N − 1) as the waiter, acquire(blocking=False) as trylock, time.sleep
    as every wait (0: a yield); a watch thread ends a run that deadlocked."""

    def __init__(self, cell):
        self.table = Philosophers(cell)

    def run(self, index):
        from peer_common import Jitter
        table = self.table
        table.begin_run()
        forks = [threading.Lock() for _ in range(table.n)]
        waiter = threading.Semaphore(table.n - 1)
        count_lock = threading.Lock()  # the watch's counters: `+=` is not atomic across threads

        def count_blocked(delta):
            with count_lock:
                table.blocked += delta

        def lock(fork):
            if fork.acquire(False):
                return
            count_blocked(1)
            fork.acquire()
            count_blocked(-1)

        def between_forks():
            if table.yield_between:
                time.sleep(0)
            if table.gap_us:
                time.sleep(table.gap_us / 1e6)

        def dine(seat):
            jitter = Jitter(table.seed, index, seat)
            first, second = table.forks(seat)
            for meal in range(table.meals):
                hungry = time.perf_counter_ns()
                if table.strategy == "trylock":
                    while True:
                        lock(forks[first])
                        between_forks()
                        if forks[second].acquire(False):
                            break
                        forks[first].release()
                        time.sleep(table.backoff_us_of(jitter) / 1e6)
                else:
                    if table.strategy == "waiter":
                        count_blocked(1)
                        waiter.acquire()
                        count_blocked(-1)
                    lock(forks[first])
                    between_forks()
                    lock(forks[second])
                with count_lock:
                    table.start_eating(seat, hungry)
                time.sleep(table.eat_us / 1e6)
                with count_lock:
                    table.stop_eating(seat)
                forks[second].release()
                forks[first].release()
                if table.strategy == "waiter":
                    waiter.release()
                if meal + 1 < table.meals:
                    time.sleep(table.think_us_of(jitter) / 1e6)
            with count_lock:
                table.at_table -= 1

        threads = [threading.Thread(target=dine, args=(seat,), daemon=True) for seat in range(table.n)]
        for thread in threads:
            thread.start()
        watch = StuckWatch(table.deadlock_s)
        for thread in threads:
            while thread.is_alive():
                thread.join(min(0.01, table.deadlock_s / 4))
                with count_lock:
                    stuck = watch.look(table, time.monotonic())
                if stuck:
                    raise watch.deadlock(table)
        return table.result(), len(threads)


class Convoy:
    """The I/O task's round trips to a forked echo (os.write, os.read: each drops the GIL), beside a thread
    spinning CPU work until they are done — the convoy effect of scripts/gil_fidelity.py."""

    def __init__(self, cell):
        self.ops, self.beside_cpu = cell.int("ops"), cell.variant == "beside-cpu"
        self.echo = Echo()

    def run(self, _):
        done, cpu_running, intact = [False], threading.Event(), [0]

        def io_task():
            if self.beside_cpu:
                cpu_running.wait()
            for op in range(self.ops):
                sent = convoy_byte(op)
                os.write(self.echo.request_fd, sent)
                if os.read(self.echo.reply_fd, 1) == sent:
                    intact[0] += 1
            done[0] = True

        def cpu_task():
            cpu_running.set()
            x = 0x9E3779B97F4A7C15
            while not done[0]:
                x = cpu_round(x)

        workers = fork_join([io_task, cpu_task] if self.beside_cpu else [io_task])
        return {"round_trips": str(intact[0])}, workers


WORKLOADS = {"parallel": Parallel, "counter": Counter, "prodcons": Prodcons, "pingpong": Pingpong, "spawn": Spawn,
             "philosophers": Dining, "convoy": Convoy}


def make(cell):
    return body_for(WORKLOADS, cell), MAPPING
