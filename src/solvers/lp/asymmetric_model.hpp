// The asymmetric (LP) of docs/asymmetric.md section 4 in CLP, shared by the row generation and
// the full reference LP (internal). Columns per bidder i and type k: X_ik in [0, 1], U_ik >= 0,
// and the value-tail sums T_ik = sum_{l >= k} p_il X_il in [0, 1] (equality rows), through which
// a family of value-upper sets costs one entry per bidder. Every inequality row is a >= row.
#pragma once

#include <ClpSimplex.hpp>
#include <cstddef>
#include <vector>

#include "dia/asymmetric.hpp"

namespace dia::detail {

struct IcRow {
  std::size_t bidder, type, alternative;  // U_ik - (v_ik - v_ij) X_ij >= 0, j = alternative < k
};

class AsymmetricLp {
 public:
  explicit AsymmetricLp(const std::vector<DiscreteTypes>& bidders);

  void add_ic_rows(const std::vector<IcRow>& rows);
  // Border rows sum_i sum_{S_i} p X <= 1 - prod_i (1 - P_i(S_i)).
  void add_families(const std::vector<std::vector<std::vector<std::size_t>>>& families);
  // X_i(v_k+1) - X_i(v_k) >= 0 for every bidder and type: a restriction of the (LP), not one of
  // its rows. The dual bound gives these rows no multiplier, so it stays valid for the problem
  // without them (docs/asymmetric.md section 4).
  void add_monotonicity_rows();
  // Makes those rows free (lower bound -inf) rather than deleting them: the basis stays valid and
  // the optimum with them stays primal feasible, so a primal simplex goes on from it warm
  // (deleting them made CLP repair the basis: 8,750 iterations at 2 x 1000 types, not ~130).
  void relax_monotonicity_rows();
  // One simplex solve (dual, or primal), bounded in iterations; an error unless optimal.
  Expected<void> solve(bool primal);

  std::vector<std::vector<double>> allocation() const;  // X, clamped to [0, 1]
  std::vector<std::vector<double>> rents() const;       // U
  // The Lagrangian bound of docs/asymmetric.md section 4 from the current duals, valid for the
  // problem with ALL families whatever CLP's accuracy.
  double dual_bound() const;

  int iterations = 0;
  std::size_t ic_rows = 0, border_rows = 0;

 private:
  int x(std::size_t i, std::size_t k) const { return offset_[i] + static_cast<int>(k); }
  int u(std::size_t i, std::size_t k) const { return total_ + x(i, k); }
  int t(std::size_t i, std::size_t k) const { return 2 * total_ + x(i, k); }

  const std::vector<DiscreteTypes>& bidders_;
  std::vector<int> offset_;
  int total_ = 0;
  double cost_scale_ = 1;
  ClpSimplex model_;
  std::vector<IcRow> ic_;             // per row index: the IC rows' (bidder, type), else unused
  std::vector<char> is_ic_row_;       // per row
  std::vector<char> is_equality_;     // per row
  std::vector<char> is_restriction_;  // per row: a monotonicity row, without multiplier
};

// The solution for an allocation X: (when `to_border`) scaled down until the oracle finds no
// violated family, the smallest rents, revenues and the measured properties (everything but the
// dual fields).
AsymmetricSolution finish_asymmetric(const std::vector<DiscreteTypes>& bidders,
                                     std::vector<std::vector<double>> allocation, bool to_border);

// max(0, max_{j < k} (v_k - v_j) X_j) and its argmax (k itself where 0), O(m^2): X need not be
// monotone.
std::vector<std::pair<double, std::size_t>> smallest_rents(const DiscreteTypes& types,
                                                           const std::vector<double>& allocation);

}  // namespace dia::detail
