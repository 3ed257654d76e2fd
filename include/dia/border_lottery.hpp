// Building the general Border lottery for 2 i.i.d. bidders (MODEL.md section 8), by an LP through
// COIN-OR CLP or by a max flow; the rule itself (drawing winners, rewards) is BorderLottery in
// ex_post.hpp.
#pragma once

#include <cstddef>
#include <vector>

#include "dia/discrete_types.hpp"
#include "dia/error.hpp"

namespace dia {

inline constexpr std::size_t kMaxBorderLotteryTypes = 300;
inline constexpr std::size_t kMaxBorderFlowTypes = 2000;  // the m x m rule takes 32 MB

struct BorderLotteryProfiles {
  std::vector<double> allocation;     // x[i,j], row-major m x m
  double max_reduced_form_error = 0;  // max_i |sum_j p_j x[i,j] - X_i|
  double max_pair_violation = 0;      // max (x[i,j] + x[j,i] - 1, 2 x[i,i] - 1)
  double lower_bidder_wins = 0;       // 2 sum_{i<j} p_i p_j x[i,j]
  int iterations = 0;
};

// Finds x >= 0 with x[i,j] + x[j,i] <= 1, x[i,i] <= 1/2 and sum_j p_j x[i,j] = X_i that, among
// all such rules, minimizes how often the lower bidder gets the item. Exists iff X satisfies
// Border's condition. Fails (kInvalidArgument) for other numbers of bidders than 2, kTooLarge
// above kMaxBorderLotteryTypes types, and when CLP finds no such rule.
Expected<BorderLotteryProfiles> solve_border_lottery(const DiscreteTypes& types,
                                                     const std::vector<double>& allocation,
                                                     int bidders = 2);

// The same rule built by a max flow (Boost.Graph push-relabel) instead of the LP: from the
// highest-bidder rule, the lower bidder wins exactly the excess of X over G of each type, which
// slack types above it give up; so it sells to the lower bidder as rarely as any rule can.
// Fails (kInvalidArgument) when the flow cannot carry the excess, kTooLarge above
// kMaxBorderFlowTypes types.
Expected<BorderLotteryProfiles> build_border_lottery_by_flow(const DiscreteTypes& types,
                                                             const std::vector<double>& allocation);

}  // namespace dia
