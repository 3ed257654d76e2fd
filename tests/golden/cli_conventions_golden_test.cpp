// The CLI conventions of docs and README: table headers named as the JSON keys, both gains,
// `dia help`, `--out -`, `--version` and `dia_version` in every JSON output, singular and plural,
// a non-number for a count, a notes column for rows that are not optimal.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "dia/compare.hpp"
#include "dia/version.hpp"
#include "support/run_cli.hpp"

namespace {

using dia::testing::expect_clean_rejection;
using dia::testing::run_cli;

TEST(CliConventions, DesignTableUsesTheJsonNamesAndBothGains) {
  const auto run = run_cli({"design", "--values", "uniform(0,1)", "--bidders", "2", "--rows", "3"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* column : {"winner_reward", "expected_net_payment", "winner_net_payment",
                             "best_alternative_bid", "win_probability", "vs 2nd+res"}) {
    EXPECT_NE(run.out.find(column), std::string::npos) << column << "\n" << run.out;
  }
  // Inspection 0.5092880 over second price with the optimal reserve 5/12 (= Myerson here):
  // 0.5092880 / 0.4166667 - 1 = +22.23%, printed twice on the inspection line.
  EXPECT_NE(run.out.find("+22.23%     +22.23%"), std::string::npos) << run.out;
  const auto json = run_cli({"design", "--bidders", "2", "--format", "json"}).json();
  EXPECT_NEAR(json["gain_over_second_price_reserve_percent"].get<double>(), 22.229, 1e-3);
  EXPECT_EQ(json["dia_version"], dia::kVersion);
}

TEST(CliConventions, EveryJsonOutputCarriesTheVersion) {
  EXPECT_EQ(run_cli({"compare", "--bidders", "1", "--format", "json"}).json()["dia_version"],
            dia::kVersion);
  EXPECT_EQ(run_cli({"simulate", "--auctions", "100", "--mechanism", "myerson", "--format", "json"})
                .json()["dia_version"],
            dia::kVersion);
  EXPECT_EQ(run_cli({"design", "--bidder", "uniform(0,1)", "--bidder", "uniform(0,2)", "--format",
                     "json", "--grid", "50"})
                .json()["dia_version"],
            dia::kVersion);
  const auto version = run_cli({"--version"});
  EXPECT_EQ(version.out, std::string("dia ") + dia::kVersion + "\n");
}

TEST(CliConventions, CompareSaleProbabilityIsANumberAsEverywhere) {
  const auto row = run_cli({"compare", "--bidders", "1", "--format", "json"}).json()["rows"][0];
  // One bidder, uniform(0,1): inspection sells above the cutoff (3 - sqrt 5)/2, Myerson above 1/2
  // (the design's cells have mass 2^-17, so the cutoff's cell is known to about 1e-5).
  EXPECT_NEAR(row["sale_probability"].get<double>(), (std::sqrt(5.0) - 1) / 2, 1e-5);
  EXPECT_NEAR(row["myerson_sale_probability"].get<double>(), 0.5, 1e-12);
  EXPECT_EQ(row["sale_probabilities"]["myerson"], row["myerson_sale_probability"]);
}

TEST(CliConventions, HelpVersionAndStdout) {
  const auto help = run_cli({"help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Subcommands:"), std::string::npos) << help.out;
  const auto design = run_cli({"help", "design"});
  EXPECT_EQ(design.exit_code, 0);
  EXPECT_NE(design.out.find("--values"), std::string::npos) << design.out;
  expect_clean_rejection({"help", "desing"});
  const auto page = run_cli({"report", "--bidders", "1", "--out", "-", "--quiet"});
  EXPECT_EQ(page.exit_code, 0) << page.err;
  EXPECT_EQ(page.out.rfind("<!DOCTYPE html>", 0), 0u);
  expect_clean_rejection({"report", "--out", "-", "--format", "svg"});
}

TEST(CliConventions, CountsSayWhatIsWrong) {
  const auto run = run_cli({"design", "--bidders", "two"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--bidders: must be a whole number, got 'two'"), std::string::npos)
      << run.err;
  expect_clean_rejection({"simulate", "--bidders", "2.5"});
  expect_clean_rejection({"design", "--bidders", "51"});
}

TEST(CliConventions, OneThreadReadsRight) {
  const auto run =
      run_cli({"simulate", "--auctions", "100", "--threads", "1", "--mechanism", "myerson"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("(1 thread, 1 block of 65536)"), std::string::npos) << run.out;
}

TEST(CliConventions, CompareExplainsARowThatIsNotOptimal) {
  dia::Comparison comparison{"uniform(low=0, high=1)", {}};
  dia::ComparisonRow row;
  row.bidders = 4;
  row.inspection.status = dia::SolveStatus::kGridLimited;
  row.inspection.estimated_error = 3.2e-5;
  row.inspection.audit.passed = true;
  row.classic.myerson = 1;
  row.classic.second_price_reserve = 1;
  comparison.rows.push_back(row);
  const std::string table = dia::to_table(comparison);
  EXPECT_NE(table.find("notes"), std::string::npos) << table;
  EXPECT_NE(table.find("grid_limited: revenue within 3.2e-05 relative"), std::string::npos)
      << table;
}

}  // namespace
