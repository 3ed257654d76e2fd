// How a continuous design's printed revenue, status and error are settled against hard bounds
// (docs/status.md): an answer is never printed outside [lower, upper] with a success status.
#pragma once

#include <functional>

#include "dia/design.hpp"
#include "dia/symmetric.hpp"

namespace dia::detail {

// The bounds from the design's finest grid solution (the mechanism and certificate it audited)
// and, for several bidders, n x the one-bidder bound; stored in design.bounds.
RevenueBounds grid_bounds(const Distribution& d, const DiscreteTypes& grid,
                          const ReducedForm& mechanism, const CoveragePlan& plan,
                          std::span<const double> border, std::span<const double> monotone,
                          int bidders);

// The bounds that need no grid solution, for n >= 2 bidders: below, the highest-bidder rule
// (exactly on the continuum, else on the cells of a tail-refined grid); above, n x the one-bidder
// bound.
RevenueBounds hard_bounds(const Distribution& d, int bidders);

// design_symmetric with the (LP) ladder's grids solved by `solve_lp` (design_symmetric passes
// solve_symmetric). The seam through which a test makes one rung of the ladder fail after a coarser
// one solved, to reach the coarser-grid fallback of docs/status.md#lp-failed: no known input makes
// CLP fail there on demand.
using SymmetricLpSolver =
    std::function<Expected<SymmetricSolution>(const DiscreteTypes&, int, const AllocationHint*)>;
InspectionDesign design_symmetric_with(const Distribution& d, int bidders,
                                       const DesignOptions& options,
                                       const SymmetricLpSolver& solve_lp);

// The n-bidder design of a continuous `d` when the (LP) ladder failed on `cells` cells before any
// of its grids solved (symmetric_design.cpp, docs/status.md#lp-failed); separate so that tests can
// reach it, as CLP cannot be made to fail on demand.
InspectionDesign design_after_lp_failure(const Distribution& d, int bidders,
                                         const DesignOptions& options, std::size_t cells,
                                         const std::string& why);

// The n-bidder design of discrete `atoms` when neither the (LP) nor the structured construction
// gives a feasible mechanism: the highest-bidder rule, its error the bracket up to n x the
// one-bidder optimum (symmetric_design.cpp); separate for the same reason.
InspectionDesign discrete_bracket_design(const DiscreteTypes& atoms, int bidders);

// Checks design.revenue against design.bounds: outside them (beyond rounding) the revenue becomes
// their midpoint and the error their half width, with a note (`optimal` only when that is within
// 1e-6); bounds that contradict each other make the design `failed`.
void settle_within_bounds(InspectionDesign& design);

// The relative error that the bounds alone prove for the printed revenue.
double bracket_error(const InspectionDesign& design);

}  // namespace dia::detail
