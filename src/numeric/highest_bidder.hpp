// The interim chance that a bidder at an atom is the (tied) highest of n i.i.d. bidders, ties
// broken uniformly: G = (F^n - F_-^n) / (n (F - F_-)) with F_- = P(V < v), F = P(V <= v)
// (MODEL.md section 8). Written as the mean of F^k F_-^(n-1-k), k = 0..n-1, which has no
// cancellation when the atom's mass F - F_- is tiny.
#pragma once

namespace dia::detail {

inline long double highest_probability(long double below, long double at_or_below, int n) {
  long double sum = 0, high = 1;  // high = F^k
  for (int k = 0; k < n; ++k) {
    long double low = 1;  // F_-^(n-1-k)
    for (int j = 0; j < n - 1 - k; ++j) low *= below;
    sum += high * low;
    high *= at_or_below;
  }
  return sum / n;
}

}  // namespace dia::detail
