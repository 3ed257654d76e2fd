// Hard bounds on the continuum optimum from one solved quantile grid (docs/status.md): below, the
// revenue of a mechanism that is feasible for the continuous distribution, evaluated exactly;
// above, the value of a dual certificate that is feasible for the continuous problem.
#pragma once

#include <optional>
#include <span>

#include "dia/distribution.hpp"
#include "dia/mechanism.hpp"

namespace dia::detail {

struct ContinuumBounds {
  double lower = 0;  // total revenue (all n bidders) of a feasible continuum mechanism
  double upper = 0;  // a dual bound on every feasible continuum mechanism's total revenue
};

// `grid` is a quantile grid of the continuous `d` (quantile_grid or tail_refined_grid: cells
// between quantiles, one type per cell). Below: X_k on the whole of cell k (lowered to meet
// Border's condition on the exact cell masses and made nondecreasing), with the minimal rents
// R(v) = max over cells j at or below v of (v - lower end of j) X_j, integrated exactly by
// partial means. Above: the grid's certificate (coverage plan, Border multipliers beta at the
// cells' lower ends, monotonicity multipliers gamma between cell averages), each flow spread over
// its source and target cells in proportion to the density, so a unit covers (E[v | source] - w)
// at every w of its target; the bound is n [sum_j int_cell_j ((w - B_j) f - kappa)^+ dw +
// sum_k beta_k H(x_k)]. Both are exact up to the rounding of the partial means.
ContinuumBounds continuum_bounds(const Distribution& d, const DiscreteTypes& grid,
                                 std::span<const double> allocation, const CoveragePlan& plan,
                                 std::span<const double> border, std::span<const double> monotone,
                                 int bidders);

// Total revenue of the highest-bidder rule run on the cells of `grid`: X = F(lower end of the
// cell)^(n-1) <= G on each cell (so Border holds), minimal rents; exact like the lower bound above.
double efficient_step_revenue(const Distribution& d, const DiscreteTypes& grid, int bidders);

// Total revenue of the highest-bidder rule itself, X = F^(n-1), with minimal rents R(v) =
// max_{w <= v} (v - w) F(w)^(n-1), by tanh-sinh quadrature over the quantile (the maximum by a scan
// and Brent's method): feasible (Border holds with equality), so a lower bound on the optimum,
// exact to the quadrature (docs/model.md#bounds). Nothing when the quadrature does not converge to
// 1e-10 (tails too heavy for it).
std::optional<double> highest_bidder_revenue(const Distribution& d, int bidders);

}  // namespace dia::detail
