// The exact optimal inspection mechanism for one bidder (docs/model.md#one-bidder).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "dia/discrete_types.hpp"
#include "dia/mechanism.hpp"

namespace dia {

inline constexpr std::size_t kNoAlternative = static_cast<std::size_t>(-1);

// The optimum on a finite type space, with its dual certificate.
struct OneBidderSweep {
  ReducedForm mechanism;
  CoveragePlan plan;        // the dual transport plan (DUAL)
  double revenue = 0;       // primal objective sum_k p_k (v_k X_k - R_k)
  double dual_revenue = 0;  // dual objective of `plan`
  std::size_t cutoff = 0;   // index of the smallest type with X = 1
};

// The O(m) sweep of docs/model.md#sweep. Requires at least one type.
OneBidderSweep solve_one_bidder_sweep(const DiscreteTypes& types);

// The same greedy transport plan for arbitrary demands d_j (docs/model.md#sweep: with Border
// multipliers the demand is p_j (v_j - B_j)): it minimises sum_j (d_j - coverage_j)^+.
CoveragePlan greedy_coverage_plan(const DiscreteTypes& types, std::span<const double> demand);

// The allocation the greedy plan for demands d_j prices (complementary slackness, as in the
// sweep), with 0 where d_j <= 0, and the plan's value sum_j (d_j - coverage_j)^+, an upper bound
// on sum_j d_j X_j - sum_k p_k R_k(X) for every X in [0, 1]^m (docs/model.md#column-generation).
struct GreedyAllocation {
  std::vector<double> allocation;
  double dual_value = 0;
};
GreedyAllocation greedy_plan_allocation(const DiscreteTypes& types, std::span<const double> demand);

}  // namespace dia
