// Small random asymmetric instances and the brute-force Border check every family enumerated,
// the independent references of the asymmetric tests.
#pragma once

#include <algorithm>
#include <cstddef>
#include <random>
#include <vector>

#include "dia/discrete_types.hpp"

namespace dia::testing {

// Bidder type spaces with values in {0.5, 1, ..., 5} (distinct, sorted) and random masses, at most
// `max_total` types in all.
inline std::vector<DiscreteTypes> random_bidders(std::mt19937_64& rng, std::size_t max_bidders,
                                                 std::size_t max_types, std::size_t max_total) {
  std::uniform_int_distribution<std::size_t> count(2, max_bidders);
  const std::size_t n = count(rng);
  std::vector<DiscreteTypes> out;
  std::size_t total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t room = std::min(max_types, max_total - total - (n - 1 - i));
    const std::size_t m = std::uniform_int_distribution<std::size_t>(1, room)(rng);
    total += m;
    std::vector<double> grid;
    for (int g = 1; g <= 10; ++g) grid.push_back(0.5 * g);
    std::shuffle(grid.begin(), grid.end(), rng);
    DiscreteTypes t;
    t.values.assign(grid.begin(), grid.begin() + static_cast<std::ptrdiff_t>(m));
    std::sort(t.values.begin(), t.values.end());
    double sum = 0;
    for (std::size_t k = 0; k < m; ++k) {
      t.probabilities.push_back(std::uniform_real_distribution<double>(0.05, 1.0)(rng));
      sum += t.probabilities.back();
    }
    for (double& p : t.probabilities) p /= sum;
    out.push_back(std::move(t));
  }
  return out;
}

// max over every family of arbitrary sets of sum_i E[X_i; S_i] + prod_i (1 - P_i(S_i)) - 1.
inline double brute_force_border_gap(const std::vector<DiscreteTypes>& bidders,
                                     const std::vector<std::vector<double>>& x) {
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t i = 0; i < bidders.size(); ++i) {
    for (std::size_t k = 0; k < bidders[i].size(); ++k) pairs.push_back({i, k});
  }
  long double best = 0;  // the empty family
  for (std::size_t mask = 1; mask < (std::size_t{1} << pairs.size()); ++mask) {
    long double left = 0;
    std::vector<long double> outside(bidders.size(), 1.0L);
    for (std::size_t b = 0; b < pairs.size(); ++b) {
      if (!(mask >> b & 1)) continue;
      const auto [i, k] = pairs[b];
      left += (long double)bidders[i].probabilities[k] * x[i][k];
      outside[i] -= bidders[i].probabilities[k];
    }
    long double product = 1;
    for (long double o : outside) product *= std::max(0.0L, o);
    best = std::max(best, left + product - 1);
  }
  return static_cast<double>(best);
}

}  // namespace dia::testing
