// `dia design --bidder ...` through the real CLI (docs/asymmetric.md): numbers worked by hand and
// the symmetric designer's for identical bidders; bad input rejected with one line naming the
// bidder.
#include <gtest/gtest.h>

#include <cstdio>

#include "support/run_cli.hpp"

namespace {

using dia::testing::expect_clean_rejection;
using dia::testing::run_cli;

TEST(AsymmetricGolden, OneBidderIsTheWorkedExample) {
  const auto run =
      run_cli({"design", "--bidder", "discrete(1:0.5,2:0.3,3:0.2)", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  EXPECT_EQ(j["status"], "optimal");
  EXPECT_NEAR(j["revenue"]["inspection"].get<double>(), 1.1, 1e-12);  // docs/model.md, one bidder
  EXPECT_NEAR(j["revenue"]["myerson"].get<double>(), 1.0, 1e-12);     // the best posted price
  ASSERT_EQ(j["bidders"].size(), 1u);
  EXPECT_EQ(j["bidders"][0]["count"], 1);
  const auto& rows = j["bidders"][0]["mechanism"];
  ASSERT_EQ(rows.size(), 3u);
  const double allocation[] = {0.5, 1, 1}, rent[] = {0, 0.5, 1};
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_NEAR(rows[k]["allocation"].get<double>(), allocation[k], 1e-12);
    EXPECT_NEAR(rows[k]["rent"].get<double>(), rent[k], 1e-12);
  }
  // One bidder reads "1 bidder" in every table.
  const std::string one = "discrete(1:0.5,2:0.3,3:0.2)";
  EXPECT_EQ(run_cli({"design", "--bidder", one}).out.rfind("dia design: 1 bidder, ", 0), 0u);
  EXPECT_EQ(run_cli({"simulate", "--bidder", one, "--auctions", "1000"})
                .out.rfind("dia simulate: inspection with 1 bidder, ", 0),
            0u);
  EXPECT_NE(run_cli({"compare", "--set", one}).out.find(" (1 bidder)  status"), std::string::npos);
}

TEST(AsymmetricGolden, IdenticalBiddersReproduceTheSymmetricDesigner) {
  const std::string spec = "discrete(1:0.4,2:0.3,3:0.2,5:0.1)";
  for (int n : {2, 3}) {
    const auto symmetric =
        run_cli({"design", "--values", spec, "--bidders", std::to_string(n), "--format", "json"});
    const auto asymmetric =
        run_cli({"design", "--bidder", std::to_string(n) + "*" + spec, "--format", "json"});
    ASSERT_EQ(symmetric.exit_code, 0) << symmetric.err;
    ASSERT_EQ(asymmetric.exit_code, 0) << asymmetric.err;
    const auto s = symmetric.json(), a = asymmetric.json();
    EXPECT_NEAR(a["revenue"]["inspection"].get<double>(), s["revenue"]["inspection"].get<double>(),
                1e-9);
    EXPECT_NEAR(a["revenue"]["myerson"].get<double>(), s["revenue"]["myerson"].get<double>(),
                1e-12);
    EXPECT_EQ(a["bidder_count"], n);
    EXPECT_EQ(a["bidders"][0]["count"], n);
  }
}

TEST(AsymmetricGolden, TwoClassesBesideTheirBaselines) {
  // Bidder 0: v = (1, 2), p = (1/2, 1/2): phibar = (0, 2). Bidder 1: p = (3/4, 1/4):
  // phibar = (2/3, 2). Myerson = 2 P(someone high) + (2/3) P(nobody high) = 2 (5/8) + (2/3) (3/8)
  // = 1.5. Second price, no reserve: both high (1/8) pays 2, else 1: 1.125. Best anonymous
  // reserve: 2 (sold when someone is high, 5/8, at 2: 1.25; reserve 1 is no reserve, and a reserve
  // in (1, 2) earns at most 2 (1/8) + r (1/2) < 1.25).
  const auto run = run_cli({"design", "--bidder", "discrete(1:0.5,2:0.5)", "--bidder",
                            "discrete(1:0.75,2:0.25)", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  EXPECT_EQ(j["status"], "optimal");
  EXPECT_NEAR(j["revenue"]["myerson"].get<double>(), 1.5, 1e-12);
  EXPECT_NEAR(j["revenue"]["second_price"].get<double>(), 1.125, 1e-12);
  EXPECT_NEAR(j["revenue"]["second_price_reserve"].get<double>(), 1.25, 1e-12);
  const double inspection = j["revenue"]["inspection"].get<double>();
  EXPECT_NEAR(j["gain_over_myerson_percent"].get<double>(), 100 * (inspection / 1.5 - 1), 1e-9);
  EXPECT_NEAR(j["gain_over_second_price_reserve_percent"].get<double>(),
              100 * (inspection / 1.25 - 1), 1e-9);
  EXPECT_GE(j["revenue"]["inspection"].get<double>(), 1.5 - 1e-12);
  EXPECT_TRUE(j["audit"]["passed"].get<bool>());
  EXPECT_LE(j["audit"]["dual_gap"].get<double>(), 1e-9);
  double total = 0, share = 0;
  for (const auto& b : j["bidders"]) {
    total += b["revenue"].get<double>();
    share += b["revenue_share"].get<double>();
  }
  EXPECT_NEAR(total, j["revenue"]["inspection"].get<double>(), 1e-12);
  EXPECT_NEAR(share, 1.0, 1e-12);
  const auto table = run_cli(
      {"design", "--bidder", "discrete(1:0.5,2:0.5)", "--bidder", "discrete(1:0.75,2:0.25)"});
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("Myerson"), std::string::npos);
  EXPECT_NE(table.out.find("vs Myerson  vs 2nd+res"), std::string::npos) << table.out;
  char over_reserve[32];
  std::snprintf(over_reserve, sizeof over_reserve, "%+.2f%%", 100 * (inspection / 1.25 - 1));
  EXPECT_NE(table.out.find(over_reserve), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("bidder class"), std::string::npos);
}

TEST(AsymmetricGolden, BadBidderListsAreRejectedWithOneLine) {
  expect_clean_rejection({"design", "--bidder", "0*uniform(0,1)"});
  expect_clean_rejection({"design", "--bidder", "51*uniform(0,1)"});
  expect_clean_rejection({"design", "--bidder", "30*uniform(0,1)", "--bidder", "21*uniform(0,2)"});
  expect_clean_rejection({"design", "--bidder", ""});
  expect_clean_rejection({"design", "--bidder", "uniform(0,1)", "--values", "uniform(0,1)"});
  expect_clean_rejection({"design", "--bidder", "uniform(0,1)", "--bidder", "uniform(2,1)"});
  const auto named = run_cli(
      {"design", "--bidder", "uniform(0,1)", "--bidder", "uniform(2,1)", "--format", "json"});
  EXPECT_NE(named.err.find("bidder 2"), std::string::npos) << named.err;
  for (const std::string k : {"2.5", "-1", "1e1"}) {
    expect_clean_rejection({"design", "--bidder", k + "*uniform(0,1)"});
    const auto count =
        run_cli({"design", "--bidder", "uniform(0,1)", "--bidder", k + "*uniform(0,1)"});
    EXPECT_NE(count.err.find("bidder 2 ('" + k +
                             "*uniform(0,1)'): K*SPEC needs a whole number K >= 1, got " + k),
              std::string::npos)
        << count.err;
  }
}

}  // namespace
