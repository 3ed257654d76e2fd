// The interim chance that a bidder at an atom is the (tied) highest of n i.i.d. bidders, ties
// broken uniformly: G = (F^n - F_-^n) / (n (F - F_-)) with F_- = P(V < v), F = P(V <= v)
// (MODEL.md section 8). Written as the mean of F^k F_-^(n-1-k), k = 0..n-1, which has no
// cancellation when the atom's mass F - F_- is tiny; summed by Horner's rule,
// s_j = F s_(j-1) + F_-^j, s_0 = 1, so G = s_(n-1) / n.
#pragma once

namespace dia::detail {

inline long double highest_probability(long double below, long double at_or_below, int n) {
  long double sum = 1, low = 1;  // low = F_-^j
  for (int j = 1; j < n; ++j) {
    low *= below;
    sum = at_or_below * sum + low;
  }
  return sum / n;
}

}  // namespace dia::detail
