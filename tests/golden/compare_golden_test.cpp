// Golden tests of `dia compare` through the real CLI.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "support/run_cli.hpp"

namespace {

using dia::testing::expect_clean_rejection;
using dia::testing::run_cli;

// Uniform(0,1): inspection (sqrt5 - 1)/4 and 2 (1 - phi^-3)/3 (docs/model.md#examples, derived in
// design_golden_test.cpp and symmetric_golden_test.cpp); Myerson 1/4 and 5/12; second price 0, 1/3.
TEST(CompareGolden, UniformOneAndTwoBidders) {
  const auto run = run_cli({"compare", "--values", "uniform(0,1)", "--bidders", "2,1", "--ic",
                            "dominant", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto rows = run.json()["rows"];
  ASSERT_EQ(rows.size(), 2u);
  const double phi = (1 + std::sqrt(5.0)) / 2;
  EXPECT_EQ(rows[0]["bidders"], 1);
  EXPECT_NEAR(rows[0]["revenue"]["inspection"].get<double>(), (std::sqrt(5.0) - 1) / 4, 1e-9);
  EXPECT_NEAR(rows[0]["revenue"]["myerson"].get<double>(), 0.25, 1e-9);
  EXPECT_TRUE(rows[0]["revenue"]["inspection_dsic"].is_null());
  const double two = 2 * (1 - std::pow(phi, -3)) / 3;
  EXPECT_NEAR(rows[1]["revenue"]["inspection"].get<double>(), two, 1e-5 * two);
  EXPECT_NEAR(rows[1]["revenue"]["second_price"].get<double>(), 1.0 / 3, 1e-9);
  EXPECT_NEAR(rows[1]["gain_over_myerson_percent"].get<double>(),
              100 * (rows[1]["revenue"]["inspection"].get<double>() * 12 / 5 - 1), 1e-9);
  // DSIC loses a few percent against BIC on the same grid, and still beats Myerson.
  const double dsic = rows[1]["revenue"]["inspection_dsic"].get<double>();
  EXPECT_LT(dsic, rows[1]["dsic"]["bic_revenue_same_grid"].get<double>());
  EXPECT_GT(dsic, 5.0 / 12);
  EXPECT_GT(rows[1]["dsic"]["loss_vs_bic_percent"].get<double>(), 0.5);
  EXPECT_LT(rows[1]["dsic"]["loss_vs_bic_percent"].get<double>(), 10);
}

TEST(CompareGolden, BadBidderLists) {
  for (const char* list : {"0..3", "5..1", "abc", "1..51", "1,,2", "2..x"}) {
    expect_clean_rejection({"compare", "--bidders", list});
  }
  expect_clean_rejection({"compare", "--bidders", "1,3", "--ic", "dominant"});
  expect_clean_rejection({"compare", "--values", "uniform(2,1)"});
}

// `dia compare --set`: one bidder v = (1, 2, 3), p = (.5, .3, .2) is the worked example of
// docs/model.md (inspection 1.1); without inspection the best it can do is a posted price of 1 or
// 2, revenue 1.0 (Myerson, either reserve), and second price without reserve earns 0 (gain none).
// Two bidders of discrete(1:0.5,2:0.5): second price earns E[min] = 0.75 + 2 * 0.25 = 1.25, and
// inspection equals the symmetric designer's.
TEST(CompareGolden, BidderSets) {
  const auto run = run_cli({"compare", "--set", "discrete(1:0.5,2:0.3,3:0.2)", "--set",
                            "2*discrete(1:0.5,2:0.5)", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto sets = run.json()["sets"];
  ASSERT_EQ(sets.size(), 2u);
  const auto& one = sets[0];
  EXPECT_EQ(one["bidder_count"], 1);
  EXPECT_EQ(one["status"], "optimal");
  EXPECT_NEAR(one["revenue"]["inspection"].get<double>(), 1.1, 1e-12);
  for (const char* key : {"myerson", "second_price_reserve", "second_price_myerson_reserves"}) {
    EXPECT_NEAR(one["revenue"][key].get<double>(), 1.0, 1e-12) << key;
    EXPECT_NEAR(one["gain_percent"][key].get<double>(), 10.0, 1e-9) << key;
  }
  EXPECT_NEAR(one["revenue"]["second_price"].get<double>(), 0.0, 1e-15);
  EXPECT_TRUE(one["gain_percent"]["second_price"].is_null());
  const auto& two = sets[1];
  EXPECT_EQ(two["bidders"][0]["count"], 2);
  EXPECT_NEAR(two["revenue"]["second_price"].get<double>(), 1.25, 1e-12);
  const auto symmetric = run_cli(
      {"design", "--values", "discrete(1:0.5,2:0.5)", "--bidders", "2", "--format", "json"});
  ASSERT_EQ(symmetric.exit_code, 0) << symmetric.err;
  EXPECT_NEAR(two["revenue"]["inspection"].get<double>(),
              symmetric.json()["revenue"]["inspection"].get<double>(), 1e-9);
  const auto table = run_cli({"compare", "--set", "discrete(1:0.5,2:0.3,3:0.2)"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("+10.00%"), std::string::npos) << table.out;
}

TEST(CompareGolden, BadBidderSets) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"compare", "--set", "uniform(0,1),0*uniform(0,1)"},
        {"compare", "--set", "uniform(0,1"},
        {"compare", "--set", "uniform(0,1),,uniform(0,2)"},
        {"compare", "--set", "uniform(0,1)", "--set", "lognormal(0,-1)"},
        {"compare", "--set", "51*uniform(0,1)"},
        {"compare", "--set", "uniform(0,1)", "--bidders", "2"}}) {
    expect_clean_rejection(args);
  }
}

}  // namespace
