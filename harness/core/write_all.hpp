#pragma once
/// Writing a whole buffer to a file descriptor: the one loop of partial writes and interrupted calls.

#include <string_view>

namespace concbench {

/// Writes all of `text` to `fd`, write(2) after write(2) until it is all out, retrying a call a signal
/// interrupted; false, with errno set, when a write fails.
bool write_all(int fd, std::string_view text);

}  // namespace concbench
