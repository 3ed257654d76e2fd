// The one-bidder sweep on small instances worked out by hand (docs/model.md#sweep).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "dia/audit.hpp"
#include "dia/one_bidder.hpp"

namespace {

using dia::DiscreteTypes;

TEST(OneBidderSweep, ThreePointExample) {
  // X = (1/2, 1, 1), U = (0, 1/2, 1), revenue 1.1: type 3 is indifferent between bidding 1
  // ((3 - 1) * 1/2 = 1) and 2 ((3 - 2) * 1 = 1); the dual plan ships .3 of type 2 and .1 of type 3
  // to cover type 1's demand .5, and .1 of type 3 to type 2; uncovered: .5 of type 2, .6 of type 3.
  const DiscreteTypes t{{1, 2, 3}, {.5, .3, .2}};
  const auto s = dia::solve_one_bidder_sweep(t);
  EXPECT_NEAR(s.revenue, 1.1, 1e-15);
  EXPECT_NEAR(s.dual_revenue, 1.1, 1e-15);
  EXPECT_NEAR(s.mechanism.allocation[0], 0.5, 1e-15);
  EXPECT_EQ(s.mechanism.allocation[1], 1.0);
  EXPECT_NEAR(s.mechanism.rent[1], 0.5, 1e-15);
  EXPECT_NEAR(s.mechanism.rent[2], 1.0, 1e-15);
  EXPECT_EQ(s.cutoff, 1u);
}

TEST(OneBidderSweep, TwoTypesSellOnlyToTheHighOne) {
  // v = (1, 2), p = (.5, .5): revenue = .5 X1 + X2 - .5 U2 with U2 >= X1, so at most 1, reached
  // by X = (0, 1) (the sweep's choice: type 2's mass exactly covers type 1, X_1 = 0).
  const DiscreteTypes t{{1, 2}, {.5, .5}};
  const auto s = dia::solve_one_bidder_sweep(t);
  EXPECT_NEAR(s.revenue, 1.0, 1e-15);
  EXPECT_EQ(s.mechanism.allocation[0], 0.0);
  EXPECT_EQ(s.mechanism.allocation[1], 1.0);
}

TEST(OneBidderSweep, SingleAtomSellsAtItsValue) {
  const auto s = dia::solve_one_bidder_sweep(DiscreteTypes{{3}, {1}});
  EXPECT_EQ(s.revenue, 3.0);
  EXPECT_EQ(s.mechanism.allocation[0], 1.0);
  EXPECT_EQ(s.mechanism.rent[0], 0.0);
}

TEST(OneBidderSweep, ZeroValueAtomIsHarmless) {
  // A zero value has no demand; type 2 can only cover it, so its mass is useless: X_0 = 0.
  const DiscreteTypes t{{0, 1, 2}, {.2, .3, .5}};
  const auto s = dia::solve_one_bidder_sweep(t);
  EXPECT_EQ(s.mechanism.allocation[0], 0.0);
  const auto audit = dia::audit_one_bidder(t, s.mechanism, &s.plan);
  EXPECT_TRUE(audit.passed);
  EXPECT_LT(audit.dual_gap, 1e-15);
}

TEST(OneBidderSweep, FineUniformGridApproachesTheContinuum) {
  // Midpoint grid of uniform(0,1): the revenue converges to (sqrt5 - 1)/4
  // (docs/model.md#example-uniform).
  DiscreteTypes t;
  const int m = 20000;
  for (int k = 0; k < m; ++k) {
    t.values.push_back((k + 0.5) / m);
    t.probabilities.push_back(1.0 / m);
  }
  const auto s = dia::solve_one_bidder_sweep(t);
  EXPECT_NEAR(s.revenue, (std::sqrt(5.0) - 1) / 4, 1e-8);
  EXPECT_NEAR(t.values[s.cutoff], 2 / (1 + std::sqrt(5.0)), 1e-4);
}

}  // namespace

// The allocation the greedy plan prices (the column generation's pricing,
// docs/model.md#column-generation), worked by hand on v = (1, 2, 3), p = (.5, .3, .2).
TEST(GreedyPlanAllocation, EqualsTheSweepForTheOneBidderDemands) {
  const dia::DiscreteTypes t{{1, 2, 3}, {0.5, 0.3, 0.2}};
  const std::vector<double> demand{0.5, 0.6, 0.6};  // p_j v_j
  const auto g = dia::greedy_plan_allocation(t, demand);
  ASSERT_EQ(g.allocation.size(), 3u);
  EXPECT_NEAR(g.allocation[0], 0.5, 1e-15);
  EXPECT_NEAR(g.allocation[1], 1.0, 1e-15);
  EXPECT_NEAR(g.allocation[2], 1.0, 1e-15);
  EXPECT_NEAR(g.dual_value, 1.1, 1e-15);
}

TEST(GreedyPlanAllocation, ZeroWhereTheDemandIsNegativeAndStillOptimal) {
  // d = (.5, -1, .6): source 2 ships .3 to type 1 (residual .2), source 3 ships .1 to type 1 (2
  // each) and passes type 2; the chain of source 3 gives X_2 = 0 (it is the source's own
  // neighbour: v_3 - v_3 = 0), hence X_1 = 0; X_3 = 1. Objective .6 * 1 - p_3 R_3 = .6 (R_3 = 0),
  // the plan's value: residuals (0, -1, .6).
  const dia::DiscreteTypes t{{1, 2, 3}, {0.5, 0.3, 0.2}};
  const std::vector<double> demand{0.5, -1.0, 0.6};
  const auto g = dia::greedy_plan_allocation(t, demand);
  EXPECT_EQ(g.allocation, (std::vector<double>{0.0, 0.0, 1.0}));
  EXPECT_NEAR(g.dual_value, 0.6, 1e-15);
}
