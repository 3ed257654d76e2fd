// Properties of the n-bidder solver over random discrete distributions and N, each checked by an
// independent method: the full CLP LP, the audit's Border-multiplier dual, Myerson's revenue, and
// an exact enumeration of the highest-bidder lottery's reduced form.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>

#include "dia/audit.hpp"
#include "dia/classic.hpp"
#include "dia/distribution.hpp"
#include "dia/ex_post.hpp"
#include "dia/lp_check.hpp"
#include "dia/symmetric.hpp"
#include "support/random_types.hpp"

namespace {

using dia::testing::random_types;
using dia::testing::spec_of;

double relative(double a, double b) { return std::fabs(a - b) / std::max(1e-300, std::fabs(b)); }

// Probabilities spanning up to e^20 = 5e8. Beyond that (e^30 = 1e13) both LPs still solve, but
// CLP's tolerances (1e-12 in scaled units) leave up to ~2e-7 between two optimal values (measured).
RC_GTEST_PROP(Symmetric, EqualsTheFullClpLpAndPassesTheAudit, ()) {
  const auto types = *random_types(40, 20);
  const int n = *rc::gen::inRange(2, 8);
  const auto fast = dia::solve_symmetric(types, n);
  RC_ASSERT(fast.has_value());
  const auto lp = dia::solve_symmetric_lp(types, n);
  RC_ASSERT(lp.has_value());
  RC_ASSERT(relative(fast->revenue, lp->revenue) <= 1e-7);
  const auto audit = dia::audit_symmetric(types, n, fast->mechanism, &fast->certificate,
                                          dia::kSymmetricAuditTolerances);
  RC_ASSERT(audit.passed);
  RC_ASSERT(audit.dual_gap <= 1e-6);
  RC_ASSERT(audit.max_border_violation <= 1e-9);
}

RC_GTEST_PROP(Symmetric, NeverEarnsLessThanMyerson, ()) {
  const auto types = *random_types(60);
  const int n = *rc::gen::inRange(2, 6);
  const auto d = dia::parse_distribution(spec_of(types));
  RC_ASSERT(d.has_value());
  const auto fast = dia::solve_symmetric((*d)->atoms(), n);
  RC_ASSERT(fast.has_value());
  RC_ASSERT(fast->revenue >= dia::classic_revenues(**d, n).myerson * (1 - 1e-9));
}

// Two bidders: the lottery's reduced form by exact enumeration of the opponent's value,
// X(v_i) = sum_j p_j P(win | v_i vs v_j), equals the designed X wherever q <= 1.
RC_GTEST_PROP(Symmetric, LotteryReducedFormEqualsTheDesign, ()) {
  const auto types = *random_types(30);
  const auto d = *dia::parse_distribution(spec_of(types));
  const auto& t = d->atoms();
  const auto fast = dia::solve_symmetric(t, 2);
  RC_ASSERT(fast.has_value());
  const auto rule = dia::HighestBidderLottery::build(t.values, fast->mechanism.allocation, 2, d);
  RC_PRE(rule.has_value());  // q > 1 cases need a general Border lottery
  for (std::size_t i = 0; i < t.size(); ++i) {
    double x = 0;
    for (std::size_t j = 0; j < t.size(); ++j) {
      const double share = j < i ? 1.0 : j == i ? 0.5 : 0.0;  // ties split uniformly
      x += t.probabilities[j] * share * rule->win_probability(t.values[i]);
    }
    RC_ASSERT(std::fabs(x - fast->mechanism.allocation[i]) <= 1e-9);
  }
}

}  // namespace

namespace {

// The structured construction on random discrete distributions: always a feasible mechanism
// (IC, LL, Border) never above the LP's optimum, with a certificate whose dual bound is never
// below it; when it certifies to 1e-9 (then the designer uses it) it equals the LP to 1e-7.
RC_GTEST_PROP(Symmetric, StructuredConstructionIsBracketedByTheFullLp, ()) {
  const auto types = *random_types(40, 20);
  const int n = *rc::gen::inRange(2, 8);
  const auto structured = dia::solve_symmetric_structured(types, n);
  RC_CLASSIFY(!structured, "no Border-feasible switch point");
  if (!structured) return;  // the designer uses the LP
  const auto lp = dia::solve_symmetric_lp(types, n);
  RC_ASSERT(lp.has_value());
  const auto audit = dia::audit_symmetric(types, n, structured->mechanism, &structured->certificate,
                                          dia::kSymmetricAuditTolerances);
  const double scale = std::max(1.0, types.values.back());
  RC_ASSERT(audit.max_ic_violation <= 1e-12 * scale);
  RC_ASSERT(audit.max_ll_violation <= 1e-12 * scale);
  RC_ASSERT(audit.max_border_violation <= 1e-9);
  RC_ASSERT(structured->revenue <= lp->revenue + 1e-9 * std::max(1.0, lp->revenue));
  RC_ASSERT(audit.dual >= lp->revenue - 1e-9 * std::max(1.0, lp->revenue));
  RC_CLASSIFY(audit.dual_gap <= 1e-9, "certified exact");
  if (audit.dual_gap <= 1e-9) RC_ASSERT(relative(structured->revenue, lp->revenue) <= 1e-7);
}

}  // namespace
