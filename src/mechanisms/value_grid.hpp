// The value grid of the continuous classic route (internal; docs/model.md#classic): it locates the
// structure of the revenue curve R(q) = q Q(q) (its maximum, local maxima and ironed intervals)
// that the route then refines in the continuum.
#pragma once

#include <functional>
#include <vector>

#include "dia/distribution.hpp"
#include "mechanisms/classic_detail.hpp"

namespace dia::detail {

struct ValueGrid {
  std::vector<double> knots;     // a, the equal-mass knots, b if finite; increasing
  std::vector<double> values;    // the grid, increasing; contains the knots
  std::vector<double> survival;  // S at the grid
  std::vector<bool> is_knot;
};

// Knots at the quantiles j/K (K = options.equal_mass_knots) plus geometric tails (2 per halving
// of the mass: down to 1e-10 below, and above until a tail of mass s beyond x has n s x below
// 1e-17 of the mean, or s < 1e-300); each knot interval cut into options.subdivisions equal
// steps; cells holding more than 2/(K M) of the mass bisected (narrow components); then cells
// above the best posted price where R is visibly not concave bisected (see value_grid.cpp).
// `survival` is the distribution's survival function (the caller counts the calls).
ValueGrid build_value_grid(const Distribution& distribution, int bidders,
                           const ClassicGridOptions& options,
                           const std::function<double(double)>& survival);

// The largest posted-price revenue v S(v) on the grid.
double grid_revenue_scale(const ValueGrid& grid);

}  // namespace dia::detail
