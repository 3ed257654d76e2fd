// The one-bidder designer: the exact sweep on the atoms of a discrete distribution, or for a
// continuous one the (ODE) route checked against the sweep on refined quantile grids.
#include <fmt/format.h>

#include <cmath>

#include "design_rows.hpp"
#include "dia/design.hpp"
#include "dia/one_bidder.hpp"

namespace dia {
namespace {

constexpr std::size_t kDefaultGridCells = std::size_t{1} << 17;
constexpr std::size_t kCoarseGridCells = std::size_t{1} << 15;
constexpr double kContinuousTolerance = 1e-6;  // relative revenue accuracy promised by default
constexpr std::size_t kDefaultQuantileRows = 101;

struct GridSolve {
  DiscreteTypes types;
  OneBidderSweep sweep;
};

GridSolve solve_on_grid(const Distribution& d, std::size_t cells) {
  GridSolve g{quantile_grid(d, cells), {}};
  g.sweep = solve_one_bidder_sweep(g.types);
  return g;
}

void finish(const DiscreteTypes& types, const OneBidderSweep& sweep,
            std::optional<std::size_t> rows, std::optional<double> cell_mass,
            InspectionDesign& design) {
  design.mechanism = {types, sweep.mechanism, 1};
  design.rows =
      detail::make_rows(design.mechanism, detail::row_indices(types, rows, !cell_mass), cell_mass);
  detail::summarize(design);
  design.audit = audit_one_bidder(types, sweep.mechanism, &sweep.plan);
  design.types = types.size();
  if (!design.audit.passed) {
    design.status = SolveStatus::kFailed;
    design.notes.push_back("the audit failed: see audit for the violated constraint");
  }
}

InspectionDesign design_discrete(const Distribution& d, const DesignOptions& options) {
  const DiscreteTypes& types = d.atoms();
  const OneBidderSweep sweep = solve_one_bidder_sweep(types);
  InspectionDesign design;
  design.status = SolveStatus::kOptimal;
  design.method = "exact sweep over the atoms, certified by its dual transport plan";
  design.revenue = sweep.revenue;
  design.cutoff = types.values[sweep.cutoff];
  if (options.grid) design.notes.push_back("--grid is ignored for a discrete distribution");
  finish(types, sweep, options.rows, std::nullopt, design);
  return design;
}

InspectionDesign design_continuous(const Distribution& d, const DesignOptions& options) {
  InspectionDesign design;
  auto ode = solve_one_bidder_ode(d);
  if (ode) {
    design.ode = *ode;
  } else {
    design.notes.push_back("the (ODE) route is unavailable here: " + ode.error().message);
  }
  const std::size_t cells = options.grid.value_or(kDefaultGridCells);
  if (!options.grid) {
    const GridSolve coarse = solve_on_grid(d, kCoarseGridCells);
    design.convergence.push_back(
        {kCoarseGridCells, coarse.sweep.revenue, coarse.types.values[coarse.sweep.cutoff]});
  }
  const GridSolve fine = solve_on_grid(d, cells);
  design.convergence.push_back({cells, fine.sweep.revenue, fine.types.values[fine.sweep.cutoff]});
  const double grid_revenue = fine.sweep.revenue;

  if (options.grid) {
    design.status = SolveStatus::kGridLimited;
    design.method = fmt::format("exact sweep on a {}-cell quantile grid (--grid)", cells);
    design.revenue = grid_revenue;
    design.cutoff = design.convergence.back().cutoff;
    if (design.ode) {
      design.estimated_error = std::fabs(grid_revenue - design.ode->revenue) / design.ode->revenue;
    }
  } else if (design.ode) {
    // Both routes: the ODE's revenue, vouched for by the certified grid optimum.
    design.method =
        "(ODE) with revenue = E[v ; v >= cutoff], checked by the sweep on quantile grids";
    design.revenue = design.ode->revenue;
    design.cutoff = design.ode->cutoff;
    design.estimated_error = std::fabs(grid_revenue - design.revenue) / std::fabs(design.revenue);
    design.status = design.estimated_error <= kContinuousTolerance ? SolveStatus::kOptimal
                                                                   : SolveStatus::kGridLimited;
    if (design.status == SolveStatus::kGridLimited) {
      design.notes.push_back(fmt::format(
          "the (ODE) and the {}-cell grid differ by {:.2e} relative, above the 1e-6 target", cells,
          design.estimated_error));
    }
  } else {
    const double coarse = design.convergence.front().revenue;
    design.method = "exact sweep on refined quantile grids";
    design.revenue = grid_revenue;
    design.cutoff = design.convergence.back().cutoff;
    design.estimated_error = std::fabs(grid_revenue - coarse) / std::fabs(grid_revenue);
    design.status = SolveStatus::kGridLimited;
  }
  const std::size_t rows = options.rows.value_or(kDefaultQuantileRows);
  finish(fine.types, fine.sweep, rows, 1.0 / static_cast<double>(std::min(rows, cells)), design);
  return design;
}

}  // namespace

InspectionDesign design_one_bidder(const Distribution& d, const DesignOptions& options) {
  return d.is_discrete() ? design_discrete(d, options) : design_continuous(d, options);
}

}  // namespace dia
