// evaluate_rule: a saved n-bidder rule under another distribution, against numbers worked by hand
// and against a Monte-Carlo run of the ex post rule itself (winners drawn from bid profiles).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <variant>

#include "dia/design.hpp"
#include "dia/evaluate.hpp"
#include "dia/ex_post_rule.hpp"

namespace {

dia::DistributionPtr parse(const std::string& spec) {
  auto d = dia::parse_distribution(spec);
  EXPECT_TRUE(d.has_value()) << spec;
  return *d;
}

dia::ExPostRule rule_for(const std::string& f, int bidders, std::vector<double> v,
                         std::vector<double> p, std::vector<double> x) {
  auto rule =
      dia::build_ex_post_rule(parse(f), bidders, {std::move(v), std::move(p)}, std::move(x));
  EXPECT_TRUE(rule.has_value()) << rule.error().line();
  return std::move(*rule);
}

// The grid of the hand-made rules below.
const std::vector<double> kTwoAtoms{1, 2};
const std::string kHalfHalf = "discrete(1:0.5, 2:0.5)";

// The saved reduced form (F, grid, X) run under H, as dia evaluate runs it.
dia::RuleEvaluation evaluate(const std::string& f, int bidders, const dia::DiscreteTypes& types,
                             const std::vector<double>& x, const std::string& h) {
  auto e = dia::evaluate_saved(parse(f), bidders, types, x, *parse(h));
  EXPECT_TRUE(e.has_value()) << e.error().line();
  return e ? *e : dia::RuleEvaluation{};
}

// Two bidders, F = discrete(1:0.5, 2:0.5), X = (0.2, 0.7): G_F = (0.25, 0.75), so the highest
// bid wins and is served with q = (0.8, 14/15); R(2) = (2 - 1) 0.2, rho(2) = 0.2/0.7 = 2/7.
// Under H = discrete(1:0.2, 2:0.8): G_H(1) = 0.2/2 = 0.1, G_H(2) = (0.2 + 1)/2 = 0.6, so
// X_H = (0.08, 0.56); revenue 2 (0.2 * 0.08 * 1 + 0.8 * 0.56 (2 - 2/7)) = 1.568,
// sale 2 (0.016 + 0.448) = 0.928, rewards 2 * 0.448 * 2/7 = 0.256.
TEST(EvaluateRule, HighestBidderLotteryByHand) {
  const auto rule = rule_for(kHalfHalf, 2, {1, 2}, {0.5, 0.5}, {0.2, 0.7});
  ASSERT_TRUE(std::holds_alternative<dia::HighestBidderLottery>(rule));
  const dia::DiscreteTypes types{kTwoAtoms, {0.5, 0.5}};
  const auto e = evaluate(kHalfHalf, 2, types, {0.2, 0.7}, "discrete(1:0.2, 2:0.8)");
  EXPECT_NEAR(e.outcome.revenue, 1.568, 1e-14);
  EXPECT_NEAR(e.outcome.sale_probability, 0.928, 1e-14);
  EXPECT_NEAR(e.outcome.expected_reward, 0.256, 1e-14);
  EXPECT_TRUE(e.truthful);
  EXPECT_EQ(e.max_lie_gain, 0);
  // Under its own F the rule runs X: 2 (0.5 * 0.2 + 0.5 (0.7 * 2 - 0.2)) = 1.4.
  EXPECT_NEAR(evaluate(kHalfHalf, 2, types, {0.2, 0.7}, kHalfHalf).outcome.revenue, 1.4, 1e-14);
}

// The same rule when low values dominate, H = discrete(1:0.9, 2:0.1): X_H(1) = 0.8 * 0.45 = 0.36,
// X_H(2) = (14/15) 0.95; the truthful 2 gets X_H(2) 2/7 = 0.25333..., bidding 1 gets
// (2 - 1) 0.36: truth is no longer a best response, by 0.36 - 0.76/3 = 0.10666...
TEST(EvaluateRule, FindsALieThatPaysUnderAnotherDistribution) {
  const auto e =
      evaluate(kHalfHalf, 2, {kTwoAtoms, {0.5, 0.5}}, {0.2, 0.7}, "discrete(1:0.9, 2:0.1)");
  EXPECT_FALSE(e.truthful);
  EXPECT_NEAR(e.max_lie_gain, 0.36 - 0.76 / 3, 1e-14);
  EXPECT_EQ(e.lie_value, 2);
  EXPECT_EQ(e.lie_bid, 1);
}

// X = (0.3, 0.7) exceeds G_F(1) = 0.25: a Border lottery. With the fewest wins for the lower
// bidder, the top type 2 gives the item to a lower 1 with probability tau = 0.1 and keeps it
// otherwise (0.5 * 0.5 + 0.5 * 0.1 = 0.3). Under H = discrete(1:0.2, 2:0.8):
// X_H(1) = 0.2 * 0.5 + 0.8 * 0.1 = 0.18, X_H(2) = 0.2 * 0.9 + 0.8 * 0.5 = 0.58, rho(2) = 0.3/0.7;
// revenue 2 (0.2 * 0.18 + 0.8 * 0.58 (2 - 3/7)) = 1.5302857142857..., always sold,
// rewards 2 * 0.8 * 0.58 * 3/7.
TEST(EvaluateRule, TwoBidderBorderLotteryByHand) {
  const auto rule = rule_for(kHalfHalf, 2, {1, 2}, {0.5, 0.5}, {0.3, 0.7});
  ASSERT_TRUE(std::holds_alternative<dia::BorderLottery>(rule));
  const auto e =
      evaluate(kHalfHalf, 2, {kTwoAtoms, {0.5, 0.5}}, {0.3, 0.7}, "discrete(1:0.2, 2:0.8)");
  EXPECT_NEAR(e.outcome.revenue, 2 * (0.2 * 0.18 + 0.8 * 0.58 * (2 - 3.0 / 7)), 1e-12);
  EXPECT_NEAR(e.outcome.sale_probability, 1.0, 1e-12);
  EXPECT_NEAR(e.outcome.expected_reward, 2 * 0.8 * 0.58 * 3 / 7, 1e-12);
  EXPECT_TRUE(e.truthful);
  EXPECT_STREQ(e.rule, "border_lottery");
}

// Monte Carlo: n values from H, the rule's own ex post draws (the highest bid wins, ties at
// random, served with q; or the Border lottery's draw_winner), the winner pays its bid less
// rho. The mean revenue must agree with the exact one within 4 standard errors.
struct MonteCarlo {
  double mean = 0, standard_error = 0;
};

MonteCarlo simulate(const dia::ExPostRule& rule, int n, const dia::Distribution& h, int auctions,
                    unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  const auto& atoms = h.atoms();
  std::discrete_distribution<std::size_t> draw(atoms.probabilities.begin(),
                                               atoms.probabilities.end());
  double sum = 0, squares = 0;
  std::vector<double> bids(n);
  for (int a = 0; a < auctions; ++a) {
    for (auto& b : bids) b = atoms.values[draw(rng)];
    int winner = -1;
    if (const auto* border = std::get_if<dia::BorderLottery>(&rule)) {
      winner = border->draw_winner(bids, unit(rng));
    } else {
      const auto& highest = std::get<dia::HighestBidderLottery>(rule);
      const double top = *std::max_element(bids.begin(), bids.end());
      std::vector<int> tied;
      for (int i = 0; i < n; ++i) {
        if (bids[i] == top) tied.push_back(i);
      }
      const int pick = tied[std::min<std::size_t>(tied.size() - 1, unit(rng) * tied.size())];
      if (unit(rng) < highest.win_probability(top)) winner = pick;
    }
    double revenue = 0;
    if (winner >= 0) {
      const double w = bids[winner];
      revenue = w - std::visit([w](const auto& r) { return r.winner_reward(w); }, rule);
    }
    sum += revenue;
    squares += revenue * revenue;
  }
  const double mean = sum / auctions;
  return {mean, std::sqrt((squares / auctions - mean * mean) / auctions)};
}

TEST(EvaluateRule, AgreesWithMonteCarloForThreeBiddersUnderAnotherDistribution) {
  const auto f = parse("discrete(1:0.2, 2:0.3, 3:0.1, 4:0.25, 6:0.15)");
  const auto design = dia::design_inspection(*f, 3, {});
  auto rule =
      dia::build_ex_post_rule(f, 3, design.mechanism.types, design.mechanism.reduced.allocation);
  ASSERT_TRUE(rule.has_value()) << rule.error().line();
  const auto h = parse("discrete(0.5:0.1, 1:0.1, 2.5:0.3, 4:0.2, 5:0.2, 7:0.1)");
  const auto& types = design.mechanism.types;
  const auto& x = design.mechanism.reduced.allocation;
  const auto e = evaluate(f->spec(), 3, types, x, h->spec());
  const auto mc = simulate(*rule, 3, *h, 400000, 14);
  EXPECT_NEAR(e.outcome.revenue, mc.mean, 4 * mc.standard_error)
      << "exact " << e.outcome.revenue << " simulated " << mc.mean << " +- " << mc.standard_error;
  // Under F itself, the design's own revenue.
  EXPECT_NEAR(evaluate(f->spec(), 3, types, x, f->spec()).outcome.revenue, design.revenue, 1e-9);
}

TEST(EvaluateRule, AgreesWithMonteCarloForTheBorderLottery) {
  const auto rule = rule_for(kHalfHalf, 2, {1, 2}, {0.5, 0.5}, {0.3, 0.7});
  const auto h = parse("discrete(0.5:0.3, 1:0.2, 1.5:0.2, 2:0.2, 3:0.1)");
  const auto e = evaluate(kHalfHalf, 2, {kTwoAtoms, {0.5, 0.5}}, {0.3, 0.7}, h->spec());
  const auto mc = simulate(rule, 2, *h, 400000, 15);
  EXPECT_NEAR(e.outcome.revenue, mc.mean, 4 * mc.standard_error)
      << "exact " << e.outcome.revenue << " simulated " << mc.mean << " +- " << mc.standard_error;
}

// A hierarchy lottery by hand: types {1, 2} with F = (0.5, 0.5), 2 bidders; hierarchy 0 (weight
// 0.5) keeps the types apart, hierarchy 1 (weight 0.5) pools them: X = 0.5 (0.25, 0.75) + 0.5
// (0.5, 0.5) = (0.375, 0.625), R(2) = 0.375, rho(2) = 0.6. Under H = discrete(1:0.2, 2:0.8):
// apart, X_H(1) = G(0, 0.2) = 0.2 / 2 = 0.1 and X_H(2) = G(0.2, 1) = (1 - 0.04) / 1.6 = 0.6;
// pooled, 0.5 each: X_H = (0.3, 0.55). Revenue 2 (0.2 * 0.3 + 0.8 * 0.55 (2 - 0.6)) = 1.352,
// always sold, rewards 2 * 0.8 * 0.55 * 0.6 = 0.528; the 2 bidding 1 gets 0.3 < 0.55 * 0.6.
TEST(EvaluateRule, HierarchyLotteryByHand) {
  dia::HierarchyLottery h;
  h.weights = {0.5, 0.5};
  h.reserves = {0, 0};
  h.merged_at = {std::numeric_limits<std::size_t>::max(), 1};
  const auto built = dia::BorderLottery::build(kTwoAtoms, h, {0.375, 0.625});
  ASSERT_TRUE(built.has_value()) << built.error().line();
  const dia::ExPostRule rule = *built;
  const auto e =
      dia::evaluate_rule(rule, kTwoAtoms, 2, *parse("discrete(1:0.2, 2:0.8)"), {nullptr, &h});
  ASSERT_TRUE(e.has_value()) << e.error().line();
  EXPECT_NEAR(e->outcome.revenue, 1.352, 1e-14);
  EXPECT_NEAR(e->outcome.sale_probability, 1.0, 1e-14);
  EXPECT_NEAR(e->outcome.expected_reward, 0.528, 1e-14);
  EXPECT_TRUE(e->truthful);
  EXPECT_EQ(e->max_lie_gain, 0);
  // Under F itself: 2 (0.5 * 0.375 + 0.5 (0.625 * 2 - 0.375)) = 1.25.
  const auto own = dia::evaluate_rule(rule, kTwoAtoms, 2, *parse(kHalfHalf), {nullptr, &h});
  ASSERT_TRUE(own.has_value());
  EXPECT_NEAR(own->outcome.revenue, 1.25, 1e-14);
  // Without the hierarchies it was built from: one line, not a guess.
  EXPECT_FALSE(dia::evaluate_rule(rule, kTwoAtoms, 2, *parse(kHalfHalf)).has_value());
}

// The bimodal 10-bidder optimum runs as hierarchies (transfers cannot carry it): dia evaluate
// reproduces its revenue under its own F, and under values from elsewhere agrees with the rule's
// own draws (draw_winner over 10 bids).
TEST(EvaluateRule, AgreesWithMonteCarloForTheHierarchyLottery) {
  const std::string spec =
      "discrete(0.1:0.1,0.3:0.1,0.5:0.1,0.7:0.1,0.9:0.1,2.1:0.1,2.3:0.1,2.5:0.1,2.7:0.1,2.9:0.1)";
  const auto f = parse(spec);
  const auto design = dia::design_inspection(*f, 10, {});
  ASSERT_TRUE(design.border_lottery.has_value());
  ASSERT_EQ(design.border_lottery->form, "hierarchies");
  const auto& types = design.mechanism.types;
  const auto& x = design.mechanism.reduced.allocation;
  EXPECT_NEAR(evaluate(f->spec(), 10, types, x, f->spec()).outcome.revenue, design.revenue, 1e-9);
  auto rule = dia::build_ex_post_rule(f, 10, types, x);
  ASSERT_TRUE(rule.has_value()) << rule.error().line();
  const auto h = parse("discrete(0.05:0.2, 0.3:0.2, 0.8:0.2, 2.2:0.1, 2.5:0.1, 3:0.2)");
  const auto e = evaluate(f->spec(), 10, types, x, h->spec());
  EXPECT_STREQ(e.rule, "border_lottery");
  const auto mc = simulate(*rule, 10, *h, 200000, 16);
  EXPECT_NEAR(e.outcome.revenue, mc.mean, 4 * mc.standard_error)
      << "exact " << e.outcome.revenue << " simulated " << mc.mean << " +- " << mc.standard_error;
}

TEST(EvaluateRule, RefusesOneBidder) {
  const auto rule = rule_for(kHalfHalf, 2, {1, 2}, {0.5, 0.5}, {0.2, 0.7});
  EXPECT_FALSE(dia::evaluate_rule(rule, kTwoAtoms, 1, *parse("uniform(0,1)")).has_value());
}

}  // namespace
