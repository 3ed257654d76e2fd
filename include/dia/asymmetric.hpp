// Independent bidders with different finite type spaces (docs/asymmetric.md): Border's condition
// over families of sets, its exact separation oracle, the optimal inspection mechanism by row
// generation with a Lagrangian dual certificate, and the classic baselines.
#pragma once

#include <cstddef>
#include <limits>
#include <vector>

#include "dia/discrete_types.hpp"
#include "dia/error.hpp"
#include "dia/mechanism.hpp"

namespace dia {

// A family S = (S_1, ..., S_n) of type sets, one per bidder (indices into that bidder's types),
// and its Border gap sum_i E[X_i; S_i] + prod_i (1 - P_i(S_i)) - 1 (> 0: violated).
struct BorderFamily {
  std::vector<std::vector<std::size_t>> sets;
  double gap = 0;
};

// The oracle of docs/asymmetric.md section 3: the candidate families (group prefixes of X_i
// decreasing, one per left end of the intervals I_i(k)), largest gap first. The first one has the
// largest gap over ALL families. `allocations[i]` is X_i on `bidders[i]`'s types.
// At most `max_families` are returned (the largest gaps).
std::vector<BorderFamily> border_candidates(
    const std::vector<DiscreteTypes>& bidders, const std::vector<std::vector<double>>& allocations,
    std::size_t max_families = std::numeric_limits<std::size_t>::max());

// The same candidates as group prefixes, for callers that walk many of them: `groups[i][g]` are
// bidder i's types of its g-th largest X > 0 (equal X grouped), and a family takes the first
// `prefix[i]` groups of each bidder i. Largest gap first (the gap in extended precision).
struct BorderPrefixes {
  struct Family {
    std::vector<std::size_t> prefix;
    long double gap = 0;
  };
  std::vector<std::vector<std::vector<std::size_t>>> groups;
  std::vector<Family> families;

  // The type sets of a family (sorted type indices, one set per bidder).
  std::vector<std::vector<std::size_t>> sets(const std::vector<std::size_t>& prefix) const;
};
BorderPrefixes border_prefix_candidates(
    const std::vector<DiscreteTypes>& bidders, const std::vector<std::vector<double>>& allocations,
    std::size_t max_families = std::numeric_limits<std::size_t>::max());

// The gap of one family, in extended precision.
double border_gap(const std::vector<DiscreteTypes>& bidders,
                  const std::vector<std::vector<double>>& allocations,
                  const std::vector<std::vector<std::size_t>>& sets);

struct AsymmetricSolution {
  std::vector<ReducedForm> mechanism;     // per bidder: X_i and the smallest rents R_i (RENT)
  std::vector<double> bidder_revenue;     // sum_v p_i(v) (v X_i(v) - R_i(v))
  double revenue = 0;                     // their sum
  double dual_bound = 0;                  // the Lagrangian bound (docs/asymmetric.md section 4)
  double dual_gap = 0;                    // (dual_bound - revenue) / max(1, |dual_bound|)
  double max_border_violation = 0;        // the oracle's largest gap, clipped at 0
  double max_ll_violation = 0;            // max (R_i(v) - v X_i(v))^+
  double max_monotonicity_violation = 0;  // max_i,k (X_i(v_k) - X_i(v_k+1))^+, measured
  double non_highest_lower_bound = 0;     // sum_i E[(X_i - H_i)^+]: P(a non-highest bidder wins) >=
  int rounds = 0;
  int iterations = 0;
  std::size_t border_rows = 0;  // families in the final LP
  std::size_t ic_rows = 0;      // IC rows in the final LP
};

// The optimal inspection mechanism for independent bidders with the given type spaces, exact to
// CLP's tolerances: row generation on the IC rows and the Border oracle, certified by the dual.
struct AsymmetricOptions {
  bool all_ic_rows = false;  // every IC row from the start, not staged (a benchmarks' baseline)
  // Rows seeded from a coarse problem's optimum and a first phase with X monotone
  // (docs/asymmetric.md section 4); false: the unstaged row generation (a benchmarks' baseline).
  bool staged = true;
  // Every IC row and every family of value-upper sets (prod_i (m_i + 1) rows, refused above
  // kMaxPrefixFamilies) from the start, unstaged, then the same row generation to the end: the
  // full LP of the benchmarks' ratio table (docs/asymmetric.md section 9).
  bool all_prefix_rows = false;
};
inline constexpr std::size_t kMaxPrefixFamilies = 200000;
Expected<AsymmetricSolution> solve_asymmetric(const std::vector<DiscreteTypes>& bidders,
                                              const AsymmetricOptions& options = {});

// The reference: every IC row and every family of arbitrary sets (2^M rows, M = total types
// <= kMaxFullLpTypes). Independent of the oracle; for tests and benchmarks.
inline constexpr std::size_t kMaxFullLpTypes = 14;
Expected<AsymmetricSolution> solve_asymmetric_full_lp(const std::vector<DiscreteTypes>& bidders);

// Classic baselines without inspection for independent bidders (docs/asymmetric.md section 5),
// exact sums over the atoms.
struct AsymmetricClassicRevenues {
  double myerson = 0;                         // highest positive ironed virtual value wins
  double second_price = 0;                    // no reserve
  double second_price_anonymous_reserve = 0;  // the best reserve common to all bidders
  double anonymous_reserve = 0;               // that reserve
  double second_price_myerson_reserves = 0;   // bidder i's reserve: smallest v with phibar_i >= 0
  std::vector<double> myerson_reserves;
};
AsymmetricClassicRevenues asymmetric_classic_revenues(const std::vector<DiscreteTypes>& bidders);

// Bidder i's ironed virtual values phibar_i on its types (docs/model.md, classic).
std::vector<double> ironed_virtual_values(const DiscreteTypes& types);

}  // namespace dia
