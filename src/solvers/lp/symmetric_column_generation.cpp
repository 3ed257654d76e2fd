// Dantzig-Wolfe column generation for the n-bidder (LP) (see symmetric_column_generation.hpp,
// docs/model.md#column-generation). Master columns lambda_i, one per allocation X^i with its
// smallest rents R^i = (RENT)(X^i); rows (in per-bidder revenue units scaled by the largest p v):
// Border sum_i lambda_i S^i_k / H_k <= 1 (S^i_k = sum_{l >= k} p_l X^i_l), monotonicity
// sum_i lambda_i (X^i_{k+1} - X^i_k) >= 0, convexity sum_i lambda_i <= 1.
#include "symmetric_column_generation.hpp"

#include <ClpSimplex.hpp>
#include <algorithm>
#include <cmath>

#include "clp_limits.hpp"
#include "dia/cancel.hpp"
#include "dia/one_bidder.hpp"
#include "numeric/compensated_sum.hpp"
#include "numeric/deviation_hull.hpp"

namespace dia::detail {

std::optional<ColumnGeneration> column_generation(const DiscreteTypes& t,
                                                  const std::vector<double>& h,
                                                  const std::vector<std::vector<double>>& seeds,
                                                  double relative_gap, int max_rounds) {
  const std::size_t m = t.size();
  const auto& v = t.values;
  const auto& p = t.probabilities;
  const int rows = static_cast<int>(2 * m);
  const int convexity = rows - 1;
  double largest = 0;
  for (std::size_t k = 0; k < m; ++k) largest = std::max(largest, p[k] * v[k]);
  const double cost_scale = largest > 0 ? 1.0 / largest : 1.0;

  ClpSimplex master;
  master.setLogLevel(0);
  master.setOptimizationDirection(-1);
  master.setPrimalTolerance(1e-12);
  master.setDualTolerance(1e-12);
  master.resize(rows, 0);
  for (std::size_t k = 0; k < m; ++k) master.setRowBounds(static_cast<int>(k), -COIN_DBL_MAX, 1.0);
  for (std::size_t k = 0; k + 1 < m; ++k) {
    master.setRowBounds(static_cast<int>(m + k), 0.0, COIN_DBL_MAX);
  }
  master.setRowBounds(convexity, -COIN_DBL_MAX, 1.0);

  std::vector<std::vector<double>> columns;
  // Adds X as a column; returns its value sum_k p_k (v_k X_k - R_k(X)) per bidder. R(X) equals
  // R of the running maximum of X (a line j below an earlier line with a larger slope is never
  // the best lie), which the monotone hull takes.
  auto add_column = [&](const std::vector<double>& x) {
    std::vector<double> running(m);
    for (std::size_t k = 0; k < m; ++k) running[k] = std::max(x[k], k > 0 ? running[k - 1] : 0.0);
    const DeviationHull hull(v, running);
    CompensatedSum value;
    for (std::size_t k = 0; k < m; ++k) {
      const double rent = k > 0 ? hull.best(v[k], k - 1).first : 0.0;
      value.add(p[k] * ((long double)v[k] * x[k] - rent));
    }
    std::vector<int> index;
    std::vector<double> element;
    long double tail = 0;
    std::vector<double> border(m);
    for (std::size_t k = m; k-- > 0;) {
      tail += (long double)p[k] * x[k];
      border[k] = static_cast<double>(tail / h[k]);
    }
    for (std::size_t k = 0; k < m; ++k) {
      if (border[k] != 0) index.push_back(static_cast<int>(k)), element.push_back(border[k]);
    }
    for (std::size_t k = 0; k + 1 < m; ++k) {
      if (x[k + 1] != x[k]) {
        index.push_back(static_cast<int>(m + k));
        element.push_back(x[k + 1] - x[k]);
      }
    }
    index.push_back(convexity);
    element.push_back(1.0);
    master.addColumn(static_cast<int>(index.size()), index.data(), element.data(), 0.0,
                     COIN_DBL_MAX, value.value() * cost_scale);
    columns.push_back(x);
    return value.value();
  };
  for (const auto& x : seeds) add_column(x);

  ColumnGeneration out;
  out.upper = INFINITY;
  std::vector<double> demand(m);
  while (out.rounds < max_rounds) {
    throw_if_cancelled();
    bound_iterations(master);
    master.primal(1);
    throw_if_cancelled();
    ++out.rounds;
    if (master.status() != 0) return std::nullopt;
    const double* y = master.getRowPrice();
    // Multipliers in per-bidder revenue units: beta_k >= 0 on Border's row k, gamma_k >= 0 on the
    // monotonicity row k, mu on convexity.
    long double border_value = 0, cumulative = 0;
    for (std::size_t j = 0; j < m; ++j) {
      const double beta = std::max(0.0, y[j]) / (h[j] * cost_scale);
      border_value += (long double)beta * h[j];
      cumulative += beta;
      long double d = (long double)p[j] * (v[j] - cumulative);
      if (j > 0) d += std::max(0.0, -y[m + j - 1]) / cost_scale;
      if (j + 1 < m) d -= std::max(0.0, -y[m + j]) / cost_scale;
      demand[j] = static_cast<double>(d);
    }
    const double mu = std::max(0.0, y[convexity]) / cost_scale;
    const GreedyAllocation priced = greedy_plan_allocation(t, demand);
    out.upper = std::min(out.upper, priced.dual_value + static_cast<double>(border_value));
    out.lower = master.objectiveValue() / cost_scale;
    if (out.upper - out.lower <= relative_gap * std::max(1.0, std::fabs(out.upper))) break;
    if (priced.dual_value - mu <= 1e-13 * std::max(1.0, std::fabs(out.upper))) break;
    add_column(priced.allocation);
  }
  const double* lambda = master.primalColumnSolution();
  out.allocation.assign(m, 0.0);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (lambda[i] <= 0) continue;
    for (std::size_t k = 0; k < m; ++k) out.allocation[k] += lambda[i] * columns[i][k];
  }
  for (std::size_t k = 0; k < m; ++k) {
    out.allocation[k] = std::clamp(out.allocation[k], 0.0, 1.0);
    if (k > 0) out.allocation[k] = std::max(out.allocation[k], out.allocation[k - 1]);
  }
  return out;
}

}  // namespace dia::detail
