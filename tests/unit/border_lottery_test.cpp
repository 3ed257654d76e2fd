// The general Border lottery (MODEL.md section 8) for 2 bidders when q = X/G > 1: its reduced
// form, recomputed here, equals X; pairs never over-allocate; winners are drawn as x says.
#include "dia/border_lottery.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "dia/distribution.hpp"
#include "dia/ex_post.hpp"
#include "dia/symmetric.hpp"

namespace {

struct Case {
  dia::DiscreteTypes types;
  std::vector<double> x;
};

Case uniform_one_two(std::size_t cells) {
  const auto d = dia::parse_distribution("uniform(1,2)");
  auto t = dia::quantile_grid(**d, cells);
  auto s = dia::solve_symmetric(t, 2);
  EXPECT_TRUE(s.has_value());
  return {t, s->mechanism.allocation};
}

TEST(BorderLottery, ImplementsTheUniformOneTwoOptimumWhereQExceedsOne) {
  const Case c = uniform_one_two(60);
  const auto& p = c.types.probabilities;
  const std::size_t m = p.size();
  // q > 1 at the bottom: X_0 > G_0 = p_0 / 2, so the highest-bidder lottery cannot do it.
  ASSERT_GT(c.x[0], p[0] / 2 * 1.5);
  const auto lot = dia::solve_border_lottery(c.types, c.x);
  ASSERT_TRUE(lot.has_value()) << lot.error().line();
  double worst = 0, lower = 0;
  for (std::size_t i = 0; i < m; ++i) {
    double reduced = 0;
    for (std::size_t j = 0; j < m; ++j) {
      const double e = lot->allocation[i * m + j];
      ASSERT_GE(e, 0.0);
      ASSERT_LE(i == j ? 2 * e : e + lot->allocation[j * m + i], 1 + 1e-12);
      reduced += p[j] * e;
      if (i < j) lower += 2 * p[i] * p[j] * e;
    }
    worst = std::max(worst, std::fabs(reduced - c.x[i]));
  }
  EXPECT_LE(worst, 1e-9);
  EXPECT_GT(lower, 1e-4);  // the item sometimes goes to the lower bidder
  EXPECT_NEAR(lot->lower_bidder_wins, lower, 1e-12);

  const auto rule = dia::BorderLottery::build(c.types.values, p, lot->allocation, c.x);
  ASSERT_TRUE(rule.has_value()) << rule.error().line();
  EXPECT_LE(rule->max_reduced_form_error(), 1e-9);
  // Draws follow x: bidder 0 below x[i,j], bidder 1 in the next x[j,i], nobody above.
  const auto& v = c.types.values;
  for (std::size_t i : {0ul, 5ul, 30ul, 59ul}) {
    for (std::size_t j : {0ul, 7ul, 59ul}) {
      const double a = lot->allocation[i * m + j], b = lot->allocation[j * m + i];
      const double mid = (i + 1 < m) ? (v[i] + v[i + 1]) / 2 : v[i] + 1;  // between grid points
      if (a > 1e-9) EXPECT_EQ(rule->draw_winner(mid, v[j], a * (1 - 1e-9)), 0);
      if (b > 1e-9) EXPECT_EQ(rule->draw_winner(v[i], v[j], a + b * 0.5), 1);
      if (a + b < 1 - 1e-9) EXPECT_EQ(rule->draw_winner(v[i], v[j], (a + b + 1) / 2), -1);
    }
  }
  EXPECT_EQ(rule->draw_winner(0.5, 0.9, 0.0), -1);  // both below the grid: no sale
  // Rent by (RENT) for the step X and limited liability of the reward.
  for (std::size_t k = 1; k < m; ++k) {
    double r = 0;
    for (std::size_t l = 0; l < k; ++l) r = std::max(r, (v[k] - v[l]) * c.x[l]);
    EXPECT_NEAR(rule->rent(v[k]), r, 1e-12);
    EXPECT_LE(rule->winner_reward(v[k]), v[k]);
  }
}

TEST(BorderLottery, HighestBidderAllocationNeedsNoLowerWinner) {
  // X = G (the highest bidder wins surely): the cheapest rule never sells to the lower bidder.
  dia::DiscreteTypes t{{1, 2, 3, 4}, {0.1, 0.4, 0.3, 0.2}};
  std::vector<double> g;
  double below = 0;
  for (double p : t.probabilities) g.push_back(below + p / 2), below += p;
  const auto lot = dia::solve_border_lottery(t, g);
  ASSERT_TRUE(lot.has_value());
  EXPECT_NEAR(lot->lower_bidder_wins, 0.0, 1e-12);
  EXPECT_LE(lot->max_reduced_form_error, 1e-9);
}

TEST(BorderLottery, RefusesWhatBorderForbidsAndOtherBidders) {
  dia::DiscreteTypes t{{1, 2}, {0.5, 0.5}};
  EXPECT_FALSE(dia::solve_border_lottery(t, {1.0, 1.0}).has_value());  // sells 2 items
  EXPECT_FALSE(dia::solve_border_lottery(t, {0.1, 0.2}, 3).has_value());
  EXPECT_FALSE(dia::BorderLottery::build({1, 2}, {0.5, 0.5}, {0.5, 0.0, 0.0, 0.5}, {0.3, 0.3})
                   .has_value());  // reduced form 0.25 != 0.3
}

}  // namespace

namespace {

// The max-flow construction against the LP, on the same optimum: both implement X (recomputed
// here from the profile matrix), and the flow's lower-bidder share equals the LP's minimum, which
// is also the lower bound 2 sum_j p_j (X_j - G_j)^+ no rule can beat.
TEST(BorderLottery, FlowMatchesTheLpAndTheLowerBound) {
  for (std::size_t cells : {20, 60, 150}) {
    const Case c = uniform_one_two(cells);
    const auto& p = c.types.probabilities;
    const std::size_t m = p.size();
    const auto flow = dia::build_border_lottery_by_flow(c.types, c.x);
    ASSERT_TRUE(flow.has_value()) << flow.error().line();
    const auto lp = dia::solve_border_lottery(c.types, c.x);
    ASSERT_TRUE(lp.has_value());
    double bound = 0, below = 0;
    for (std::size_t i = 0; i < m; ++i) {
      double reduced = 0;
      for (std::size_t j = 0; j < m; ++j) {
        const double e = flow->allocation[i * m + j];
        ASSERT_GE(e, 0.0);
        EXPECT_LE(i == j ? 2 * e : e + flow->allocation[j * m + i], 1 + 1e-12);
        reduced += p[j] * e;
      }
      EXPECT_NEAR(reduced, c.x[i], 1e-12) << cells << " cells, type " << i;
      bound += 2 * p[i] * std::max(0.0, c.x[i] - (below + p[i] / 2));
      below += p[i];
    }
    EXPECT_NEAR(flow->lower_bidder_wins, bound, 1e-12);
    EXPECT_NEAR(flow->lower_bidder_wins, lp->lower_bidder_wins, 1e-9);
  }
}

TEST(BorderLottery, FlowRefusesWhatBorderForbids) {
  // Both types want to win more than Border allows (2 sum p X = 1.2 > 1).
  const dia::DiscreteTypes t{{1, 2}, {0.5, 0.5}};
  EXPECT_FALSE(dia::build_border_lottery_by_flow(t, {0.6, 0.6}).has_value());
}

}  // namespace
