// CLP's dual simplex can cycle on a badly scaled basis and never return (RapidCheck found one):
// every solve is bounded far above what a healthy one takes. A stopped solve reports status 3,
// which the callers treat as a failed solve (and may retry otherwise).
#pragma once

#include <ClpSimplex.hpp>

namespace dia::detail {

inline void bound_iterations(ClpSimplex& model) {
  constexpr int kPerDimension = 50, kAtLeast = 10000;
  model.setMaximumIterations(kPerDimension * (model.numberRows() + model.numberColumns()) +
                             kAtLeast);
}

}  // namespace dia::detail
