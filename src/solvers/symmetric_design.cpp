// The n-bidder designer. Each solve first tries the structured construction of
// docs/model.md#structured (milliseconds at 10^4 types) and keeps it when the audit certifies it;
// otherwise the exact (LP) with Border rows. A continuous distribution is solved on a ladder of
// quantile grids with Richardson extrapolation (the grid error is O(1/m)), each grid solve
// certified by the audit.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>

#include "design_bounds.hpp"
#include "design_rows.hpp"
#include "dia/audit.hpp"
#include "dia/border_lottery.hpp"
#include "dia/cancel.hpp"
#include "dia/design.hpp"
#include "dia/one_bidder.hpp"
#include "dia/symmetric.hpp"
#include "ironed_stretch.hpp"
#include "numeric/highest_bidder.hpp"

namespace dia {
namespace {

// Grids for the structured construction, and the (LP)'s smaller ones when it does not certify.
// The structured grids are tail-refined (docs/model.md#structured-grids): equal-mass cells down to
// survival per_e_fold / cells, then per_e_fold cells per e-fold of the survival. Each level halves
// every cell (in mass in the bulk, in log-survival in the tail), so the grid error keeps the form
// a/m + b/m^2 behind the extrapolation; an equal-mass grid's top cell sits at its conditional mean,
// far out in a heavy tail, which left the ladder converging like m^-0.09 (pareto(1,1.1)) and the
// top cells' certificate 1.5e-5 short on lognormal(0,1) with 3 bidders.
struct StructuredGrid {
  std::size_t cells, per_e_fold;
};
constexpr std::array<StructuredGrid, 3> kStructuredLadder = {{{5000, 8}, {10000, 16}, {20000, 32}}};
constexpr std::array<std::size_t, 4> kLpLadder = {125, 250, 500, 1000};
constexpr double kSymmetricTolerance = 1e-5;  // relative revenue accuracy promised by default
constexpr std::size_t kDefaultQuantileRows = 101;
constexpr double kLpSpreadFactor = 3;      // see design_symmetric
constexpr double kRoundingChange = 1e-12;  // a ladder change this small (relative) is rounding
struct GridSolution {
  DiscreteTypes types;
  SymmetricSolution solution;
  std::optional<double> structured_gap;  // set when the structured construction was certified
  double gap_tolerance = kSymmetricAuditTolerances.dual_gap;  // the audit's, for this solution
};

Expected<GridSolution> solve_grid(const detail::SymmetricLpSolver& solve_lp,
                                  const DiscreteTypes& types, int n, const AllocationHint* hint) {
  auto solution = solve_lp(types, n, hint);
  if (!solution) return tl::unexpected(solution.error());
  return GridSolution{types, std::move(*solution), std::nullopt};
}

// The structured construction with the gap its certificate proves, when the audit passes at
// `max_gap`; nothing otherwise. `ironed`: the continuum's ironed stretch, if any.
std::optional<GridSolution> solve_structured(const DiscreteTypes& types, int n, double max_gap,
                                             const IronedStretch* ironed = nullptr) {
  auto solution = solve_symmetric_structured(types, n, ironed);
  if (!solution) return std::nullopt;
  AuditTolerances tolerances = kSymmetricAuditTolerances;
  tolerances.dual_gap = max_gap;
  const AuditReport audit =
      audit_symmetric(types, n, solution->mechanism, &solution->certificate, tolerances);
  if (!audit.passed) return std::nullopt;
  // The gap relative to the revenue, as the extrapolation's error is.
  const double gap = audit.dual_gap * std::max(1.0, std::fabs(audit.dual)) / audit.primal;
  return GridSolution{types, std::move(*solution), gap, max_gap};
}

// Richardson extrapolation for an error a/m + b/m^2 on grids m, 2m, 4m.
double three_level(double r1, double r2, double r4) { return (8 * r4 - 6 * r2 + r1) / 3; }

// The three-level extrapolation of the last three grids of a ladder m, 2m, 4m, ... and, as its
// estimated error, the relative spread of the two-level (2 r_2m - r_m) and three-level
// extrapolations of every sub-ladder. The spread contains the classical estimate (the distance
// from the last three-level value to the last two-level one), which alone understated
// uniform(0,1) with 2 bidders 2.2 times (3.9e-10 against 8.7e-10 from the closed form).
std::pair<double, double> extrapolate(const std::vector<double>& r) {
  std::vector<double> values;
  for (std::size_t k = 0; k + 1 < r.size(); ++k) values.push_back(2 * r[k + 1] - r[k]);
  for (std::size_t k = 0; k + 2 < r.size(); ++k) {
    values.push_back(three_level(r[k], r[k + 1], r[k + 2]));
  }
  const double value = values.back();
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  return {value, (*hi - *lo) / std::fabs(value)};
}

// The changes r_k - r_{k+1} along a ladder of grids m, 2m, 4m, ...
std::vector<double> differences(const std::vector<double>& r) {
  std::vector<double> out;
  for (std::size_t k = 0; k + 1 < r.size(); ++k) out.push_back(r[k] - r[k + 1]);
  return out;
}

// Under an error a/m + b/m^2 each change is between a half (a/m) and a quarter (b/m^2) of the one
// before (ratio in [1.5, 4.5] with some room), or both are rounding.
bool shrinks_like_one_over_m(const std::vector<double>& r) {
  const std::vector<double> d = differences(r);
  for (std::size_t k = 0; k + 1 < d.size(); ++k) {
    const double rounding = kRoundingChange * std::fabs(r.back());
    if (std::fabs(d[k]) <= rounding && std::fabs(d[k + 1]) <= rounding) continue;
    const double ratio = d[k] / d[k + 1];
    if (!(ratio >= 1.5 && ratio <= 4.5)) return false;
  }
  return true;
}

void finish(GridSolution& grid, int n, std::optional<std::size_t> rows,
            std::optional<double> cell_mass, InspectionDesign& design) {
  design.types = grid.types.size();
  AuditTolerances tolerances = kSymmetricAuditTolerances;
  tolerances.dual_gap = grid.gap_tolerance;
  design.audit = audit_symmetric(grid.types, n, grid.solution.mechanism, &grid.solution.certificate,
                                 tolerances);
  design.mechanism = {std::move(grid.types), std::move(grid.solution.mechanism), n};
  detail::cap_rounding_above_highest(design.mechanism);
  design.rows = detail::make_rows(
      design.mechanism, detail::row_indices(design.mechanism.types, rows, !cell_mass), cell_mass);
  detail::summarize(design);
  if (!design.audit.passed) {
    design.status = SolveStatus::kFailed;
    design.notes.push_back("the audit failed: see audit for the violated constraint");
  }
}

// The highest-bidder rule X = G on the atoms with its smallest rents: feasible (monotone, Border
// with equality), certified by the one-bidder sweep's plan with no Border or monotonicity
// multipliers, whose dual is n x the one-bidder optimum (dropping Border's rows splits the problem
// per bidder). Its audit gap is the bracket [X = G, n x one bidder] the atoms still have when
// neither exact route gives a feasible mechanism (docs/status.md#lp-failed).
GridSolution highest_bidder_bracket(const DiscreteTypes& atoms, int n) {
  const std::size_t m = atoms.size();
  SymmetricSolution solution;
  std::vector<double>& x = solution.mechanism.allocation;
  for (long double g : detail::highest_probabilities(atoms.probabilities, n)) {
    x.push_back(std::clamp(static_cast<double>(g), 0.0, 1.0));
  }
  for (std::size_t k = 1; k < m; ++k) x[k] = std::max(x[k], x[k - 1]);
  enforce_border(atoms, x, n);
  solution.mechanism.rent = deviation_envelope(atoms.values, x);
  solution.certificate.plan = solve_one_bidder_sweep(atoms).plan;
  solution.certificate.border.assign(m, 0.0);
  solution.certificate.monotone.assign(m > 0 ? m - 1 : 0, 0.0);
  const AuditReport audit = audit_symmetric(atoms, n, solution.mechanism, &solution.certificate,
                                            kSymmetricAuditTolerances);
  solution.revenue = audit.primal;
  const double gap = audit.dual_gap * std::max(1.0, std::fabs(audit.dual)) / audit.primal;
  return GridSolution{atoms, std::move(solution), gap, std::numeric_limits<double>::max()};
}

// The (LP) ladder failed on `cells` cells (docs/status.md#lp-failed): the answer is what is still
// certified, `grid_limited`, never a revenue of 0. The mechanism printed is the coarser grid the
// (LP) did solve, else the structured construction on the first structured grid when it passes IC,
// LL and Border with its primal below its own dual (its gap then unclosed); its revenue is settled
// against the hard bounds (the highest-bidder rule on the continuum below, n x the one-bidder bound
// and the grid's certificate above), whose distance is the error stated. With neither, `failed`,
// with the bracket in a note.
InspectionDesign lp_ladder_failed(const Distribution& d, int n, const DesignOptions& options,
                                  InspectionDesign design, std::optional<GridSolution> last,
                                  std::size_t cells, const std::string& why) {
  design.notes.push_back(fmt::format("the (LP) failed on {} cells: {}", cells, why));
  if (last) {
    design.method = fmt::format(
        "exact (LP) with Border rows on a {}-cell quantile grid, certified by its "
        "Border-multiplier "
        "dual, the (LP) failing on {} cells: the error stated is the distance to the hard bounds",
        last->types.size(), cells);
  } else {
    const StructuredGrid first = kStructuredLadder.front();
    last = solve_structured(tail_refined_grid(d, first.cells, first.per_e_fold), n,
                            std::numeric_limits<double>::max());
    if (last) {
      const AuditReport check =
          audit_symmetric(last->types, n, last->solution.mechanism, &last->solution.certificate,
                          kSymmetricAuditTolerances);
      if (check.primal > check.dual + 1e-12 * std::fabs(check.dual)) last.reset();
    }
    if (last) {
      design.convergence = {{first.cells, last->solution.revenue, 0.0, std::nullopt}};
      design.method = fmt::format(
          "structured construction (docs/model.md#structured) on a {}-cell tail-refined grid, its "
          "Border-multiplier dual not closing (gap {:.1e}), the (LP) failing on {} cells: the "
          "error stated is the distance to the hard bounds",
          first.cells, *last->structured_gap, cells);
    }
  }
  if (!last) {
    const RevenueBounds b = detail::hard_bounds(d, n);
    design.bounds = b;
    design.status = SolveStatus::kFailed;
    design.method = "none: the (LP) and the structured construction both failed";
    design.notes.push_back(fmt::format(
        "the optimum lies in [{:.12g}, {:.12g}] (the highest-bidder rule on the continuum below, "
        "n x the one-bidder bound above: docs/status.md), but no mechanism is printed",
        b.lower, b.upper));
    return design;
  }
  design.status = SolveStatus::kGridLimited;
  design.revenue = last->solution.revenue;
  const SymmetricCertificate& certificate = last->solution.certificate;
  design.bounds = detail::grid_bounds(d, last->types, last->solution.mechanism, certificate.plan,
                                      certificate.border, certificate.monotone, n);
  design.estimated_error = detail::bracket_error(design);
  detail::settle_within_bounds(design);
  const std::size_t rows = options.rows.value_or(kDefaultQuantileRows);
  const std::size_t m = last->types.size();
  finish(*last, n, rows, 1.0 / static_cast<double>(std::min(rows, m)), design);
  return design;
}

}  // namespace

InspectionDesign detail::discrete_bracket_design(const DiscreteTypes& atoms, int n) {
  InspectionDesign design;
  design.bidders = n;
  GridSolution grid = highest_bidder_bracket(atoms, n);
  design.method = "highest-bidder rule over the atoms, certified by n x the one-bidder optimum";
  design.status = SolveStatus::kGridLimited;
  design.revenue = grid.solution.revenue;
  finish(grid, n, std::nullopt, std::nullopt, design);
  design.estimated_error = detail::certificate_error(design.audit);
  return design;
}

InspectionDesign detail::design_after_lp_failure(const Distribution& d, int n,
                                                 const DesignOptions& options, std::size_t cells,
                                                 const std::string& why) {
  InspectionDesign design;
  design.bidders = n;
  return lp_ladder_failed(d, n, options, std::move(design), std::nullopt, cells, why);
}

Expected<ExactSymmetricSolution> solve_symmetric_exact(const DiscreteTypes& types, int n) {
  if (auto structured = solve_structured(types, n, kStructuredExactGap)) {
    return ExactSymmetricSolution{
        std::move(structured->solution),
        fmt::format(
            "structured construction (docs/model.md#structured) over the atoms, certified by "
            "its Border-multiplier dual (gap {:.1e})",
            *structured->structured_gap),
        structured->structured_gap};
  }
  auto lp = solve_symmetric(types, n);
  if (!lp) return tl::unexpected(lp.error());
  const std::size_t m = types.size();
  std::string method = fmt::format(
      "exact (LP) with Border rows over the atoms, by row generation ({} of {} IC rows, {} "
      "rounds), certified by its Border-multiplier dual",
      lp->ic_rows, m * (m - 1) / 2, lp->rounds);
  return ExactSymmetricSolution{std::move(*lp), std::move(method), std::nullopt};
}

InspectionDesign design_symmetric(const Distribution& d, int n, const DesignOptions& options) {
  return detail::design_symmetric_with(d, n, options, solve_symmetric);
}

InspectionDesign detail::design_symmetric_with(const Distribution& d, int n,
                                               const DesignOptions& options,
                                               const SymmetricLpSolver& solve_lp) {
  InspectionDesign design;
  design.bidders = n;
  if (d.is_discrete()) {
    if (options.grid) design.notes.push_back("--grid is ignored for a discrete distribution");
    auto exact = solve_symmetric_exact(d.atoms(), n);
    if (exact) {
      design.method = exact->method;
      auto grid = GridSolution{d.atoms(), std::move(exact->solution), exact->structured_gap};
      design.status = SolveStatus::kOptimal;
      design.revenue = grid.solution.revenue;
      finish(grid, n, options.rows, std::nullopt, design);
      design.estimated_error = detail::certificate_error(design.audit);
      if (design.audit.passed) return design;
    }
    // Neither route certified the atoms to 1e-9 (CLP can stop short beyond about 1100 atoms):
    // the structured construction's mechanism is still feasible when it passes IC, LL and
    // Border, and its certificate still bounds the optimum, so it is printed with that gap as
    // its error, `grid_limited`.
    auto rough = solve_structured(d.atoms(), n, std::numeric_limits<double>::max());
    if (rough) {
      // A primal above its own dual bound is not feasible beyond rounding (IC is checked on the
      // scale of the largest value, which a heavy tail makes coarse): no bound covers it.
      const AuditReport check =
          audit_symmetric(rough->types, n, rough->solution.mechanism, &rough->solution.certificate,
                          kSymmetricAuditTolerances);
      if (check.primal > check.dual + 1e-12 * std::fabs(check.dual)) rough.reset();
    }
    if (!rough && exact) return design;
    InspectionDesign fallback;
    fallback.bidders = n;
    if (options.grid) fallback.notes.push_back("--grid is ignored for a discrete distribution");
    fallback.notes.push_back(exact ? "the (LP)'s answer failed its audit"
                                   : fmt::format("the (LP) failed: {}", exact.error().message));
    fallback.method =
        "structured construction (docs/model.md#structured) over the atoms, its Border-multiplier "
        "dual "
        "not closing to 1e-9: the error stated is its gap";
    if (!rough) {
      rough = highest_bidder_bracket(d.atoms(), n);
      fallback.method =
          "highest-bidder rule over the atoms, certified by n x the one-bidder optimum (the "
          "structured construction not feasible to rounding): the error stated is that bracket";
    }
    fallback.status = SolveStatus::kGridLimited;
    fallback.revenue = rough->solution.revenue;
    finish(*rough, n, options.rows, std::nullopt, fallback);
    fallback.estimated_error = detail::certificate_error(fallback.audit);
    return fallback;
  }

  // The structured ladder; if any grid does not certify, the (LP) ladder.
  std::vector<std::size_t> ladder;
  for (const StructuredGrid& g : kStructuredLadder) ladder.push_back(g.cells);
  if (options.grid) ladder = {*options.grid};
  std::optional<GridSolution> last;
  std::vector<double> gaps;
  // Where the multiplier X = G needs dips, the optimum irons (docs/model.md#ironed-stretch).
  const std::optional<IronedStretch> stretch = detail::ironed_stretch(d, n);
  for (std::size_t level = 0; level < ladder.size(); ++level) {
    const std::size_t cells = ladder[level];
    throw_if_cancelled();
    auto grid = solve_structured(
        options.grid ? quantile_grid(d, cells)
                     : tail_refined_grid(d, cells, kStructuredLadder[level].per_e_fold),
        n, kStructuredGridGap, stretch ? &*stretch : nullptr);
    if (!grid) {
      design.notes.push_back(fmt::format(
          "the structured construction did not certify on {} cells; solved by the (LP)", cells));
      last.reset();
      design.convergence.clear();
      gaps.clear();
      break;
    }
    design.convergence.push_back({cells, grid->solution.revenue, 0.0, std::nullopt});
    gaps.push_back(*grid->structured_gap);
    last = std::move(*grid);
  }
  const bool structured = last.has_value();
  if (!structured) {
    ladder.assign(kLpLadder.begin(), kLpLadder.end());
    if (options.grid) {
      ladder = {std::min(*options.grid, kMaxSymmetricTypes)};
      if (*options.grid > kMaxSymmetricTypes) {
        design.notes.push_back(fmt::format("the (LP) handles at most {} cells: --grid {} became {}",
                                           kMaxSymmetricTypes, *options.grid, ladder[0]));
      }
    }
    AllocationHint hint;
    for (std::size_t cells : ladder) {
      throw_if_cancelled();
      auto grid = solve_grid(solve_lp, quantile_grid(d, cells), n, last ? &hint : nullptr);
      if (!grid) {
        return lp_ladder_failed(d, n, options, std::move(design), std::move(last), cells,
                                grid.error().message);
      }
      design.convergence.push_back({cells, grid->solution.revenue, 0.0, std::nullopt});
      hint = {grid->types.values, grid->solution.mechanism.allocation};
      last = std::move(*grid);
    }
  }
  const std::string route =
      structured ? fmt::format(
                       "structured construction (docs/model.md#structured), each grid certified "
                       "by its Border-multiplier dual (gap <= {:.1e})",
                       *std::max_element(gaps.begin(), gaps.end()))
                 : "exact (LP) with Border rows, each grid certified by its Border-multiplier dual";
  const std::size_t cells = ladder.back();
  bool one_over_m = true;  // the ladder's changes fit the model behind the extrapolation
  if (options.grid) {
    design.status = SolveStatus::kGridLimited;
    design.method = fmt::format("{} on a {}-cell quantile grid (--grid)", route, cells);
    design.revenue = last->solution.revenue;
  } else {
    std::vector<double> r;
    for (const GridRevenue& g : design.convergence) r.push_back(g.revenue);
    auto [value, error] = extrapolate(r);
    // The (LP) ladder's grids are coarse: the terms beyond a/m + b/m^2 still show there, and the
    // last extrapolation alone understated its error up to 4 times (issue 16). Its spread counts
    // kLpSpreadFactor times, and it is never `optimal`: no grid of it is fine enough to certify
    // the continuum to 1e-5.
    if (!structured) error *= kLpSpreadFactor;
    // A certified grid value r_k sits below its grid's optimum by at most its gap g_k, so the
    // extrapolation (8 r_4 - 6 r_2 + r_1) / 3 is off by at most max((8 g_4 + g_1) / 3, 2 g_2)
    // more.
    if (structured) error += std::max((8 * gaps[2] + gaps[0]) / 3, 2 * gaps[1]);
    design.method =
        fmt::format("{} on quantile grids of {}..{} cells, Richardson-extrapolated in 1/m", route,
                    ladder.front(), cells);
    design.revenue = value;
    design.estimated_error = error;
    design.status = error <= kSymmetricTolerance && structured ? SolveStatus::kOptimal
                                                               : SolveStatus::kGridLimited;
    if (!shrinks_like_one_over_m(r)) {
      one_over_m = false;
      design.status = SolveStatus::kGridLimited;
      design.notes.push_back(fmt::format(
          "the grid ladder's changes ({:.3g}) do not shrink like 1/m, so its extrapolation is no "
          "estimate: the error stated is the distance to the hard bounds",
          fmt::join(differences(r), ", ")));
    } else if (design.status == SolveStatus::kGridLimited) {
      design.notes.push_back(fmt::format(
          "the grid ladder's extrapolation is uncertain by {:.1e} relative{}", error,
          structured ? ", above the 1e-5 target"
                     : " (the structured construction did not certify, and the (LP) grids "
                       "cannot certify the continuum to 1e-5)"));
    }
  }
  const SymmetricCertificate& certificate = last->solution.certificate;
  design.bounds = detail::grid_bounds(d, last->types, last->solution.mechanism, certificate.plan,
                                      certificate.border, certificate.monotone, n);
  if (options.grid || !one_over_m) design.estimated_error = detail::bracket_error(design);
  detail::settle_within_bounds(design);
  const std::size_t rows = options.rows.value_or(kDefaultQuantileRows);
  finish(*last, n, rows, 1.0 / static_cast<double>(std::min(rows, cells)), design);
  return design;
}

}  // namespace dia
