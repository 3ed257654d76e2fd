// The optimal dominant-strategy IC (DSIC) inspection mechanism for 2 i.i.d. bidders on a grid:
// ONE joint LP over all bid profiles (docs/model.md#dsic), solved by COIN-OR CLP, and its loss
// against the Bayesian (BIC) optimum on the identical grid.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "dia/discrete_types.hpp"
#include "dia/distribution.hpp"
#include "dia/error.hpp"

namespace dia {

// 2 bidders, types v_0 < ... < v_{m-1}. At the profile (v_i, v_j) the bidder of value v_i gets the
// item with probability x[i,j] and expects the reward u[i,j] = x[i,j] rho[i,j] when truthful:
//   (IC)  u[i,j] >= (v_i - v_k) x[k,j]     for all k < i and every j (truthful whatever j bids)
//   (LL)  0 <= u[i,j] <= v_i x[i,j]
//   (F)   x[i,j] + x[j,i] <= 1 (i != j),  x[i,i] <= 1/2  (ties: the rule is symmetric)
//   max   2 sum_ij p_i p_j (v_i x[i,j] - u[i,j]).
// Row-major m x m matrices: allocation[i * m + j] = x[i,j].
struct DominantSolution {
  DiscreteTypes types;
  std::vector<double> allocation;  // x[i,j]
  std::vector<double> reward;      // u[i,j], the smallest IC rewards for x
  double revenue = 0;              // 2 sum_ij p_i p_j (v_i x[i,j] - u[i,j])
  double lower_bidder_wins = 0;    // P(the bidder with the strictly lower value gets the item)
  double sale_probability = 0;     // P(the item is sold)
  double expected_reward = 0;      // 2 sum_ij p_i p_j u[i,j]
  // Independent brute-force checks over every (i, j, k) and pair.
  double max_ic_violation = 0;
  double max_ll_violation = 0;
  double max_feasibility_violation = 0;
  int rounds = 0;
  int iterations = 0;
  std::size_t ic_rows = 0;  // IC rows in the final LP (of m^2 (m-1) / 2)
};

// The size of the full LP on m types and the memory it would need, for refusals before a solve.
struct DominantLpSize {
  std::size_t columns = 0;
  std::size_t rows = 0;
  std::size_t nonzeros = 0;
  double megabytes = 0;  // rough: CLP keeps row and column copies, scaled, plus factorization
};
DominantLpSize dominant_lp_size(std::size_t types);

inline constexpr std::size_t kDefaultDominantGrid = 50;
inline constexpr std::size_t kMaxDominantGrid = 160;

// Refuses (kInvalidArgument / kTooLarge) other numbers of bidders than 2 and grids above
// kMaxDominantGrid, with the size estimate in the message.
Expected<void> validate_dominant_request(std::size_t types, int bidders);

// The DSIC LP by row generation: starts from the IC rows near the best lies under the solution on
// the types merged in pairs (recursively; from the rows to the next lower type on 16 types or
// fewer), adds the violated (i, j, k) rows found by brute force and re-solves warm with the dual
// simplex until none is violated. `all_rows` loads every IC row at once instead (the reference; small m only).
Expected<DominantSolution> solve_dominant_strategy(const DiscreteTypes& types, int bidders = 2,
                                                   bool all_rows = false);

// DSIC against BIC on the identical grid: the quantile grid of `grid` cells of a continuous
// distribution (default kDefaultDominantGrid), or the atoms of a discrete one.
struct DominantComparison {
  DominantSolution dsic;
  double bic_revenue = 0;          // solve_symmetric on the same types
  double loss_vs_bic_percent = 0;  // 100 (BIC - DSIC) / BIC
  std::size_t grid = 0;
  std::string grid_kind;  // "quantile" or "atoms"
};
Expected<DominantComparison> compare_dominant(const Distribution& distribution, int bidders,
                                              std::optional<std::size_t> grid);

// The types compare_dominant solves; refuses too-large requests before any solve.
Expected<DiscreteTypes> dominant_grid(const Distribution& distribution, int bidders,
                                      std::optional<std::size_t> grid);

}  // namespace dia
