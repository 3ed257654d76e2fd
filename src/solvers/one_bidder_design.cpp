// The one-bidder designer: the exact sweep on the atoms of a discrete distribution, or for a
// continuous one the (ODE) route checked against the sweep on refined quantile grids.
#include <fmt/format.h>

#include <cmath>
#include <iterator>

#include "design_bounds.hpp"
#include "design_rows.hpp"
#include "dia/cancel.hpp"
#include "dia/design.hpp"
#include "dia/one_bidder.hpp"
#include "numeric/huge_pages.hpp"

namespace dia {
namespace {

// The default grids (docs/model.md#status-one-bidder: refined until the revenue converges):
// equal-mass cells with the top tail split per e-fold of the survival (tail_refined_grid), each
// level 4 times finer than the one before in both; the error of a level is estimated from the level
// below.
struct GridLevel {
  std::size_t cells;
  std::size_t per_e_fold;
};
constexpr GridLevel kGridLevels[] = {
    {std::size_t{1} << 15, 16}, {std::size_t{1} << 17, 64}, {std::size_t{1} << 19, 256}};
constexpr std::size_t kDefaultLevel = 1;       // always solved: levels 0 and 1
constexpr double kContinuousTolerance = 1e-6;  // relative revenue accuracy promised by default
constexpr double kAgreementSlack = 1e-12;      // relative rounding allowed between the routes
constexpr std::size_t kDefaultQuantileRows = 101;

struct GridSolve {
  DiscreteTypes types;
  OneBidderSweep sweep;
  std::size_t cells = 0;
  // Absolute error estimate: the change from the level below plus what the last tail cell
  // carries (the sweep sells that cell outright; the continuum may sell little of it).
  double error = 0;
  double revenue() const { return sweep.revenue; }
  double cutoff() const { return types.values[sweep.cutoff]; }
  double top_cell_mean() const { return types.values.back() * types.probabilities.back(); }
};

GridSolve solve_on_grid(DiscreteTypes types) {
  GridSolve g{std::move(types), {}};
  g.sweep = solve_one_bidder_sweep(g.types);
  g.cells = g.types.size();
  return g;
}

GridSolve solve_level(const Distribution& d, std::size_t level) {
  const GridLevel l = kGridLevels[level];
  return solve_on_grid(tail_refined_grid(d, l.cells, l.per_e_fold));
}

// The sweep is exact: its primal and dual agree to 1e-12 relative (issue 3's promise), IC and LL
// hold to rounding.
constexpr AuditTolerances kOneBidderAudit{1e-9, 1e-9, 1e-12};

// The sweep's mechanism is moved into the design (at m = 10^6 a copy is 12 MB).
void finish(const DiscreteTypes& types, OneBidderSweep&& sweep, std::optional<std::size_t> rows,
            std::optional<double> cell_mass, InspectionDesign& design) {
  // Audited first, so the plan is freed before the types are copied (peak memory, issue 14).
  design.audit = audit_one_bidder(types, sweep.mechanism, &sweep.plan, kOneBidderAudit);
  CoveragePlan().swap(sweep.plan);
  design.mechanism = {{detail::huge_copy(types.values), detail::huge_copy(types.probabilities)},
                      std::move(sweep.mechanism),
                      1};
  design.rows =
      detail::make_rows(design.mechanism, detail::row_indices(types, rows, !cell_mass), cell_mass);
  detail::summarize(design);
  design.types = types.size();
  if (!design.audit.passed) {
    design.status = SolveStatus::kFailed;
    design.notes.push_back("the audit failed: see audit for the violated constraint");
  }
}

InspectionDesign design_discrete(const Distribution& d, const DesignOptions& options) {
  const DiscreteTypes& types = d.atoms();
  OneBidderSweep sweep = solve_one_bidder_sweep(types);
  InspectionDesign design;
  design.status = SolveStatus::kOptimal;
  design.method = "exact sweep over the atoms, certified by its dual transport plan";
  design.revenue = sweep.revenue;
  design.cutoff = types.values[sweep.cutoff];
  if (options.grid) design.notes.push_back("--grid is ignored for a discrete distribution");
  finish(types, std::move(sweep), options.rows, std::nullopt, design);
  design.estimated_error = detail::certificate_error(design.audit);
  return design;
}

std::string relative(double x) { return fmt::format("{:.2g}", x); }

// --grid M: the sweep on M equal-mass cells, compared with the (ODE) when it is available.
void design_on_given_grid(const GridSolve& grid, InspectionDesign& design) {
  design.status = SolveStatus::kGridLimited;
  design.method = fmt::format("exact sweep on a {}-cell quantile grid (--grid)", grid.cells);
  design.revenue = grid.revenue();
  design.cutoff = grid.cutoff();
  if (design.ode) {
    design.estimated_error = std::fabs(grid.revenue() - design.ode->revenue) / design.ode->revenue;
  }
}

// The routes differ by no more than their error estimates together (and rounding).
bool routes_agree(const GridSolve& grid, const OdeSolution& ode) {
  const double difference = std::fabs(ode.revenue - grid.revenue());
  return difference <=
         ode.estimated_error * ode.revenue + grid.error + kAgreementSlack * grid.revenue();
}

// Both routes, with their own error estimates: the printed revenue is the one whose claim the
// other does not contradict, and the notes say which and why.
void reconcile(const GridSolve& grid, InspectionDesign& design) {
  const double r_grid = grid.revenue(), grid_error = grid.error / r_grid;
  const std::string grid_name = fmt::format("the {}-cell tail-refined grid", grid.cells);
  if (!design.ode) {
    design.method = "exact sweep on refined quantile grids (the (ODE) route is unavailable)";
    design.revenue = r_grid;
    design.cutoff = grid.cutoff();
    design.estimated_error = grid_error;
    design.status = SolveStatus::kGridLimited;
    return;
  }
  const OdeSolution& ode = *design.ode;
  const double difference = std::fabs(ode.revenue - r_grid);
  const bool agree = routes_agree(grid, ode);
  if (agree && (ode.estimated_error <= kContinuousTolerance || ode.estimated_error <= grid_error)) {
    design.method = "(ODE) with revenue = E[v ; v >= cutoff], checked by the sweep on " + grid_name;
    design.revenue = ode.revenue;
    design.cutoff = ode.cutoff;
    design.estimated_error = ode.estimated_error;
    design.status = ode.estimated_error <= kContinuousTolerance ? SolveStatus::kOptimal
                                                                : SolveStatus::kGridLimited;
    if (grid_error > kContinuousTolerance) {
      design.notes.push_back(fmt::format(
          "{} confirms the (ODE) only to {} relative: its refinements differ by {} and its last "
          "tail cell, which the sweep sells outright, carries {} of the revenue",
          grid_name, relative(grid_error),
          relative(std::fabs(grid.error - grid.top_cell_mean()) / r_grid),
          relative(grid.top_cell_mean() / r_grid)));
    }
    if (!std::isfinite(ode.cutoff)) {
      design.notes.push_back(fmt::format(
          "the cutoff exceeds the largest double: ln(cutoff) = {:.10g}", ode.log_cutoff));
    }
    return;
  }
  // The grid: certified exact for its discrete problem, its discretisation error estimated.
  design.method = "exact sweep on " + grid_name + ", checked against the (ODE)";
  design.revenue = r_grid;
  design.cutoff = grid.cutoff();
  design.estimated_error = agree ? grid_error : std::max(grid_error, difference / r_grid);
  design.status = agree && grid_error <= kContinuousTolerance ? SolveStatus::kOptimal
                                                              : SolveStatus::kGridLimited;
  design.notes.push_back(
      agree ? fmt::format("the (ODE) gives {:.12g} (estimated error {}), less accurate than {}",
                          ode.revenue, relative(ode.estimated_error), grid_name)
            : fmt::format("the (ODE) gives {:.12g}, which {} contradicts by {} relative, beyond "
                          "both routes' error estimates ({} and {}): the grid's revenue is "
                          "printed, because it is certified exact for its cells by the dual and "
                          "its refinements agree",
                          ode.revenue, grid_name, relative(difference / r_grid),
                          relative(ode.estimated_error), relative(grid_error)));
}

// No further refinement needed: the grid is within the tolerance, or the (ODE) is and the grid
// agrees with it.
bool settled(const GridSolve& grid, const InspectionDesign& design) {
  if (grid.error <= kContinuousTolerance * grid.revenue()) return true;
  return design.ode && design.ode->estimated_error <= kContinuousTolerance &&
         routes_agree(grid, *design.ode);
}

InspectionDesign design_continuous(const Distribution& d, const DesignOptions& options) {
  InspectionDesign design;
  auto ode = solve_one_bidder_ode(d);
  if (ode) {
    design.ode = *ode;
  } else {
    design.notes.push_back("the (ODE) route is unavailable here: " + ode.error().message);
  }
  GridSolve fine;
  if (options.grid) {
    fine = solve_on_grid(quantile_grid(d, *options.grid));
    design.convergence.push_back({fine.cells, fine.revenue(), fine.cutoff(), std::nullopt});
    design_on_given_grid(fine, design);
  } else {
    // Refine while neither route is within the tolerance with the other agreeing.
    GridSolve coarse = solve_level(d, 0);
    design.convergence.push_back({coarse.cells, coarse.revenue(), coarse.cutoff(), std::nullopt});
    for (std::size_t level = 1; level < std::size(kGridLevels); ++level) {
      throw_if_cancelled();
      fine = solve_level(d, level);
      fine.error = std::fabs(fine.revenue() - coarse.revenue()) + fine.top_cell_mean();
      design.convergence.push_back(
          {fine.cells, fine.revenue(), fine.cutoff(), fine.error / fine.revenue()});
      if (level >= kDefaultLevel && settled(fine, design)) break;
      if (level + 1 < std::size(kGridLevels)) coarse = std::move(fine);
    }
    reconcile(fine, design);
  }
  design.bounds =
      detail::grid_bounds(d, fine.types, fine.sweep.mechanism, fine.sweep.plan, {}, {}, 1);
  if (!design.ode) {
    // No second route to confirm the grid: its error is what the hard bounds prove.
    design.estimated_error = std::max(design.estimated_error, detail::bracket_error(design));
    if (design.estimated_error > kContinuousTolerance) design.status = SolveStatus::kGridLimited;
  }
  detail::settle_within_bounds(design);
  const std::size_t rows = options.rows.value_or(kDefaultQuantileRows);
  finish(fine.types, std::move(fine.sweep), rows,
         1.0 / static_cast<double>(std::min(rows, fine.cells)), design);
  return design;
}

}  // namespace

InspectionDesign design_one_bidder(const Distribution& d, const DesignOptions& options) {
  return d.is_discrete() ? design_discrete(d, options) : design_continuous(d, options);
}

}  // namespace dia
