// The design problem (LP) of docs/model.md#lp-full for n symmetric bidders, solved by COIN-OR CLP.
// This is the independent reference for the exact solvers: it knows nothing of the sweep, the dual
// transport structure or the best alternative bid, only the LP as written in the model.
//
//   maximize  n sum_k p_k (v_k X_k - U_k)
//   s.t.      U_k - (v_k - v_j) X_j >= 0            for all j < k      (m(m-1)/2 rows)
//             X_{k+1} - X_k >= 0                    (n >= 2: monotonicity, m - 1 rows)
//             sum_{l >= k} p_l X_l <= (1 - F_{k-1}^n) / n   (n >= 2: Border (F), m rows)
//             0 <= X_k <= 1,  U_k >= 0.
#include <fmt/format.h>

#include <ClpSimplex.hpp>
#include <CoinMessageHandler.hpp>
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "clp_limits.hpp"
#include "dia/lp_check.hpp"
#include "numeric/compensated_sum.hpp"

namespace dia {
namespace {

// The CLP settings, chosen by measurement against the exact sweep (docs/model.md#sweep) on badly
// scaled type spaces (probabilities from 1e-9 to 0.5, values from 1e-3 to 1e3, pairs of values 1e-9
// apart), m = 50..500: dual simplex with equilibrium scaling, tolerances 1e-12 and the objective
// divided by its largest coefficient matched the sweep's revenue to 1e-16 relative in every case.
// Primal simplex, geometric scaling, no scaling, tolerances 1e-10 or the unnormalised objective
// each lost up to 1e-8 relative somewhere (the absolute dual tolerance swallows costs p_k v_k ~
// 1e-12).
constexpr double kPrimalTolerance = 1e-12;
constexpr double kDualTolerance = 1e-12;
constexpr int kEquilibriumScaling = 1;

const char* clp_status_name(int status) {
  switch (status) {
    case 0:
      return "optimal";
    case 1:
      return "primal infeasible";
    case 2:
      return "dual infeasible";
    case 3:
      return "stopped on iterations or time";
    case 4:
      return "stopped due to numerical errors";
    case 5:
      return "stopped by event handler";
    default:
      return "unknown";
  }
}

// The type space must be what make_discrete_types produces; the struct can be filled by hand, so
// check the parts the LP relies on.
Expected<void> check_types(const DiscreteTypes& types) {
  const std::size_t m = types.values.size();
  if (m == 0) {
    return fail(ErrorCode::kInvalidArgument, "the one-bidder LP needs at least one type, got none",
                "build the type space with make_discrete_types");
  }
  if (types.probabilities.size() != m) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("the type space has {} values but {} probabilities", m,
                            types.probabilities.size()),
                "build the type space with make_discrete_types");
  }
  for (std::size_t k = 0; k < m; ++k) {
    const double v = types.values[k];
    const double p = types.probabilities[k];
    if (!std::isfinite(v) || v < 0) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("type {} has value {}; values must be finite and >= 0", k + 1, v),
                  "build the type space with make_discrete_types");
    }
    if (k > 0 && !(v > types.values[k - 1])) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("values must be strictly increasing, got v_{} = {} after v_{} = {}",
                              k + 1, v, k, types.values[k - 1]),
                  "build the type space with make_discrete_types, which sorts and merges");
    }
    if (!std::isfinite(p) || p < 0) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("type {} has probability {}; probabilities must be finite and >= 0",
                              k + 1, p),
                  "build the type space with make_discrete_types");
    }
  }
  return {};
}

struct ClpResult {
  std::vector<double> allocation;
  std::vector<double> border_multipliers;
  int iterations = 0;
};

// Builds the LP column by column and solves it. Columns 0..m-1 are X_1..X_m, columns m..2m-1 are
// U_1..U_m; the row of the pair (k, j), j < k (0-based), is k(k-1)/2 + j; for n >= 2 the m - 1
// monotonicity rows follow, then the m Border rows.
Expected<ClpResult> solve_with_clp(const DiscreteTypes& types, int bidders) {
  const std::size_t m = types.size();
  const std::size_t ic_rows = m * (m - 1) / 2;
  const bool symmetric = bidders > 1;
  const std::size_t monotone_row = ic_rows, border_row = ic_rows + (m - 1);
  const std::size_t rows = symmetric ? ic_rows + (m - 1) + m : ic_rows;
  const std::size_t nonzeros = 2 * ic_rows + (symmetric ? 2 * m + m * (m + 1) / 2 : 0);

  std::vector<CoinBigIndex> starts;
  std::vector<int> indices;
  std::vector<double> elements;
  starts.reserve(2 * m + 1);
  indices.reserve(nonzeros);
  elements.reserve(nonzeros);
  std::vector<double> column_lower(2 * m, 0.0);
  std::vector<double> column_upper(2 * m, 1.0);
  std::vector<double> objective(2 * m);

  const auto& v = types.values;
  const auto& p = types.probabilities;
  // Dividing the objective by its largest coefficient leaves the optimal X unchanged and makes
  // CLP's absolute dual tolerance a relative one.
  double largest_cost = 0;
  for (std::size_t k = 0; k < m; ++k) {
    largest_cost = std::max({largest_cost, p[k] * v[k], p[k]});
  }
  const double cost_scale = largest_cost > 0 ? 1.0 / largest_cost : 1.0;
  // X_j: in the rows (k, j) for k > j, with coefficient -(v_k - v_j); in the monotonicity rows
  // X_j - X_{j-1} >= 0 (+1) and X_{j+1} - X_j >= 0 (-1); in the Border rows k <= j (+p_j).
  for (std::size_t j = 0; j < m; ++j) {
    starts.push_back(static_cast<CoinBigIndex>(indices.size()));
    for (std::size_t k = j + 1; k < m; ++k) {
      indices.push_back(static_cast<int>(k * (k - 1) / 2 + j));
      elements.push_back(-(v[k] - v[j]));
    }
    if (symmetric) {
      if (j > 0) indices.push_back(static_cast<int>(monotone_row + j - 1)), elements.push_back(1);
      if (j + 1 < m) indices.push_back(static_cast<int>(monotone_row + j)), elements.push_back(-1);
      for (std::size_t k = 0; k <= j; ++k) {
        indices.push_back(static_cast<int>(border_row + k));
        elements.push_back(p[j]);
      }
    }
    objective[j] = p[j] * v[j] * cost_scale;
  }
  // U_k: coefficient 1 in the k rows (k, 0..k-1), which are contiguous.
  for (std::size_t k = 0; k < m; ++k) {
    starts.push_back(static_cast<CoinBigIndex>(indices.size()));
    for (std::size_t j = 0; j < k; ++j) {
      indices.push_back(static_cast<int>(k * (k - 1) / 2 + j));
      elements.push_back(1.0);
    }
    column_upper[m + k] = COIN_DBL_MAX;
    objective[m + k] = -p[k] * cost_scale;
  }
  starts.push_back(static_cast<CoinBigIndex>(indices.size()));
  std::vector<double> row_lower(rows, 0.0);
  std::vector<double> row_upper(rows, COIN_DBL_MAX);
  if (symmetric) {
    // H_k = (1 - F_{k-1}^n) / n, the chance that some bidder is at or above v_k, per bidder.
    const double n = bidders;
    double below = 0;  // F_{k-1}
    for (std::size_t k = 0; k < m; ++k) {
      row_lower[border_row + k] = -COIN_DBL_MAX;
      row_upper[border_row + k] = -std::expm1(n * std::log(std::min(below, 1.0))) / n;
      below += p[k];
    }
  }

  ClpSimplex model;
  model.setLogLevel(0);
  model.loadProblem(static_cast<int>(2 * m), static_cast<int>(rows), starts.data(), indices.data(),
                    elements.data(), column_lower.data(), column_upper.data(), objective.data(),
                    row_lower.data(), row_upper.data());
  model.setOptimizationDirection(-1);  // maximize
  model.setPrimalTolerance(kPrimalTolerance);
  model.setDualTolerance(kDualTolerance);
  model.scaling(kEquilibriumScaling);
  detail::bound_iterations(model);
  model.dual();

  const int status = model.status();
  if (status != 0) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("CLP did not reach optimality on the one-bidder LP with {} types: "
                            "status {} ({}), secondary status {}",
                            m, status, clp_status_name(status), model.secondaryStatus()),
                "the exact sweep solver does not depend on CLP; the LP is only a cross-check");
  }
  ClpResult result;
  const double* solution = model.primalColumnSolution();
  result.allocation.assign(solution, solution + m);
  result.iterations = model.numberIterations();
  if (symmetric) {
    // The Border multipliers beta_k >= 0 of docs/model.md#border-dual, in revenue units per bidder.
    const double* duals = model.dualRowSolution();
    for (std::size_t k = 0; k < m; ++k) {
      result.border_multipliers.push_back(std::fabs(duals[border_row + k]) / cost_scale);
    }
  }
  return result;
}

}  // namespace

Expected<LpSolution> solve_one_bidder_lp(const DiscreteTypes& types, std::size_t max_types) {
  return solve_symmetric_lp(types, 1, max_types);
}

Expected<LpSolution> solve_symmetric_lp(const DiscreteTypes& types, int bidders,
                                        std::size_t max_types) {
  if (bidders < 1) {
    return fail(ErrorCode::kInvalidArgument, fmt::format("bidders must be >= 1, got {}", bidders));
  }
  const std::size_t m = types.size();
  if (m > max_types) {
    return fail(
        ErrorCode::kTooLarge,
        fmt::format("the one-bidder LP with {} types exceeds the limit of {} types", m, max_types),
        fmt::format("the LP has m(m-1)/2 = {} rows; use the exact sweep for large type "
                    "spaces, or a coarser grid, or raise max_types",
                    m * (m - 1) / 2));
  }
  // CLP indexes rows and nonzeros with int.
  if (m > 0 && (m - 1) > static_cast<std::size_t>(INT_MAX) / m) {
    return fail(ErrorCode::kTooLarge,
                fmt::format("the one-bidder LP with {} types has too many nonzeros for CLP", m),
                "use the exact sweep for large type spaces");
  }
  if (auto checked = check_types(types); !checked) {
    return tl::unexpected(checked.error());
  }

  LpSolution solution;
  std::vector<double>& x = solution.mechanism.allocation;
  if (m == 1 && bidders == 1) {
    // No rows: the single type buys surely and keeps no rent.
    x.assign(1, 1.0);
  } else {
    auto solved = solve_with_clp(types, bidders);
    if (!solved) {
      return tl::unexpected(solved.error());
    }
    x = std::move(solved->allocation);
    solution.iterations = solved->iterations;
    solution.border_multipliers = std::move(solved->border_multipliers);
  }
  for (double& xk : x) {
    xk = std::clamp(xk, 0.0, 1.0);  // remove CLP's feasibility slack at the bounds
  }

  // The smallest feasible rents, U_k = max(0, max_{j<k} (v_k - v_j) X_j): this drops CLP's slack in
  // degenerate rows and does not change the optimum when X is optimal.
  const auto& v = types.values;
  const auto& p = types.probabilities;
  std::vector<double>& u = solution.mechanism.rent;
  u.assign(m, 0.0);
  for (std::size_t k = 1; k < m; ++k) {
    double best = 0;
    for (std::size_t j = 0; j < k; ++j) {
      best = std::max(best, (v[k] - v[j]) * x[j]);
    }
    u[k] = best;
  }

  detail::CompensatedSum revenue;
  for (std::size_t k = 0; k < m; ++k) {
    revenue.add(static_cast<long double>(p[k]) *
                (static_cast<long double>(v[k]) * x[k] - static_cast<long double>(u[k])));
  }
  solution.revenue = bidders * revenue.value();
  return solution;
}

}  // namespace dia
