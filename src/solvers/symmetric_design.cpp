// The n-bidder designer: the exact (LP) with Border rows on the atoms, or on a ladder of quantile
// grids with Richardson extrapolation for a continuous distribution (the grid error is O(1/m),
// MODEL.md section 6), each grid solve certified by the audit.
#include <fmt/format.h>

#include <array>
#include <cmath>

#include "design_rows.hpp"
#include "dia/design.hpp"
#include "dia/symmetric.hpp"

namespace dia {
namespace {

constexpr std::array<std::size_t, 4> kGridLadder = {125, 250, 500, 1000};
constexpr double kSymmetricTolerance = 1e-5;  // relative revenue accuracy promised by default
constexpr std::size_t kDefaultQuantileRows = 101;

struct GridSolution {
  DiscreteTypes types;
  SymmetricSolution solution;
};

Expected<GridSolution> solve_grid(const DiscreteTypes& types, int n, const AllocationHint* hint) {
  auto solution = solve_symmetric(types, n, hint);
  if (!solution) return tl::unexpected(solution.error());
  return GridSolution{types, std::move(*solution)};
}

// Richardson extrapolation for an error a/m + b/m^2 on grids m, 2m, 4m: the three-level value
// and, as its error estimate, its distance to the two-level value 2 r(4m) - r(2m).
std::pair<double, double> extrapolate(double r1, double r2, double r4) {
  const double three_level = (8 * r4 - 6 * r2 + r1) / 3;
  const double two_level = 2 * r4 - r2;
  return {three_level, std::fabs(three_level - two_level) / std::fabs(three_level)};
}

void finish(GridSolution& grid, int n, std::optional<std::size_t> rows,
            std::optional<double> cell_mass, InspectionDesign& design) {
  design.types = grid.types.size();
  design.audit =
      audit_symmetric(grid.types, n, grid.solution.mechanism, &grid.solution.certificate);
  design.mechanism = {std::move(grid.types), std::move(grid.solution.mechanism), n};
  design.rows = detail::make_rows(
      design.mechanism, detail::row_indices(design.mechanism.types, rows, !cell_mass), cell_mass);
  detail::summarize(design);
  if (!design.audit.passed) {
    design.status = SolveStatus::kFailed;
    design.notes.push_back("the audit failed: see audit for the violated constraint");
  }
}

InspectionDesign failed(std::string why) {
  InspectionDesign design;
  design.status = SolveStatus::kFailed;
  design.notes.push_back(std::move(why));
  return design;
}

}  // namespace

InspectionDesign design_symmetric(const Distribution& d, int n, const DesignOptions& options) {
  InspectionDesign design;
  design.bidders = n;
  if (d.is_discrete()) {
    auto grid = solve_grid(d.atoms(), n, nullptr);
    if (!grid) return failed(grid.error().message);
    design.status = SolveStatus::kOptimal;
    design.method = fmt::format(
        "exact (LP) with Border rows over the atoms, by row generation ({} of {} IC rows, {} "
        "rounds), certified by its Border-multiplier dual",
        grid->solution.ic_rows, d.atoms().size() * (d.atoms().size() - 1) / 2,
        grid->solution.rounds);
    design.revenue = grid->solution.revenue;
    if (options.grid) design.notes.push_back("--grid is ignored for a discrete distribution");
    finish(*grid, n, options.rows, std::nullopt, design);
    return design;
  }

  std::vector<std::size_t> ladder(kGridLadder.begin(), kGridLadder.end());
  if (options.grid) ladder = {*options.grid};
  std::optional<GridSolution> last;
  AllocationHint hint;
  for (std::size_t cells : ladder) {
    auto grid = solve_grid(quantile_grid(d, cells), n, last ? &hint : nullptr);
    if (!grid) return failed(grid.error().message);
    design.convergence.push_back({cells, grid->solution.revenue, 0.0});
    hint = {grid->types.values, grid->solution.mechanism.allocation};
    last = std::move(*grid);
  }
  const std::size_t cells = ladder.back();
  if (options.grid) {
    design.status = SolveStatus::kGridLimited;
    design.method =
        fmt::format("exact (LP) with Border rows on a {}-cell quantile grid (--grid)", cells);
    design.revenue = last->solution.revenue;
  } else {
    const auto& c = design.convergence;
    const auto [value, error] = extrapolate(c[1].revenue, c[2].revenue, c[3].revenue);
    design.method = fmt::format(
        "exact (LP) with Border rows on quantile grids of {}..{} cells, each certified, "
        "Richardson-extrapolated in 1/m",
        ladder.front(), cells);
    design.revenue = value;
    design.estimated_error = error;
    design.status =
        error <= kSymmetricTolerance ? SolveStatus::kOptimal : SolveStatus::kGridLimited;
    if (design.status == SolveStatus::kGridLimited) {
      design.notes.push_back(fmt::format(
          "the grid ladder's extrapolation is uncertain by {:.1e} relative, above the 1e-5 target",
          error));
    }
  }
  const std::size_t rows = options.rows.value_or(kDefaultQuantileRows);
  finish(*last, n, rows, 1.0 / static_cast<double>(std::min(rows, cells)), design);
  return design;
}

}  // namespace dia
