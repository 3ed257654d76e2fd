// Negative tests of the audit: certified mechanisms perturbed by small known amounts must fail,
// with the violation reported at the size introduced (worked out by hand below, not by the code
// under test). Each pins one guard of src/audit/audit.cpp that scripts/mutate.sh loosens.
#include <gtest/gtest.h>

#include <cmath>

#include "dia/audit.hpp"
#include "dia/simulation.hpp"
#include "dia/symmetric.hpp"

namespace {

using dia::DiscreteTypes;
using dia::ReducedForm;

// The worked example of docs/model.md (one bidder): v = (1, 2, 3), p = (.5, .3, .2),
// X = (1/2, 1, 1), R = (0, .5, 1), revenue 1.1; the plan ships .3 of type 2 and .1 of type 3 to
// type 1, .1 of type 3 to type 2: coverage (.3 + .2, .1) meets the demands p v = (.5, .6) of
// types 1 and 2 up to (0, .5), and type 3's demand .6 is uncovered: dual .5 + .6 = 1.1.
const DiscreteTypes kThreePoint{{1, 2, 3}, {.5, .3, .2}};
const ReducedForm kOptimum{{.5, 1, 1}, {0, .5, 1}};
const dia::CoveragePlan kPlan{{1, 0, .3}, {2, 0, .1}, {2, 1, .1}};
constexpr double kDelta = 1e-6;

TEST(AuditNegative, TheCertifiedOptimumPasses) {
  const auto a = dia::audit_one_bidder(kThreePoint, kOptimum, &kPlan);
  EXPECT_TRUE(a.passed);
  EXPECT_EQ(a.max_ic_violation, 0.0);
  EXPECT_EQ(a.max_plan_violation, 0.0);
  EXPECT_LE(a.dual_gap, 1e-15);
}

TEST(AuditNegative, AnAllocationRaisedByOneMillionthIsAnIcViolation) {
  // X_1 = 1/2 + d: type 3 bidding 1 gains (3 - 1)(1/2 + d) = 1 + 2d against its rent 1, type 2
  // bidding 1 gains (2 - 1)(1/2 + d) against .5: the largest violation is 2d, exactly.
  ReducedForm raised = kOptimum;
  raised.allocation[0] += kDelta;
  const auto a = dia::audit_one_bidder(kThreePoint, raised, nullptr);
  EXPECT_FALSE(a.passed);
  EXPECT_NEAR(a.max_ic_violation, 2 * kDelta, 1e-15);
  EXPECT_EQ(a.max_ll_violation, 0.0);
}

TEST(AuditNegative, ARentLoweredByOneMillionthIsAnIcViolation) {
  // R_3 = 1 - d: type 3 bidding 1 or 2 still gains 1, d more than its rent.
  ReducedForm lowered = kOptimum;
  lowered.rent[2] -= kDelta;
  const auto a = dia::audit_one_bidder(kThreePoint, lowered, nullptr);
  EXPECT_FALSE(a.passed);
  EXPECT_NEAR(a.max_ic_violation, kDelta, 1e-15);
  // Scaled on max(1, largest value) = 3: a violation of 1e-6 is far above the tolerance 3e-9.
  EXPECT_GT(a.max_ic_violation, 100 * dia::AuditTolerances{}.ic * 3);
}

TEST(AuditNegative, APlanShippingOneMillionthTooMuchIsRejected) {
  // Type 2 ships .3 + d to type 1, whose demand .5 is already met: coverage .5 + d is clipped
  // at the demand, so the dual objective is still 1.1 and the gap still 0. Only the shipping
  // check can see that type 2 ships d more than its mass.
  dia::CoveragePlan over = kPlan;
  over[0].mass += kDelta;
  const auto a = dia::audit_one_bidder(kThreePoint, kOptimum, &over);
  EXPECT_FALSE(a.passed);
  EXPECT_NEAR(a.max_plan_violation, kDelta, 1e-12);  // less .3e-12 of slack in the check
  EXPECT_NEAR(a.dual, 1.1, 1e-15);
  EXPECT_LE(a.dual_gap, 1e-15);
}

// Two bidders on the same types: F = (.5, .8, 1), H_k = (1 - F_{k-1}^2) / 2 = (.5, .375, .18) and
// G_k = (F_k^2 - F_{k-1}^2) / (2 p_k) = (.25, .65, .9).
TEST(AuditNegative, AReducedFormBreakingABorderRowIsReportedAtThatSize) {
  const auto s = dia::solve_symmetric(kThreePoint, 2);
  ASSERT_TRUE(s.has_value()) << s.error().line();
  const auto ok = dia::audit_symmetric(kThreePoint, 2, s->mechanism, &s->certificate,
                                       dia::kSymmetricAuditTolerances);
  ASSERT_TRUE(ok.passed);
  // The top type wins whenever it is highest (Border binds on the top row: 2 * .2 * X_3 <= .36).
  ASSERT_NEAR(s->mechanism.allocation[2], 0.9, 1e-12);
  for (double excess : {1e-9, 1e-6}) {
    // 2 p_3 e = excess: the top row's left side exceeds 1 - F_2^2 by `excess`.
    ReducedForm broken = s->mechanism;
    broken.allocation[2] += excess / (2 * 0.2);
    const auto a = dia::audit_symmetric(kThreePoint, 2, broken, &s->certificate,
                                        dia::kSymmetricAuditTolerances);
    EXPECT_FALSE(a.passed) << excess;
    EXPECT_NEAR(a.max_border_violation, excess, 1e-6 * excess) << excess;
    EXPECT_LE(a.max_ic_violation, 1e-12) << excess;  // nobody bids above the top type
  }
}

TEST(AuditNegative, ANonMonotoneAllocationFailsForTwoBidders) {
  // X = (.25, .25 - d, .9) with the smallest rents R = (0, .25, .5) (type 3's best alternative
  // bid is 1: 2 * .25 > 1 * (.25 - d)). Every other check holds: LL (.25 <= 2 (.25 - d),
  // .5 <= 2.7), Border's threshold rows (.36 <= .36, .51 - .6 d <= .75, .76 - .6 d <= 1). But
  // the thresholds are Border's condition only for monotone X: type 1 (.25) beats type 2
  // (.25 - d), so the audit must fail on monotonicity, by d.
  const ReducedForm bent{{.25, .25 - kDelta, .9}, {0, .25, .5}};
  const auto a = dia::audit_symmetric(kThreePoint, 2, bent, nullptr);
  EXPECT_FALSE(a.passed);
  EXPECT_NEAR(a.max_monotonicity_violation, kDelta, 1e-15);
  EXPECT_EQ(a.max_ic_violation, 0.0);
  EXPECT_EQ(a.max_ll_violation, 0.0);
  EXPECT_LE(a.max_border_violation, 1e-15);
  // One bidder has no Border rows: the same X is a valid (if poor) one-bidder mechanism.
  EXPECT_TRUE(dia::audit_one_bidder(kThreePoint, bent, nullptr).passed);
}

// The simulator's strategic audit on the same one-bidder optimum with every reward scaled by
// 1 - d: a truthful type v keeps (1 - d) R(v), while lying to its best alternative bid still
// earns R(v) (a liar gets no reward anyway). The largest gain is d R(3) = d, at value 3.
TEST(AuditNegative, TheStrategicAuditReportsAKnownProfitableLie) {
  auto d = dia::parse_distribution("discrete(1:0.5,2:0.3,3:0.2)");
  ASSERT_TRUE(d.has_value());
  dia::SimulationConfig config;
  config.mechanism = dia::SimulatedMechanism::kInspection;
  config.bidders = 1;
  config.reward_scale = 1 - kDelta;
  const auto sim = dia::Simulator::create(*d, config);
  ASSERT_TRUE(sim.has_value()) << sim.error().line();
  const auto a = sim->audit({101, 0, 1, 3});
  EXPECT_FALSE(a.incentive_compatible);
  EXPECT_NEAR(a.max_deviation_gain, kDelta, 1e-12);
  EXPECT_EQ(a.max_deviation_value, 3.0);
  EXPECT_LT(a.max_deviation_bid, 3.0);
  // Unscaled, the same mechanism is incentive compatible.
  config.reward_scale = 1;
  const auto fair = dia::Simulator::create(*d, config);
  ASSERT_TRUE(fair.has_value());
  EXPECT_TRUE(fair->audit({101, 0, 1, 3}).incentive_compatible);
}

}  // namespace
