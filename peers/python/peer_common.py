"""What the three CPython models share: the protocol's errors, the workloads' parameters, the reference
arithmetic (splitmix64, as tests/scripts/known_answers.py) and the philosophers' table bookkeeping.
docs/models.md, "External models: the peer protocol", says what each result must be."""

import os
import time

MASK = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15
MAX_OS_THREADS = 2000  # as spawn::kMaxOsThreads: beyond, a thread per task measures the kernel's limits


class Unsupported(Exception):
    """The model cannot run the cell sensibly: the answer to `cell` is `unsupported` with this reason."""


class Deadlock(Exception):
    """The run can never end: the answer to `run` is `deadlock`."""

    def __init__(self, reason, metrics=None):
        Exception.__init__(self, reason)
        self.metrics = metrics or {}


def finalise(x):
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def mix(item_id):
    """prodcons' hash of an id."""
    return finalise((item_id + GAMMA) & MASK)


def cpu_item(item, rounds):
    x = (item * GAMMA + 1) & MASK
    for _ in range(rounds):
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
        x ^= x >> 31
    return x


class Cell:
    """The `cell` message: the key, its parameters as integers."""

    def __init__(self, message):
        self.model = message["model"]
        self.workload = message["workload"]
        self.variant = message["variant"]
        self.cores = int(message["cores"])
        self.tasks = int(message["tasks"])
        self.params = message.get("params", {})

    def int(self, name):
        return int(self.params[name])


def first_item(items, tasks, task):
    """Task `task`'s share of `items` starts here (and ends where task + 1's starts)."""
    return items * task // tasks


def share_of(items, parts, part):
    """Part `part`'s share of `items` split over `parts`."""
    return range(first_item(items, parts, part), first_item(items, parts, part + 1))


class Tally:
    """What one prodcons consumer received: how many items, the sum of their ids and of their mixes."""

    def __init__(self):
        self.count = self.id_sum = self.hash_sum = 0

    def add(self, item_id):
        self.count += 1
        self.id_sum += item_id
        self.hash_sum += mix(item_id)


def prodcons_answer(tallies):
    """The run's answer from every consumer's tally."""
    return {"count": str(sum(t.count for t in tallies)), "id_sum": str(sum(t.id_sum for t in tallies) & MASK),
            "hash_sum": str(sum(t.hash_sum for t in tallies) & MASK)}


def parallel_value(io, item, work):
    return item + 1 if io else cpu_item(item, work)


class ParallelSetup:
    """What every model's `parallel` body reads from its cell: cpu or io, the items split over the tasks, and
    each item's work (cpu) or wait (io)."""

    def __init__(self, cell):
        self.io = cell.variant == "io"
        self.items, self.tasks = cell.int("items"), cell.tasks
        self.work = 0 if self.io else cell.int("work")
        self.wait_s = cell.int("wait_us") / 1e6 if self.io else 0

    def items_of(self, task):
        """Task `task`'s slice of the items."""
        return share_of(self.items, self.tasks, task)

    def value(self, item):
        return parallel_value(self.io, item, self.work)

    def answer(self, sums):
        """The run's answer from each task's sum."""
        return {"count": str(self.items), "checksum": str(sum(sums) & MASK)}


def thread_per_task_limit(cell, tasks):
    if tasks > MAX_OS_THREADS:
        raise Unsupported("{} tasks would be {} OS threads (more than {}): the kernel's limits, not spawning".format(
            tasks, tasks, MAX_OS_THREADS))


def skynet_leaves_sum(leaves):
    return leaves * (leaves - 1) // 2


class Jitter:
    """The philosophers' seeded jitter, as the C++ one (philosophers.cpp): splitmix64 per seat and run."""

    def __init__(self, seed, run, seat):
        run_state = (run + GAMMA) & MASK
        self.state = (seed ^ ((finalise(run_state) + 0x632BE59BD9B4E019 * (seat + 1)) & MASK)) & MASK

    def between_us(self, low, high):
        if high <= low:
            return low
        self.state = (self.state + GAMMA) & MASK
        return low + finalise(self.state) % (high - low + 1)


class Philosophers:
    """A philosophers cell's configuration and one run's table: meals, the neighbours check, the fairness
    window, the waits, and what the deadlock watch reads (meals done, seats blocked, seats at the table)."""

    def __init__(self, cell):
        self.strategy = cell.variant
        if self.strategy not in ("naive", "ordered", "waiter", "trylock"):
            raise Unsupported("unknown strategy " + self.strategy)
        self.n = cell.tasks
        self.meals = cell.int("meals")
        self.think_us = cell.int("think_us")
        self.eat_us = cell.int("eat_us")
        self.backoff_us = cell.int("backoff_us") if self.strategy == "trylock" else 1
        self.yield_between = cell.int("yield_between") != 0
        self.gap_us = cell.int("gap_us")
        self.seed = cell.int("seed")
        self.deadlock_s = cell.int("deadlock_ms") / 1000.0

    def forks(self, seat):
        left, right = seat, (seat + 1) % self.n
        if self.strategy == "ordered":
            return min(left, right), max(left, right)
        return left, right

    def begin_run(self):
        n = self.n
        self.eaten = [0] * n
        self.eating = [False] * n
        self.violations = 0
        self.window = None
        self.wait_ns = [0] * n
        self.meals_done = 0
        self.blocked = 0
        self.at_table = n

    def start_eating(self, seat, hungry_ns):
        self.wait_ns[seat] += time.perf_counter_ns() - hungry_ns
        self.eating[seat] = True
        n = self.n
        if self.eating[(seat - 1) % n] or self.eating[(seat + 1) % n]:
            self.violations += 1

    def stop_eating(self, seat):
        self.eating[seat] = False
        self.eaten[seat] += 1
        self.meals_done += 1
        if self.eaten[seat] == self.meals and self.window is None:
            self.window = list(self.eaten)

    def result(self):
        result = {"meals": [str(m) for m in self.eaten], "violations": str(self.violations),
                  "wait_ns": [str(w) for w in self.wait_ns]}
        if self.window is not None:
            result["window"] = [str(m) for m in self.window]
        return result

    def think_us_of(self, jitter):
        return jitter.between_us(self.think_us // 2, self.think_us * 3 // 2)

    def backoff_us_of(self, jitter):
        return jitter.between_us(1, self.backoff_us)


class StuckWatch:
    """The deadlock watch of philosophers (deadlock_monitor.cpp's StuckWatch): every seat at the table
    blocked and no meal ended, at every look, for `bound_s`."""

    def __init__(self, bound_s):
        self.bound_s = bound_s
        self.last_meals = -1
        self.since = None

    def look(self, table, now):
        all_blocked = table.at_table > 0 and table.blocked >= table.at_table
        if not all_blocked or table.meals_done != self.last_meals:
            self.since = None
            self.last_meals = table.meals_done
            return False
        if self.since is None:
            self.since = now
            return False
        return now - self.since >= self.bound_s

    def deadlock(self, table):
        return Deadlock("no meal for {:.0f} ms while all {} philosophers at the table were blocked".format(
            self.bound_s * 1000, table.at_table), {"meals_done": str(table.meals_done)})


def now_ns():
    return time.perf_counter_ns()


class Echo:
    """convoy's echo outside the model: a forked process that echoes every byte written to it (as
    scripts/gil_fidelity.py's). Forked before any task thread exists; it keeps none of the peer's other
    descriptors (above all not the protocol's pipes), and ends when its input closes."""

    def __init__(self):
        to_echo_r, self.request_fd = os.pipe()
        self.reply_fd, from_echo_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            try:
                low, high = sorted((to_echo_r, from_echo_w))
                os.closerange(0, low)
                os.closerange(low + 1, high)
                os.closerange(high + 1, 1024)
                while True:
                    byte = os.read(to_echo_r, 1)
                    if not byte:
                        break
                    os.write(from_echo_w, byte)
            finally:
                os._exit(0)
        os.close(to_echo_r)
        os.close(from_echo_w)


def convoy_byte(op):
    return bytes([ord("a") + op % 26])


def cpu_round(x):
    """convoy's CPU task: one round of a mixing chain."""
    x ^= x >> 31
    return (x * 0xBF58476D1CE4E5B9) & MASK


def cpu_until(done):
    """convoy's CPU task on a model whose tasks switch only where they yield: rounds until `done[0]`, a yield
    (the place to let the I/O task run) every 1000."""
    x, rounds = 0x9E3779B97F4A7C15, 0
    while not done[0]:
        x = cpu_round(x)
        rounds += 1
        if rounds % 1000 == 0:
            yield


def body_for(workloads, cell):
    """The model's body for the cell's workload, from its `workloads` (name: class over the cell)."""
    if cell.workload not in workloads:
        raise Unsupported("no {} body for workload {}".format(cell.model, cell.workload))
    return workloads[cell.workload](cell)
