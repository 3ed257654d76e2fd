// The one-bidder designer: the exact sweep on the atoms of a discrete distribution, or for a
// continuous one the (ODE) route checked against the sweep on refined quantile grids.
#include <fmt/format.h>

#include <cmath>

#include "dia/design.hpp"
#include "dia/one_bidder.hpp"

namespace dia {
namespace {

constexpr std::size_t kDefaultGridCells = std::size_t{1} << 17;
constexpr std::size_t kCoarseGridCells = std::size_t{1} << 15;
constexpr std::size_t kMaxDefaultAtomRows = 1000;
constexpr std::size_t kDefaultQuantileRows = 101;
constexpr double kContinuousTolerance = 1e-6;  // relative revenue accuracy promised by default

// The rows to print: every atom when there are few, else the types at evenly spaced quantiles.
std::vector<std::size_t> row_indices(const DiscreteTypes& types, std::optional<std::size_t> rows,
                                     bool discrete) {
  const std::size_t m = types.size();
  std::size_t k = rows.value_or(discrete && m <= kMaxDefaultAtomRows ? m : kDefaultQuantileRows);
  std::vector<std::size_t> indices;
  if (k >= m) {
    for (std::size_t i = 0; i < m; ++i) indices.push_back(i);
    return indices;
  }
  std::size_t atom = 0;
  double cumulative = types.probabilities[0];
  for (std::size_t r = 0; r < k; ++r) {
    const double q = (static_cast<double>(r) + 0.5) / static_cast<double>(k);
    while (cumulative < q && atom + 1 < m) cumulative += types.probabilities[++atom];
    if (indices.empty() || indices.back() != atom) indices.push_back(atom);
  }
  return indices;
}

std::vector<MechanismRow> make_rows(const DiscreteTypes& types, const OneBidderSweep& sweep,
                                    const std::vector<std::size_t>& indices,
                                    std::optional<double> cell_mass) {
  std::vector<MechanismRow> rows;
  rows.reserve(indices.size());
  for (std::size_t k : indices) {
    MechanismRow row;
    row.value = types.values[k];
    row.probability = cell_mass.value_or(types.probabilities[k]);
    row.allocation = sweep.mechanism.allocation[k];
    row.rent = sweep.mechanism.rent[k];
    if (sweep.best_alternative[k] != kNoAlternative) {
      row.best_alternative_bid = types.values[sweep.best_alternative[k]];
    }
    rows.push_back(row);
  }
  return rows;
}

struct GridSolve {
  DiscreteTypes types;
  OneBidderSweep sweep;
};

GridSolve solve_on_grid(const Distribution& d, std::size_t cells) {
  GridSolve g{quantile_grid(d, cells), {}};
  g.sweep = solve_one_bidder_sweep(g.types);
  return g;
}

void finish(const DiscreteTypes& types, const OneBidderSweep& sweep, OneBidderDesign& design) {
  design.mechanism = {types, sweep.mechanism, 1};
  design.audit = audit_one_bidder(types, sweep.mechanism, &sweep.plan);
  design.types = types.size();
  if (!design.audit.passed) {
    design.status = SolveStatus::kFailed;
    design.notes.push_back("the audit failed: see audit for the violated constraint");
  }
}

OneBidderDesign design_discrete(const Distribution& d, const DesignOptions& options) {
  const DiscreteTypes& types = d.atoms();
  const OneBidderSweep sweep = solve_one_bidder_sweep(types);
  OneBidderDesign design;
  design.status = SolveStatus::kOptimal;
  design.method = "exact sweep over the atoms, certified by its dual transport plan";
  design.revenue = sweep.revenue;
  design.cutoff = types.values[sweep.cutoff];
  design.rows = make_rows(types, sweep, row_indices(types, options.rows, true), std::nullopt);
  if (options.grid) design.notes.push_back("--grid is ignored for a discrete distribution");
  finish(types, sweep, design);
  return design;
}

OneBidderDesign design_continuous(const Distribution& d, const DesignOptions& options) {
  OneBidderDesign design;
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
  design.rows = make_rows(fine.types, fine.sweep, row_indices(fine.types, rows, false),
                          1.0 / static_cast<double>(std::min(rows, cells)));
  finish(fine.types, fine.sweep, design);
  return design;
}

}  // namespace

std::string to_string(SolveStatus status) {
  switch (status) {
    case SolveStatus::kOptimal:
      return "optimal";
    case SolveStatus::kGridLimited:
      return "grid_limited";
    case SolveStatus::kFailed:
      return "failed";
  }
  return "failed";
}

OneBidderDesign design_one_bidder(const Distribution& d, const DesignOptions& options) {
  return d.is_discrete() ? design_discrete(d, options) : design_continuous(d, options);
}

Expected<InspectionMechanism> design_mechanism(const Distribution& d, int bidders,
                                               const DesignOptions& options) {
  if (bidders != 1) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("the inspection design for {} bidders is not implemented yet", bidders),
                "use one bidder, or a saved design with an explicit allocation");
  }
  OneBidderDesign design = design_one_bidder(d, options);
  if (design.status == SolveStatus::kFailed) {
    return fail(ErrorCode::kInvalidArgument, "the design failed its audit");
  }
  return std::move(design.mechanism);
}

}  // namespace dia
