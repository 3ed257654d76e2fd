// The verifiable lottery of `dia serve` (docs/api.md, "The lottery") against numbers computed
// from its written definition with Python's hashlib, for both rules; and which rule a design gets.
#include "dia/lottery.hpp"

#include <gtest/gtest.h>

#include <variant>

namespace {

std::string seed() {
  std::string s;
  for (int i = 0; i < 32; ++i) s += "ab";
  return s;
}

dia::ExPostRule rule_of(const char* spec, int bidders, dia::DiscreteTypes types,
                        std::vector<double> allocation) {
  auto rule = dia::build_ex_post_rule(*dia::parse_distribution(spec), bidders, types, allocation);
  EXPECT_TRUE(rule.has_value()) << rule.error().message;
  return std::move(*rule);
}

// Three types, X_0 = 0.4 > G_0 = 0.25: against the type 1.2 the bid 1 wins with probability
// tau = (X_0 - G_0) / p_1 = 1/2, and otherwise 1.2 wins (type 1 has no slack left over).
dia::ExPostRule three_types() {
  return rule_of("discrete(1:0.5,1.2:0.3,2:0.2)", 2, {{1.0, 1.2, 2.0}, {}}, {0.4, 0.4, 0.9});
}

TEST(Lottery, CommitmentAndDrawsFollowTheWrittenDefinition) {
  EXPECT_EQ(dia::lottery_commitment(seed()),
            "9a2db2e23f1504cd056606553ac049c5e718e8f9ce9233876df1a7a1821af885");
  const std::string bids = dia::sha256_hex("2:1200000\n1:1000000\n");
  EXPECT_EQ(bids, "56534a5df28e9b142afca65fd59f2ec31e35401f7916f59e20af479029fb583c");
  EXPECT_EQ(dia::lottery_uniform(seed(), 1, bids, 0), 0.5314006183683799);
  EXPECT_EQ(dia::lottery_uniform(seed(), 1, bids, 1), 0.8755853270076254);
  EXPECT_EQ(dia::lottery_uniform(seed(), 3, bids, 0), 0.20953251661485028);
}

TEST(Lottery, HighestBidderRuleBreaksTiesWithTheFirstDraw) {
  // discrete(1:.5,2:.5), 2 bidders, X = G: q(2) = 1. u(0) = 0.681... picks the second tied bid.
  const auto rule = rule_of("discrete(1:0.5,2:0.5)", 2, {{1.0, 2.0}, {}}, {0.25, 0.75});
  ASSERT_TRUE(std::holds_alternative<dia::HighestBidderLottery>(rule));
  const auto o = dia::draw_lottery(seed(), 1, {{2, 2'000'000}, {1, 2'000'000}}, rule);
  EXPECT_EQ(o.bids_sha256, "ebab339eee3a95836d8544f3245223330df6ccf07b2ebea45a23967e072c8070");
  EXPECT_EQ(o.tie_draw, 0.6813192445140284);
  ASSERT_TRUE(o.winner);
  EXPECT_EQ(o.winner->bidder_id, 2);
  EXPECT_EQ(dia::draw_lottery(seed(), 2, {{2, 2'000'000}, {1, 2'000'000}}, rule).winner->bidder_id,
            1);  // u(0) = 0.111...
  const auto j = dia::outcome_json(o);
  EXPECT_EQ(j["rule"], "highest_bidder_lottery");
  EXPECT_EQ(j["tie_draw"], 0.6813192445140284);
  EXPECT_EQ(j["delivery_draw"], 0.08453347465250494);
  EXPECT_EQ(j["win_probability"], 1.0);
  EXPECT_EQ(j["winner_id"], 2);
  EXPECT_EQ(j["deposit_micros"], 2'000'000);
  EXPECT_FALSE(j.contains("winner_draw"));
}

TEST(Lottery, BorderRuleGivesTheLowerBidTheItemWhenTheFirstDrawSaysSo) {
  const auto rule = three_types();
  ASSERT_TRUE(std::holds_alternative<dia::BorderLottery>(rule));
  const std::vector<dia::SealedBid> bids{{1, 1'000'000}, {2, 1'200'000}};
  const auto lower = dia::draw_lottery(seed(), 3, bids, rule);  // u(0) = 0.2095... < 1/2
  ASSERT_TRUE(lower.delivered);
  EXPECT_EQ(lower.winner->bidder_id, 1);
  EXPECT_EQ(lower.highest->bidder_id, 2);
  const auto higher = dia::draw_lottery(seed(), 1, bids, rule);  // u(0) = 0.5314... >= 1/2
  ASSERT_TRUE(higher.delivered);
  EXPECT_EQ(higher.winner->bidder_id, 2);
  const auto j = dia::outcome_json(lower);
  EXPECT_EQ(j["rule"], "border_lottery");
  EXPECT_EQ(j["winner_draw"], 0.20953251661485028);
  EXPECT_EQ(j["winner_id"], 1);
  EXPECT_EQ(j["highest_bidder_id"], 2);
  EXPECT_EQ(j["deposit_micros"], 1'000'000);
  EXPECT_FALSE(j.contains("tie_draw"));
  EXPECT_FALSE(dia::draw_lottery(seed(), 3, {}, rule).delivered);
}

TEST(Lottery, RuleSelection) {
  // Non-monotone X is rejected whatever the rule.
  EXPECT_FALSE(dia::build_ex_post_rule(*dia::parse_distribution("discrete(1:0.5,1.2:0.3,2:0.2)"), 2,
                                       {{1.0, 1.2, 2.0}, {}}, {0.4, 0.3, 0.9}));
  // q > 1 on a continuous distribution: the grid's probabilities must be given.
  const auto uniform = *dia::parse_distribution("uniform(0.5,2.5)");
  const auto missing = dia::build_ex_post_rule(uniform, 2, {{1.0, 1.2, 2.0}, {}}, {0.4, 0.4, 0.9});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().hint.find("probabilities"), std::string::npos);
  EXPECT_TRUE(
      dia::build_ex_post_rule(uniform, 2, {{1.0, 1.2, 2.0}, {0.5, 0.3, 0.2}}, {0.4, 0.4, 0.9}));
  EXPECT_FALSE(
      dia::build_ex_post_rule(uniform, 2, {{1.0, 1.2, 2.0}, {0.5, 0.3, 0.3}}, {0.4, 0.4, 0.9}));
  EXPECT_STREQ(dia::rule_name(three_types()), "border_lottery");
}

}  // namespace

TEST(Lottery, WinnerRewardIsExactInMicroUnits) {
  using dia::winner_reward_micros;
  // One step of height 1 at v = 1: R(w)/X(w) = w - 1 exactly, in micros.
  const std::vector<double> v{1.0, 2.0}, flat{1.0, 1.0};
  EXPECT_EQ(winner_reward_micros(v, flat, 999'999), 0);  // below the grid
  EXPECT_EQ(winner_reward_micros(v, flat, 1'000'000), 0);
  EXPECT_EQ(winner_reward_micros(v, flat, 1'000'001), 1);
  EXPECT_EQ(winner_reward_micros(v, flat, 1'000'003), 3);
  EXPECT_EQ(winner_reward_micros(v, flat, 1'999'999), 999'999);
  EXPECT_EQ(winner_reward_micros(v, flat, 2'000'000), 1'000'000);
  // X = (1/4, 3/4): rho(2) = (2 - 1)(1/4)/(3/4) = 1/3 -> 333333; rho(2.5) = max(1.5/3, 0.5) = 0.5.
  const std::vector<double> x{0.25, 0.75};
  EXPECT_EQ(winner_reward_micros(v, x, 2'000'000), 333'333);
  EXPECT_EQ(winner_reward_micros(v, x, 2'500'000), 500'000);
  EXPECT_EQ(winner_reward_micros(v, x, 1'500'000), 500'000);
  // X = (1/2, 1): rho(w) = max((w - 1)/2, w - 2) at w = 4e12 units, far above any double's
  // micro resolution: w - 2 units exactly.
  EXPECT_EQ(winner_reward_micros(v, {0.5, 1.0}, 4'000'000'000'000'000'000),
            3'999'999'999'998'000'000);
  // A grid value between whole micros rounds up (the reward rounds down): 1.0000005 -> 1000001.
  EXPECT_EQ(winner_reward_micros({1.0000005, 2.0}, flat, 1'000'003), 2);
  // Decimal grid values that are not exact doubles still count as their micros: (0.3 - 0.1) X_0.
  EXPECT_EQ(winner_reward_micros({0.1, 0.3}, {0.5, 0.5}, 300'000), 200'000);
  EXPECT_EQ(winner_reward_micros({0.1, 0.3}, {0.0, 0.5}, 300'000), 0);
  // Never above the bid.
  EXPECT_EQ(winner_reward_micros({0.0}, {1.0}, 7), 7);
}

// The pass in doubles ranks the grid values by (w - v_i) min(X_i, X)/X with v_i unrounded, the
// exact pass by floor((w - micros(v_i)) min(X_i, X)/X) with v_i rounded up to whole micros; the two
// orders differ, which is why the exact pass looks at every value within 2 micros of the best
// estimate. Grid 0.1, 1, 20 micros with X = (.95, .96, 1), bid 24 micros: value 0.1 (1 micro when
// rounded) has the best estimate, 23.9 x .95 = 22.705, but pays floor(23 x .95) = 21; value 1
// estimates 23 x .96 = 22.08 and pays floor(22.08) = 22, the reward.
TEST(Lottery, WinnerRewardLooksBeyondTheBestEstimate) {
  EXPECT_EQ(dia::winner_reward_micros({1e-7, 1e-6, 2e-5}, {0.95, 0.96, 1.0}, 24), 22);
}

// A tiny allocation against a huge deposit: X_0 / X = 2^-61 at a bid of 9.2e18 micros pays
// floor(9.2e18 / 2^61) = 3 micros (the step at the bid itself pays nothing). The exact division
// needs all 116 bits: only a denominator above 2^116 may be skipped as a zero reward.
TEST(Lottery, WinnerRewardOfATinyAllocationAgainstAHugeBid) {
  EXPECT_EQ(dia::winner_reward_micros({0.0, 9.2e12}, {0x1p-61, 1.0}, 9'200'000'000'000'000'000), 3);
}
