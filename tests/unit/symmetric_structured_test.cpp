// The structured n-bidder construction (docs/model.md#structured) against the exact (LP) with
// Border rows through CLP on the same grids, and its certificate against the audit.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "dia/audit.hpp"
#include "dia/distribution.hpp"
#include "dia/lp_check.hpp"
#include "dia/symmetric.hpp"

namespace {

dia::DiscreteTypes grid(const char* spec, std::size_t cells) {
  return dia::quantile_grid(**dia::parse_distribution(spec), cells);
}

// On a 150-cell grid (small enough for the full LP with every IC row) the construction is a
// feasible mechanism whose revenue lies within its certified gap below the LP's optimum, and the
// certificate's dual bound lies above that optimum, for every n.
TEST(SymmetricStructured, BracketsTheFullLpOptimumWithinItsCertifiedGap) {
  for (const char* spec : {"uniform(0,1)", "beta(2,5)", "uniform(1,2)"}) {
    const dia::DiscreteTypes t = grid(spec, 150);
    for (int n : {2, 3, 10}) {
      const auto s = dia::solve_symmetric_structured(t, n);
      ASSERT_TRUE(s.has_value()) << spec << " n=" << n;
      const auto audit =
          dia::audit_symmetric(t, n, s->mechanism, &s->certificate, dia::kSymmetricAuditTolerances);
      const auto lp = dia::solve_symmetric_lp(t, n);
      ASSERT_TRUE(lp.has_value());
      EXPECT_LE(audit.max_ic_violation, 1e-12) << spec << " n=" << n;
      EXPECT_LE(audit.max_border_violation, 1e-12) << spec << " n=" << n;
      EXPECT_LE(audit.max_monotonicity_violation, 0.0) << spec << " n=" << n;
      EXPECT_LE(s->revenue, lp->revenue * (1 + 1e-10)) << spec << " n=" << n;
      EXPECT_GE(audit.dual, lp->revenue * (1 - 1e-10)) << spec << " n=" << n;
      EXPECT_NEAR(audit.primal, s->revenue, 1e-12 * s->revenue);
    }
  }
}

// Uniform(0,1), 2 bidders: Border binds from the switch point up and no source's best alternative
// lies there, so the construction is exactly the LP's optimum (docs/model.md#structured and the
// closed form 2 (1 - phi^-3) / 3 in the limit).
TEST(SymmetricStructured, UniformTwoBiddersIsExact) {
  const dia::DiscreteTypes t = grid("uniform(0,1)", 400);
  const auto s = dia::solve_symmetric_structured(t, 2);
  ASSERT_TRUE(s.has_value());
  const auto audit = dia::audit_symmetric(t, 2, s->mechanism, &s->certificate);
  EXPECT_TRUE(audit.passed);
  EXPECT_LE(audit.dual_gap, 1e-13);
  const auto lp = dia::solve_symmetric_lp(t, 2);
  EXPECT_NEAR(s->revenue, lp->revenue, 1e-9 * lp->revenue);
}

// The performance target's size: on 10^4 cells the certificate is within the audit's 1e-6 for
// regular distributions and every n from 2 to 10, and the revenue approaches the closed form.
// (Not uniform(1,2) with 2 bidders: there the optimum sells to a lower bidder at the bottom, a
// structure the construction does not cover; the designer falls back to the LP.)
TEST(SymmetricStructured, TenThousandCellsCertifyForRegularDistributions) {
  for (const char* spec : {"uniform(0,1)", "beta(2,5)", "uniform(1,2)"}) {
    const dia::DiscreteTypes t = grid(spec, 10000);
    for (int n = std::string(spec) == "uniform(1,2)" ? 3 : 2; n <= 10; ++n) {
      const auto s = dia::solve_symmetric_structured(t, n);
      ASSERT_TRUE(s.has_value());
      const auto audit =
          dia::audit_symmetric(t, n, s->mechanism, &s->certificate, dia::kSymmetricAuditTolerances);
      EXPECT_TRUE(audit.passed) << spec << " n=" << n << " gap " << audit.dual_gap;
    }
  }
  const double phi = (1 + std::sqrt(5.0)) / 2;
  const auto s = dia::solve_symmetric_structured(grid("uniform(0,1)", 10000), 2);
  EXPECT_NEAR(s->revenue, 2 * (1 - std::pow(phi, -3)) / 3, 1e-8);
}

}  // namespace
