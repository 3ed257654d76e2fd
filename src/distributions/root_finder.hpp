// A bracketing solver that inverts monotone functions to full double precision (internal).
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

namespace dia::detail {

// The smallest double x in [lo, hi] with g(x) >= 0, for a nondecreasing g and 0 <= lo <= hi
// (hi may be +infinity). Illinois steps, with a bisection of the bracket in the ordering of the
// doubles (so at most 64 of them) whenever an interpolation fails to halve the bracket; plateaus
// of g at 0 are handled (the smallest crossing is returned). Returns hi if g(hi) < 0 (rounding).
template <class G>
double first_crossing(const G& g, double lo, double hi) {
  lo = lo + 0.0;  // -0 becomes +0, so the bit patterns of the bracket are ordered
  hi = hi + 0.0;
  if (!(lo >= 0.0 && lo <= hi)) return hi;
  const double g_lo = g(lo);
  if (g_lo >= 0) return lo;
  const double g_hi = g(hi);
  if (!(g_hi >= 0)) return hi;
  double f_lo = g_lo;  // endpoint values used for interpolation (scaled by the Illinois rule)
  double f_hi = g_hi;
  int last_side = 0;
  bool force_bisection = false;
  for (int iteration = 0; iteration < 400; ++iteration) {
    const auto bits_lo = std::bit_cast<std::uint64_t>(lo);
    const auto bits_hi = std::bit_cast<std::uint64_t>(hi);
    const std::uint64_t width = bits_hi - bits_lo;
    if (width <= 1) break;
    double x = 0.0;
    bool interpolated = false;
    if (!force_bisection && std::isfinite(hi) && std::isfinite(f_lo) && std::isfinite(f_hi) &&
        f_hi > f_lo) {
      x = lo + (hi - lo) * (-f_lo / (f_hi - f_lo));
      interpolated = x > lo && x < hi;
    }
    if (!interpolated) x = std::bit_cast<double>(bits_lo + width / 2);
    const double g_x = g(x);
    if (g_x >= 0) {
      hi = x;
      f_hi = g_x;
      if (last_side == 1) f_lo *= 0.5;
      last_side = 1;
    } else {
      lo = x;
      f_lo = g_x;
      if (last_side == -1) f_hi *= 0.5;
      last_side = -1;
    }
    const std::uint64_t new_width =
        std::bit_cast<std::uint64_t>(hi) - std::bit_cast<std::uint64_t>(lo);
    force_bisection = interpolated && new_width > width / 2;
  }
  return hi;
}

}  // namespace dia::detail
