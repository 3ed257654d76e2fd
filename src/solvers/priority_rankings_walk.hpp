// The Caratheodory walk that decomposes an asymmetric reduced form into priority rankings
// (internal; docs/asymmetric.md section 7, PriorityRankings in dia/priority_rankings.hpp).
#pragma once

#include <cstddef>
#include <vector>

#include "dia/discrete_types.hpp"
#include "dia/error.hpp"

namespace dia::detail {

// Pair e = offsets[i] + t is bidder i's type t.
std::vector<std::size_t> pair_offsets(const std::vector<DiscreteTypes>& bidders);

// Rankings as lists of pairs, the first place first (unlisted pairs are below the cut), with
// their weights (summing to 1).
struct RankingMixture {
  std::vector<double> weights;
  std::vector<std::vector<std::size_t>> orders;
};

// The walk for a Border-feasible X (checked by the caller): at most one ranking more than the
// pairs with X > 0. Fails (kInvalidArgument) only if rounding defeats it (it then says so).
Expected<RankingMixture> decompose_into_rankings(
    const std::vector<DiscreteTypes>& bidders, const std::vector<std::vector<double>>& allocations);

}  // namespace dia::detail
