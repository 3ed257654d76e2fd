// Assembles what `dia design` reports (the CLI and the Python module share it): the design, the
// classic baselines, and on request the CLP cross-check and the DSIC optimum. Every size limit is
// checked before any long computation.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "dia/lp_check.hpp"
#include "dia/one_bidder.hpp"
#include "dia/report.hpp"
#include "dia/symmetric.hpp"

namespace dia {
namespace {

constexpr std::size_t kLpCheckCells = 200;  // the LP has m^2/2 rows: keep it small
constexpr std::size_t kLpMaxTypes = 2000;
constexpr std::size_t kLpMaxSymmetricTypes = 400;
constexpr double kRoundingShare = 1e-12;  // relative rounding allowed below Myerson

// The types --check lp solves twice; refused when the full LP would not fit.
Expected<DiscreteTypes> lp_check_types(const Distribution& d, const DesignRequest& request) {
  const std::size_t limit = request.bidders == 1 ? kLpMaxTypes : kLpMaxSymmetricTypes;
  const std::size_t types =
      d.is_discrete() ? d.atoms().size() : request.options.grid.value_or(kLpCheckCells);
  if (types > limit) {
    return fail(ErrorCode::kTooLarge,
                fmt::format("--check lp with {} bidder{} handles at most {} types, this problem "
                            "has {}",
                            request.bidders, request.bidders == 1 ? "" : "s", limit, types),
                "the full LP has m^2/2 rows; check a smaller discrete distribution or --grid");
  }
  return d.is_discrete() ? d.atoms() : quantile_grid(d, types);
}

// The same discrete problem by the designer's own route and by the full CLP LP.
Expected<LpComparison> check_with_lp(const DiscreteTypes& types, int bidders) {
  if (bidders == 1) {
    auto lp = solve_one_bidder_lp(types, kLpMaxTypes);
    if (!lp) return tl::unexpected(lp.error());
    return LpComparison{types.size(), solve_one_bidder_sweep(types).revenue, lp->revenue,
                        lp->iterations, "sweep"};
  }
  auto lp = solve_symmetric_lp(types, bidders, kLpMaxSymmetricTypes);
  if (!lp) return tl::unexpected(lp.error());
  auto exact = solve_symmetric_exact(types, bidders);
  if (!exact) return tl::unexpected(exact.error());
  return LpComparison{types.size(), exact->solution.revenue, lp->revenue, lp->iterations,
                      exact->structured_gap ? "structured" : "row generation"};
}

// Myerson's mechanism stays feasible and IC with inspection (docs/model.md#design-problem), so
// inspection never earns less: a shortfall beyond the stated error and rounding is a defect,
// reported as a failure, never clamped. Also says why the gain in percent is missing when Myerson
// earns 0.
void check_against_myerson(double myerson, InspectionDesign& design, DesignReport& report) {
  if (!(myerson > 0)) {
    report.notes.push_back(
        "gain_over_myerson_percent is null: Myerson's revenue is 0, so a gain in percent is "
        "undefined");
  }
  add_lower_bound(design, myerson);
  const double scale = std::max(std::fabs(myerson), std::fabs(design.revenue));
  const double allowed = design.estimated_error * scale + kRoundingShare * scale;
  if (myerson - design.revenue > allowed) {
    design.status = SolveStatus::kFailed;
    design.notes.push_back(fmt::format(
        "inspection's revenue {:.12g} is below Myerson's {:.12g} by more than the stated error "
        "{:.1e}: impossible in theory (docs/model.md#design-problem), so this answer is wrong",
        design.revenue, myerson, design.estimated_error));
  }
}

}  // namespace

Expected<DesignReport> build_design_report(const DesignRequest& request) {
  auto d = parse_distribution(request.values);
  if (!d) return tl::unexpected(d.error());
  if (auto valid = validate_design_request(**d, request.bidders, request.options); !valid) {
    return tl::unexpected(valid.error());
  }
  if (request.dominant) {
    if (auto grid = dominant_grid(**d, request.bidders, request.options.grid); !grid) {
      return tl::unexpected(grid.error());
    }
  }
  std::optional<DiscreteTypes> lp_types;
  if (request.check_lp) {
    auto types = lp_check_types(**d, request);
    if (!types) return tl::unexpected(types.error());
    lp_types = std::move(*types);
  }
  DesignReport report;
  report.values = (*d)->spec();
  report.bidders = request.bidders;
  report.inspection = design_inspection(**d, request.bidders, request.options);
  report.classic = classic_revenues(**d, request.bidders);
  if (request.bidders > 1) report.notes.push_back("posted_price is defined for one bidder only");
  if (report.inspection) check_against_myerson(report.classic.myerson, *report.inspection, report);
  if (request.dominant) {
    auto dsic = compare_dominant(**d, request.bidders, request.options.grid);
    if (!dsic) return tl::unexpected(dsic.error());
    report.dominant = std::move(*dsic);
  }
  if (lp_types) {
    auto lp = check_with_lp(*lp_types, request.bidders);
    if (!lp) return tl::unexpected(lp.error());
    report.lp_check = *lp;
  }
  return report;
}

}  // namespace dia
