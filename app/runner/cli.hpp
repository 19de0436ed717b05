#pragma once
/// The `concbench` command line (CLI11). Bad input: one line on stderr, exit 2, before anything runs.

namespace concbench {

int cli_main(int argc, char** argv);

}  // namespace concbench
