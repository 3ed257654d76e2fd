// Dantzig-Wolfe column generation for the n-bidder (LP) (docs/model.md#column-generation): the
// master mixes one-bidder allocations under Border's and the monotonicity rows; the columns are
// priced by the one-bidder sweep's greedy plan for the demands the master's multipliers leave.
#pragma once

#include <optional>
#include <vector>

#include "dia/discrete_types.hpp"

namespace dia::detail {

struct ColumnGeneration {
  std::vector<double> allocation;  // sum_i lambda_i X^i: monotone and Border-feasible (to 1e-12)
  double lower = 0;  // per bidder: the master's value, at most the allocation's revenue
  double upper = 0;  // per bidder: the smallest Lagrangian bound met
  int rounds = 0;
};

// Runs until upper - lower <= relative_gap max(1, upper), a priced column gains nothing, or
// max_rounds. `h` are Border's bounds H_k; `seeds` the first columns (any X in [0, 1]^m).
// Nothing when CLP fails on the master.
std::optional<ColumnGeneration> column_generation(const DiscreteTypes& t,
                                                  const std::vector<double>& h,
                                                  const std::vector<std::vector<double>>& seeds,
                                                  double relative_gap, int max_rounds);

}  // namespace dia::detail
