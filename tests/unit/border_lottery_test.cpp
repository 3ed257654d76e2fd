// The general Border lottery (docs/model.md#transfer-lottery) for 2 bidders when q = X/G > 1: its
// reduced form, recomputed here, equals X; pairs never over-allocate; winners are drawn as x says.
#include "dia/border_lottery.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>

#include "dia/distribution.hpp"
#include "dia/ex_post.hpp"
#include "dia/ex_post_rule.hpp"
#include "dia/symmetric.hpp"
#include "support/random_types.hpp"

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

// Found by the design_input fuzzer: three allocations on two values read past the values.
TEST(BorderLottery, RefusesAReducedFormWhoseLengthsDiffer) {
  const dia::DiscreteTypes t{{1, 2}, {0.5, 0.5}};
  const auto border = dia::build_border_lottery(t, {0.26, 0.75, 0.75}, 2);
  ASSERT_FALSE(border.has_value());
  EXPECT_NE(border.error().message.find("3 allocations"), std::string::npos);
  const auto rule = dia::build_ex_post_rule(nullptr, 2, t, {0.26, 0.75, 0.75});
  ASSERT_FALSE(rule.has_value());
  EXPECT_EQ(rule.error().code, dia::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(dia::build_ex_post_rule(nullptr, 2, {{1, 2}, {}}, {0.26}).has_value());
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

namespace {

// Bidder 0's interim allocation under a transfer lottery, by enumerating every profile of n types.
std::vector<double> enumerate_transfer_rule(const dia::DiscreteTypes& t, int n,
                                            const std::vector<std::vector<double>>& tau,
                                            const std::vector<double>& keep,
                                            double* lower_wins = nullptr) {
  const std::size_t m = t.size();
  std::vector<double> x(m, 0.0);
  std::vector<std::size_t> profile(static_cast<std::size_t>(n), 0);
  if (lower_wins) *lower_wins = 0;
  while (true) {
    double mass = 1;
    std::size_t top = 0;
    for (std::size_t k : profile) mass *= t.probabilities[k], top = std::max(top, k);
    std::vector<std::size_t> lower;
    std::size_t at_top = 0;
    for (std::size_t b = 0; b < profile.size(); ++b) {
      if (profile[b] == top)
        ++at_top;
      else
        lower.push_back(b);
    }
    double win0 = 0;
    if (lower.empty()) {
      win0 = keep[top] / double(at_top);
    } else {
      for (std::size_t c : lower) {
        const double tr = tau[top][profile[c]];
        if (c == 0) win0 += tr / double(lower.size());
        if (profile[0] == top) win0 += (1 - tr) * keep[top] / double(at_top) / double(lower.size());
        if (lower_wins) *lower_wins += mass * tr / double(lower.size());
      }
    }
    x[profile[0]] += mass * win0 / t.probabilities[profile[0]];
    std::size_t i = 0;
    while (i < profile.size() && ++profile[i] == m) profile[i++] = 0;
    if (i == profile.size()) break;
  }
  return x;
}

// Any reduced form of a transfer lottery (random transfers and keeps, 2 to 4 bidders) is rebuilt
// by the flow into a rule whose enumerated reduced form equals it.
RC_GTEST_PROP(BorderLottery, TransferLotteryRebuildsAnyRuleOfItsFamily, ()) {
  const auto t = *dia::testing::random_types(6, 5);
  const int n = *rc::gen::inRange(2, 5);
  const std::size_t m = t.size();
  std::vector<std::vector<double>> tau(m, std::vector<double>(m, 0.0));
  std::vector<double> keep(m);
  for (std::size_t i = 0; i < m; ++i) {
    keep[i] = *rc::gen::inRange(0, 1001) / 1000.0;
    for (std::size_t j = 0; j < i; ++j) tau[i][j] = *rc::gen::inRange(0, 1001) / 1000.0;
  }
  const auto x = enumerate_transfer_rule(t, n, tau, keep);
  const auto rule = dia::build_transfer_lottery(t, x, n);
  if (!rule) RC_FAIL(rule.error().line());
  std::vector<std::vector<double>> rebuilt(m, std::vector<double>(m, 0.0));
  for (const auto& tr : rule->transfers) {
    RC_ASSERT(tr.tau >= 0.0 && tr.tau <= 1.0 && tr.lower < tr.top);
    rebuilt[tr.top][tr.lower] = tr.tau;
  }
  double lower = 0;
  const auto y = enumerate_transfer_rule(t, n, rebuilt, rule->keep, &lower);
  for (std::size_t j = 0; j < m; ++j) RC_ASSERT(std::fabs(y[j] - x[j]) <= 1e-9);
  RC_ASSERT(rule->max_reduced_form_error <= 1e-9);
  RC_ASSERT(std::fabs(lower - rule->lower_bidder_wins) <= 1e-9);
}

}  // namespace

namespace {

// The transfer form's draws, integrated over u on a fine grid at every profile of 3 bidders,
// give bidder 0 the reduced form the rule was built for.
TEST(BorderLottery, TransferDrawsImplementTheReducedForm) {
  const dia::DiscreteTypes t{{1, 2, 3, 4}, {0.4, 0.3, 0.2, 0.1}};
  const std::vector<std::vector<double>> tau{
      {0, 0, 0, 0}, {0.5, 0, 0, 0}, {0.3, 0.2, 0, 0}, {0.6, 0.1, 0.4, 0}};
  const std::vector<double> keep{1, 0.8, 0.9, 0.7};
  const auto x = enumerate_transfer_rule(t, 3, tau, keep);
  const auto transfers = dia::build_transfer_lottery(t, x, 3);
  ASSERT_TRUE(transfers.has_value()) << transfers.error().line();
  const auto rule = dia::BorderLottery::build(t.values, *transfers, x);
  ASSERT_TRUE(rule.has_value()) << rule.error().line();
  constexpr int kSteps = 20000;
  std::vector<double> drawn(t.size(), 0.0);
  for (std::size_t a = 0; a < 4; ++a) {
    for (std::size_t b = 0; b < 4; ++b) {
      for (std::size_t c = 0; c < 4; ++c) {
        const std::vector<double> bids{t.values[a], t.values[b], t.values[c]};
        int wins = 0;
        for (int k = 0; k < kSteps; ++k) wins += rule->draw_winner(bids, (k + 0.5) / kSteps) == 0;
        drawn[a] += t.probabilities[b] * t.probabilities[c] * wins / kSteps;
      }
    }
  }
  for (std::size_t j = 0; j < t.size(); ++j) EXPECT_NEAR(drawn[j], x[j], 1e-3) << j;
}

}  // namespace

namespace {

// A profile matrix that gives the item twice: at bids (v_1, v_2) bidder 0 wins with .8 and
// bidder 1 with .6. Its reduced form (.5 x .5 + .5 x .8, .5 x .6 + .5 x .5) = (.65, .55) is
// consistent, so only the pair check x[i,j] + x[j,i] <= 1 can refuse it (by 0.4).
TEST(BorderLottery, RefusesAProfileThatAllocatesTheItemTwice) {
  const auto rule =
      dia::BorderLottery::build({1, 2}, {0.5, 0.5}, {0.5, 0.8, 0.6, 0.5}, {0.65, 0.55});
  ASSERT_FALSE(rule.has_value());
  EXPECT_NE(rule.error().line().find("more than the item"), std::string::npos)
      << rule.error().line();
  dia::BorderLotteryProfiles profiles{{0.5, 0.8, 0.6, 0.5}};
  dia::measure_profiles({0.5, 0.5}, {0.65, 0.55}, profiles);
  EXPECT_NEAR(profiles.max_pair_violation, 0.4, 1e-15);
}

}  // namespace
