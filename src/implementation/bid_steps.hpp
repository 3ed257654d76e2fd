// A bid profile on the design's grid, shared by the Border lottery's draws (internal).
#pragma once

#include <array>
#include <cstddef>
#include <span>

#include "dia/ex_post.hpp"

namespace dia::detail {

inline constexpr std::size_t kMaxBids = 64;

struct BidSteps {
  std::array<std::size_t, kMaxBids> step;  // kNone: this bid never wins
  std::size_t top = StepExtension::kNone;  // the highest step, or kNone
};

// Each bid's grid step, kNone below the grid or below `lowest`, and the highest of them. At most
// kMaxBids bids.
inline BidSteps bid_steps(const StepExtension& steps, std::span<const double> bids,
                          std::size_t lowest) {
  constexpr std::size_t kNone = StepExtension::kNone;
  BidSteps out;
  for (std::size_t i = 0; i < bids.size(); ++i) {
    const std::size_t s = steps.step(bids[i]);
    out.step[i] = s != kNone && s >= lowest ? s : kNone;
    if (out.step[i] != kNone && (out.top == kNone || s > out.top)) out.top = s;
  }
  return out;
}

// The index of the k-th of `bids` bids (in bid order) that `accepts` takes, or -1.
template <class Accepts>
int nth_bid(std::size_t bids, Accepts accepts, std::size_t k) {
  for (std::size_t i = 0; i < bids; ++i) {
    if (accepts(i) && k-- == 0) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace dia::detail
