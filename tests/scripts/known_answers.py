"""splitmix64 and parallel/cpu's item chain reimplemented in Python, independently of the C++ code: the
known answers tests/cpp/known_answers_test.cpp checks the workloads against (test_known_answers.py checks
that the C++ table holds exactly these values)."""

from __future__ import annotations

MASK = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15  # the golden ratio's 64-bit fraction (Steele, Lea, Flood 2014)


def finalise(x: int) -> int:
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def splitmix_sequence(state: int, count: int) -> list[int]:
    values = []
    for _ in range(count):
        state = (state + GAMMA) & MASK
        values.append(finalise(state))
    return values


def cpu_item(item: int, rounds: int) -> int:
    x = (item * GAMMA + 1) & MASK
    for _ in range(rounds):
        x = finalise(x)
    return x


def cpu_checksum(items: int, rounds: int) -> int:
    return sum(cpu_item(item, rounds) for item in range(items)) & MASK


# (name in the C++ table, value)
def table() -> dict[str, int]:
    answers = {f"splitmix_seed0_{i}": v for i, v in enumerate(splitmix_sequence(0, 3))}
    answers.update({f"splitmix_seed1234567_{i}": v for i, v in enumerate(splitmix_sequence(1234567, 3))})
    answers.update({"cpu_item_0_1": cpu_item(0, 1), "cpu_item_7_10": cpu_item(7, 10), "cpu_item_63_1000": cpu_item(63, 1000)})
    answers["cpu_checksum_64_10"] = cpu_checksum(64, 10)
    return answers


if __name__ == "__main__":
    for name, value in table().items():
        print(f"{name} = 0x{value:016x}")
