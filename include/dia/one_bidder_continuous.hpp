// The optimal one-bidder inspection mechanism for a continuous distribution (docs/model.md#ode).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "dia/distribution.hpp"
#include "dia/error.hpp"

namespace dia {

// The (ODE) route: the cutoff c where the deviating type theta reaches the top of the support,
// and the revenue identity revenue = E[v ; v >= c].
struct OdeSolution {
  double cutoff = 0;      // +infinity when it exceeds the largest double (heavy tails)
  double log_cutoff = 0;  // ln c, finite even then
  double revenue = 0;
  std::size_t steps = 0;  // accepted integrator steps
  // The revenue change contributed past the last integrator step: by an exact power-law tail
  // (pareto), or half the bound on what the remaining sources can still cover.
  double tail_correction = 0;
  // Relative: the change when the integrator's tolerance is loosened 100-fold, plus the part of
  // the tail the integration could not reach.
  double estimated_error = 0;
};

// Scale-invariant and density-free (docs/model.md#ode-quantile). Fails
// (kInvalidArgument) where the integrator cannot follow the path; the grid route then stands alone.
Expected<OdeSolution> solve_one_bidder_ode(const Distribution& distribution);

}  // namespace dia
