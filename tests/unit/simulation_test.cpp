// dia simulate's library: simulated revenue against closed forms and designs, determinism across
// thread counts, the strategic audit, noisy inspection (docs/model.md#simulation).
#include "dia/simulation.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "dia/classic.hpp"
#include "dia/design.hpp"

namespace {

using dia::SimulatedMechanism;

dia::Simulator make(const std::string& spec, SimulatedMechanism m, int bidders,
                    dia::SimulationConfig config = {}) {
  auto d = dia::parse_distribution(spec);
  EXPECT_TRUE(d.has_value()) << spec;
  config.mechanism = m;
  config.bidders = bidders;
  auto sim = dia::Simulator::create(*d, config);
  EXPECT_TRUE(sim.has_value()) << (sim ? "" : sim.error().line());
  return std::move(*sim);
}

// Within 4 standard errors of `expected`.
void expect_revenue(const dia::MonteCarloResult& r, double expected) {
  if (r.revenue_stderr == 0) {  // a deterministic outcome (e.g. a posted price every bidder takes)
    EXPECT_NEAR(r.revenue_mean, expected, 1e-12);
    return;
  }
  EXPECT_LT(std::abs(r.revenue_mean - expected), 4 * r.revenue_stderr)
      << "mean " << r.revenue_mean << " expected " << expected << " stderr " << r.revenue_stderr;
}

TEST(Simulation, SecondPriceTwoUniformBiddersEarnsOneThird) {
  const auto sim = make("uniform(0,1)", SimulatedMechanism::kSecondPrice, 2);
  EXPECT_NEAR(sim.expected_revenue(), 1.0 / 3, 1e-12);
  const auto r = sim.run(2000000, 11, 2);
  expect_revenue(r, 1.0 / 3);
  EXPECT_EQ(r.sale_rate, 1.0);
  EXPECT_EQ(r.reward_mean, 0.0);
}

TEST(Simulation, MyersonTwoUniformBiddersEarnsFiveTwelfths) {
  const auto sim = make("uniform(0,1)", SimulatedMechanism::kMyerson, 2);
  EXPECT_NEAR(sim.expected_revenue(), 5.0 / 12, 1e-9);
  const auto r = sim.run(2000000, 12, 2);
  expect_revenue(r, 5.0 / 12);
  EXPECT_NEAR(r.sale_rate, 0.75, 4 * std::sqrt(0.75 * 0.25 / 2e6));
}

TEST(Simulation, OneBidderInspectionEarnsTheDesign) {
  const auto sim = make("uniform(0,1)", SimulatedMechanism::kInspection, 1);
  EXPECT_NEAR(sim.expected_revenue(), (std::sqrt(5.0) - 1) / 4, 1e-5);
  const auto r = sim.run(4000000, 13, 2);
  expect_revenue(r, sim.expected_revenue());
  expect_revenue(r, (std::sqrt(5.0) - 1) / 4);
  EXPECT_GT(r.reward_mean, 0.05);
}

TEST(Simulation, TwoBidderInspectionEarnsTheDesign) {
  const auto sim = make("uniform(0,1)", SimulatedMechanism::kInspection, 2);
  const auto r = sim.run(4000000, 14, 2);
  expect_revenue(r, sim.expected_revenue());
  EXPECT_GT(sim.expected_revenue(), 5.0 / 12);  // inspection never earns less than Myerson
}

// Three and more bidders on a quantile grid: X = G there exceeds F(v)^(n-1) at the cells'
// conditional means by the cells' squared width, which design_mechanism caps so the
// highest-bidder lottery runs it; the run earns the design's revenue to that order.
TEST(Simulation, ManyBidderInspectionEarnsTheDesign) {
  for (const char* spec : {"uniform(0,1)", "exponential(1)"}) {
    for (int n : {3, 5}) {
      const auto d = *dia::parse_distribution(spec);
      const auto design = dia::design_inspection(*d, n, {});
      const auto sim = make(spec, SimulatedMechanism::kInspection, n);
      EXPECT_NEAR(sim.expected_revenue(), design.revenue, 1e-5 * design.revenue) << spec << n;
      expect_revenue(sim.run(2000000, 30 + n, 2), sim.expected_revenue());
    }
  }
}

// uniform(1,2), 2 bidders: the optimum sells to the lower bidder at the bottom (q > 1), so the
// run uses the Border lottery over bid profiles; it earns the design's revenue, sells always
// (the design's sale probability is 1) and no lie pays.
TEST(Simulation, BorderLotteryRunsTheTwoBidderUniformOneTwoOptimum) {
  const auto sim = make("uniform(1,2)", SimulatedMechanism::kInspection, 2);
  const auto d = *dia::parse_distribution("uniform(1,2)");
  EXPECT_NEAR(sim.expected_revenue(), dia::design_inspection(*d, 2, {}).revenue, 1e-5);
  const auto r = sim.run(2000000, 41, 2);
  expect_revenue(r, sim.expected_revenue());
  EXPECT_NEAR(r.sale_rate, 1.0, 1e-9);
}

// pareto(1,3), 3 bidders: the design sells to a lower bidder at some values (q > 1) and runs as
// the Border lottery in its transfer form.
TEST(Simulation, TransferLotteryRunsAThreeBidderDesignWithQAboveOne) {
  const auto sim = make("pareto(1,3)", SimulatedMechanism::kInspection, 3);
  expect_revenue(sim.run(2000000, 43, 2), sim.expected_revenue());
}

// Two clusters of atoms, 10 bidders: the optimum gives low types far more than the chance of
// being highest (q up to ~1e5), which transfers cannot carry; it runs as hierarchies.
TEST(Simulation, HierarchyLotteryRunsABimodalTenBidderDesign) {
  const std::string spec =
      "discrete(0.1:0.1,0.3:0.1,0.5:0.1,0.7:0.1,0.9:0.1,2.1:0.1,2.3:0.1,2.5:0.1,2.7:0.1,2.9:0.1)";
  const auto d = *dia::parse_distribution(spec);
  const auto design = dia::design_inspection(*d, 10, {});
  ASSERT_TRUE(design.border_lottery.has_value());
  EXPECT_EQ(design.border_lottery->form, "hierarchies");
  const auto sim = make(spec, SimulatedMechanism::kInspection, 10);
  EXPECT_NEAR(sim.expected_revenue(), design.revenue, 1e-9);
  expect_revenue(sim.run(1000000, 47, 2), sim.expected_revenue());
}

TEST(Simulation, DiscreteValuesMatchTheClosedForms) {
  const std::string spec = "discrete(1:0.5,2:0.3,3:0.2)";
  const auto d = *dia::parse_distribution(spec);
  for (int n : {1, 2, 3}) {
    const auto c = dia::classic_revenues(*d, n);
    for (auto m : {SimulatedMechanism::kMyerson, SimulatedMechanism::kSecondPriceReserve}) {
      const auto sim = make(spec, m, n);
      const double expected =
          m == SimulatedMechanism::kMyerson ? c.myerson : c.second_price_reserve;
      EXPECT_NEAR(sim.expected_revenue(), expected, 1e-12);
      expect_revenue(sim.run(1000000, 15 + n, 2), expected);
    }
    if (n > 1)
      expect_revenue(make(spec, SimulatedMechanism::kSecondPrice, n).run(1000000, 3, 2),
                     c.second_price);
  }
  // docs/model.md#example-three-types (worked example): revenue 1.1.
  const auto sim = make(spec, SimulatedMechanism::kInspection, 1);
  EXPECT_NEAR(sim.expected_revenue(), 1.1, 1e-12);
  expect_revenue(sim.run(1000000, 19, 2), 1.1);
}

TEST(Simulation, IroningOnAtomsMatchesMyerson) {
  // An irregular discrete distribution (ironing needed) with ties among several bidders.
  const std::string spec = "discrete(1:0.3,2:0.05,3:0.3,4:0.05,10:0.3)";
  const auto d = *dia::parse_distribution(spec);
  for (int n : {2, 4}) {
    const auto sim = make(spec, SimulatedMechanism::kMyerson, n);
    expect_revenue(sim.run(1000000, 21, 2), dia::classic_revenues(*d, n).myerson);
  }
}

TEST(Simulation, TabulatedAndClosedFormSamplers) {
  for (const char* spec : {"exponential(2)", "beta(2,3)", "truncnormal(1,1,0,3)", "pareto(1,3)",
                           "mixture(0.5:uniform(0,1),0.5:uniform(2,3))"}) {
    const auto d = *dia::parse_distribution(spec);
    const auto sim = make(spec, SimulatedMechanism::kSecondPriceReserve, 3);
    EXPECT_LT(sim.sampling().max_quantile_error, 1e-6) << spec;  // 1e-7 of the IQR at most
    expect_revenue(sim.run(1000000, 23, 2), dia::classic_revenues(*d, 3).second_price_reserve);
  }
}

TEST(Simulation, SameSeedSameResultForEveryThreadCount) {
  const auto sim = make("uniform(0,1)", SimulatedMechanism::kInspection, 1);
  const std::uint64_t k = 5 * dia::Simulator::kBlockAuctions + 123;
  const auto one = sim.run(k, 42, 1);
  for (int threads : {2, 3, 8}) {
    const auto other = sim.run(k, 42, threads);
    EXPECT_EQ(one.revenue_mean, other.revenue_mean) << threads;
    EXPECT_EQ(one.revenue_stderr, other.revenue_stderr) << threads;
    EXPECT_EQ(one.reward_mean, other.reward_mean) << threads;
    EXPECT_EQ(one.sale_rate, other.sale_rate) << threads;
  }
  EXPECT_NE(one.revenue_mean, sim.run(k, 43, 2).revenue_mean);
}

TEST(Simulation, AuditFindsNoProfitableLieInTheOptimum) {
  for (const char* spec : {"uniform(0,1)", "discrete(1:0.5,2:0.3,3:0.2)"}) {
    const auto sim = make(spec, SimulatedMechanism::kInspection, 1);
    const auto a = sim.audit({101, 20000, 5, 5});
    EXPECT_LT(std::abs(a.max_deviation_gain), 1e-9) << spec;
    ASSERT_TRUE(a.simulated_gain.has_value());
    EXPECT_LT(std::abs(*a.simulated_gain), 4 * *a.simulated_stderr + 1e-12) << spec;
  }
  for (auto m : {SimulatedMechanism::kSecondPrice, SimulatedMechanism::kMyerson}) {
    for (const char* spec : {"uniform(0,1)", "discrete(1:0.3,2:0.05,3:0.3,4:0.05,10:0.3)"}) {
      const auto a = make(spec, m, 3).audit({101, 20000, 5, 5});
      EXPECT_LT(a.max_deviation_gain, 1e-9) << spec;
    }
  }
}

TEST(Simulation, AuditFlagsHalvedRewards) {
  dia::SimulationConfig broken;
  broken.reward_scale = 0.5;
  const auto sim = make("uniform(0,1)", SimulatedMechanism::kInspection, 1, broken);
  const auto a = sim.audit({101, 50000, 5, 5});
  EXPECT_GT(a.max_deviation_gain, 0.01);
  EXPECT_LT(a.max_deviation_bid, a.max_deviation_value);  // shading the bid pays
  ASSERT_TRUE(a.simulated_gain.has_value());
  EXPECT_GT(*a.simulated_gain, 4 * *a.simulated_stderr);
  EXPECT_LT(std::abs(*a.simulated_gain - a.max_deviation_gain), 4 * *a.simulated_stderr);
}

TEST(Simulation, NoisyInspection) {
  auto noise = dia::parse_inspection_noise("normal(0.02)");
  ASSERT_TRUE(noise.has_value());
  dia::SimulationConfig config;
  config.noise = *noise;
  config.tolerance = 0.02;
  const auto sim = make("uniform(0,1)", SimulatedMechanism::kInspection, 1, config);
  const double denied = 1 - std::erf(1 / std::sqrt(2.0));  // P(|N(0,1)| > 1)
  const auto r = sim.run(2000000, 31, 2);
  expect_revenue(r, sim.expected_revenue());
  EXPECT_GT(sim.expected_revenue(), sim.designed_revenue());  // denied rewards stay with the seller
  EXPECT_NEAR(r.denied_rate, denied, 0.005);
  const auto p = sim.noisy_point(0.02, 0.02, 101);
  EXPECT_NEAR(p.denied_rate, denied, 1e-12);
  EXPECT_GT(p.max_deviation_gain, 0);  // noise breaks exact truthfulness
  const auto search = sim.search_tolerance(1e-2, 101);
  ASSERT_TRUE(search.found);
  EXPECT_LE(search.best.max_deviation_gain, 1e-2);
  for (const auto& s : search.scanned) {
    if (s.tolerance < search.best.tolerance) EXPECT_GT(s.max_deviation_gain, 1e-2);
  }
  EXPECT_FALSE(dia::parse_inspection_noise("normal(-1)").has_value());
  EXPECT_FALSE(dia::parse_inspection_noise("cauchy(1)").has_value());
  EXPECT_TRUE(dia::parse_inspection_noise("uniform(0.5)").has_value());
}

// A noise model of scale 0 still pays within the tolerance: a lie within t of the value keeps its
// reward, exactly as with a vanishing noise, and so gains.
TEST(Simulation, ZeroNoiseStillPaysWithinTheTolerance) {
  double gains[2];
  int k = 0;
  for (const char* spec : {"normal(0)", "normal(1e-12)"}) {
    dia::SimulationConfig config;
    config.noise = *dia::parse_inspection_noise(spec);
    config.tolerance = 0.1;
    const auto sim = make("uniform(0,1)", SimulatedMechanism::kInspection, 2, config);
    gains[k++] = sim.audit({101, 0}).max_deviation_gain;
  }
  EXPECT_GT(gains[0], 0.01);
  EXPECT_NEAR(gains[0], gains[1], 1e-9);
}

// plan_simulation validates with the CLI's messages; simulate_json adds noise and audit keys only
// when asked (the CLI and Python print this JSON).
TEST(Simulation, PlanAndJsonOfTheAuditAndNoiseOptions) {
  const auto error = [](dia::SimulateRequest request) {
    auto plan = dia::plan_simulation(request);
    return plan ? std::string("ok") : plan.error().line();
  };
  dia::SimulateRequest request;
  request.auctions = 2000;
  dia::SimulateRequest bad = request;
  bad.tolerance = 0.02;
  EXPECT_EQ(error(bad),
            "--tolerance needs --inspection-noise (e.g. --inspection-noise normal(0.01))");
  bad = request;
  bad.noise = "normal(0)";
  bad.epsilon = 0.01;
  EXPECT_EQ(error(bad),
            "--epsilon needs --inspection-noise with a positive scale and a value >= 0");
  bad = request;
  bad.noise = "gauss(1)";
  EXPECT_EQ(error(bad),
            "bad --inspection-noise 'gauss(1)': unknown noise 'gauss' (use normal(sigma) or "
            "uniform(h) with sigma, h >= 0)");
  bad = request;
  bad.auctions = 0;
  EXPECT_EQ(error(bad), "--auctions must be at least 1, got 0");

  auto plain = dia::plan_simulation(request);
  ASSERT_TRUE(plain.has_value());
  const auto json = dia::simulate_json(*plain, dia::run_simulation(*plain));
  EXPECT_FALSE(json.contains("noise"));
  EXPECT_FALSE(json.contains("audit"));
  EXPECT_TRUE(json.contains("notes"));

  request.audit = true;
  request.audit_grid = 21;
  request.audit_samples = 0;
  request.noise = "uniform(0.05)";
  request.tolerance = 0.01;
  request.epsilon = 0.01;
  auto plan = dia::plan_simulation(request);
  ASSERT_TRUE(plan.has_value()) << plan.error().line();
  const auto full = dia::simulate_json(*plan, dia::run_simulation(*plan));
  EXPECT_EQ(full["noise"]["spec"], "uniform(0.05)");
  EXPECT_EQ(full["noise"]["sweep"].size(), 5u);
  EXPECT_TRUE(full["noise"].contains("tolerance_search"));
  EXPECT_EQ(full["max_deviation_gain"], full["audit"]["max_deviation_gain"]);
  EXPECT_EQ(full["audit"]["values"], 21u);
  EXPECT_TRUE(full["audit"]["simulated_gain"].is_null());
}

}  // namespace
