// empirical(path, column=..., weight=...) and `dia design --by COLUMN` on CSV exports with a
// header: each answer is checked against the same atoms given another way (a one-column file, a
// discrete(...) SPEC, --bidder per class), never against numbers taken from this code.
#include <gtest/gtest.h>

#include "support/run_cli.hpp"
#include "support/temp_file.hpp"

namespace {

using dia::testing::expect_clean_rejection;
using dia::testing::run_cli;
using dia::testing::write_temp_file;

const std::string kBids =
    "auction_id,bidder_id,bid_usd,count\n"
    "1,A,1,1\n"
    "1,B,2,3\n"
    "2,A,2,1\n"
    "2,B,3,1\n"
    "3,A,\"1\",2\n";

double revenue_of(const std::vector<std::string>& args) {
  auto full = args;
  full.insert(full.end(), {"--format", "json"});
  const auto run = run_cli(full);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  if (run.exit_code != 0) return -1;
  return run.json()["revenue"]["inspection"].get<double>();
}

TEST(EmpiricalGolden, AColumnByNameOrIndexIsTheOneColumnFile) {
  const std::string bids = write_temp_file("dia_bids.csv", kBids);
  const std::string plain = write_temp_file("dia_bids_plain.csv", "1\n2\n2\n3\n1\n");
  const double expected = revenue_of({"design", "--values", "empirical(" + plain + ")"});
  // The atoms 1: 2/5, 2: 2/5, 3: 1/5 written out.
  EXPECT_DOUBLE_EQ(expected, revenue_of({"design", "--values", "discrete(1:0.4,2:0.4,3:0.2)"}));
  EXPECT_DOUBLE_EQ(expected,
                   revenue_of({"design", "--values", "empirical(" + bids + ", column=bid_usd)"}));
  EXPECT_DOUBLE_EQ(expected,
                   revenue_of({"design", "--values", "empirical(" + bids + ", column=3)"}));
  // The echo names the column.
  const auto run = run_cli({"design", "--values", "empirical(" + bids + ", column=bid_usd)"});
  EXPECT_NE(run.out.find("column=bid_usd"), std::string::npos) << run.out;
}

TEST(EmpiricalGolden, AWeightColumnWeighsTheRows) {
  const std::string bids = write_temp_file("dia_bids_w.csv", kBids);
  // Weights 1, 3, 1, 1, 2 on values 1, 2, 2, 3, 1: 1 -> 3/8, 2 -> 4/8, 3 -> 1/8.
  EXPECT_DOUBLE_EQ(
      revenue_of({"design", "--values", "discrete(1:0.375,2:0.5,3:0.125)"}),
      revenue_of({"design", "--values", "empirical(" + bids + ", column=bid_usd, weight=count)"}));
}

TEST(EmpiricalGolden, ByMakesOneBidderPerClass) {
  const std::string bids = write_temp_file("dia_bids_by.csv", kBids);
  // A: 1, 2, 1 -> 1: 2/3, 2: 1/3; B: 2, 3 -> 1/2 each.
  const double expected =
      revenue_of({"design", "--bidder", "discrete(1:0.6666666666666666,2:0.3333333333333333)",
                  "--bidder", "discrete(2:0.5,3:0.5)"});
  const auto run = run_cli({"design", "--values", "empirical(" + bids + ", column=bid_usd)", "--by",
                            "bidder_id", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  EXPECT_NEAR(j["revenue"]["inspection"].get<double>(), expected, 1e-9);
  ASSERT_EQ(j["bidders"].size(), 2u);
  // Few observations: one warning line per class on stderr, and in the notes.
  EXPECT_NE(run.err.find("bidder_id=A has 3 observations"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("bidder_id=B has 2 observations"), std::string::npos) << run.err;
  EXPECT_NE(j["notes"].dump().find("fewer than 30"), std::string::npos);
  // The table names the classes.
  const auto table =
      run_cli({"design", "--values", "empirical(" + bids + ", column=3)", "--by", "2"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("| 2=A"), std::string::npos) << table.out;
}

TEST(EmpiricalGolden, BadColumnsAreOneLine) {
  const std::string bids = write_temp_file("dia_bids_bad.csv", kBids);
  const std::string text = write_temp_file("dia_bids_text.csv", "a,b\n1,2\n3,n/a\n");
  const std::string numbers = write_temp_file("dia_bids_numbers.csv", "1,2\n3,4\n");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"design", "--values", "empirical(" + bids + ")"},
           {"design", "--values", "empirical(" + bids + ", column=bid)"},
           {"design", "--values", "empirical(" + bids + ", column=9)"},
           {"design", "--values", "empirical(" + bids + ", column=0)"},
           {"design", "--values", "empirical(" + bids + ", column=bidder_id)"},
           {"design", "--values", "empirical(" + bids + ", weight=count)"},
           {"design", "--values", "empirical(" + bids + ", column=3, column=3)"},
           {"design", "--values", "empirical(" + text + ", column=b)"},
           {"design", "--values", "empirical(" + numbers + ", column=b)"},
           {"design", "--values", "empirical(" + bids + ", column=bid_usd)", "--by", "nope"},
           {"design", "--values", "empirical(" + bids + ")", "--by", "bidder_id"},
           {"design", "--values", "uniform(0,1)", "--by", "bidder_id"},
           {"design", "--values", "empirical(" + bids + ", column=3)", "--by", "2", "--bidders",
            "2"},
           {"design", "--values", "empirical(" + bids + ", column=3)", "--by", "2", "--bidder",
            "uniform(0,1)"}}) {
    expect_clean_rejection(args);
  }
  const auto unknown = run_cli({"design", "--values", "empirical(" + bids + ", column=bid)"});
  EXPECT_NE(unknown.err.find("(columns: auction_id, bidder_id, bid_usd, count)"), std::string::npos)
      << unknown.err;
  const auto cell = run_cli({"design", "--values", "empirical(" + text + ", column=b)"});
  EXPECT_NE(cell.err.find("line 3, column 2 (b): 'n/a' is not a number"), std::string::npos)
      << cell.err;
  const auto wide = run_cli({"design", "--values", "empirical(" + bids + ")"});
  EXPECT_NE(wide.err.find("column=count"), std::string::npos) << wide.err;
  // The hint's example is a column holding numbers, not a text column that happens to be last.
  const std::string labelled = write_temp_file(
      "dia_bids_labelled.csv", "auction_id,bid_usd,segment\n1,2.5,big\n2,1,small\n");
  const auto text_last = run_cli({"design", "--values", "empirical(" + labelled + ")"});
  EXPECT_EQ(text_last.exit_code, 2);
  EXPECT_NE(text_last.err.find("column=bid_usd)"), std::string::npos) << text_last.err;
}

}  // namespace
