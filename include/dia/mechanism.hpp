// The vocabulary of a one-bidder inspection mechanism in reduced form (docs/model.md#reduced-form).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace dia {

// Reduced form on a finite type space v_1 < ... < v_m (indices as in DiscreteTypes).
struct ReducedForm {
  std::vector<double> allocation;  // X_k, the probability that type k gets the item
  std::vector<double> rent;        // R_k, its expected reward (RENT)
};

// One arc of the dual transport plan (DUAL): `mass` of type `source` covers the demand of the
// lower type `target` at a rate of v_source - v_target per unit.
struct CoverageFlow {
  std::size_t source;
  std::size_t target;
  double mass;
};

// A dual certificate: a coverage plan. Its objective is sum_j (p_j v_j - coverage_j)^+.
using CoveragePlan = std::vector<CoverageFlow>;

// Multipliers of the (LP) with Border rows, per bidder: a coverage plan (the IC multipliers
// lambda_kj, as in (DUAL)), Border multipliers beta_k >= 0 (docs/model.md#border-dual) and
// monotonicity multipliers gamma_k >= 0 for X_{k+1} - X_k >= 0. For every feasible X the revenue
// per bidder is at most sum_j (p_j (v_j - B_j) - coverage_j + gamma_{j-1} - gamma_j)^+ + sum_k
// beta_k H_k, B_j = beta_1 + ... + beta_j, H_k = (1 - F_{k-1}^n) / n.
struct SymmetricCertificate {
  CoveragePlan plan;
  std::vector<double> border;    // beta
  std::vector<double> monotone;  // gamma, m - 1 entries
};

}  // namespace dia
