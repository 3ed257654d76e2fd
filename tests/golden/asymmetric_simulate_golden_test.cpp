// `dia simulate --bidder ...` and the ex post rule of `dia design --bidder ...` through the real
// CLI (docs/asymmetric.md sections 7 and 8): the JSON keys, a mechanism worked by hand, and bad
// input rejected with one line naming the bidder.
#include <gtest/gtest.h>

#include <cmath>

#include "support/run_cli.hpp"

namespace {

using dia::testing::expect_clean_rejection;
using dia::testing::run_cli;

// Values uniform on [0, 1] and on [0, 2], each on 8 quantile cells (16 pairs): the optimum
// sometimes sells to the lower bidder, and pays rewards.
const std::vector<std::string> kTwoBidders = {"--bidder",     "uniform(0,1)", "--bidder",
                                              "uniform(0,2)", "--grid",       "8"};

std::vector<std::string> with(std::vector<std::string> head, const std::vector<std::string>& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

TEST(AsymmetricSimulateGolden, DesignReportsItsPriorityRankings) {
  const auto run = run_cli(with(with({"design"}, kTwoBidders), {"--format", "json"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  const auto& rule = j["ex_post_rule"];
  EXPECT_EQ(rule["form"], "priority_rankings");
  EXPECT_EQ(rule["pairs"], 16);
  EXPECT_GE(rule["rankings"].get<int>(), 2);
  EXPECT_LE(rule["rankings"].get<int>(), 17);  // N + 1
  EXPECT_LE(rule["max_reduced_form_error"].get<double>(), 1e-9);
  EXPECT_GE(rule["lower_bidder_wins"].get<double>(),
            j["non_highest_lower_bound"].get<double>() - 1e-12);
  EXPECT_GT(j["non_highest_lower_bound"].get<double>(), 0.1);
  const auto table = run_cli(with({"design"}, kTwoBidders));
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("priority rankings"), std::string::npos) << table.out;
}

TEST(AsymmetricSimulateGolden, SimulatesEachBidderAgainstTheDesign) {
  const auto run = run_cli(
      with(with({"simulate"}, kTwoBidders), {"--auctions", "400000", "--seed", "11", "--audit",
                                             "--audit-samples", "20000", "--format", "json"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  EXPECT_EQ(j["bidders"], 2);
  EXPECT_EQ(j["mechanism"], "inspection");
  EXPECT_EQ(j["auctions"], 400000);
  const double mean = j["revenue"]["mean"], se = j["revenue"]["stderr"],
               expected = j["revenue"]["expected"];
  EXPECT_NEAR(expected, j["revenue"]["design"].get<double>(), 1e-12);
  EXPECT_LT(std::fabs(mean - expected) / se, 4.0);
  EXPECT_NEAR(j["revenue"]["z_score"].get<double>(), (mean - expected) / se, 1e-9);
  ASSERT_EQ(j["per_bidder"].size(), 2u);
  double expected_sum = 0, sale_sum = 0;
  for (const auto& b : j["per_bidder"]) {
    expected_sum += b["revenue"]["expected"].get<double>();
    sale_sum += b["sale_probability"].get<double>();
    EXPECT_LT(std::fabs(b["revenue"]["z_score"].get<double>()), 4.0);
    EXPECT_TRUE(b["audit"]["incentive_compatible"].get<bool>());
  }
  EXPECT_NEAR(expected_sum, expected, 1e-12);
  EXPECT_NEAR(sale_sum, j["sale_rate"].get<double>(), 5 * std::sqrt(0.25 / 400000));
  EXPECT_EQ(j["per_bidder"][1]["values"], "uniform(low=0, high=2)");
  EXPECT_TRUE(j["audit"]["incentive_compatible"].get<bool>());
  EXPECT_EQ(j["ex_post_rule"]["form"], "priority_rankings");
  const auto table =
      run_cli(with(with({"simulate"}, kTwoBidders), {"--auctions", "100000", "--audit"}));
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("strategic audit per bidder"), std::string::npos) << table.out;
}

TEST(AsymmetricSimulateGolden, BrokenRewardsAreFlagged) {
  // Half the rewards: a value whose best lie was worth exactly its reward (IC binding) now gains
  // half the reward by lying.
  const auto run = run_cli(
      with(with({"simulate"}, kTwoBidders), {"--auctions", "1000", "--audit", "--audit-samples",
                                             "0", "--reward-scale", "0.5", "--format", "json"}));
  ASSERT_EQ(run.exit_code, 3) << run.err;  // a profitable lie fails the audit
  const auto j = run.json();
  EXPECT_FALSE(j["audit"]["incentive_compatible"].get<bool>());
  EXPECT_GT(j["max_deviation_gain"].get<double>(), 1e-3);
  EXPECT_NE(j["notes"].dump().find("rewards scaled by 0.5"), std::string::npos);
}

TEST(AsymmetricSimulateGolden, BadInputIsRejectedWithOneLine) {
  expect_clean_rejection({"simulate", "--bidder", "0*uniform(0,1)"});
  expect_clean_rejection({"simulate", "--bidder", "51*uniform(0,1)"});
  expect_clean_rejection({"simulate", "--bidder", "uniform(0,1)", "--values", "uniform(0,1)"});
  expect_clean_rejection({"simulate", "--bidder", "uniform(0,1)", "--bidders", "2"});
  expect_clean_rejection({"simulate", "--bidder", "uniform(0,1)", "--mechanism", "myerson"});
  expect_clean_rejection(
      {"simulate", "--bidder", "uniform(0,1)", "--inspection-noise", "normal(0.1)"});
  expect_clean_rejection({"simulate", "--bidder", "uniform(0,1)", "--auctions", "0"});
  const auto named = run_cli({"simulate", "--bidder", "uniform(0,1)", "--bidder", "uniform(2,1)"});
  EXPECT_EQ(named.exit_code, 2);
  EXPECT_NE(named.err.find("bidder 2"), std::string::npos) << named.err;
}

}  // namespace
