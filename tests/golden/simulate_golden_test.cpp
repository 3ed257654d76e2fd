// `dia simulate` through the real CLI: the JSON keys contract, numbers known from theory, the
// audit, and clean rejection of bad input (exit 2, one line on stderr, nothing on stdout).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "support/run_cli.hpp"

namespace {

using dia::testing::expect_clean_rejection;
using dia::testing::run_cli;

TEST(SimulateGolden, JsonKeysAndSecondPriceRevenue) {
  const auto run = run_cli({"simulate", "--values", "uniform(0,1)", "--bidders", "2", "--mechanism",
                            "second-price", "--auctions", "1000000", "--seed", "7", "--threads",
                            "2", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(run.err.empty()) << run.err;  // no progress bar off a terminal
  const auto j = run.json();
  for (const char* key : {"mean", "stderr", "expected"}) EXPECT_TRUE(j["revenue"][key].is_number());
  EXPECT_TRUE(j["reward"]["mean"].is_number());
  for (const char* key : {"sale_rate", "auctions", "seconds", "auctions_per_second"}) {
    EXPECT_TRUE(j[key].is_number()) << key;
  }
  EXPECT_EQ(j["auctions"], 1000000);
  EXPECT_NEAR(j["revenue"]["expected"].get<double>(), 1.0 / 3, 1e-12);
  EXPECT_LT(std::abs(j["revenue"]["mean"].get<double>() - 1.0 / 3),
            4 * j["revenue"]["stderr"].get<double>());
  EXPECT_FALSE(j.contains("max_deviation_gain"));
}

TEST(SimulateGolden, SameSeedSameJsonForAnyThreads) {
  auto numbers = [](const char* threads) {
    const auto j = run_cli({"simulate", "--mechanism", "myerson", "--bidders", "3", "--auctions",
                            "300000", "--seed", "5", "--threads", threads, "--format", "json"})
                       .json();
    return std::make_tuple(j["revenue"]["mean"].get<double>(), j["revenue"]["stderr"].get<double>(),
                           j["sale_rate"].get<double>());
  };
  EXPECT_EQ(numbers("1"), numbers("2"));
}

TEST(SimulateGolden, AuditOfTheOptimumAndOfABrokenMechanism) {
  const auto good = run_cli({"simulate", "--mechanism", "inspection", "--auctions", "100000",
                             "--audit", "--audit-samples", "20000", "--format", "json"});
  ASSERT_EQ(good.exit_code, 0) << good.err;
  const auto g = good.json();
  EXPECT_LT(std::abs(g["max_deviation_gain"].get<double>()), 1e-9);
  EXPECT_TRUE(g["max_deviation_value"].is_number());
  EXPECT_TRUE(g["max_deviation_bid"].is_number());
  EXPECT_NEAR(g["revenue"]["expected"].get<double>(), (std::sqrt(5.0) - 1) / 4, 1e-5);
  EXPECT_TRUE(g["audit"]["incentive_compatible"].get<bool>());
  const auto broken = run_cli({"simulate", "--mechanism", "inspection", "--auctions", "100000",
                               "--audit", "--reward-scale", "0.5", "--format", "json"});
  // Not incentive compatible: the audit fails, exit 3, after the full JSON.
  ASSERT_EQ(broken.exit_code, 3) << broken.err;
  EXPECT_GT(broken.json()["max_deviation_gain"].get<double>(), 0.01);
  EXPECT_FALSE(broken.json()["audit"]["incentive_compatible"].get<bool>());
}

TEST(SimulateGolden, TableForPeople) {
  const auto run = run_cli({"simulate", "--mechanism", "second-price-reserve", "--bidders", "2",
                            "--auctions", "100000", "--inspection-noise", "none"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("revenue per auction"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("(95% half-width; CI ["), std::string::npos) << run.out;
}

TEST(SimulateGolden, BadInput) {
  expect_clean_rejection({"simulate", "--auctions", "0"});
  expect_clean_rejection({"simulate", "--auctions", "-5"});
  expect_clean_rejection({"simulate", "--mechanism", "first-price"});
  expect_clean_rejection({"simulate", "--values", "uniform(2,1)"});
  expect_clean_rejection({"simulate", "--values", "normal(0,1)"});
  expect_clean_rejection({"simulate", "--inspection-noise", "normal(-0.1)"});
  expect_clean_rejection({"simulate", "--inspection-noise", "uniform(-1)"});
  expect_clean_rejection({"simulate", "--inspection-noise", "cauchy(1)"});
  expect_clean_rejection(
      {"simulate", "--inspection-noise", "normal(0.1)", "--mechanism", "myerson"});
  expect_clean_rejection({"simulate", "--inspection-noise", "normal(0.1)", "--tolerance", "-1"});
  expect_clean_rejection({"simulate", "--tolerance", "0.1"});
  expect_clean_rejection({"simulate", "--epsilon", "0.1"});
  expect_clean_rejection({"simulate", "--bidders", "0"});
  expect_clean_rejection({"simulate", "--threads", "-1"});
  expect_clean_rejection({"simulate", "--format", "xml"});
  expect_clean_rejection({"simulate", "--seed", "-1"});
  expect_clean_rejection({"simulate", "--seed", "18446744073709551616"});
  expect_clean_rejection({"simulate", "--auctions", "99999999999999999999"});
  expect_clean_rejection({"simulate", "--auctions", "2.5"});
  expect_clean_rejection({"simulate", "--mechanism", "myerson", "--grid", "100"});
  const auto scientific = run_cli({"simulate", "--auctions", "1e5", "--format", "json"});
  ASSERT_EQ(scientific.exit_code, 0) << scientific.err;
  EXPECT_EQ(scientific.json()["auctions"].get<std::uint64_t>(), 100000u);
  const auto wrong = run_cli({"simulate", "--auctions", "2.5"});
  EXPECT_NE(wrong.err.find("dia simulate --help"), std::string::npos) << wrong.err;
}

TEST(SimulateGolden, TwoBidderInspection) {
  const auto run = run_cli({"simulate", "--mechanism", "inspection", "--bidders", "2", "--auctions",
                            "1000000", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  EXPECT_LT(std::abs(j["revenue"]["mean"].get<double>() - j["revenue"]["expected"].get<double>()),
            4 * j["revenue"]["stderr"].get<double>());
  EXPECT_GT(j["revenue"]["expected"].get<double>(), 5.0 / 12);
}

}  // namespace

namespace {

// Ten bidders on atoms where the top atom has mass .82: some two bidders share it in practically
// every auction, so every auction of the run earns the same (stderr 0), while the expected
// revenue differs in the 7th digit. A z-score or interval would be meaningless: both formats
// say "no variance" instead.
TEST(SimulateGolden, EveryAuctionEarningTheSameHasNoVariance) {
  std::ifstream in(DIA_TEST_DATA "/zero-stderr-n10.txt");
  std::string spec;
  std::getline(in, spec);
  ASSERT_FALSE(spec.empty());
  const std::vector<std::string> args{"simulate", "--values",   spec,    "--bidders",
                                      "10",       "--auctions", "200000"};
  const auto table = run_cli(args);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("no variance"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("z ="), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("95% CI"), std::string::npos) << table.out;
  auto json_args = args;
  json_args.insert(json_args.end(), {"--format", "json"});
  const auto run = run_cli(json_args);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  EXPECT_EQ(j["revenue"]["stderr"].get<double>(), 0.0);
  EXPECT_TRUE(j["revenue"]["no_variance"].get<bool>());
  EXPECT_TRUE(j["revenue"]["z_score"].is_null());
  // A run with variance says so too.
  const auto spread = run_cli({"simulate", "--auctions", "1000", "--format", "json"});
  ASSERT_EQ(spread.exit_code, 0) << spread.err;
  EXPECT_FALSE(spread.json()["revenue"]["no_variance"].get<bool>());
}

}  // namespace
