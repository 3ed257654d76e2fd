// Golden tests of `dia design --ic dominant` and the Border lottery through the real CLI.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include "support/run_cli.hpp"

namespace {

using dia::testing::run_cli;

// CPU seconds of the child processes waited for so far (the CLI and its shell): unlike the wall
// clock, it does not grow with the load of a shared machine or with a sanitized build's startup.
double children_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_CHILDREN, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

TEST(DominantGolden, UniformTwoBiddersLosesAFewPercentAgainstBicOnTheSameGrid) {
  const auto run = run_cli({"design", "--values", "uniform(0,1)", "--bidders", "2", "--ic",
                            "dominant", "--grid", "40", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  const double dsic = j["revenue"]["inspection_dsic"].get<double>();
  EXPECT_EQ(j["dsic"]["grid"], 40);
  // --grid 40 also puts the BIC design on the same 40-cell grid.
  EXPECT_NEAR(j["dsic"]["bic_revenue_same_grid"].get<double>(),
              j["revenue"]["inspection"].get<double>(), 1e-9);
  EXPECT_LT(dsic, j["revenue"]["inspection"].get<double>());
  const double loss = j["dsic"]["loss_vs_bic_percent"].get<double>();
  EXPECT_GT(loss, 0.5);
  EXPECT_LT(loss, 10.0);
  EXPECT_GT(j["dsic"]["lower_bidder_wins"].get<double>(), 0.0);
  EXPECT_LE(j["dsic"]["max_ic_violation"].get<double>(), 1e-12);
  // DSIC with inspection still beats Myerson's DSIC auction (5/12) on uniform values.
  EXPECT_GT(dsic, 5.0 / 12);
}

TEST(DominantGolden, RefusesOtherBiddersAndLargeGridsAtOnce) {
  const auto three =
      run_cli({"design", "--values", "uniform(0,1)", "--bidders", "3", "--ic", "dominant"});
  EXPECT_EQ(three.exit_code, 2);
  EXPECT_NE(three.err.find("2 bidders"), std::string::npos) << three.err;
  // Refused before the LP is built (8e9 nonzeros): 0.03 s of CPU in the ci build, 0.5 s under
  // ASan + UBSan, where the wall clock on a loaded 2-core machine reached 6.8 s.
  const double before = children_cpu_seconds();
  const auto big = run_cli({"design", "--values", "uniform(0,1)", "--bidders", "2", "--ic",
                            "dominant", "--grid", "2000"});
  EXPECT_LT(children_cpu_seconds() - before, 5);
  EXPECT_EQ(big.exit_code, 2);
  EXPECT_NE(big.err.find("nonzeros"), std::string::npos) << big.err;
}

TEST(DominantGolden, UniformOneTwoGetsABorderLottery) {
  const auto run = run_cli({"design", "--values", "uniform(1,2)", "--bidders", "2", "--grid", "100",
                            "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  EXPECT_GT(j["max_win_probability"].get<double>(), 1.0);
  EXPECT_EQ(j["implementation"], "border_lottery");
  EXPECT_LE(j["border_lottery"]["max_reduced_form_error"].get<double>(), 1e-9);
  EXPECT_GT(j["border_lottery"]["lower_bidder_wins"].get<double>(), 0.0);
}

}  // namespace
