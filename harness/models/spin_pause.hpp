#pragma once
// The CPU's spin-wait hint, for the models' short busy waits (fiber.cpp, coroutine_pool.cpp).

namespace concbench {

/// Tells an x86 core that this thread spins (a `pause`: less power, no memory-order mis-speculation on exit);
/// nothing elsewhere.
inline void spin_pause() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

}  // namespace concbench
