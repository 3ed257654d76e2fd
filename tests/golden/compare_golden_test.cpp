// Golden tests of `dia compare` through the real CLI.
#include <gtest/gtest.h>

#include <cmath>

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

}  // namespace
