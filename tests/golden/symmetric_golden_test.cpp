// Golden tests of `dia design --bidders N` through the real CLI.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "support/run_cli.hpp"

namespace {

using dia::testing::run_cli;

// Uniform [0,1], n = 2 (docs/model.md#example-uniform-n2): X(v) = k^(k-1) v^k below 1/k and v
// above, k the golden ratio. The one-bidder trajectory theta = k w gives w*(v) = v / k for every v,
// so R(v) = (v - v/k) X(v/k) = (k - 1)/k^2 v^(k+1). Integrating by hand,
//   revenue/2 = k^-3/(k+2) + (1 - k^-3)/3 - (k-1)/(k^2 (k+2)),
// and since k^-3 = (k - 1)/k^2 the first and last terms cancel: revenue = 2 (1 - k^-3) / 3.
TEST(SymmetricGolden, UniformTwoBiddersMatchesClosedForm) {
  const double k = (1 + std::sqrt(5.0)) / 2;
  const double revenue = 2 * (1 - std::pow(k, -3)) / 3;
  const auto run =
      run_cli({"design", "--values", "uniform(0,1)", "--bidders", "2", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  EXPECT_EQ(j["status"], "optimal");
  EXPECT_NEAR(j["revenue"]["inspection"].get<double>(), revenue, 1e-5 * revenue);
  EXPECT_NEAR(j["revenue"]["myerson"].get<double>(), 5.0 / 12, 1e-9);
  EXPECT_NEAR(j["revenue"]["second_price"].get<double>(), 1.0 / 3, 1e-9);
  EXPECT_NEAR(j["switch_point"].get<double>(), 1 / k, 2e-3);
  EXPECT_EQ(j["implementation"], "highest_bidder_lottery");
  EXPECT_TRUE(j["audit"]["passed"].get<bool>());
  EXPECT_LT(j["audit"]["dual_gap"].get<double>(), 1e-9);
  EXPECT_LT(j["audit"]["max_border_violation"].get<double>(), 1e-9);
  // The gain over Myerson quoted in docs/model.md#example-uniform-n2: 22.2%.
  EXPECT_NEAR(j["gain_over_myerson_percent"].get<double>(), 22.2, 0.05);
  for (const auto& row : j["mechanism"]) {
    EXPECT_LE(row["win_probability"].get<double>(), 1 + 1e-9);
    EXPECT_LE(row["rent"].get<double>(),
              row["value"].get<double>() * row["allocation"].get<double>() + 1e-12);
  }
}

// The same discrete problem by row generation and by the full CLP LP with every IC row.
TEST(SymmetricGolden, ThreeBiddersAgreeWithTheFullLp) {
  const auto run = run_cli({"design", "--values", "exponential(1)", "--bidders", "3", "--check",
                            "lp", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  EXPECT_LT(j["lp_check"]["relative_difference"].get<double>(), 1e-7);
  EXPECT_EQ(j["lp_check"]["types"], 200);
}

TEST(SymmetricGolden, DiscreteThreePointTwoBiddersIsExact) {
  // Checked against the full LP on the same atoms.
  const auto run = run_cli({"design", "--values", "discrete(1:0.5,2:0.3,3:0.2)", "--bidders", "2",
                            "--check", "lp", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  EXPECT_EQ(j["status"], "optimal");
  EXPECT_LT(j["lp_check"]["relative_difference"].get<double>(), 1e-9);
  EXPECT_NEAR(j["revenue"]["inspection"].get<double>(), j["lp_check"]["lp_revenue"].get<double>(),
              1e-9);
  EXPECT_GE(j["revenue"]["inspection"].get<double>(), j["revenue"]["myerson"].get<double>());
  EXPECT_EQ(j["mechanism"].size(), 3u);
}

TEST(SymmetricGolden, TooLargeRequestsAreRefusedAtOnce) {
  const std::string many = ::testing::TempDir() + "dia_many_atoms.csv";
  {
    std::ofstream out(many);
    for (int i = 1; i <= 5000; ++i) out << i << "\n";
  }
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"design", "--values", "empirical(" + many + ")", "--bidders", "2"},
           {"design", "--values", "uniform(0,1)", "--bidders", "2", "--grid", "200000"},
           {"design", "--values", "uniform(0,1)", "--bidders", "2", "--check", "lp", "--grid",
            "1000"}}) {
    const auto run = run_cli(args);
    EXPECT_EQ(run.exit_code, 2) << args[2] << " " << args.back() << "\n" << run.err;
    EXPECT_TRUE(run.out.empty());
  }
}

}  // namespace
