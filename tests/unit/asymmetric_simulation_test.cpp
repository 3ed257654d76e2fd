// The asymmetric simulator (dia/asymmetric_simulation.hpp): a mechanism worked by hand, with and
// without a profitable lie planted in one bidder's rents, and the z-scores of a designed
// mechanism's simulated revenue against its expected revenue (fixed seeds).
#include "dia/asymmetric_simulation.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace dia {
namespace {

// Bidder 0: values (1, 3) with 1/2 each; bidder 1: value 2 for sure. X_0 = (1/2, 1), X_1 = 1/4
// is feasible (all four pairs win 1/4 + 1/2 + 1/4 = 1 = the chance one is present; bidder 0 high
// and bidder 1 win 3/4 <= 1) and the smallest rents are R_0 = (0, (3 - 1) X_0(1)) = (0, 1),
// R_1 = 0. Revenue: bidder 0 (1/2)(1/2 - 0) + (1/2)(3 - 1) = 1.25, bidder 1 2 (1/4) = 0.5.
AsymmetricMechanism hand_mechanism(double rent_high) {
  AsymmetricMechanism m;
  m.bidders = {{{1.0, 3.0}, {0.5, 0.5}}, {{2.0}, {1.0}}};
  ReducedForm r0, r1;
  r0.allocation = {0.5, 1.0};
  r0.rent = {0.0, rent_high};
  r1.allocation = {0.25};
  r1.rent = {0.0};
  m.reduced = {r0, r1};
  m.labels = {"discrete(1:0.5,3:0.5)", "discrete(2:1)"};
  return m;
}

TEST(AsymmetricSimulation, HandMechanismIsTruthfulAndEarnsItsRevenue) {
  auto sim = AsymmetricSimulator::create(hand_mechanism(1.0));
  ASSERT_TRUE(sim) << sim.error().message;
  EXPECT_NEAR(sim->expected_revenue(), 1.75, 1e-15);
  const auto audits = sim->audit({201, 20000, 1, 11});
  ASSERT_EQ(audits.size(), 2u);
  for (const auto& a : audits) {
    EXPECT_TRUE(a.incentive_compatible);
    EXPECT_LE(a.max_deviation_gain, 1e-12);
  }
  // Bidder 0 of value 3 bidding 1: (3 - 1) X_0(1) = 1 = its reward, no gain.
  EXPECT_NEAR(audits[0].rows.back().truthful_utility, 1.0, 1e-12);
  const auto run = sim->run(1 << 20, 7, 2);
  const double z = (run.total.revenue_mean - 1.75) / run.total.revenue_stderr;
  EXPECT_LT(std::fabs(z), 4.0) << run.total.revenue_mean << " +- " << run.total.revenue_stderr;
  const double expected[] = {1.25, 0.5}, sales[] = {0.75, 0.25};
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& b = run.bidders[i];
    EXPECT_NEAR(b.revenue_expected, expected[i], 1e-15);
    EXPECT_NEAR(b.sale_probability, sales[i], 1e-15);
    EXPECT_LT(std::fabs(b.revenue_mean - expected[i]) / b.revenue_stderr, 4.0) << i;
    const double se = std::sqrt(sales[i] * (1 - sales[i]) / (1 << 20));
    EXPECT_NEAR(b.sale_rate, sales[i], 5 * se) << i;
  }
  // Every auction sells: bidder 0 high wins, else bidder 0 low and bidder 1 split it.
  EXPECT_EQ(run.total.sale_rate, 1.0);
}

TEST(AsymmetricSimulation, AuditFlagsTheBidderWithAProfitableLie) {
  // R_0(3) = 0.4 instead of 1: bidder 0 of value 3 gains (3 - 1) (1/2) - 0.4 = 0.6 by bidding 1.
  auto sim = AsymmetricSimulator::create(hand_mechanism(0.4));
  ASSERT_TRUE(sim) << sim.error().message;
  const auto audits = sim->audit({201, 200000, 3, 11});
  ASSERT_EQ(audits.size(), 2u);
  EXPECT_FALSE(audits[0].incentive_compatible);
  EXPECT_NEAR(audits[0].max_deviation_gain, 0.6, 1e-12);
  EXPECT_EQ(audits[0].max_deviation_value, 3.0);
  EXPECT_EQ(audits[0].max_deviation_bid, 1.0);
  ASSERT_TRUE(audits[0].simulated_gain.has_value());
  EXPECT_NEAR(*audits[0].simulated_gain, 0.6, 5 * *audits[0].simulated_stderr + 1e-12);
  EXPECT_TRUE(audits[1].incentive_compatible);
}

TEST(AsymmetricSimulation, RefusesMismatchedMechanisms) {
  auto bad = hand_mechanism(1.0);
  bad.reduced[1].rent = {0.0, 0.0};
  EXPECT_FALSE(AsymmetricSimulator::create(bad));
  auto infeasible = hand_mechanism(1.0);
  infeasible.reduced[1].allocation = {0.5};  // all pairs would win 1.25 > 1
  EXPECT_FALSE(AsymmetricSimulator::create(infeasible));
  auto scaled = hand_mechanism(1.0);
  scaled.reward_scale = 1.5;
  EXPECT_FALSE(AsymmetricSimulator::create(scaled));
}

TEST(AsymmetricSimulation, DesignedRevenueWithinItsStandardErrors) {
  SimulateRequest request;
  request.bidder_classes = {"discrete(1:0.5,3:0.3,4:0.2)", "2*discrete(1:0.3,2:0.4,5:0.3)"};
  request.auctions = 1 << 21;
  request.seed = 20261207;
  request.audit = true;
  request.audit_samples = 0;
  auto plan = plan_asymmetric_simulation(request);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_NEAR(plan->simulator.expected_revenue(), plan->design->revenue, 1e-12);
  const auto outcome = run_asymmetric_simulation(*plan);
  const auto& r = outcome.result;
  EXPECT_LT(std::fabs((r.total.revenue_mean - plan->design->revenue) / r.total.revenue_stderr), 4.0)
      << r.total.revenue_mean << " vs " << plan->design->revenue;
  ASSERT_EQ(r.bidders.size(), 3u);
  for (const auto& b : r.bidders) {
    EXPECT_LT(std::fabs((b.revenue_mean - b.revenue_expected) / b.revenue_stderr), 4.0);
    const double se =
        std::sqrt(b.sale_probability * (1 - b.sale_probability) / double(request.auctions));
    EXPECT_NEAR(b.sale_rate, b.sale_probability, 5 * se);
  }
  const double p = plan->simulator.rule().lower_bidder_wins();
  EXPECT_NEAR(r.lower_bidder_wins, p,
              5 * std::sqrt(p * (1 - p) / double(request.auctions)) + 1e-12);
  ASSERT_EQ(outcome.audits.size(), 3u);
  for (const auto& a : outcome.audits) EXPECT_TRUE(a.incentive_compatible) << a.max_deviation_gain;
  // The same blocks whatever the thread count.
  const auto one = plan->simulator.run(1 << 17, 5, 1), two = plan->simulator.run(1 << 17, 5, 2);
  EXPECT_EQ(one.total.revenue_mean, two.total.revenue_mean);
  EXPECT_EQ(one.bidders[2].revenue_mean, two.bidders[2].revenue_mean);
}

TEST(AsymmetricSimulation, RequestsOutsideTheAsymmetricSimulatorAreRefused) {
  SimulateRequest request;
  request.bidder_classes = {"uniform(2,1)"};
  auto bad = plan_asymmetric_simulation(request);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("bidder 1"), std::string::npos) << bad.error().message;
  request.bidder_classes = {"uniform(0,1)", "uniform(0,2)"};
  request.mechanism = "myerson";
  request.noise = "normal(0.1)";  // the classic mechanisms do not inspect
  EXPECT_FALSE(plan_asymmetric_simulation(request));
  request.noise = "none";
  request.grid = 8;  // nor have a design grid
  EXPECT_FALSE(plan_asymmetric_simulation(request));
  request.grid = 0;
  request.mechanism = "inspection";
  request.auctions = 0;
  EXPECT_FALSE(plan_asymmetric_simulation(request));
}

}  // namespace
}  // namespace dia
