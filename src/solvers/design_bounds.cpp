#include "design_bounds.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "continuum_bounds.hpp"
#include "dia/one_bidder.hpp"

namespace dia::detail {
namespace {

// Relative rounding of the bounds: sums of up to 10^6 partial means, each good to a few ulps.
constexpr double kBoundRounding = 1e-11;
// A midpoint of the bounds is `optimal` when their half width is within this (relative).
constexpr double kMidpointTolerance = 1e-6;
// The one-bidder grid behind n x the one-bidder bound: tail-refined, so that heavy tails leave
// nothing uncovered in the last cell.
constexpr std::size_t kOneBidderCells = std::size_t{1} << 15;
constexpr std::size_t kOneBidderPerEFold = 16;

double slack(const InspectionDesign& design) {
  return kBoundRounding * std::max({std::fabs(design.revenue), std::fabs(design.bounds->lower),
                                    std::fabs(design.bounds->upper)});
}

}  // namespace

RevenueBounds grid_bounds(const Distribution& d, const DiscreteTypes& grid,
                          const ReducedForm& mechanism, const CoveragePlan& plan,
                          std::span<const double> border, std::span<const double> monotone, int n) {
  const ContinuumBounds own =
      continuum_bounds(d, grid, mechanism.allocation, plan, border, monotone, n);
  RevenueBounds out{own.lower, own.upper};
  if (n > 1) {
    const RevenueBounds hard = hard_bounds(d, n);
    out.upper = std::min(out.upper, hard.upper);
    out.lower = std::max(out.lower, hard.lower);
  }
  return out;
}

RevenueBounds hard_bounds(const Distribution& d, int n) {
  // Dropping Border's rows splits the problem into one per bidder (docs/model.md#symmetric).
  const DiscreteTypes single = tail_refined_grid(d, kOneBidderCells, kOneBidderPerEFold);
  const OneBidderSweep sweep = solve_one_bidder_sweep(single);
  const ContinuumBounds one =
      continuum_bounds(d, single, sweep.mechanism.allocation, sweep.plan, {}, {}, 1);
  RevenueBounds out{efficient_step_revenue(d, single, n), n * one.upper};
  // The highest-bidder rule itself, exactly (the step version above loses O(1/m)).
  if (const auto exact = highest_bidder_revenue(d, n)) out.lower = std::max(out.lower, *exact);
  return out;
}

double bracket_error(const InspectionDesign& design) {
  if (!design.bounds || !(design.revenue > 0)) return 0.0;
  return std::max(
             {0.0, design.revenue - design.bounds->lower, design.bounds->upper - design.revenue}) /
         design.revenue;
}

void settle_within_bounds(InspectionDesign& design) {
  if (!design.bounds) return;
  const RevenueBounds& b = *design.bounds;
  if (!std::isfinite(b.lower) || !std::isfinite(b.upper)) {
    // Partial means that overflow (values near the largest double): nothing to check against.
    design.bounds.reset();
    design.notes.push_back("the hard bounds overflow at this scale of values and are not checked");
    return;
  }
  const double rounding = slack(design);
  if (!(b.lower <= b.upper + rounding)) {
    design.status = SolveStatus::kFailed;
    design.notes.push_back(fmt::format(
        "the hard bounds contradict each other (feasible mechanism {:.12g} above the dual bound "
        "{:.12g}): a defect, so no revenue is claimed",
        b.lower, b.upper));
    return;
  }
  if (design.revenue >= b.lower - rounding && design.revenue <= b.upper + rounding) return;
  // Outside: the value is known wrong. Either the bound it crossed (a known revenue, or a known
  // ceiling), its error at least the distance crossed and the error claimed before, or the
  // midpoint of the bounds with half their width: whichever claims less.
  const double printed = design.revenue, claimed = design.estimated_error;
  const double nearest = std::clamp(printed, b.lower, b.upper);
  const double clamped_error = std::max(claimed, std::fabs(printed - nearest) / nearest);
  const double middle = 0.5 * (b.lower + b.upper);
  const double middle_error = std::max(0.0, b.upper - b.lower) / 2 / middle;
  const bool clamp = clamped_error <= middle_error;
  design.revenue = clamp ? nearest : middle;
  design.estimated_error = clamp ? clamped_error : middle_error;
  // A value within its own stated error of the bound it crossed keeps its status: the bound is a
  // certified revenue, and the error claimed still covers the move.
  const bool covered = clamp && std::fabs(printed - nearest) <= claimed * nearest;
  if (!covered) {
    design.status = !clamp && middle_error <= kMidpointTolerance ? SolveStatus::kOptimal
                                                                 : SolveStatus::kGridLimited;
  }
  design.notes.push_back(fmt::format(
      "the grids gave {:.12g}, outside the hard bounds [{:.12g}, {:.12g}] (a feasible mechanism "
      "below, a dual bound above: docs/status.md); printed is {}",
      printed, b.lower, b.upper,
      clamp ? "the bound it crossed, its error at least the distance crossed and the error "
              "claimed before"
            : "their midpoint, with half their width as the error"));
}

}  // namespace dia::detail

namespace dia {

void add_lower_bound(InspectionDesign& design, double lower) {
  if (!design.bounds || design.status == SolveStatus::kFailed) return;
  design.bounds->lower = std::max(design.bounds->lower, lower);
  detail::settle_within_bounds(design);
}

}  // namespace dia
