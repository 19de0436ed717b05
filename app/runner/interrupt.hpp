#pragma once
/// Ctrl-C and SIGTERM as an fd the runner polls: the handler only writes a byte to a self-pipe.

namespace concbench {

class InterruptWatch {
 public:
  /// Installs handlers for SIGINT and SIGTERM (one watch per process); restores the old ones on destruction.
  InterruptWatch();
  ~InterruptWatch();
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;

  /// Readable once a signal came.
  int fd() const;
  bool requested() const;
};

}  // namespace concbench
