#pragma once
/// `concbench check philosophers --strategy S --n N`: the exhaustive check's command line and verdict.
/// Exit codes: 0 deadlock-free (a livelock is a warning), 1 deadlock reachable, 2 bad input (one line on stderr).

#include <cstdio>
#include <string>
#include <vector>

#include "app/check/philosophers_model.hpp"

namespace concbench::check {

constexpr int kDeadlockFreeExit = 0;
constexpr int kDeadlockExit = 1;
constexpr int kBadInputExit = 2;

/// The arguments after `check`.
int check_main(std::vector<std::string> args);

/// Explores `strategy` with `n` philosophers and prints the verdict to `out`; returns its exit code.
int check_philosophers(Strategy strategy, int n, std::FILE* out);

}  // namespace concbench::check
