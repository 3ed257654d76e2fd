// The upper concave hull of a point sequence sorted by x (internal): the ironing of a revenue
// curve in quantile space (docs/model.md#classic).
#pragma once

#include <cstddef>
#include <vector>

namespace dia::detail {

// Indices of the vertices of the upper concave hull of the points (x(i), y(i)), i = 0..count-1,
// given in nondecreasing x (Andrew's monotone chain, O(count)). A point with the same x as the
// last kept one is skipped (callers order ties so that the first is the highest); points on a
// chord are dropped.
template <class X, class Y>
std::vector<std::size_t> upper_concave_hull(std::size_t count, const X& x, const Y& y) {
  std::vector<std::size_t> hull;
  hull.reserve(64);
  for (std::size_t i = 0; i < count; ++i) {
    if (!hull.empty() && x(i) <= x(hull.back())) continue;
    while (hull.size() >= 2) {
      const std::size_t a = hull[hull.size() - 2];
      const std::size_t b = hull.back();
      // b goes when it lies on or below the chord from a to i.
      const double cross = (x(b) - x(a)) * (y(i) - y(a)) - (y(b) - y(a)) * (x(i) - x(a));
      if (cross < 0) break;
      hull.pop_back();
    }
    hull.push_back(i);
  }
  return hull;
}

}  // namespace dia::detail
