"""A minimal round-robin driver of generator coroutines, in the seed talk's style: a task is a generator;
what it yields is a request to the driver, and the driver `send`s the answer back in (`x = yield ...`).

    yield                 let the other tasks run (back of the round)
    yield Sleep(s)        a blocking wait of s seconds
    yield Readable(fd)    wait until fd can be read
    t = yield Spawn(gen)  start a task (it runs once the spawner yields or waits); t is its handle
    v = yield Join(t)     wait for task t to end; v is what it returned
    yield Park(waiters)   wait in `waiters` (a deque) until someone calls driver.wake(task)

With nothing ready, no timer and no descriptor to wait for while tasks are still waiting, no task can ever
run again: the driver raises Deadlock (as concbench's coroutine loop throws DeadlockError)."""

import collections
import heapq
import itertools
import select
import time

from peer_common import Deadlock


class Sleep:
    def __init__(self, seconds):
        self.seconds = seconds


class Readable:
    def __init__(self, fd):
        self.fd = fd


class Spawn:
    def __init__(self, gen):
        self.gen = gen


class Join:
    def __init__(self, task):
        self.task = task


class Park:
    def __init__(self, waiters):
        self.waiters = waiters


class Task:
    __slots__ = ("gen", "done", "result", "joiners")

    def __init__(self, gen):
        self.gen, self.done, self.result, self.joiners = gen, False, None, []


class Driver:
    def __init__(self):
        self.ready = collections.deque()  # (task, value to send)
        self.timers = []  # (deadline, sequence, task)
        self.readers = {}  # fd -> task
        self.sequence = itertools.count()

    def spawn(self, gen):
        task = Task(gen)
        self.ready.append((task, None))
        return task

    def wake(self, task, value=None):
        self.ready.append((task, value))

    def run(self, gen):
        """Runs `gen` and every task it spawns until `gen` ends; returns what it returned."""
        root = self.spawn(gen)
        steps = 0
        while not root.done:
            if self.ready:
                task, value = self.ready.popleft()
                self.step(task, value)
                steps += 1
                # Tasks that keep yielding must not starve the ones waiting for a timer or a descriptor.
                if (self.timers or self.readers) and steps % 16 == 0:
                    self.poll(0.0)
                continue
            if not self.timers and not self.readers:
                raise Deadlock("every task waits on another: nothing ready, no timer pending")
            self.poll(max(0.0, self.timers[0][0] - time.monotonic()) if self.timers else None)
        return root.result

    def poll(self, timeout):
        """Readies the tasks whose descriptor is readable or whose timer expired, waiting up to `timeout`."""
        if self.readers:
            readable, _, _ = select.select(list(self.readers), [], [], timeout)
            for fd in readable:
                self.ready.append((self.readers.pop(fd), None))
        elif timeout:
            time.sleep(timeout)
        now = time.monotonic()
        while self.timers and self.timers[0][0] <= now:
            self.ready.append((heapq.heappop(self.timers)[2], None))

    def step(self, task, value):
        try:
            request = task.gen.send(value)
        except StopIteration as end:
            task.done, task.result = True, end.value
            for joiner in task.joiners:
                self.ready.append((joiner, end.value))
            return
        if request is None:
            self.ready.append((task, None))
        elif isinstance(request, Sleep):
            heapq.heappush(self.timers, (time.monotonic() + request.seconds, next(self.sequence), task))
        elif isinstance(request, Readable):
            self.readers[request.fd] = task
        elif isinstance(request, Spawn):
            # The spawner goes on at once: a fork-join spawns all its tasks before any of them runs.
            self.ready.appendleft((task, self.spawn(request.gen)))
        elif isinstance(request, Join):
            if request.task.done:
                self.ready.append((task, request.task.result))
            else:
                request.task.joiners.append(task)
        elif isinstance(request, Park):
            request.waiters.append(task)
        else:
            raise TypeError("a task yielded {!r}".format(request))


class Lock:
    """A mutex of generator tasks: `yield from lock.acquire()`; release hands it to the first waiter."""

    def __init__(self, driver):
        self.driver, self.locked, self.waiters = driver, False, collections.deque()

    def acquire(self):
        if self.locked:
            yield Park(self.waiters)  # woken owning it
        else:
            self.locked = True

    def try_acquire(self):
        if self.locked:
            return False
        self.locked = True
        return True

    def release(self):
        if self.waiters:
            self.driver.wake(self.waiters.popleft())
        else:
            self.locked = False


class Semaphore:
    def __init__(self, driver, value):
        self.driver, self.value, self.waiters = driver, value, collections.deque()

    def acquire(self):
        if self.value == 0:
            yield Park(self.waiters)  # woken holding a unit
        else:
            self.value -= 1

    def release(self):
        if self.waiters:
            self.driver.wake(self.waiters.popleft())
        else:
            self.value += 1


class Channel:
    """A bounded FIFO of generator tasks: `yield from put(x)`, `x = yield from get()`."""

    def __init__(self, driver, capacity):
        self.driver, self.capacity = driver, capacity
        self.items, self.getters, self.putters = collections.deque(), collections.deque(), collections.deque()

    def put(self, item):
        while len(self.items) >= self.capacity:
            yield Park(self.putters)
        self.items.append(item)
        if self.getters:
            self.driver.wake(self.getters.popleft())

    def get(self):
        while not self.items:
            yield Park(self.getters)
        item = self.items.popleft()
        if self.putters:
            self.driver.wake(self.putters.popleft())
        return item
