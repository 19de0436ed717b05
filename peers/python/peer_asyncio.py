"""`python-asyncio`: asyncio tasks on one event loop (kept for the cell's life); asyncio.Lock, Condition,
Semaphore and Queue as the model's mutex and channel; asyncio.sleep as its blocking wait. Tasks switch only
where they await."""

import asyncio
import os
import time

from peer_common import (MASK, Echo, Jitter, ParallelSetup, Philosophers, StuckWatch, body_for, convoy_byte, cpu_until,
                         Tally, prodcons_answer, share_of)

MAPPING = "event-loop"


async def fork_join(coroutines):
    await asyncio.gather(*[asyncio.ensure_future(c) for c in coroutines])


class Parallel(ParallelSetup):
    async def run(self, _):
        sums = [0] * self.tasks

        async def task(t):
            total = 0
            for item in self.items_of(t):
                if self.io:
                    await asyncio.sleep(self.wait_s)
                total += self.value(item)
            sums[t] = total & MASK

        await fork_join(task(t) for t in range(self.tasks))
        return self.answer(sums)


class Counter:
    """One thread: a plain `+= 1` is the atomic and the sharded add; mutex: `async with` an asyncio.Lock
    (free at every add: tasks switch only where they await, and no add awaits)."""

    def __init__(self, cell):
        self.variant, self.tasks, self.adds = cell.variant, cell.tasks, cell.int("adds")

    async def run(self, _):
        adds, lock, shards = self.adds, asyncio.Lock(), [0] * self.tasks

        async def task(t):
            if self.variant == "mutex":
                for _ in range(adds):
                    async with lock:
                        shards[t] += 1
            else:
                for _ in range(adds):
                    shards[t] += 1

        await fork_join(task(t) for t in range(self.tasks))
        return {"total": str(sum(shards))}


class Prodcons:
    def __init__(self, cell):
        self.producers, self.consumers = cell.int("producers"), cell.int("consumers")
        self.capacity, self.items = cell.int("capacity"), cell.int("items")

    async def run(self, _):
        channel, left, tallies, end = asyncio.Queue(self.capacity), [self.producers], [None] * self.consumers, object()

        async def producer(p):
            for item_id in share_of(self.items, self.producers, p):
                await channel.put(item_id)
            left[0] -= 1
            if left[0] == 0:  # the last producer closes the channel
                for _ in range(self.consumers):
                    await channel.put(end)

        async def consumer(c):
            tally = tallies[c] = Tally()
            item_id = await channel.get()
            while item_id is not end:
                tally.add(item_id)
                item_id = await channel.get()

        await fork_join([producer(p) for p in range(self.producers)] + [consumer(c) for c in range(self.consumers)])
        return prodcons_answer(tallies)


class Pingpong:
    def __init__(self, cell):
        self.switches = cell.int("switches")

    async def run(self, _):
        turn, rounds, cond = [0], [0, 0], asyncio.Condition()

        async def play(task):
            played = 0
            for r in range(task, self.switches, 2):
                async with cond:
                    while turn[0] != r:
                        await cond.wait()
                    turn[0] = r + 1
                    cond.notify()
                played += 1
            rounds[task] = played

        await fork_join([play(0), play(1)])
        return {"turn": str(turn[0]), "rounds": [str(r) for r in rounds]}


class Spawn:
    """flat: a task per leaf, gathered; skynet: every node a task that creates its ten children, then
    gathers them."""

    def __init__(self, cell):
        self.skynet = cell.variant == "skynet"
        self.leaves = cell.int("leaves") if self.skynet else cell.tasks

    async def run(self, _):
        if not self.skynet:
            async def leaf(i):
                return i

            values = await asyncio.gather(*[asyncio.ensure_future(leaf(i)) for i in range(self.leaves)])
            return {"sum": str(sum(values))}

        async def node(first, size):
            if size == 1:
                return first
            child = size // 10
            return sum(await asyncio.gather(*[asyncio.ensure_future(node(first + k * child, child))
                                              for k in range(10)]))

        return {"sum": str(await node(0, self.leaves))}


class Dining:
    """An asyncio.Lock per fork, an asyncio.Semaphore(N − 1) as the waiter, `locked()` before acquiring as
    trylock; a watch task ends a run that deadlocked."""

    def __init__(self, cell):
        self.table = Philosophers(cell)

    async def run(self, index):
        table = self.table
        table.begin_run()
        forks = [asyncio.Lock() for _ in range(table.n)]
        waiter = asyncio.Semaphore(table.n - 1)
        loop = asyncio.get_event_loop()

        async def wait(us):
            await asyncio.sleep(us / 1e6)

        async def lock(fork):
            table.blocked += 1
            await fork.acquire()
            table.blocked -= 1

        async def between_forks():
            if table.yield_between:
                await asyncio.sleep(0)
            if table.gap_us:
                await wait(table.gap_us)

        async def dine(seat):
            jitter = Jitter(table.seed, index, seat)
            first, second = table.forks(seat)
            for meal in range(table.meals):
                hungry_ns = time.perf_counter_ns()
                if table.strategy == "trylock":
                    while True:
                        await lock(forks[first])
                        await between_forks()
                        if not forks[second].locked():
                            await forks[second].acquire()  # free: taken at once, no wait
                            break
                        forks[first].release()
                        await wait(table.backoff_us_of(jitter))
                else:
                    if table.strategy == "waiter":
                        table.blocked += 1
                        await waiter.acquire()
                        table.blocked -= 1
                    await lock(forks[first])
                    await between_forks()
                    await lock(forks[second])
                table.start_eating(seat, hungry_ns)
                await wait(table.eat_us)
                table.stop_eating(seat)
                forks[second].release()
                forks[first].release()
                if table.strategy == "waiter":
                    waiter.release()
                if meal + 1 < table.meals:
                    await wait(table.think_us_of(jitter))
            table.at_table -= 1

        diners = [asyncio.ensure_future(dine(seat)) for seat in range(table.n)]
        watch = StuckWatch(table.deadlock_s)
        while not all(d.done() for d in diners):
            await asyncio.wait(diners, timeout=min(0.01, table.deadlock_s / 4))
            if watch.look(table, loop.time()):
                raise watch.deadlock(table)
        for diner in diners:
            diner.result()  # a philosopher's exception, if any
        return table.result()


class Convoy:
    """The I/O task's round trips to a forked echo, each read awaited through the loop (add_reader), beside a
    task spinning CPU work that yields the loop every 1000 rounds, as a cooperative program must."""

    def __init__(self, cell):
        self.ops, self.beside_cpu = cell.int("ops"), cell.variant == "beside-cpu"
        self.echo = Echo()
        os.set_blocking(self.echo.reply_fd, False)

    async def run(self, _):
        loop = asyncio.get_event_loop()
        done, intact = [False], [0]
        reply_fd = self.echo.reply_fd

        async def read_one():
            while True:
                try:
                    return os.read(reply_fd, 1)
                except BlockingIOError:
                    readable = loop.create_future()
                    loop.add_reader(reply_fd, readable.set_result, None)
                    try:
                        await readable
                    finally:
                        loop.remove_reader(reply_fd)

        async def io_task():
            await asyncio.sleep(0)  # the CPU task starts first
            for op in range(self.ops):
                sent = convoy_byte(op)
                os.write(self.echo.request_fd, sent)
                if await read_one() == sent:
                    intact[0] += 1
            done[0] = True

        async def cpu_task():
            for _ in cpu_until(done):
                await asyncio.sleep(0)

        await fork_join([io_task(), cpu_task()] if self.beside_cpu else [io_task()])
        return {"round_trips": str(intact[0])}


WORKLOADS = {"parallel": Parallel, "counter": Counter, "prodcons": Prodcons, "pingpong": Pingpong, "spawn": Spawn,
             "philosophers": Dining, "convoy": Convoy}


class OnLoop:
    """A body whose runs are coroutines, run on the cell's one event loop."""

    def __init__(self, body):
        self.body = body
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)

    def run(self, index):
        return self.loop.run_until_complete(self.body.run(index)), 1


def make(cell):
    return OnLoop(body_for(WORKLOADS, cell)), MAPPING
