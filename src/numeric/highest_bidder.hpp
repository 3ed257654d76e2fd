// The interim chance that a bidder at an atom is the (tied) highest of n i.i.d. bidders, ties
// broken uniformly: G = (F^n - F_-^n) / (n (F - F_-)) with F_- = P(V < v), F = P(V <= v)
// (docs/model.md#highest-bidder). Written as the mean of F^k F_-^(n-1-k), k = 0..n-1, which has no
// cancellation when the atom's mass F - F_- is tiny; summed by Horner's rule,
// s_j = F s_(j-1) + F_-^j, s_0 = 1, so G = s_(n-1) / n.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

namespace dia::detail {

inline long double highest_probability(long double below, long double at_or_below, int n) {
  long double sum = 1, low = 1;  // low = F_-^j
  for (int j = 1; j < n; ++j) {
    low *= below;
    sum = at_or_below * sum + low;
  }
  return sum / n;
}

// G_k for every type of a type space, given its probabilities in value order.
inline std::vector<long double> highest_probabilities(std::span<const double> probabilities,
                                                      int n) {
  std::vector<long double> g(probabilities.size());
  long double below = 0;
  for (std::size_t k = 0; k < g.size(); ++k) {
    const long double at_or_below = std::min(below + probabilities[k], 1.0L);
    g[k] = highest_probability(below, at_or_below, n);
    below = at_or_below;
  }
  return g;
}

}  // namespace dia::detail
