// `dia evaluate` and `dia design --bootstrap`: their CLI shapes, checked against numbers worked by
// hand (a posted price under a shifted uniform) and against themselves (same seed, same answer).
#include <gtest/gtest.h>

#include <fstream>

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

// `dia design --values f --bidders n --format json` saved to a file and evaluated under the same f:
// the design's own inspection revenue and the evaluation's JSON.
struct OwnEvaluation {
  double design_revenue = 0;
  nlohmann::json evaluation;
};

OwnEvaluation evaluate_under_own_distribution(const std::string& f, int bidders) {
  const auto saved =
      run_cli({"design", "--values", f, "--bidders", std::to_string(bidders), "--format", "json"});
  EXPECT_EQ(saved.exit_code, 0) << saved.err;
  const std::string design =
      write_temp_file("dia_saved_" + std::to_string(bidders) + ".json", saved.out);
  const auto run = run_cli({"evaluate", "--design", design, "--values", f, "--format", "json"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return {saved.json()["revenue"]["inspection"].get<double>(), run.json()};
}

// A design saved by dia design and evaluated under its own discrete F earns its revenue.
TEST(EvaluateGolden, ADesignUnderItsOwnDistribution) {
  const auto own = evaluate_under_own_distribution("discrete(1:0.2,2:0.3,3:0.5)", 1);
  EXPECT_NEAR(own.evaluation["revenue"].get<double>(), own.design_revenue, 1e-12);
  EXPECT_NEAR(own.evaluation["share_of_optimal"].get<double>(), 1, 1e-12);
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
  // --by id makes 60 one-row classes: more bidders than the designer takes.
  expect_clean_rejection({"design", "--values", "empirical(" + file + ", column=bid)",
                          "--bootstrap", "40", "--by", "id"});
}

// Two bidders, F = discrete(1:0.5, 2:0.5), X = (0.2, 0.7): the highest bid wins, served with
// q = X / G_F = (0.8, 14/15), rho(2) = 0.2 / 0.7. Under H = discrete(1:0.2, 2:0.8) a bid wins
// with X_H = q G_H = (0.8 * 0.1, (14/15) * 0.6) = (0.08, 0.56): revenue
// 2 (0.2 * 0.08 + 0.8 * 0.56 (2 - 2/7)) = 1.568, sale 0.928, rewards 0.256. Under
// H = discrete(1:0.9, 2:0.1) the 2 gains 0.36 - 0.76/3 by bidding 1 (docs/evaluate.md).
TEST(EvaluateGolden, TwoBiddersByHand) {
  const std::string design = write_temp_file(
      "dia_two_bidders.json",
      R"json({"values": "discrete(1:0.5, 2:0.5)", "bidders": 2, "revenue": {"inspection": 1.4},
          "mechanism": [{"value": 1, "probability": 0.5, "allocation": 0.2},
                        {"value": 2, "probability": 0.5, "allocation": 0.7}]})json");
  const auto run = run_cli(
      {"evaluate", "--design", design, "--values", "discrete(1:0.2, 2:0.8)", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  EXPECT_NEAR(j["revenue"].get<double>(), 1.568, 1e-12);
  EXPECT_NEAR(j["sale_probability"].get<double>(), 0.928, 1e-12);
  EXPECT_NEAR(j["expected_reward"].get<double>(), 0.256, 1e-12);
  EXPECT_EQ(j["rule"], "highest_bidder_lottery");
  EXPECT_EQ(j["bidders"], 2);
  EXPECT_EQ(j["truthful"], true);
  const auto lie = run_cli(
      {"evaluate", "--design", design, "--values", "discrete(1:0.9, 2:0.1)", "--format", "json"});
  ASSERT_EQ(lie.exit_code, 0) << lie.err;
  EXPECT_EQ(lie.json()["truthful"], false);
  EXPECT_NEAR(lie.json()["max_lie_gain"].get<double>(), 0.36 - 0.76 / 3, 1e-12);
  EXPECT_EQ(lie.json()["lie"]["bid"], 1);
  const auto table =
      run_cli({"evaluate", "--design", design, "--values", "discrete(1:0.9, 2:0.1)"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("WARNING: truthful bidding is NOT a best response"), std::string::npos)
      << table.out;
}

// A design of two classes saved by hand (tests/data/two-classes-by-hand.json, also read by
// tests/python/test_evaluate.py): bidder A with types {1, 2} (F_A = (0.5, 0.5)),
// X_A = (0.4, 1); bidder B with the one type 1.5, X_B = 0.3. A's 2 always wins and B wins against
// A's 1 in rankings of weight 0.6: the rule is forced. Under A ~ discrete(1:0.2, 2:0.8), B as
// designed: A earns 0.2 * 0.4 * 1 + 0.8 (2 - 0.4) = 1.36 (rho_A(2) = 0.4), B 0.2 * 0.6 * 1.5 =
// 0.18; always sold; rewards 0.8 * 0.4 = 0.32 (docs/evaluate.md#classes).
TEST(EvaluateGolden, ClassesByHand) {
  const std::string design = DIA_TEST_DATA "/two-classes-by-hand.json";
  const auto run = run_cli({"evaluate", "--design", design, "--bidder", "discrete(1:0.2, 2:0.8)",
                            "--bidder", "discrete(1.5:1)", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  EXPECT_EQ(j["rule"], "priority_rankings");
  EXPECT_NEAR(j["revenue"].get<double>(), 1.54, 1e-12);
  EXPECT_NEAR(j["sale_probability"].get<double>(), 1, 1e-12);
  EXPECT_NEAR(j["expected_reward"].get<double>(), 0.32, 1e-12);
  EXPECT_NEAR(j["bidders"][0]["revenue"].get<double>(), 1.36, 1e-12);
  EXPECT_NEAR(j["bidders"][1]["revenue"].get<double>(), 0.18, 1e-12);
  EXPECT_EQ(j["bidders"][1]["seats"].size(), 1u);
  EXPECT_EQ(j["truthful"], true);
  EXPECT_TRUE(j["optimal_revenue"].is_number());
  // Under their own F, the saved revenue 0.5 * 0.4 + 0.5 * 1.6 + 0.3 * 1.5 = 1.45.
  const auto own = run_cli({"evaluate", "--design", design, "--bidder", "discrete(1:0.5, 2:0.5)",
                            "--bidder", "discrete(1.5:1)", "--format", "json"});
  ASSERT_EQ(own.exit_code, 0) << own.err;
  EXPECT_NEAR(own.json()["revenue"].get<double>(), 1.45, 1e-12);
  const auto table = run_cli({"evaluate", "--design", design, "--bidder", "discrete(1:0.2, 2:0.8)",
                              "--bidder", "discrete(1.5:1)"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("revenue            1.54"), std::string::npos) << table.out;
  // The same outcome lines as a design of identical bidders (TwoBiddersByHand).
  EXPECT_NE(table.out.find("the bidders best-respond to the saved rule by bidding truthfully\n"),
            std::string::npos)
      << table.out;
  const std::string identical = write_temp_file(
      "dia_identical.json", R"({"bidders": 1, "mechanism": [{"value": 1, "allocation": 1}]})");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"evaluate", "--design", design, "--bidder", "uniform(0,1)"},
           {"evaluate", "--design", design, "--values", "uniform(0,1)"},
           {"evaluate", "--design", design, "--bidder", "3*uniform(0,1)", "--bidder",
            "uniform(0,1)"},
           {"evaluate", "--design", identical, "--bidder", "uniform(0,1)"}}) {
    expect_clean_rejection(args);
  }
}

// Two classes of one bidder each, both uniform(0,1), on the 2-cell grid: the cells' means 1/4 and
// 3/4 (mass 1/2 each), X = (1/4, 3/4) for both. A bid plays as the grid value at or below it, so
// under uniform(0,1) the steps carry P(1/4 <= V < 3/4) = 1/2 and P(V >= 3/4) = 1/4 (below 1/4
// never wins); the rule must be built on those masses to deliver X. Then, by hand, each bidder's
// rent is R(v) = max over steps j <= step(v) of (v - v_j) X_j = (v - 1/4)/4 on [1/4, 1] (the line
// of step 0 stays above (v - 3/4) 3/4 up to v = 1), so truth is a best response and
//   revenue = int_{1/4}^{3/4} v/4 dv + int_{3/4}^{1} 3v/4 dv - int_{1/4}^{1} (v - 1/4)/4 dv
//           = 1/16 + 21/128 - 9/128 = 5/32 per bidder,
//   sale = 1/2 * 1/4 + 1/4 * 3/4 = 5/16, rewards 9/128 per bidder.
// Rankings built on the cells' masses 1/2 instead sold with chance 0.875 for revenue 0.40104,
// and a value near 1 gained 0.156 by bidding 1/4.
TEST(EvaluateGolden, ContinuousClassesUnderTheirOwnDistributions) {
  const std::string design =
      write_temp_file("dia_continuous_classes.json",
                      R"json({"values": "uniform(0,1) + uniform(0,1)", "bidder_count": 2,
          "revenue": {"inspection": 0.3125},
          "bidders": [
            {"values": "uniform(0,1)", "count": 1, "mechanism": [
              {"value": 0.25, "probability": 0.5, "allocation": 0.25},
              {"value": 0.75, "probability": 0.5, "allocation": 0.75}]},
            {"values": "uniform(0,1)", "count": 1, "mechanism": [
              {"value": 0.25, "probability": 0.5, "allocation": 0.25},
              {"value": 0.75, "probability": 0.5, "allocation": 0.75}]}]})json");
  const auto run = run_cli({"evaluate", "--design", design, "--bidder", "uniform(0,1)", "--bidder",
                            "uniform(0,1)", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  EXPECT_NEAR(j["revenue"].get<double>(), 2 * 5.0 / 32, 1e-6);
  EXPECT_NEAR(j["sale_probability"].get<double>(), 2 * 5.0 / 16, 1e-6);
  EXPECT_NEAR(j["expected_reward"].get<double>(), 2 * 9.0 / 128, 1e-6);
  for (int c = 0; c < 2; ++c) EXPECT_NEAR(j["bidders"][c]["revenue"].get<double>(), 5.0 / 32, 1e-6);
  EXPECT_LE(j["max_lie_gain"].get<double>(), 1e-6);
}

// A 3-bidder design saved by dia design and evaluated under its own discrete F earns its revenue
// (the rule's interim allocation under F is the designed X).
TEST(EvaluateGolden, AThreeBidderDesignUnderItsOwnDistribution) {
  const auto own = evaluate_under_own_distribution("discrete(1:0.2,2:0.3,3:0.5)", 3);
  EXPECT_NEAR(own.evaluation["revenue"].get<double>(), own.design_revenue, 1e-9);
  EXPECT_EQ(own.evaluation["truthful"], true);
}

// --holdout with the posted price 0.5 (X = 1 from 0.5): on any set of rows it earns 0.5 times the
// share of rows at or above 0.5. 100 rows, 37 of them >= 0.5: 30 holdout rows and 70 training rows
// share the 37, so 30 * rev_test / 0.5 + 70 * rev_train / 0.5 = 37 whatever the split; and the
// training rows written by --train-out are the 70 rows the training revenue counts.
TEST(EvaluateGolden, HoldoutSplitsTheRowsBySeed) {
  std::string rows = "id,bid\n";
  for (int i = 0; i < 100; ++i) {
    rows += std::to_string(i) + "," + (i < 37 ? "0.75" : "0.25") + "\n";
  }
  const std::string file = write_temp_file("dia_holdout.csv", rows);
  const std::string design = write_temp_file("dia_posted_h.json",
                                             R"json({"values": "discrete(0.5:1)", "bidders": 1,
          "mechanism": [{"value": 0.5, "probability": 1, "allocation": 1}]})json");
  const std::string train = ::testing::TempDir() + "dia_holdout_train.csv";
  const std::vector<std::string> args{
      "evaluate",  "--design",    design,   "--values", "empirical(" + file + ", column=bid)",
      "--holdout", "0.3",         "--seed", "11",       "--format",
      "json",      "--train-out", train};
  const auto run = run_cli(args);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  EXPECT_EQ(j["holdout"]["test_rows"], 30);
  EXPECT_EQ(j["holdout"]["train_rows"], 70);
  const double test = j["revenue"].get<double>(), fit = j["holdout"]["train"]["revenue"];
  EXPECT_NEAR(30 * test / 0.5 + 70 * fit / 0.5, 37, 1e-9);
  std::ifstream in(train);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "value,weight");
  int lines = 0, high = 0;
  while (std::getline(in, line)) {
    ++lines;
    high += line.rfind("0.75,", 0) == 0;
  }
  EXPECT_EQ(lines, 70);
  EXPECT_NEAR(high, 70 * fit / 0.5, 1e-9);
  EXPECT_EQ(run_cli(args).out, run.out);  // same seed, same split
  expect_clean_rejection(
      {"evaluate", "--design", design, "--values", "uniform(0,1)", "--holdout", "0.3"});
  expect_clean_rejection({"evaluate", "--design", design, "--values",
                          "empirical(" + file + ", column=bid)", "--holdout", "1"});
  expect_clean_rejection(
      {"evaluate", "--design", design, "--values", "uniform(0,1)", "--train-out", train});
}

// --bootstrap with --by: every class resampled within itself, intervals seeded.
TEST(BootstrapGolden, ByClassIntervalsAreSeeded) {
  std::string rows = "seat,bid\n";
  for (int i = 0; i < 80; ++i) {
    rows += std::string(i % 2 ? "a" : "b") + "," + std::to_string(1 + (i * 7) % 5 + (i % 2)) + "\n";
  }
  const std::string file = write_temp_file("dia_boot_by.csv", rows);
  const std::vector<std::string> args{"design",   "--values", "empirical(" + file + ", column=bid)",
                                      "--by",     "seat",     "--bootstrap",
                                      "10",       "--seed",   "3",
                                      "--format", "json"};
  const auto a = run_cli(args);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(run_cli(args).out, a.out);
  const auto j = a.json()["bootstrap"];
  EXPECT_EQ(j["by"], "seat");
  EXPECT_EQ(j["class_observations"], nlohmann::json::array({40, 40}));
  EXPECT_EQ(j["observations"], 80);
  EXPECT_LE(j["revenue"]["low"].get<double>(), j["revenue"]["high"].get<double>());
  EXPECT_GT(j["revenue"]["low"].get<double>(), 0);
  EXPECT_TRUE(j["holdout"].is_null());
}

// Two bidders: the holdout also runs a design fitted to the kernel-smoothed fitting half.
TEST(BootstrapGolden, TwoBiddersHoldoutComparesRawAndSmoothed) {
  std::string rows = "bid\n";
  for (int i = 0; i < 60; ++i) rows += std::to_string(1 + (i * 13) % 17) + "\n";
  const std::string file = write_temp_file("dia_boot2.csv", rows);
  const auto run = run_cli({"design", "--values", "empirical(" + file + ", column=bid)",
                            "--bidders", "2", "--bootstrap", "10", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto h = run.json()["bootstrap"]["holdout"];
  ASSERT_TRUE(h.is_object()) << run.out;
  EXPECT_EQ(h["fit_rows"], 30);
  EXPECT_TRUE(h["out_of_sample_revenue"].is_number()) << h.dump();
  EXPECT_GT(h["smoothed"]["bandwidth"].get<double>(), 0);
  EXPECT_TRUE(h["smoothed"]["out_of_sample_revenue"].is_number()) << h.dump();
  // A design that stays incentive compatible there cannot beat the other half's own optimum.
  if (!h["notes"].empty()) return;
  EXPECT_LE(h["out_of_sample_revenue"].get<double>(),
            h["test_optimal_revenue"].get<double>() + 1e-9);
  EXPECT_LE(h["smoothed"]["out_of_sample_revenue"].get<double>(),
            h["test_optimal_revenue"].get<double>() + 1e-9);
}

}  // namespace
