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
  EXPECT_GT(j["non_highest_lower_bound"].get<double>(), 0.05);  // on the served steps' masses
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
  EXPECT_NE(table.out.find("(95% half-width; CI ["), std::string::npos) << table.out;
  const auto one =
      run_cli(with(with({"simulate"}, kTwoBidders), {"--auctions", "1000", "--threads", "1"}));
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_NE(one.out.find("(1 thread, 1 block of "), std::string::npos) << one.out;
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

// Each classic mechanism's simulated revenue against `dia design --bidder`'s baseline: the same
// number as revenue.expected (the auctions play the designer's baseline types), inside the
// printed 95% interval, and the other baselines (wrong expected values) outside it.
TEST(AsymmetricSimulateGolden, ClassicMechanismsAgreeWithTheDesignBaselines) {
  const auto design = run_cli(with(with({"design"}, kTwoBidders), {"--format", "json"}));
  ASSERT_EQ(design.exit_code, 0) << design.err;
  const auto baselines = design.json()["revenue"];
  const std::vector<std::pair<std::string, std::string>> mechanisms = {
      {"myerson", "myerson"},
      {"second-price", "second_price"},
      {"second-price-reserve", "second_price_reserve"},
      {"second-price-myerson-reserves", "second_price_myerson_reserves"}};
  for (const auto& [name, key] : mechanisms) {
    const auto run = run_cli({"simulate", "--bidder", "uniform(0,1)", "--bidder", "uniform(0,2)",
                              "--mechanism", name, "--auctions", "1000000", "--seed", "17",
                              "--audit", "--audit-samples", "2000", "--format", "json"});
    ASSERT_EQ(run.exit_code, 0) << name << ": " << run.err;
    const auto j = run.json();
    EXPECT_EQ(j["mechanism"], name);
    const double design_value = baselines[key];
    EXPECT_NEAR(j["revenue"]["expected"].get<double>(), design_value, 1e-12) << name;
    EXPECT_NEAR(j["revenue"]["designed"].get<double>(), design_value, 1e-12) << name;
    const double low = j["revenue"]["ci95_low"], high = j["revenue"]["ci95_high"];
    EXPECT_LT(low, design_value) << name;
    EXPECT_GT(high, design_value) << name;
    for (const auto& [other_name, other_key] : mechanisms) {
      const double wrong = baselines[other_key];
      if (std::fabs(wrong - design_value) < 1e-9) continue;
      EXPECT_TRUE(wrong < low || wrong > high) << name << " interval holds " << other_name;
    }
    EXPECT_TRUE(j["audit"]["incentive_compatible"].get<bool>()) << name;
    EXPECT_EQ(j["per_bidder"].size(), 2u);
    EXPECT_EQ(j["ex_post_rule"]["reserves"].size(), 2u);
  }
}

// Noisy inspection: uniform noise on [-0.05, 0.05] and tolerance 0.025 refund a truthful winner
// with probability 1/2, so the expected revenue is the design's plus half its expected reward.
TEST(AsymmetricSimulateGolden, NoisyInspectionAgainstTheDesign) {
  const auto design = run_cli(with(with({"design"}, kTwoBidders), {"--format", "json"}));
  ASSERT_EQ(design.exit_code, 0) << design.err;
  const double revenue = design.json()["revenue"]["inspection"];
  const double reward = design.json()["expected_reward"];
  ASSERT_GT(reward, 0.01);
  const auto run =
      run_cli(with(with({"simulate"}, kTwoBidders),
                   {"--inspection-noise", "uniform(0.05)", "--tolerance", "0.025", "--epsilon",
                    "0.01", "--auctions", "1000000", "--seed", "5", "--format", "json"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  const double expected = revenue + 0.5 * reward;  // half the refunds withheld
  EXPECT_NEAR(j["revenue"]["expected"].get<double>(), expected, 1e-12);
  EXPECT_NEAR(j["revenue"]["designed"].get<double>(), revenue, 1e-12);
  const double low = j["revenue"]["ci95_low"], high = j["revenue"]["ci95_high"];
  EXPECT_LT(low, expected);
  EXPECT_GT(high, expected);
  EXPECT_TRUE(revenue < low || revenue > high);  // the noise-free revenue is the wrong one
  const auto& noise = j["noise"];
  EXPECT_EQ(noise["spec"], "uniform(0.05)");
  EXPECT_NEAR(noise["denied_rate_expected"].get<double>(), 0.5, 1e-15);
  EXPECT_NEAR(noise["denied_rate"].get<double>(), 0.5, 0.005);
  EXPECT_GT(noise["max_deviation_gain"].get<double>(), 0.0);  // a refund lost pays a lie
  EXPECT_EQ(noise["sweep"].size(), 5u);
  ASSERT_TRUE(noise["tolerance_search"]["found"].get<bool>());
  EXPECT_LE(noise["tolerance_search"]["best"]["max_deviation_gain"].get<double>(), 0.01);
  const auto table = run_cli(
      with(with({"simulate"}, kTwoBidders),
           {"--inspection-noise", "uniform(0.05)", "--tolerance", "0.025", "--auctions", "10000"}));
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("noisy inspection: uniform(0.05)"), std::string::npos) << table.out;
}

TEST(AsymmetricSimulateGolden, BadInputIsRejectedWithOneLine) {
  expect_clean_rejection({"simulate", "--bidder", "0*uniform(0,1)"});
  expect_clean_rejection({"simulate", "--bidder", "51*uniform(0,1)"});
  expect_clean_rejection({"simulate", "--bidder", "uniform(0,1)", "--values", "uniform(0,1)"});
  expect_clean_rejection({"simulate", "--bidder", "uniform(0,1)", "--bidders", "2"});
  expect_clean_rejection({"simulate", "--bidder", "uniform(0,1)", "--mechanism", "vickrey"});
  expect_clean_rejection({"simulate", "--bidder", "uniform(0,1)", "--mechanism", "myerson",
                          "--inspection-noise", "normal(0.1)"});
  expect_clean_rejection(
      {"simulate", "--bidder", "uniform(0,1)", "--mechanism", "myerson", "--grid", "8"});
  expect_clean_rejection({"simulate", "--bidder", "uniform(0,1)", "--tolerance", "0.1"});
  expect_clean_rejection({"simulate", "--bidder", "uniform(0,1)", "--inspection-noise", "normal(0)",
                          "--epsilon", "1"});
  expect_clean_rejection(
      {"simulate", "--bidder", "uniform(0,1)", "--inspection-noise", "cauchy(1)"});
  expect_clean_rejection(
      {"simulate", "--values", "uniform(0,1)", "--mechanism", "second-price-myerson-reserves"});
  expect_clean_rejection({"simulate", "--bidder", "uniform(0,1)", "--auctions", "0"});
  const auto named = run_cli({"simulate", "--bidder", "uniform(0,1)", "--bidder", "uniform(2,1)"});
  EXPECT_EQ(named.exit_code, 2);
  EXPECT_NE(named.err.find("bidder 2"), std::string::npos) << named.err;
}

}  // namespace
