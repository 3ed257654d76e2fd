// How a continuous design's printed revenue, status and error are settled against hard bounds
// (docs/status.md): an answer is never printed outside [lower, upper] with a success status.
#pragma once

#include "dia/design.hpp"

namespace dia::detail {

// The bounds from the design's finest grid solution (the mechanism and certificate it audited)
// and, for several bidders, n x the one-bidder bound; stored in design.bounds.
RevenueBounds grid_bounds(const Distribution& d, const DiscreteTypes& grid,
                          const ReducedForm& mechanism, const CoveragePlan& plan,
                          std::span<const double> border, std::span<const double> monotone,
                          int bidders);

// Checks design.revenue against design.bounds: outside them (beyond rounding) the revenue becomes
// their midpoint and the error their half width, with a note (`optimal` only when that is within
// 1e-6); bounds that contradict each other make the design `failed`.
void settle_within_bounds(InspectionDesign& design);

// The relative error that the bounds alone prove for the printed revenue.
double bracket_error(const InspectionDesign& design);

}  // namespace dia::detail
