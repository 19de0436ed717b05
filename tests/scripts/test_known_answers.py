"""The C++ known-answer table (tests/cpp/known_answers_test.cpp) holds exactly what an independent Python
reimplementation computes (known_answers.py), and that reimplementation gives splitmix64's published values."""

from __future__ import annotations

import re

from conftest import ROOT
from known_answers import splitmix_sequence, table

CPP = ROOT / "tests" / "cpp" / "known_answers_test.cpp"


def test_the_python_reimplementation_gives_the_published_splitmix64_outputs() -> None:
    # Vigna's splitmix64.c from state 0, and java.util.SplittableRandom's test vector for seed 1234567.
    assert splitmix_sequence(0, 3) == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F]
    assert splitmix_sequence(1234567, 1) == [6457827717110365317]


def test_the_cpp_table_is_the_python_one() -> None:
    found = {name: int(value, 16) for name, value in
             re.findall(r"constexpr std::uint64_t (\w+) = 0x([0-9a-f]+)ULL;", CPP.read_text())}
    assert found == table()
