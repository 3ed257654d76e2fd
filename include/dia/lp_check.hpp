// The independent reference: the design problem (LP) of MODEL.md section 4 through COIN-OR CLP.
#pragma once

#include "dia/discrete_types.hpp"
#include "dia/error.hpp"
#include "dia/mechanism.hpp"

namespace dia {

struct LpSolution {
  double revenue = 0;  // the LP objective, sum_k p_k (v_k X_k - U_k) for one bidder
  ReducedForm mechanism;
  int iterations = 0;
};

// Solves the one-bidder (LP) with all m(m-1)/2 IC rows, with tightened tolerances (primal and
// dual feasibility 1e-12). Fails with kTooLarge above `max_types` types.
Expected<LpSolution> solve_one_bidder_lp(const DiscreteTypes& types, std::size_t max_types = 2000);

}  // namespace dia
