// The ironed stretch of docs/model.md#ironed-stretch: its ends and level against the independent
// 30-digit shooting of tests/reference/ironed_stretch.py (mpmath Taylor series, B_G in closed
// form), and the certificate it closes on a grid where X = G alone cannot close.
#include "solvers/ironed_stretch.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "dia/audit.hpp"
#include "dia/distribution.hpp"
#include "dia/symmetric.hpp"

namespace {

dia::DistributionPtr parse(const char* spec) { return *dia::parse_distribution(spec); }

// From tests/reference/ironed_stretch.py (s1, B0, s2 to 10 digits).
TEST(IronedStretch, EndsAndLevelMatchTheReference) {
  const struct {
    const char* spec;
    double from, level, to;
  } cases[] = {{"lognormal(0,1)", 0.7668631337, 0.2702778683, 1.6009454709},
               {"pareto(1,4)", 1.0926483737, 1.0141646764, 1.2879857149}};
  for (const auto& c : cases) {
    const auto s = dia::detail::ironed_stretch(*parse(c.spec), 3);
    ASSERT_TRUE(s.has_value()) << c.spec;
    EXPECT_NEAR(s->from, c.from, 1e-8) << c.spec;
    EXPECT_NEAR(s->level, c.level, 1e-8) << c.spec;
    EXPECT_NEAR(s->to, c.to, 1e-8) << c.spec;
    // X leaves G by a few 1e-5 (reference: max |X - G| 4.3e-5 and 6.2e-5), above G first.
    double largest = 0;
    for (double e : s->excess) largest = std::max(largest, std::fabs(e));
    EXPECT_GT(largest, 1e-5) << c.spec;
    EXPECT_LT(largest, 1e-4) << c.spec;
    EXPECT_GT(s->excess_at(c.from + 0.05 * (c.to - c.from)), 0) << c.spec;
    EXPECT_LT(s->excess_at(c.to - 0.2 * (c.to - c.from)), 0) << c.spec;
    EXPECT_EQ(s->excess_at(c.from - 0.01), 0) << c.spec;
  }
}

// Where B_G rises throughout there is nothing to iron: uniform(0,1) (B_G = w / 4 for 3 bidders)
// and exponential(1).
TEST(IronedStretch, NoneWhereTheMultiplierRises) {
  EXPECT_FALSE(dia::detail::ironed_stretch(*parse("uniform(0,1)"), 3).has_value());
  EXPECT_FALSE(dia::detail::ironed_stretch(*parse("exponential(1)"), 2).has_value());
}

// On the 5000-cell tail-refined grid of the ladder, X = G's certificate keeps a gap of about
// 3e-5 (no nondecreasing B fits it); with the ironed stretch the construction earns at least as
// much and its certificate closes below 1e-6.
TEST(IronedStretch, ClosesTheCertificateOnTheLaddersGrid) {
  for (const char* spec : {"lognormal(0,1)", "pareto(1,4)"}) {
    const auto d = parse(spec);
    const dia::DiscreteTypes t = dia::tail_refined_grid(*d, 5000, 8);
    const auto stretch = dia::detail::ironed_stretch(*d, 3);
    ASSERT_TRUE(stretch.has_value()) << spec;
    const auto plain = dia::solve_symmetric_structured(t, 3);
    const auto ironed = dia::solve_symmetric_structured(t, 3, &*stretch);
    ASSERT_TRUE(plain && ironed) << spec;
    auto audit = [&](const dia::SymmetricSolution& s) {
      return dia::audit_symmetric(t, 3, s.mechanism, &s.certificate,
                                  dia::AuditTolerances{1e-9, 1e-9, 1e-4});
    };
    const auto a = audit(*plain), b = audit(*ironed);
    ASSERT_TRUE(a.passed && b.passed) << spec;
    EXPECT_GT(a.dual_gap, 5e-6) << spec;
    EXPECT_LT(b.dual_gap, 1e-6) << spec;
    EXPECT_GE(ironed->revenue, plain->revenue) << spec;
    EXPECT_LE(b.max_border_violation, 1e-15) << spec;
    EXPECT_LE(b.max_monotonicity_violation, 0.0) << spec;
  }
}

}  // namespace
