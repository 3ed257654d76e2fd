// The asymmetric simulator's classic mechanisms and noisy inspection (docs/asymmetric.md section
// 8): revenues worked by hand, the exact interim tables against enumerating every bid profile
// from the mechanisms' definitions, Monte Carlo runs inside their 95% intervals (and a wrong
// expected value outside them), and noisy inspection's revenue, lies and tolerance by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "dia/asymmetric_simulation.hpp"
#include "simulation/asymmetric_classic_rule.hpp"

namespace dia {
namespace {

constexpr SimulatedMechanism kClassic[] = {
    SimulatedMechanism::kMyerson, SimulatedMechanism::kSecondPrice,
    SimulatedMechanism::kSecondPriceReserve, SimulatedMechanism::kSecondPriceMyersonReserves};

AsymmetricSimulator classic(std::vector<DiscreteTypes> bidders, SimulatedMechanism kind) {
  AsymmetricMechanism m;
  m.kind = kind;
  m.bidders = std::move(bidders);
  auto sim = AsymmetricSimulator::create(m);
  EXPECT_TRUE(sim) << sim.error().message;
  return std::move(*sim);
}

// Bidder 0: 1 or 3 (1/2 each); bidder 1: 2 for sure. Profiles (1, 2) and (3, 2).
// Second price: bidder 1 pays 1, bidder 0 pays 2: 0.5 + 1.0. Best anonymous reserve 2 (r = 1:
// 1.5, r = 3: 1.5): both pay 2: 1.0 + 1.0. Ironed virtual values: bidder 0 (1 - 2 (1/2) / (1/2),
// 3) = (-1, 3), concave; bidder 1 (2). Myerson: (1, 2) bidder 1 pays its reserve 2, (3, 2) bidder
// 0 pays its first type above 2, 3: 1.5 + 1.0. Myerson reserves (3, 2): bidder 1 pays 2, bidder 0
// pays max(3, 2): the same.
TEST(AsymmetricClassicSimulation, RevenuesWorkedByHand) {
  const std::vector<DiscreteTypes> bidders = {{{1.0, 3.0}, {0.5, 0.5}}, {{2.0}, {1.0}}};
  const double by_bidder[4][2] = {{1.5, 1.0}, {1.0, 0.5}, {1.0, 1.0}, {1.5, 1.0}};
  for (int m = 0; m < 4; ++m) {
    const AsymmetricSimulator sim = classic(bidders, kClassic[m]);
    const auto run = sim.run(1 << 16, 3, 1);
    for (std::size_t i = 0; i < 2; ++i) {
      EXPECT_NEAR(run.bidders[i].revenue_expected, by_bidder[m][i], 1e-15) << m << " " << i;
    }
    const double total = by_bidder[m][0] + by_bidder[m][1];
    EXPECT_NEAR(sim.expected_revenue(), total, 1e-15) << m;
    EXPECT_NEAR(sim.designed_revenue(), total, 1e-15) << m;  // asymmetric_classic_revenues
    for (const auto& a : sim.audit({201, 0, 1, 11})) EXPECT_TRUE(a.incentive_compatible) << m;
  }
}

// Two identical bidders, 1 or 2 (1/2 each): ties. Second price earns E[second highest] =
// 2 (1/4) + 1 (3/4) = 1.25. Ironed virtual values (0, 2): only type 2 takes part, so Myerson earns
// 2 P(some 2) = 1.5; a type 2 wins against a 1 for sure and against a 2 half the time: X = 3/4.
TEST(AsymmetricClassicSimulation, TiesWorkedByHand) {
  const DiscreteTypes t{{1.0, 2.0}, {0.5, 0.5}};
  const AsymmetricSimulator second = classic({t, t}, SimulatedMechanism::kSecondPrice);
  EXPECT_NEAR(second.expected_revenue(), 1.25, 1e-15);
  const AsymmetricSimulator myerson = classic({t, t}, SimulatedMechanism::kMyerson);
  EXPECT_NEAR(myerson.expected_revenue(), 1.5, 1e-15);
  const auto run = myerson.run(1 << 20, 5, 2);
  EXPECT_NEAR(run.bidders[0].sale_probability, 0.5 * 0.75, 1e-15);
  EXPECT_LT(std::fabs(run.total.revenue_mean - 1.5), 1.959963984540054 * run.total.revenue_stderr);
}

// The definitions, profile by profile: bidder i's ex post allocation at every own type against
// the others' types (ties: a uniform draw), second price paying max(r_i, the highest other
// participant), Myerson its threshold by the payment identity over the own types.
struct Enumerated {
  std::vector<std::vector<double>> allocation, payment;  // interim, per bidder and type
};

Enumerated enumerate(const std::vector<DiscreteTypes>& b, SimulatedMechanism kind) {
  const std::size_t n = b.size();
  const AsymmetricClassicRevenues c = asymmetric_classic_revenues(b);
  const bool myerson = kind == SimulatedMechanism::kMyerson;
  std::vector<std::vector<double>> key(n);
  std::vector<double> reserve(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    key[i] = myerson ? ironed_virtual_values(b[i]) : b[i].values;
    if (kind == SimulatedMechanism::kSecondPriceReserve) reserve[i] = c.anonymous_reserve;
    if (kind == SimulatedMechanism::kSecondPriceMyersonReserves) reserve[i] = c.myerson_reserves[i];
  }
  auto takes_part = [&](std::size_t i, std::size_t t) {
    return myerson ? key[i][t] > 0 : b[i].values[t] >= reserve[i];
  };
  Enumerated out;
  for (std::size_t i = 0; i < n; ++i) {
    out.allocation.emplace_back(b[i].size(), 0.0);
    out.payment.emplace_back(b[i].size(), 0.0);
  }
  std::vector<std::size_t> profile(n, 0);
  while (true) {
    for (std::size_t i = 0; i < n; ++i) {
      if (profile[i] != 0) continue;  // the others' profile once, i's own types below
      double mass = 1;
      for (std::size_t j = 0; j < n; ++j) mass *= j == i ? 1.0 : b[j].probabilities[profile[j]];
      // i's allocation at each own type t, the others at `profile`.
      std::vector<double> x(b[i].size(), 0.0);
      double top = -1e300, tied = 0;
      bool other = false;
      for (std::size_t j = 0; j < n; ++j) {
        if (j == i || !takes_part(j, profile[j])) continue;
        const double k = key[j][profile[j]];
        if (!other || k > top)
          top = k, tied = 1, other = true;
        else if (k == top)
          tied += 1;
      }
      for (std::size_t t = 0; t < b[i].size(); ++t) {
        if (!takes_part(i, t)) continue;
        if (!other || key[i][t] > top)
          x[t] = 1;
        else if (key[i][t] == top)
          x[t] = 1 / (tied + 1);
      }
      for (std::size_t t = 0; t < b[i].size(); ++t) {
        double pay = 0;
        if (myerson) {
          for (std::size_t l = 0; l <= t; ++l) pay += b[i].values[l] * (x[l] - (l ? x[l - 1] : 0));
        } else if (x[t] > 0) {
          pay = x[t] * (other ? std::max(reserve[i], top) : reserve[i]);
        }
        out.allocation[i][t] += mass * x[t];
        out.payment[i][t] += mass * pay;
      }
    }
    std::size_t j = 0;
    while (j < n && ++profile[j] == b[j].size()) profile[j++] = 0;
    if (j == n) break;
  }
  return out;
}

TEST(AsymmetricClassicSimulation, InterimTablesMatchEveryProfileEnumerated) {
  std::mt19937 rng(20261207);
  for (int trial = 0; trial < 60; ++trial) {
    // 2-4 bidders, 1-4 types each on the values 1..6 (ties across bidders), a repeated bidder.
    const std::size_t n = 2 + rng() % 3;
    std::vector<DiscreteTypes> bidders;
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0 && rng() % 3 == 0) {
        bidders.push_back(bidders.back());
        continue;
      }
      DiscreteTypes t;
      double total = 0;
      for (int v = 1; v <= 6; ++v) {
        if (rng() % 2 || (v == 6 && t.values.empty())) {
          t.values.push_back(v);
          t.probabilities.push_back(static_cast<double>(1 + rng() % 9));
          total += t.probabilities.back();
        }
      }
      for (double& p : t.probabilities) p /= total;
      bidders.push_back(t);
    }
    for (SimulatedMechanism kind : kClassic) {
      const Enumerated e = enumerate(bidders, kind);
      const detail::AsymmetricClassicRule rule(bidders, kind, asymmetric_classic_revenues(bidders));
      double total = 0;
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t t = 0; t < bidders[i].size(); ++t) {
          EXPECT_NEAR(rule.interim(i).allocation[t], e.allocation[i][t], 1e-12);
          EXPECT_NEAR(rule.interim(i).payment[t], e.payment[i][t], 1e-12);
          total += bidders[i].probabilities[t] * e.payment[i][t];
        }
      }
      const AsymmetricSimulator sim = classic(bidders, kind);
      EXPECT_NEAR(sim.expected_revenue(), total, 1e-12) << trial << " " << to_string(kind);
      EXPECT_NEAR(sim.designed_revenue(), total, 1e-12) << trial << " " << to_string(kind);
      for (const auto& a : sim.audit({201, 0, 1, 11})) {
        EXPECT_TRUE(a.incentive_compatible) << trial << " " << a.max_deviation_gain;
      }
    }
  }
}

TEST(AsymmetricClassicSimulation, SimulatedRevenueInsideItsIntervalAndAWrongValueOutside) {
  const DiscreteTypes a{{1.0, 3.0, 4.0}, {0.5, 0.3, 0.2}}, b{{1.0, 2.0, 5.0}, {0.3, 0.4, 0.3}};
  std::vector<double> expected;
  std::vector<AsymmetricMonteCarloResult> runs;
  for (SimulatedMechanism kind : kClassic) {
    const AsymmetricSimulator sim = classic({a, b, b}, kind);
    expected.push_back(sim.expected_revenue());
    runs.push_back(sim.run(1 << 21, 20261207, 2));
    const auto& r = runs.back();
    const double half = 1.959963984540054 * r.total.revenue_stderr;  // the printed interval
    EXPECT_LT(std::fabs(r.total.revenue_mean - sim.expected_revenue()), half) << to_string(kind);
    for (const auto& bidder : r.bidders) {  // 12 more checks: 4 standard errors each
      EXPECT_LE(std::fabs(bidder.revenue_mean - bidder.revenue_expected),
                4 * bidder.revenue_stderr + 1e-15)
          << to_string(kind);
    }
    for (const auto& audit : sim.audit({201, 20000, 3, 11})) {
      EXPECT_TRUE(audit.incentive_compatible) << to_string(kind);
    }
  }
  // The check can fail: another mechanism's expected revenue is outside each interval.
  for (std::size_t m = 0; m < runs.size(); ++m) {
    const double half = 1.959963984540054 * runs[m].total.revenue_stderr;
    for (std::size_t o = 0; o < runs.size(); ++o) {
      if (std::fabs(expected[o] - expected[m]) < 1e-9) continue;  // the same revenue
      EXPECT_GT(std::fabs(runs[m].total.revenue_mean - expected[o]), half) << m << " vs " << o;
    }
  }
}

// The hand mechanism of asymmetric_simulation_test.cpp: bidder 0 (1, 3) with X_0 = (1/2, 1),
// R_0 = (0, 1); bidder 1 (2) with X_1 = 1/4, R_1 = 0; 1.75 without noise. With noise uniform on
// [-1/2, 1/2] and tolerance t a truthful winner is refunded with P = 2t: revenue 1.75 + (1 - 2t)
// (1/2) R_0(3). Bidder 0 of value 3 bidding 1 deposits 1 and wins X_0(1) = 1/2: (3 - 1) / 2 = 1
// (rho_0(1) = 0), truthful 1 * 1 * 2t: gain 1 - 2t. Every other lie loses (bidding 3 at value 1:
// -2 + P(noise in [2 - t, 2 + t]) = -2).
AsymmetricMechanism hand_mechanism(double tolerance) {
  AsymmetricMechanism m;
  m.bidders = {{{1.0, 3.0}, {0.5, 0.5}}, {{2.0}, {1.0}}};
  ReducedForm r0, r1;
  r0.allocation = {0.5, 1.0};
  r0.rent = {0.0, 1.0};
  r1.allocation = {0.25};
  r1.rent = {0.0};
  m.reduced = {r0, r1};
  m.noise = *parse_inspection_noise("uniform(0.5)");
  m.tolerance = tolerance;
  return m;
}

TEST(AsymmetricClassicSimulation, NoisyInspectionWorkedByHand) {
  auto sim = AsymmetricSimulator::create(hand_mechanism(0.25));
  ASSERT_TRUE(sim) << sim.error().message;
  EXPECT_NEAR(sim->expected_revenue(), 1.75 + 0.5 * 0.5, 1e-15);
  EXPECT_NEAR(sim->designed_revenue(), 1.75, 1e-15);
  const auto run = sim->run(1 << 20, 9, 2);
  EXPECT_LT(std::fabs(run.total.revenue_mean - 2.0), 1.959963984540054 * run.total.revenue_stderr);
  EXPECT_NEAR(run.total.denied_rate, 0.5, 5 * std::sqrt(0.25 / (1 << 20)));
  const auto audits = sim->audit({201, 100000, 3, 11});
  EXPECT_FALSE(audits[0].incentive_compatible);
  EXPECT_NEAR(audits[0].max_deviation_gain, 0.5, 1e-12);
  EXPECT_EQ(audits[0].max_deviation_value, 3.0);
  EXPECT_EQ(audits[0].max_deviation_bid, 1.0);
  EXPECT_NEAR(*audits[0].simulated_gain, 0.5, 5 * *audits[0].simulated_stderr);
  const NoisyPoint p = sim->noisy_point(0.5, 0.4, 201);
  EXPECT_NEAR(p.revenue, 1.75 + 0.2 * 0.5, 1e-15);
  EXPECT_NEAR(p.max_deviation_gain, 0.2, 1e-12);
  EXPECT_NEAR(p.denied_rate, 0.2, 1e-15);
  // The smallest tolerance with gain 1 - 2t <= 0.1 is 0.45: revenue 1.75 + 0.1 (1/2).
  const ToleranceSearch s = sim->search_tolerance(0.1, 201);
  ASSERT_TRUE(s.found);
  EXPECT_NEAR(s.best.tolerance, 0.45, 1e-5);
  EXPECT_NEAR(s.best.revenue, 1.8, 1e-5);
  EXPECT_NEAR(s.revenue_loss, -0.05, 1e-5);
  // Classic mechanisms do not inspect.
  AsymmetricMechanism noisy_classic;
  noisy_classic.kind = SimulatedMechanism::kMyerson;
  noisy_classic.bidders = hand_mechanism(0).bidders;
  noisy_classic.noise = hand_mechanism(0).noise;
  EXPECT_FALSE(AsymmetricSimulator::create(noisy_classic));
}

}  // namespace
}  // namespace dia
