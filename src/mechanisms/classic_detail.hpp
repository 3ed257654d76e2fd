// The two routes behind classic_revenues (internal; docs/model.md#classic).
#pragma once

#include <cstddef>

#include "dia/classic.hpp"
#include "dia/discrete_types.hpp"
#include "dia/distribution.hpp"

namespace dia::detail {

// Exact sums over the atoms, O(m) after the atoms are sorted (they are, by DiscreteTypes).
ClassicRevenues discrete_classic_revenues(const DiscreteTypes& types, int bidders);

// The value grid of the continuous route: equal-mass knots (quantiles j / equal_mass_knots plus
// geometric tails), each knot interval cut into `subdivisions` equal steps, and cells holding more
// than 2 / (equal_mass_knots * subdivisions) of the mass bisected further, and so are cells
// above the best posted price where the revenue curve is visibly not concave (value_grid.hpp).
struct ClassicGridOptions {
  int equal_mass_knots = 256;
  int subdivisions = 8;
};

// What the continuous route did, for tests and benchmarks.
struct ClassicDiagnostics {
  std::size_t knots = 0;
  std::size_t grid_points = 0;
  std::size_t ironed_intervals = 0;      // ironed intervals above the Myerson reserve
  std::size_t survival_evaluations = 0;  // calls of Distribution::survival
};

ClassicRevenues continuous_classic_revenues(const Distribution& distribution, int bidders,
                                            const ClassicGridOptions& options = {},
                                            ClassicDiagnostics* diagnostics = nullptr);

}  // namespace dia::detail
