// The independent reference: the design problem (LP) of docs/model.md#lp-full through COIN-OR CLP.
#pragma once

#include <vector>

#include "dia/discrete_types.hpp"
#include "dia/error.hpp"
#include "dia/mechanism.hpp"

namespace dia {

struct LpSolution {
  double revenue = 0;  // the LP objective, n sum_k p_k (v_k X_k - U_k)
  ReducedForm mechanism;
  int iterations = 0;
  std::vector<double> border_multipliers;  // beta_k of docs/model.md#border-dual (n >= 2)
};

// Solves the one-bidder (LP) with all m(m-1)/2 IC rows, with tightened tolerances (primal and
// dual feasibility 1e-12). Fails with kTooLarge above `max_types` types.
Expected<LpSolution> solve_one_bidder_lp(const DiscreteTypes& types, std::size_t max_types = 2000);

// The same LP for n >= 1 symmetric bidders with the monotonicity rows X_k <= X_{k+1} and Border's
// threshold rows (F) (docs/model.md#lp-full); the revenue is n sum_k p_k (v_k X_k - U_k). For n = 1
// it is solve_one_bidder_lp.
Expected<LpSolution> solve_symmetric_lp(const DiscreteTypes& types, int bidders,
                                        std::size_t max_types = 400);

}  // namespace dia
