// The upper envelope of the deviation lines w -> X_j (w - v_j) of (RENT) for a NONDECREASING
// allocation X: slopes grow with j, so the envelope is a monotone convex hull, built in O(m) and
// queried in O(log m). Shared by the solvers and the ex post rules; the audit has its own,
// independent envelope (a Li Chao tree) on purpose.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "numeric/huge_pages.hpp"

namespace dia::detail {

class DeviationHull {
 public:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  // Owns copies of the arrays: the hull outlives any caller's buffers.
  DeviationHull(std::span<const double> values, std::span<const double> allocation)
      : owned_v_(values.begin(), values.end()),
        owned_x_(allocation.begin(), allocation.end()),
        v_(owned_v_),
        x_(owned_x_) {
    build();
  }
  // Views of the caller's arrays, which must outlive the hull (the rows of a design at m = 10^6
  // types: no 12 MB copy, issue 14).
  struct Borrowed {};
  DeviationHull(std::span<const double> values, std::span<const double> allocation, Borrowed)
      : v_(values), x_(allocation) {
    build();
  }
  DeviationHull(const DeviationHull&) = delete;  // the views would point into the original
  DeviationHull& operator=(const DeviationHull&) = delete;

  // max(0, max_{j <= last} X_j (w - v_j)) and its argmax (kNone where it is 0). Removing a line
  // that a later line dominates is safe here: where the later line is not yet allowed (w < its
  // value) it is negative, so the removed line was either negative or below an earlier one.
  std::pair<double, std::size_t> best(double w, std::size_t last) const {
    const auto end = std::upper_bound(hull_.begin(), hull_.end(), last);
    if (end == hull_.begin()) return {0.0, kNone};
    auto at = [&](std::size_t j) { return x_[j] * (w - v_[j]); };
    std::size_t lo = 0, hi = static_cast<std::size_t>(end - hull_.begin()) - 1;
    while (lo < hi) {  // values along the hull are unimodal at any w
      const std::size_t mid = (lo + hi) / 2;
      if (at(hull_[mid]) <= at(hull_[mid + 1])) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    const double value = at(hull_[lo]);
    return value > 0 ? std::pair{value, hull_[lo]} : std::pair{0.0, kNone};
  }

 private:
  void build() {
    reserve_huge(hull_, v_.size());  // no regrowth copies; only the part used is touched
    for (std::size_t i = 0; i < v_.size(); ++i) {
      if (x_[i] <= 0) continue;                                   // a zero line never helps
      if (!hull_.empty() && x_[hull_.back()] == x_[i]) continue;  // same slope, lower line
      while (hull_.size() >= 2 && middle_is_useless(hull_[hull_.size() - 2], hull_.back(), i)) {
        hull_.pop_back();
      }
      hull_.push_back(i);
    }
  }

  // Line b leads nowhere if line c overtakes it before it overtakes line a.
  bool middle_is_useless(std::size_t a, std::size_t b, std::size_t c) const {
    const long double ab =
        ((long double)x_[b] * v_[b] - (long double)x_[a] * v_[a]) * (x_[c] - x_[b]);
    const long double bc =
        ((long double)x_[c] * v_[c] - (long double)x_[b] * v_[b]) * (x_[b] - x_[a]);
    return bc <= ab;
  }

  std::vector<double> owned_v_, owned_x_;  // empty when borrowed
  std::span<const double> v_, x_;
  std::vector<std::size_t> hull_;
};

}  // namespace dia::detail
