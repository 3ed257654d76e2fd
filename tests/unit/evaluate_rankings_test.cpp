// evaluate_rankings: a saved design of bidder classes under other distributions, against numbers
// worked by hand, the design's own numbers under its own F, and a Monte-Carlo run of the lottery
// over priority rankings itself (a ranking drawn, the first present pair wins).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "dia/asymmetric_design.hpp"
#include "dia/evaluate.hpp"
#include "dia/ex_post.hpp"
#include "dia/step_masses.hpp"

namespace {

dia::DistributionPtr parse(const std::string& spec) {
  auto d = dia::parse_distribution(spec);
  EXPECT_TRUE(d.has_value()) << spec;
  return *d;
}

std::vector<dia::RuleEvaluation> run(const dia::PriorityRankings& rule,
                                     const std::vector<dia::DiscreteTypes>& grids,
                                     const std::vector<std::vector<double>>& x,
                                     const std::vector<dia::DistributionPtr>& h) {
  std::vector<const dia::Distribution*> actual;
  for (const auto& d : h) actual.push_back(d.get());
  auto e = dia::evaluate_rankings(rule, grids, x, actual);
  EXPECT_TRUE(e.has_value()) << e.error().line();
  return e ? *e : std::vector<dia::RuleEvaluation>{};
}

// Bidder A has types {1, 2} (F_A = (0.5, 0.5)), bidder B the one type 1.5; X_A = (0.4, 1),
// X_B = 0.3. A's 2 always wins, so B wins only against A's 1, in the rankings that put B first
// (weight 0.6 = X_B / 0.5): the rule is forced. R_A(2) = (2 - 1) 0.4, rho_A(2) = 0.4; B's only
// type has no rent. Under H_A = discrete(1:0.2, 2:0.8), H_B = discrete(1.5:1): X_H,A = (0.4, 1),
// X_H,B = 0.2 * 0.6 = 0.12. A: 0.2 * 0.4 * 1 + 0.8 (2 - 0.4) = 1.36, B: 0.12 * 1.5 = 0.18;
// total 1.54, always sold (0.08 + 0.8 + 0.12), rewards 0.8 * 0.4 = 0.32.
TEST(EvaluateRankings, ByHand) {
  const std::vector<dia::DiscreteTypes> grids{{{1, 2}, {0.5, 0.5}}, {{1.5}, {1}}};
  const std::vector<std::vector<double>> x{{0.4, 1}, {0.3}};
  const auto rule = dia::PriorityRankings::build(grids, x);
  ASSERT_TRUE(rule.has_value()) << rule.error().line();
  const auto e = run(*rule, grids, x, {parse("discrete(1:0.2, 2:0.8)"), parse("discrete(1.5:1)")});
  ASSERT_EQ(e.size(), 2u);
  EXPECT_NEAR(e[0].outcome.revenue, 1.36, 1e-12);
  EXPECT_NEAR(e[1].outcome.revenue, 0.18, 1e-12);
  EXPECT_NEAR(e[0].outcome.sale_probability + e[1].outcome.sale_probability, 1.0, 1e-12);
  EXPECT_NEAR(e[0].outcome.expected_reward, 0.32, 1e-12);
  EXPECT_EQ(e[1].outcome.expected_reward, 0);
  EXPECT_TRUE(e[0].truthful && e[1].truthful);
  EXPECT_STREQ(e[0].rule, "priority_rankings");
  // Under their own F: A 0.5 * 0.4 + 0.5 (2 - 0.4) = 1, B 0.3 * 1.5 = 0.45.
  const auto own =
      run(*rule, grids, x, {parse("discrete(1:0.5, 2:0.5)"), parse("discrete(1.5:1)")});
  EXPECT_NEAR(own[0].outcome.revenue, 1.0, 1e-12);
  EXPECT_NEAR(own[1].outcome.revenue, 0.45, 1e-12);
}

// A forced rule: A and B both have types {1, 2} with F = (0.5, 0.5); X_A = (0.5, 1), X_B =
// (0, 0.5): A's 2 always wins, B's 2 beats A's 1 and A's 1 beats B's 1 in every ranking.
// rho_A(2) = (2 - 1) 0.5 / 1 = 0.5. When B's 1 becomes likely, H_B = discrete(1:0.9, 2:0.1),
// A's 1 wins 0.9 of the time, and A's 2 bidding 1 gets (2 - 1) 0.9 against 1 * 0.5 truthful:
// a lie of gain 0.4.
TEST(EvaluateRankings, FindsALieWhenTheRivalWeakens) {
  const std::vector<dia::DiscreteTypes> grids{{{1, 2}, {0.5, 0.5}}, {{1, 2}, {0.5, 0.5}}};
  const std::vector<std::vector<double>> x{{0.5, 1}, {0, 0.5}};
  const auto rule = dia::PriorityRankings::build(grids, x);
  ASSERT_TRUE(rule.has_value()) << rule.error().line();
  const auto e =
      run(*rule, grids, x, {parse("discrete(1:0.5, 2:0.5)"), parse("discrete(1:0.9, 2:0.1)")});
  ASSERT_EQ(e.size(), 2u);
  EXPECT_FALSE(e[0].truthful);
  EXPECT_NEAR(e[0].max_lie_gain, 0.4, 1e-12);
  EXPECT_EQ(e[0].lie_value, 2);
  EXPECT_EQ(e[0].lie_bid, 1);
  // A: 0.5 * 0.9 * 1 + 0.5 * 1 * (2 - 0.5) = 1.2; B's 2 wins against A's 1: 0.1 * 0.5 * 2.
  EXPECT_NEAR(e[0].outcome.revenue, 1.2, 1e-12);
  EXPECT_NEAR(e[1].outcome.revenue, 0.1, 1e-12);
  EXPECT_TRUE(e[1].truthful);
}

// Monte Carlo of the rule's own draws: each bidder's value from its H, played as its grid step
// (absent below the grid), a ranking drawn, the present pair ranked first wins, pays its bid and
// gets rho back. The mean revenue must agree with the exact one within 4 standard errors.
TEST(EvaluateRankings, AgreesWithMonteCarloForAnAsymmetricDesign) {
  auto classes =
      dia::parse_bidder_classes({"discrete(1:0.3, 2:0.4, 4:0.3)", "2*discrete(1.5:0.5, 3:0.5)"});
  ASSERT_TRUE(classes.has_value()) << classes.error().line();
  const auto design = dia::design_asymmetric(*classes, {});
  ASSERT_NE(design.status, dia::SolveStatus::kFailed);
  std::vector<dia::DiscreteTypes> grids;
  std::vector<std::vector<double>> x;
  for (const auto& c : design.classes) {
    for (int s = 0; s < c.count; ++s) {
      grids.push_back(c.types);
      x.push_back(c.reduced.allocation);
    }
  }
  const auto rule = dia::PriorityRankings::build(grids, x);
  ASSERT_TRUE(rule.has_value()) << rule.error().line();
  // Under their own F: the design's revenue.
  const auto f = (*classes)[0].distribution, g = (*classes)[1].distribution;
  double own = 0;
  for (const auto& e : run(*rule, grids, x, {f, g, g})) own += e.outcome.revenue;
  EXPECT_NEAR(own, design.revenue, 1e-7);

  const std::vector<dia::DistributionPtr> h{parse("discrete(0.5:0.2, 1.5:0.3, 2:0.2, 5:0.3)"),
                                            parse("discrete(1:0.3, 2:0.3, 3.5:0.4)"),
                                            parse("discrete(1:0.3, 2:0.3, 3.5:0.4)")};
  double exact = 0;
  for (const auto& e : run(*rule, grids, x, h)) exact += e.outcome.revenue;

  std::vector<dia::detail::StepExtension> steps;
  for (std::size_t i = 0; i < grids.size(); ++i) steps.emplace_back(grids[i].values, x[i]);
  std::mt19937_64 rng(17);
  std::vector<std::discrete_distribution<std::size_t>> draw;
  for (const auto& d : h) {
    draw.emplace_back(d->atoms().probabilities.begin(), d->atoms().probabilities.end());
  }
  constexpr int kAuctions = 300000;
  double sum = 0, squares = 0;
  for (int a = 0; a < kAuctions; ++a) {
    std::vector<double> values(grids.size());
    for (std::size_t i = 0; i < grids.size(); ++i) values[i] = h[i]->atoms().values[draw[i](rng)];
    const std::size_t k = rule->draw_ranking(rng);
    int winner = -1;
    std::uint32_t best = dia::PriorityRankings::kBelowCut;
    for (std::size_t i = 0; i < grids.size(); ++i) {
      const std::size_t s = steps[i].step(values[i]);
      if (s == dia::detail::StepExtension::kNone) continue;
      if (const auto place = rule->priority(k, i, s); place < best) {
        best = place, winner = static_cast<int>(i);
      }
    }
    double revenue = 0;
    if (winner >= 0) revenue = values[winner] - steps[winner].winner_reward(values[winner]);
    sum += revenue;
    squares += revenue * revenue;
  }
  const double mean = sum / kAuctions;
  const double se = std::sqrt((squares / kAuctions - mean * mean) / kAuctions);
  EXPECT_NEAR(exact, mean, 4 * se) << "exact " << exact << " simulated " << mean << " +- " << se;
}

}  // namespace

// step_masses: the 2-cell grid of uniform(0,1) (means 1/4, 3/4) carries P(1/4 <= V < 3/4) = 1/2
// and P(V >= 3/4) = 1/4 as steps; a discrete class keeps its rows. The rankings built on those
// masses give each bidder its X = (1/4, 3/4) under uniform(0,1) itself; built on the cells'
// masses (1/2, 1/2) they do not (a value in [3/4, 1) faces a top step of mass 1/4, not 1/2).
TEST(EvaluateRankings, ContinuousClassesPlayOnTheirStepMasses) {
  const dia::DiscreteTypes cells{{0.25, 0.75}, {0.5, 0.5}};
  const auto uniform = parse("uniform(0,1)");
  const dia::DiscreteTypes steps = dia::step_masses(*uniform, cells);
  EXPECT_EQ(steps.values, cells.values);
  EXPECT_NEAR(steps.probabilities[0], 0.5, 1e-15);
  EXPECT_NEAR(steps.probabilities[1], 0.25, 1e-15);
  const auto two_atoms = parse("discrete(0.25:0.5, 0.75:0.5)");
  EXPECT_EQ(dia::step_masses(*two_atoms, cells).probabilities, cells.probabilities);

  const std::vector<std::vector<double>> x{{0.25, 0.75}, {0.25, 0.75}};
  for (const bool on_steps : {true, false}) {
    const std::vector<dia::DiscreteTypes> grids(2, on_steps ? steps : cells);
    const auto rule = dia::PriorityRankings::build(grids, x);
    ASSERT_TRUE(rule.has_value()) << rule.error().line();
    const auto e = run(*rule, grids, x, {uniform, uniform});
    ASSERT_EQ(e.size(), 2u);
    // Sold with chance 1/2 * 1/4 + 1/4 * 3/4 = 5/16 by each bidder when X is delivered.
    const double sale = e[0].outcome.sale_probability;
    if (on_steps) {
      EXPECT_NEAR(sale, 5.0 / 16, 1e-7);
      EXPECT_LE(std::max(e[0].max_lie_gain, e[1].max_lie_gain), 1e-6);
    } else {
      EXPECT_GT(std::fabs(sale - 5.0 / 16), 0.05);
    }
  }
}
