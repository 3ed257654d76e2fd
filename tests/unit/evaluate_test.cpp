// evaluate_menu: a saved menu's exact outcome under another distribution, against numbers worked
// by hand and against the service's step extension summed over atoms.
#include "dia/evaluate.hpp"

#include <gtest/gtest.h>

#include <random>

#include "dia/ex_post.hpp"
#include "dia/one_bidder.hpp"

namespace {

dia::DistributionPtr parse(const std::string& spec) {
  auto d = dia::parse_distribution(spec);
  EXPECT_TRUE(d.has_value()) << spec;
  return *d;
}

// A posted price 0.5 (X = 1 from 0.5 on) under uniform(0.25, 1.25): the bidder buys when
// V >= 0.5, with probability 0.75, and pays 0.5; the rent R(w) = w - 0.5 is refunded, so
// E[V X] = (1.25^2 - 0.5^2) / 2 = 0.65625, E[R] = 0.75^2 / 2 = 0.28125, revenue 0.375.
TEST(EvaluateMenu, PostedPriceUnderAShiftedUniformByHand) {
  const std::vector<double> v{0.5}, x{1};
  const auto e = dia::evaluate_menu(v, x, *parse("uniform(0.25,1.25)"));
  ASSERT_TRUE(e.has_value()) << e.error().line();
  EXPECT_NEAR(e->sale_probability, 0.75, 1e-15);
  EXPECT_NEAR(e->expected_reward, 0.28125, 1e-15);
  EXPECT_NEAR(e->revenue, 0.375, 1e-15);
}

// Two steps, X = 0.5 on [1, 2), 1 from 2 on, under discrete(1:0.25, 1.5:0.25, 3:0.5):
// R(1) = 0, R(1.5) = 0.5 * 0.5 = 0.25, R(3) = max(0.5 * 2, 1 * 1) = 1.
// sale = 0.25 * 0.5 + 0.25 * 0.5 + 0.5 = 0.75; E[V X] = 0.25 * 0.5 + 0.25 * 0.75 + 0.5 * 3 =
// 1.8125; E[R] = 0.25 * 0.25 + 0.5 * 1 = 0.5625; revenue 1.25.
TEST(EvaluateMenu, TwoStepsUnderAtomsByHand) {
  const std::vector<double> v{1, 2}, x{0.5, 1};
  const auto e = dia::evaluate_menu(v, x, *parse("discrete(1:0.25, 1.5:0.25, 3:0.5)"));
  ASSERT_TRUE(e.has_value()) << e.error().line();
  EXPECT_NEAR(e->sale_probability, 0.75, 1e-15);
  EXPECT_NEAR(e->expected_reward, 0.5625, 1e-15);
  EXPECT_NEAR(e->revenue, 1.25, 1e-15);
}

// A one-bidder design evaluated under its own F reproduces its revenue (the sweep's exact
// optimum over the atoms).
TEST(EvaluateMenu, ADesignUnderItsOwnDistributionEarnsItsRevenue) {
  const auto f = parse("discrete(1:0.2, 2:0.3, 3:0.1, 4:0.25, 6:0.15)");
  const auto sweep = dia::solve_one_bidder_sweep(f->atoms());
  const auto e = dia::evaluate_menu(f->atoms().values, sweep.mechanism.allocation, *f);
  ASSERT_TRUE(e.has_value()) << e.error().line();
  EXPECT_NEAR(e->revenue, sweep.revenue, 1e-12);
}

// Against the service's step extension summed over many atoms of a random H: the same X(w) and
// R(w) at every value.
TEST(EvaluateMenu, AgreesWithTheStepExtensionOnRandomAtoms) {
  std::mt19937 rng(14);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<double> v, x;
    double value = unit(rng), allocation = 0;
    for (int i = 0; i < 30; ++i) {
      v.push_back(value += unit(rng));
      allocation = std::min(1.0, allocation + (unit(rng) < 0.3 ? 0 : 0.1 * unit(rng)));
      x.push_back(allocation);
    }
    std::string spec = "discrete(";
    const int atoms = 200;
    for (int k = 0; k < atoms; ++k) {
      // Some atoms on the grid points and off them, some below v_0 and above v_{m-1}.
      const double a = k % 5 == 0 ? v[k % v.size()] : unit(rng) * (v.back() + 2);
      spec += (k ? ", " : "") + std::to_string(a) + ":" + std::to_string(1.0 / atoms);
    }
    const auto h = parse(spec + ")");
    const dia::detail::StepExtension steps(v, x);
    double revenue = 0, sale = 0, reward = 0;
    const auto& atoms_h = h->atoms();
    for (std::size_t k = 0; k < atoms_h.size(); ++k) {
      const double a = atoms_h.values[k], p = atoms_h.probabilities[k];
      sale += p * steps.allocation(a);
      reward += p * steps.rent(a);
      revenue += p * (a * steps.allocation(a) - steps.rent(a));
    }
    const auto e = dia::evaluate_menu(v, x, *h);
    ASSERT_TRUE(e.has_value()) << e.error().line();
    EXPECT_NEAR(e->sale_probability, sale, 1e-12);
    EXPECT_NEAR(e->expected_reward, reward, 1e-12);
    EXPECT_NEAR(e->revenue, revenue, 1e-12);
  }
}

TEST(EvaluateMenu, RejectsMenusThatAreNotDesigns) {
  const auto u = parse("uniform(0,1)");
  const std::vector<double> up{1, 2}, down{2, 1};
  EXPECT_FALSE(dia::evaluate_menu(std::vector<double>{}, std::vector<double>{}, *u).has_value());
  EXPECT_FALSE(dia::evaluate_menu(down, std::vector<double>{0.5, 1}, *u).has_value());
  EXPECT_FALSE(dia::evaluate_menu(up, std::vector<double>{1, 0.5}, *u).has_value());
  EXPECT_FALSE(dia::evaluate_menu(up, std::vector<double>{0.5, 1.5}, *u).has_value());
}

}  // namespace
