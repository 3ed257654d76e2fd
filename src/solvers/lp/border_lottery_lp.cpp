// The general Border lottery for 2 bidders by an LP over bid profiles (see border_lottery.hpp):
//   minimize  sum_{i<j} p_i p_j x[i,j]                  (the lower bidder wins)
//   s.t.      sum_j p_j x[i,j] = X_i                     (reduced form, m rows)
//             x[i,j] + x[j,i] <= 1  (i < j),  0 <= x[i,i] <= 1/2,  x >= 0.
// CLP settings as in symmetric_lp.cpp: dual simplex, equilibrium scaling, tolerances 1e-12.
#include <fmt/format.h>

#include <ClpSimplex.hpp>
#include <algorithm>
#include <cmath>

#include "clp_limits.hpp"
#include "dia/border_lottery.hpp"

namespace dia {
namespace {

constexpr double kReducedFormBand = 1e-10;

}  // namespace

Expected<BorderLotteryProfiles> solve_border_lottery(const DiscreteTypes& t,
                                                     const std::vector<double>& X, int bidders) {
  const std::size_t m = t.size();
  if (bidders != 2) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("the Border lottery over bid profiles is built for 2 bidders, got {}",
                            bidders));
  }
  if (m == 0 || X.size() != m) {
    return fail(ErrorCode::kInvalidArgument, "the Border lottery needs one allocation per type");
  }
  if (m > kMaxBorderLotteryTypes) {
    return fail(ErrorCode::kTooLarge,
                fmt::format("the Border lottery LP on {} types has {} columns; the limit is {} "
                            "types",
                            m, m * m, kMaxBorderLotteryTypes),
                "solve the design on a smaller --grid");
  }
  const auto& p = t.probabilities;
  const int cols = static_cast<int>(m * m);
  auto col = [m](std::size_t i, std::size_t j) { return static_cast<int>(i * m + j); };
  ClpSimplex model;
  model.setLogLevel(0);
  model.setPrimalTolerance(1e-12);
  model.setDualTolerance(1e-12);
  model.scaling(1);
  model.resize(0, cols);
  double largest = 0;
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = i + 1; j < m; ++j) largest = std::max(largest, p[i] * p[j]);
  }
  const double scale = largest > 0 ? 1 / largest : 1.0;
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < m; ++j) {
      model.setColumnBounds(col(i, j), 0.0, i == j ? 0.5 : 1.0);
      model.setObjectiveCoefficient(col(i, j), i < j ? p[i] * p[j] * scale : 0.0);
    }
  }
  std::vector<CoinBigIndex> starts;
  std::vector<int> columns;
  std::vector<double> elements, lower, upper;
  for (std::size_t i = 0; i < m; ++i) {
    starts.push_back(static_cast<CoinBigIndex>(columns.size()));
    for (std::size_t j = 0; j < m; ++j) columns.push_back(col(i, j)), elements.push_back(p[j]);
    // X is often exactly on Border's bound (e.g. always sell: 2 sum p X = 1); a 1e-10 band
    // below X absorbs its rounding, which would otherwise make the LP infeasible.
    lower.push_back(X[i] - kReducedFormBand);
    upper.push_back(X[i]);
  }
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = i + 1; j < m; ++j) {
      starts.push_back(static_cast<CoinBigIndex>(columns.size()));
      columns.push_back(col(i, j)), elements.push_back(1.0);
      columns.push_back(col(j, i)), elements.push_back(1.0);
      lower.push_back(-COIN_DBL_MAX);
      upper.push_back(1.0);
    }
  }
  starts.push_back(static_cast<CoinBigIndex>(columns.size()));
  model.addRows(static_cast<int>(lower.size()), lower.data(), upper.data(), starts.data(),
                columns.data(), elements.data());
  detail::bound_iterations(model);
  model.dual();
  if (model.status() != 0) {
    // X from a solver sits on Border's bound up to its rounding, which can exceed what the
    // profiles can carry by more than the band when probabilities span many orders of
    // magnitude: retry with the band widened to 1e-9 on both sides, by the primal simplex.
    for (std::size_t i = 0; i < m; ++i)
      model.setRowBounds(static_cast<int>(i), X[i] - 1e-9, X[i] + 1e-9);
    model.scaling(2);
    model.allSlackBasis(true);
    model.primal();
  }
  if (model.status() != 0) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("no Border lottery on {} types implements this allocation (CLP status "
                            "{}, secondary {}): it violates Border's condition",
                            m, model.status(), model.secondaryStatus()));
  }
  BorderLotteryProfiles out;
  out.iterations = model.numberIterations();
  const double* s = model.primalColumnSolution();
  out.allocation.assign(s, s + m * m);
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < m; ++j) {
      double& e = out.allocation[i * m + j];
      e = std::clamp(e, 0.0, i == j ? 0.5 : 1.0);
    }
  }
  // Remove CLP's 1e-12 slack in the pair rows by scaling both entries down.
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = i + 1; j < m; ++j) {
      double &a = out.allocation[i * m + j], &b = out.allocation[j * m + i];
      if (a + b > 1) a /= (a + b), b = 1 - a;
    }
  }
  measure_profiles(p, X, out);
  return out;
}

}  // namespace dia
