// The optimal one-bidder inspection mechanism for a continuous distribution (MODEL.md section 5).
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
  double cutoff = 0;
  double revenue = 0;
  std::size_t steps = 0;       // accepted integrator steps
  double tail_correction = 0;  // the analytic remainder added past the last step (heavy tails)
};

// Fails (kInvalidArgument) where the density vanishes on the path in a way the integrator cannot
// cross; the quantile-grid route then stands alone.
Expected<OdeSolution> solve_one_bidder_ode(const Distribution& distribution);

}  // namespace dia
