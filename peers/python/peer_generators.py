"""`python-generators`: the seed talk's generator coroutines — tasks are generators driven by `send` from a
minimal round-robin driver (generator_driver.py), its Lock, Semaphore and Channel the model's mutex and
channel, `yield Sleep(s)` its blocking wait. One thread; tasks switch only where they yield."""

import os
import time

from generator_driver import Channel, Driver, Join, Lock, Readable, Semaphore, Sleep, Spawn
from peer_common import (MASK, Echo, Jitter, ParallelSetup, Philosophers, Tally, body_for, convoy_byte, cpu_until,
                         prodcons_answer, share_of)

MAPPING = "generator-driver"


def fork_join(gens):
    """A task that spawns one task per generator, then joins them all; returns their results."""
    tasks = []
    for gen in gens:
        tasks.append((yield Spawn(gen)))
    results = []
    for task in tasks:
        results.append((yield Join(task)))
    return results


class Parallel(ParallelSetup):
    """A task per slice; cpu: it yields after every item (a cooperative task must), io: `yield Sleep`."""

    def run(self, driver, _):
        def task(t):
            total = 0
            for item in self.items_of(t):
                yield Sleep(self.wait_s) if self.io else None
                total += self.value(item)
            return total & MASK

        sums = yield from fork_join(task(t) for t in range(self.tasks))
        return self.answer(sums)


class Counter:
    def __init__(self, cell):
        self.variant, self.tasks, self.adds = cell.variant, cell.tasks, cell.int("adds")

    def run(self, driver, _):
        lock, shards, adds = Lock(driver), [0] * self.tasks, self.adds

        def task(t):
            if self.variant == "mutex":
                for _ in range(adds):
                    yield from lock.acquire()
                    shards[t] += 1
                    lock.release()
            else:
                for _ in range(adds):
                    shards[t] += 1
            yield

        yield from fork_join(task(t) for t in range(self.tasks))
        return {"total": str(sum(shards))}


class Prodcons:
    def __init__(self, cell):
        self.producers, self.consumers = cell.int("producers"), cell.int("consumers")
        self.capacity, self.items = cell.int("capacity"), cell.int("items")

    def run(self, driver, _):
        channel, left, end = Channel(driver, self.capacity), [self.producers], object()

        def producer(p):
            for item_id in share_of(self.items, self.producers, p):
                yield from channel.put(item_id)
            left[0] -= 1
            if left[0] == 0:
                for _ in range(self.consumers):
                    yield from channel.put(end)
            return Tally()  # nothing received

        def consumer(_c):
            tally = Tally()
            item_id = yield from channel.get()
            while item_id is not end:
                tally.add(item_id)
                item_id = yield from channel.get()
            return tally

        tallies = yield from fork_join([producer(p) for p in range(self.producers)] +
                                       [consumer(c) for c in range(self.consumers)])
        return prodcons_answer(tallies)


class Pingpong:
    """Two generators swap control: each yields until the turn is its round (the talk's two coroutines)."""

    def __init__(self, cell):
        self.switches = cell.int("switches")

    def run(self, driver, _):
        turn = [0]

        def play(task):
            played = 0
            for r in range(task, self.switches, 2):
                while turn[0] != r:
                    yield
                turn[0] = r + 1
                played += 1
            return played

        rounds = yield from fork_join([play(0), play(1)])
        return {"turn": str(turn[0]), "rounds": [str(r) for r in rounds]}


class Spawn_:
    def __init__(self, cell):
        self.skynet = cell.variant == "skynet"
        self.leaves = cell.int("leaves") if self.skynet else cell.tasks

    def run(self, driver, _):
        def leaf(i):
            return i
            yield  # a generator all the same

        if not self.skynet:
            values = yield from fork_join(leaf(i) for i in range(self.leaves))
            return {"sum": str(sum(values))}

        def node(first, size):
            if size == 1:
                return first
            child = size // 10
            return sum((yield from fork_join(node(first + k * child, child) for k in range(10))))

        return {"sum": str((yield from node(0, self.leaves)))}


class Dining:
    """The driver's Lock per fork, its Semaphore(N − 1) as the waiter, try_acquire as trylock; the driver
    itself proves a deadlock (every task parked, no timer)."""

    def __init__(self, cell):
        self.table = Philosophers(cell)

    def run(self, driver, index):
        table = self.table
        table.begin_run()
        forks = [Lock(driver) for _ in range(table.n)]
        waiter = Semaphore(driver, table.n - 1)

        def between_forks():
            if table.yield_between:
                yield
            if table.gap_us:
                yield Sleep(table.gap_us / 1e6)

        def dine(seat):
            jitter = Jitter(table.seed, index, seat)
            first, second = table.forks(seat)
            for meal in range(table.meals):
                hungry_ns = time.perf_counter_ns()
                if table.strategy == "trylock":
                    while True:
                        yield from forks[first].acquire()
                        yield from between_forks()
                        if forks[second].try_acquire():
                            break
                        forks[first].release()
                        yield Sleep(table.backoff_us_of(jitter) / 1e6)
                else:
                    if table.strategy == "waiter":
                        yield from waiter.acquire()
                    yield from forks[first].acquire()
                    yield from between_forks()
                    yield from forks[second].acquire()
                table.start_eating(seat, hungry_ns)
                yield Sleep(table.eat_us / 1e6)
                table.stop_eating(seat)
                forks[second].release()
                forks[first].release()
                if table.strategy == "waiter":
                    waiter.release()
                if meal + 1 < table.meals:
                    yield Sleep(table.think_us_of(jitter) / 1e6)

        yield from fork_join(dine(seat) for seat in range(table.n))
        return table.result()


class Convoy:
    """The I/O task writes to a forked echo and yields until the reply can be read; the CPU task yields every
    1000 rounds."""

    def __init__(self, cell):
        self.ops, self.beside_cpu = cell.int("ops"), cell.variant == "beside-cpu"
        self.echo = Echo()

    def run(self, driver, _):
        done = [False]

        def io_task():
            yield  # the CPU task starts first
            intact = 0
            for op in range(self.ops):
                sent = convoy_byte(op)
                os.write(self.echo.request_fd, sent)
                yield Readable(self.echo.reply_fd)
                if os.read(self.echo.reply_fd, 1) == sent:
                    intact += 1
            done[0] = True
            return intact

        def cpu_task():
            yield from cpu_until(done)
            return 0

        results = yield from fork_join([io_task(), cpu_task()] if self.beside_cpu else [io_task()])
        return {"round_trips": str(results[0])}


WORKLOADS = {"parallel": Parallel, "counter": Counter, "prodcons": Prodcons, "pingpong": Pingpong, "spawn": Spawn_,
             "philosophers": Dining, "convoy": Convoy}


class Driven:
    """A body whose runs are generator tasks, each run on a fresh driver."""

    def __init__(self, body):
        self.body = body

    def run(self, index):
        driver = Driver()
        return driver.run(self.body.run(driver, index)), 1


def make(cell):
    return Driven(body_for(WORKLOADS, cell)), MAPPING
