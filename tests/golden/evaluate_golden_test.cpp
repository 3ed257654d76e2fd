// `dia evaluate` and `dia design --bootstrap`: their CLI shapes, checked against numbers worked by
// hand (a posted price under a shifted uniform) and against themselves (same seed, same answer).
#include <gtest/gtest.h>

#include "support/run_cli.hpp"
#include "support/temp_file.hpp"

namespace {

using dia::testing::expect_clean_rejection;
using dia::testing::run_cli;
using dia::testing::write_temp_file;

// A saved design with the single row (0.5, X = 1): a posted price of 0.5. Under
// uniform(0.25, 1.25) it sells with probability 0.75 at 0.5: revenue 0.375; the refund of the
// rent R(v) = v - 0.5 averages 0.75^2 / 2 = 0.28125 (docs/evaluate.md).
TEST(EvaluateGolden, APostedPriceUnderAShiftedUniform) {
  const std::string design = write_temp_file(
      "dia_posted.json",
      R"json({"values": "discrete(0.5:1)", "bidders": 1, "revenue": {"inspection": 0.5},
          "mechanism": [{"value": 0.5, "probability": 1, "allocation": 1, "rent": 0}]})json");
  const auto run = run_cli(
      {"evaluate", "--design", design, "--values", "uniform(0.25,1.25)", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  EXPECT_NEAR(j["revenue"].get<double>(), 0.375, 1e-12);
  EXPECT_NEAR(j["sale_probability"].get<double>(), 0.75, 1e-12);
  EXPECT_NEAR(j["expected_reward"].get<double>(), 0.28125, 1e-12);
  EXPECT_EQ(j["design_values"], "discrete(0.5:1)");
  const auto table = run_cli({"evaluate", "--design", design, "--values", "uniform(0.25,1.25)"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("revenue            0.375"), std::string::npos) << table.out;
}

// A design saved by dia design and evaluated under its own discrete F earns its revenue.
TEST(EvaluateGolden, ADesignUnderItsOwnDistribution) {
  const auto saved =
      run_cli({"design", "--values", "discrete(1:0.2,2:0.3,3:0.5)", "--format", "json"});
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  const std::string design = write_temp_file("dia_saved.json", saved.out);
  const auto run = run_cli({"evaluate", "--design", design, "--values",
                            "discrete(1:0.2,2:0.3,3:0.5)", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NEAR(run.json()["revenue"].get<double>(),
              saved.json()["revenue"]["inspection"].get<double>(), 1e-12);
  EXPECT_NEAR(run.json()["share_of_optimal"].get<double>(), 1, 1e-12);
}

TEST(EvaluateGolden, BadDesignsAreOneLine) {
  const std::string text = write_temp_file("dia_not_json.json", "not json");
  const std::string two = write_temp_file("dia_two.json", R"({"bidders": 2, "mechanism": []})");
  const std::string falling = write_temp_file(
      "dia_falling.json", R"({"bidders": 1, "mechanism": [{"value": 1, "allocation": 1},
            {"value": 2, "allocation": 0.5}]})");
  const std::string ok = write_temp_file("dia_ok.json", R"({"bidders": 1, "mechanism": [{"value": 1,
            "allocation": 1}]})");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"evaluate", "--design", text, "--values", "uniform(0,1)"},
           {"evaluate", "--design", two, "--values", "uniform(0,1)"},
           {"evaluate", "--design", falling, "--values", "uniform(0,1)"},
           {"evaluate", "--design", "/nonexistent.json", "--values", "uniform(0,1)"},
           {"evaluate", "--design", ok, "--values", "uniform(2,1)"},
           {"evaluate", "--design", ok},
           {"evaluate", "--values", "uniform(0,1)"}}) {
    expect_clean_rejection(args);
  }
}

TEST(BootstrapGolden, IntervalsAreSeededAndBracketTheRevenue) {
  std::string rows = "id,bid\n";
  for (int i = 1; i <= 60; ++i) rows += std::to_string(i) + "," + std::to_string(i % 7 + 1) + "\n";
  const std::string file = write_temp_file("dia_boot.csv", rows);
  const std::vector<std::string> args{
      "design",      "--values", "empirical(" + file + ", column=bid)",
      "--bootstrap", "40",       "--seed",
      "5",           "--format", "json"};
  const auto a = run_cli(args), b = run_cli(args);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  const auto j = a.json()["bootstrap"];
  EXPECT_EQ(j["replicates"], 40);
  EXPECT_EQ(j["observations"], 60);
  const double revenue = a.json()["revenue"]["inspection"].get<double>();
  EXPECT_LE(j["revenue"]["low"].get<double>(), j["revenue"]["high"].get<double>());
  // The full-data revenue lies inside the 95% interval of its own resamples here.
  EXPECT_LE(j["revenue"]["low"].get<double>(), revenue);
  EXPECT_GE(j["revenue"]["high"].get<double>(), revenue);
  EXPECT_EQ(j["holdout"]["fit_rows"].get<int>() + j["holdout"]["test_rows"].get<int>(), 60);
  const auto table =
      run_cli({"design", "--values", "empirical(" + file + ", column=bid)", "--bootstrap", "40"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("bootstrap: 40 replicates of the 60 rows"), std::string::npos);
  EXPECT_NE(table.out.find("holdout:"), std::string::npos);
  expect_clean_rejection({"design", "--values", "uniform(0,1)", "--bootstrap", "40"});
  expect_clean_rejection(
      {"design", "--values", "empirical(" + file + ", column=bid)", "--bootstrap", "5"});
  expect_clean_rejection({"design", "--values", "empirical(" + file + ", column=bid)",
                          "--bootstrap", "40", "--by", "id"});
}

}  // namespace
