// `dia report --bidder ...` (docs/asymmetric.md, docs/report.md): the page's numbers worked by
// hand, its per-class plots, the ex post rule's sales to a lower bidder, and bad input.
#include <gtest/gtest.h>

#include <regex>

#include "dia/version.hpp"
#include "support/run_cli.hpp"

namespace {

using dia::testing::expect_clean_rejection;
using dia::testing::run_cli;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The table row of `name`: "<td class="text">name</td><td>revenue</td>...".
bool has_row(const std::string& page, const std::string& name, const std::string& cells) {
  return page.find("<td class=\"text\">" + name + "</td>" + cells) != std::string::npos;
}

// One bidder, v = (1, 2, 3) with p = (1/2, 3/10, 1/5): the worked example of docs/model.md,
// X = (1/2, 1, 1), R = (0, 1/2, 1): revenue 1/4 + 9/20 + 2/5 = 1.1, expected reward
// 0.3 (1/2) + 0.2 = 0.35, sale probability 0.75. Myerson = the best posted price, 1 (at 1 or 2):
// +10%. Second price without reserve earns 0; the best anonymous reserve 2 earns 2 (1/2) = 1; the
// ironed virtual values (0, 4/3, 3) give the Myerson reserve 2: 1.
TEST(AsymmetricReportGolden, OneClassWorkedByHand) {
  const auto run =
      run_cli({"report", "--bidder", "discrete(1:0.5,2:0.3,3:0.2)", "--out", "-", "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string& page = run.out;
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_TRUE(has_row(page, "inspection (optimal)", "<td>1.1</td><td>-</td>")) << page;
  EXPECT_TRUE(has_row(page, "Myerson (per-bidder ironed virtual values)", "<td>1</td><td>+10.00%"));
  EXPECT_TRUE(has_row(page, "second price, Myerson reserves", "<td>1</td><td>+10.00%"));
  EXPECT_TRUE(has_row(page, "second price, best anonymous reserve 2", "<td>1</td><td>+10.00%"));
  EXPECT_TRUE(has_row(page, "second price, no reserve", "<td>0</td>"));
  EXPECT_NE(page.find("</td><td>1</td><td>1.1</td><td>100.00%</td><td>0.750000</td><td>0.35</td>"),
            std::string::npos);
  EXPECT_NE(page.find("<b id=\"status\">optimal</b>"), std::string::npos);
  EXPECT_NE(page.find("<td class=\"passed\">passed</td>"), std::string::npos);
  // The four per-class plots, each an inline SVG with the class in its legend.
  EXPECT_EQ(count(page, "<figure class=\"plot\""), 4u);
  for (const char* id : {"allocation", "rent", "winner_reward", "net_payment"}) {
    EXPECT_NE(page.find(std::string("id=\"plot-") + id + "\""), std::string::npos) << id;
  }
  // In the legends of three plots and in the class table; net payments: expected and winner's.
  EXPECT_EQ(count(page, ">class 1<"), 3u + 1u);
  EXPECT_NE(page.find(">class 1 (expected)<"), std::string::npos);
  EXPECT_NE(page.find(">class 1 (winner)<"), std::string::npos);
  EXPECT_NE(page.find("class 1</td><td class=\"text\">discrete(1:0.5, 2:0.3, 3:0.2)</td>"),
            std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);  // self-contained
  // The version and the command that remakes the page, on it and on every plot.
  const std::string remake =
      "dia report --bidder 'discrete(1:0.5,2:0.3,3:0.2)' --format html --out -";
  EXPECT_NE(page.find(std::string("dia ") + dia::kVersion), std::string::npos);
  // Twice on each of the 4 plots (its <desc> and visible footer), then the header and the foot.
  EXPECT_EQ(count(page, remake), 2u * 4u + 2u) << page;
}

// Bidder 0: 1 or 3, bidder 1: 2. No mechanism earns more than E[max value] = (2 + 3) / 2 = 2.5,
// Myerson earns 2.5, so inspection's optimum is 2.5 and it must always sell to the highest value
// (a sale to a lower bidder would leave surplus): the rule's share to a lower bidder is 0.
TEST(AsymmetricReportGolden, TwoClassesAtTheFirstBest) {
  const auto run = run_cli({"report", "--bidder", "discrete(1:0.5,3:0.5)", "--bidder",
                            "discrete(2:1)", "--out", "-", "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string& page = run.out;
  EXPECT_TRUE(has_row(page, "inspection (optimal)", "<td>2.5</td>")) << page;
  EXPECT_TRUE(has_row(page, "second price, no reserve", "<td>1.5</td><td>+66.67%"));
  EXPECT_TRUE(has_row(page, "second price, best anonymous reserve 2", "<td>2</td><td>+25.00%"));
  EXPECT_NE(page.find("<span id=\"lower-bidder-wins\">0</span>"), std::string::npos);
  EXPECT_EQ(count(page, "<tr><td class=\"text\" style=\"color:"), 2u);  // one row per class
}

// Uniform on [0, 1] and [0, 2] on 8 cells: the optimum sells to a lower bidder (the design's
// bound on any rule exceeds 0.05); the page reports the rule's share as the design does.
TEST(AsymmetricReportGolden, SalesToALowerBidderAsTheDesignReportsThem) {
  const std::vector<std::string> bidders = {"--bidder",     "uniform(0,1)", "--bidder",
                                            "uniform(0,2)", "--grid",       "8"};
  std::vector<std::string> report = {"report", "--out", "-", "--quiet"};
  report.insert(report.end(), bidders.begin(), bidders.end());
  const auto run = run_cli(report);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> design = {"design", "--format", "json"};
  design.insert(design.end(), bidders.begin(), bidders.end());
  const auto json = run_cli(design);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(run.out, m, std::regex("id=\"lower-bidder-wins\">([^<]+)<")));
  const double share = std::stod(m[1].str());
  EXPECT_NEAR(share, json.json()["ex_post_rule"]["lower_bidder_wins"].get<double>(), 1e-15);
  // The served rule (on the steps' masses) meets the bound on any rule with its X.
  const double bound = json.json()["non_highest_lower_bound"].get<double>();
  EXPECT_GE(share, bound - 1e-12);
  EXPECT_GT(bound, 0.05);
  EXPECT_NE(run.out.find("grid_limited"), std::string::npos);
}

TEST(AsymmetricReportGolden, BadInputIsRejectedWithOneLine) {
  expect_clean_rejection({"report", "--bidder", "0*uniform(0,1)", "--out", "-"});
  expect_clean_rejection({"report", "--bidder", "uniform(0,1)", "--values", "uniform(0,1)"});
  expect_clean_rejection({"report", "--bidder", "uniform(0,1)", "--bidders", "2"});
  expect_clean_rejection({"report", "--bidder", "uniform(0,1)", "--show", "2"});
  expect_clean_rejection({"report", "--bidder", "uniform(0,1)", "--format", "svg", "--out", "-"});
  const auto named = run_cli({"report", "--bidder", "uniform(0,1)", "--bidder", "uniform(2,1)"});
  EXPECT_EQ(named.exit_code, 2);
  EXPECT_NE(named.err.find("bidder 2"), std::string::npos) << named.err;
}

}  // namespace
