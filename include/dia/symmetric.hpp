// The optimal inspection mechanism for n symmetric bidders on a finite type space
// (docs/model.md#symmetric), with a dual certificate the audit checks on its own.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "dia/audit.hpp"
#include "dia/discrete_types.hpp"
#include "dia/error.hpp"
#include "dia/mechanism.hpp"

namespace dia {

// The certificate's multipliers come from CLP in double precision: on probabilities spanning
// 1e13 they certify the optimum to ~3e-7 relative (measured over 2000 random instances), so the
// n-bidder audit accepts a dual gap up to 1e-6 and reports the gap it found.
inline constexpr AuditTolerances kSymmetricAuditTolerances{1e-9, 1e-9, 1e-6};

struct SymmetricSolution {
  ReducedForm mechanism;  // interim X and R per bidder
  double revenue = 0;     // n sum_k p_k (v_k X_k - R_k)
  SymmetricCertificate certificate;
  int rounds = 0;           // row-generation rounds
  int iterations = 0;       // simplex iterations in all
  std::size_t ic_rows = 0;  // IC rows in the final LP (of m(m-1)/2)
};

// Solves the (LP) for n >= 2 bidders exactly (to CLP's 1e-12 tolerances) by row generation: the
// monotone allocation makes all but a few IC rows per type redundant, so only the rows the
// deviation envelope (RENT) finds violated are added, and the dual simplex restarts warm. The
// Border condition uses the tail sums S_k = sum_{l >= k} p_l X_l as columns bounded by H_k.
// `hint`, if given, is an allocation on another grid of the same distribution (values, X), e.g. the
// solution on a coarser grid: its best alternative bids seed the IC rows, saving rounds.
struct AllocationHint {
  std::vector<double> values;
  std::vector<double> allocation;
};
Expected<SymmetricSolution> solve_symmetric(const DiscreteTypes& types, int bidders,
                                            const AllocationHint* hint = nullptr);

// A stretch [from, to] of values where the continuum optimum irons (docs/model.md#ironed-stretch):
// Border is slack inside, its multiplier B is the constant `level`, and the allocation is the
// one-bidder shape for the demand (w - level) f(w), tabulated at `values` (increasing, from `from`
// to `to`) as its `excess` X - F^(n-1) over the highest-bidder rule; X = G at both ends.
struct IronedStretch {
  double from = 0, to = 0, level = 0;
  std::vector<double> values, excess;
  double excess_at(double v) const;  // X - F^(n-1) at v in [from, to], linearly interpolated
};

// The structured construction of docs/model.md#structured: X = G from a switch point up, the
// rescaled one-bidder shape below, and a certificate built from best-alternative pairs and the
// binding stretch. Fast (O(m log m) per candidate switch point) but a heuristic: audit its
// certificate. Nothing when no switch point gives a Border-feasible allocation. With `ironed`, the
// cells inside that stretch take its allocation instead of G when that keeps Border's condition,
// monotonicity and at least the revenue (docs/model.md#ironed-stretch).
std::optional<SymmetricSolution> solve_symmetric_structured(const DiscreteTypes& types, int bidders,
                                                            const IronedStretch* ironed = nullptr);

// The certified gaps (relative) at which the designer keeps the structured construction: on the
// atoms of a discrete distribution (then it agrees with the (LP) far inside the 1e-7 the property
// tests demand), and on a quantile grid, where the grid's exact optimum wiggles around G from cell
// to cell (q = X/G up to ~1.05) and cannot run as a highest-bidder lottery, while X = G can. The
// grid gap enters the stated error (docs/model.md#status-symmetric), so a grid certified to 1e-4
// gives an honest `grid_limited` answer where the (LP) fallback's 1000 cells were worse
// (lognormal(0,1), 3 bidders: 3.5e-5 against 2.3e-4, docs/model.md#structured-certificate).
inline constexpr double kStructuredExactGap = 1e-9;
inline constexpr double kStructuredGridGap = 1e-4;

// The designer's exact route on a finite type space: the structured construction when its
// certificate proves it within 1e-9 (relative) of the optimum, else the (LP) by row generation.
struct ExactSymmetricSolution {
  SymmetricSolution solution;
  std::string method;                    // which route, for people
  std::optional<double> structured_gap;  // the certified gap when the structured route was kept
};
Expected<ExactSymmetricSolution> solve_symmetric_exact(const DiscreteTypes& types, int bidders);

}  // namespace dia
