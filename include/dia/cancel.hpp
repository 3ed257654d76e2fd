// Cooperative cancellation of long computations (Ctrl-C in Python): the long loops (Monte Carlo
// waves, grid ladders, row generation, the numbers of bidders of a comparison) call
// dia::throw_if_cancelled() between steps; a front end that wants them to stop calls
// dia::request_cancel() from another thread and catches dia::Cancelled.
#pragma once

#include <atomic>
#include <exception>

namespace dia {

struct Cancelled : std::exception {
  const char* what() const noexcept override { return "cancelled"; }
};

inline std::atomic<bool>& cancel_flag() {
  static std::atomic<bool> flag{false};
  return flag;
}

// Every computation running in the process stops at its next check (the flag is process-wide:
// an interrupt stops them all).
inline void request_cancel() { cancel_flag().store(true); }
inline void clear_cancel() { cancel_flag().store(false); }

inline void throw_if_cancelled() {
  if (cancel_flag().load(std::memory_order_relaxed)) throw Cancelled{};
}

}  // namespace dia
