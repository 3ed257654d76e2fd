// The hard corners of issue 16 through the real CLI: every answer's stated error covers the
// independent references found there (feasible mechanisms evaluated by exact quadrature, the n x
// one-bidder bound with the one-bidder optimum from mpmath), statuses are never confidently wrong,
// and our own failures are never reported as bad input (exit 2).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "support/run_cli.hpp"
#include "support/test_data.hpp"

namespace {

using dia::testing::read_test_data;
using dia::testing::run_cli;

nlohmann::json design(const std::string& spec, int bidders) {
  const auto run = run_cli(
      {"design", "--values", spec, "--bidders", std::to_string(bidders), "--format", "json"});
  EXPECT_EQ(run.exit_code, 0) << spec << " n=" << bidders << ": " << run.err;
  return run.exit_code == 0 ? run.json() : nlohmann::json::object();
}

double revenue(const nlohmann::json& j) { return j["revenue"]["inspection"].get<double>(); }
double stated(const nlohmann::json& j) {
  return j["solver"]["estimated_relative_error"].get<double>();
}

// Feasible mechanisms earn at most the optimum: the printed revenue plus its stated error must
// reach them (issue 16: each was printed below them, `optimal`, with errors 4-30x too small).
// Where the structured construction certifies on tail-refined grids the answer must also be
// accurate: printed at or above the feasible revenue (to 1e-9 relative: the references' ten
// digits), `optimal` where the certificate closes below 1e-5, and
// otherwise `grid_limited` with an error of at most `max_error` (before: 2.3e-4 for lognormal(0,1)
// n=3, 1.3e-5 for pareto(1,4) n=3, from the (LP)'s 1000-cell grids, below the feasible revenue;
// then 1.0e-4 and 4.0e-5 `grid_limited` with X = G, whose certificate cannot close: both need the
// ironed stretch, docs/model.md#ironed-stretch).
TEST(CornersGolden, ContinuousAnswersCoverTheFeasibleMechanismsOfIssue16) {
  const struct {
    const char* spec;
    int bidders;
    double feasible;
    const char* status;  // the status demanded, or nullptr for either
    double max_error;    // the largest stated error accepted
  } cases[] = {{"lognormal(0,1)", 3, 1.9690004797, "optimal", 1e-5},
               {"lognormal(0,1)", 5, 2.7828295906, "optimal", 1e-5},
               // issue 16: main's gap 6.9e-5 against a stated 2.75e-5; the reference is
               // tests/reference/highest_bidder.py: 4.11275068958, cut to ten digits as the others
               {"lognormal(0,1)", 10, 4.1127506895, "optimal", 1e-5},
               {"lognormal(0,0.5)", 20, 2.3365911817, "optimal", 1e-5},
               {"pareto(1,4)", 3, 1.4083386709, "optimal", 1e-5},
               {"pareto(1,1.5)", 50, 18.5704, nullptr, 1.0}};
  for (const auto& c : cases) {
    const auto j = design(c.spec, c.bidders);
    if (j.empty()) continue;
    const std::string what = std::string(c.spec) + " n=" + std::to_string(c.bidders);
    EXPECT_GE(revenue(j) * (1 + stated(j)), c.feasible) << what << " printed " << revenue(j);
    if (revenue(j) < c.feasible) {
      EXPECT_EQ(j["status"], "grid_limited") << what;
    }
    EXPECT_LE(j["solver"]["revenue_bounds"]["lower"].get<double>(), revenue(j)) << what;
    EXPECT_GE(j["solver"]["revenue_bounds"]["upper"].get<double>(), c.feasible) << what;
    if (c.status) {
      EXPECT_EQ(j["status"], c.status) << what;
    }
    if (j["status"] == "optimal") {
      EXPECT_LE(stated(j), 1e-5) << what;
    }
    EXPECT_LE(stated(j), c.max_error) << what;
    if (c.max_error < 1) {
      EXPECT_GE(revenue(j), c.feasible * (1 - 1e-9)) << what;
    }
    // The lower bound is the highest-bidder rule itself, evaluated on the continuum: the same
    // mechanism as the reference, computed independently of it (to the reference's ten digits).
    EXPECT_NEAR(j["solver"]["revenue_bounds"]["lower"].get<double>(), c.feasible,
                2e-10 * c.feasible + 1e-4 * (c.max_error >= 1))
        << what;
  }
}

// Where the multiplier of X = G dips, the optimum irons (docs/model.md#ironed-stretch). The
// independent tests/reference/ironed_stretch.py brackets the continuum optimum: below, X = G's
// own revenue; above, the Border-multiplier dual with B constant on its ironed stretch (B
// nondecreasing, every demand covered), 1.8e-8 and 6.7e-9 higher. The answer must be `optimal`
// within that bracket and within 3e-9 of its top (the extrapolated ironed ladder is 2.3e-10 from
// it; X = G's 8.8e-9 and 4.8e-9 below it would fail).
TEST(CornersGolden, IronedCasesLieInTheReferenceBracket) {
  const struct {
    const char* spec;
    double lower, upper;
  } cases[] = {{"lognormal(0,1)", 1.96900047970939, 1.96900049739167},
               {"pareto(1,4)", 1.4083386709182, 1.40833867763731}};
  for (const auto& c : cases) {
    const auto j = design(c.spec, 3);
    if (j.empty()) continue;
    EXPECT_EQ(j["status"], "optimal") << c.spec;
    EXPECT_LE(stated(j), 1e-5) << c.spec;
    EXPECT_GE(revenue(j) * (1 + stated(j)), c.upper) << c.spec;
    EXPECT_GE(revenue(j), c.lower) << c.spec;
    EXPECT_LE(revenue(j), c.upper * (1 + 1e-12)) << c.spec;
    EXPECT_NEAR(revenue(j), c.upper, 3e-9 * c.upper) << c.spec;
  }
}

// Dropping Border's rows splits the problem per bidder, so n bidders earn at most n times the
// one-bidder optimum (pareto(1,1.1): 1.77504415707174 by mpmath). Before: 8.18 for n = 2.
TEST(CornersGolden, HeavyTailStaysBelowNTimesTheOneBidderOptimum) {
  const double one = 1.77504415707174;
  for (int n : {2, 5}) {
    const auto j = design("pareto(1,1.1)", n);
    if (j.empty()) continue;
    EXPECT_LE(revenue(j) * (1 - stated(j)), n * one) << "n=" << n;
    EXPECT_LE(revenue(j), n * one) << "n=" << n;
    EXPECT_LE(j["solver"]["revenue_bounds"]["upper"].get<double>(), 1.02 * n * one) << n;
    EXPECT_GE(j["solver"]["revenue_bounds"]["upper"].get<double>(), revenue(j)) << n;
  }
}

// pareto(1,1.5) with 3 bidders (issue 16: answered when filed, then `failed`, exit 3, revenue 0:
// row generation crept past its budget on the 500-cell grid). The independent bracket of
// tests/reference/highest_bidder.py (scipy): the highest-bidder rule's 2.86264041202 below,
// 3 x the one-bidder optimum 1.208102516732686 above. The answer lies inside it, its bounds agree
// with it, and its audit is of a real grid.
TEST(CornersGolden, ParetoOneAndAHalfWithThreeBiddersAnswersInsideTheReferenceBracket) {
  const double lower = 2.86264041202, upper = 3 * 1.208102516732686;  // highest_bidder.py
  const auto j = design("pareto(1,1.5)", 3);
  ASSERT_FALSE(j.empty());
  EXPECT_NE(j["status"], "failed");
  EXPECT_GE(revenue(j), lower * (1 - 1e-9));
  EXPECT_LE(revenue(j), upper);
  EXPECT_NEAR(j["solver"]["revenue_bounds"]["lower"].get<double>(), lower, 1e-9 * lower);
  EXPECT_LE(j["solver"]["revenue_bounds"]["upper"].get<double>(), upper * (1 + 1e-9));
  EXPECT_GE(revenue(j) * (1 + stated(j)), lower);
  EXPECT_GE(j["audit"]["types"].get<int>(), 1000);
  EXPECT_TRUE(j["audit"]["passed"].get<bool>());
  EXPECT_FALSE(j["solver"]["method"].get<std::string>().empty());
}

// `--grid M` with several bidders (issue 16: `grid_limited` with estimated_relative_error 0). The
// error stated must cover the distance to the continuum optimum, here the closed form for
// uniform(0,1) with 2 bidders, 2 (1 - phi^-3) / 3 (docs/model.md#structured), for every M.
TEST(CornersGolden, GridOptionWithSeveralBiddersStatesAnErrorCoveringTheOptimum) {
  const double phi = (1 + std::sqrt(5.0)) / 2, optimum = 2 * (1 - std::pow(phi, -3)) / 3;
  for (const char* cells : {"50", "200", "1000"}) {
    const auto run = run_cli({"design", "--values", "uniform(0,1)", "--bidders", "2", "--grid",
                              cells, "--format", "json"});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const auto j = run.json();
    EXPECT_EQ(j["status"], "grid_limited") << cells;
    EXPECT_GT(stated(j), 0) << cells;
    EXPECT_LE(std::fabs(revenue(j) - optimum), stated(j) * revenue(j)) << cells;
  }
}

// Discrete inputs with many bidders (issue 16: exit 3, "below Myerson by more than the stated
// error 0", the certificate's gap up to 7.8e-10): optimal, and the stated error is at least the
// gap the printed audit shows.
TEST(CornersGolden, DiscreteManyBiddersStateAtLeastTheCertificateGap) {
  const auto cases = nlohmann::json::parse(read_test_data("false-failed-n20-50.json"));
  for (const auto& c : cases) {
    const int n = c[2].get<int>();
    const auto j = design(c[3].get<std::string>(), n);
    if (j.empty()) continue;
    EXPECT_EQ(j["status"], "optimal") << c[0] << "/" << c[1];
    const double primal = j["audit"]["primal"].get<double>(),
                 dual = j["audit"]["dual"].get<double>();
    EXPECT_GE(stated(j) * primal, std::fabs(dual - primal) * (1 - 1e-9)) << c[0] << "/" << c[1];
    EXPECT_GE(revenue(j) * (1 + stated(j)) * (1 + 1e-12), j["revenue"]["myerson"].get<double>());
  }
}

// The same inputs against an independent number: the exact optimum of the discrete (LP) of
// docs/model.md#lp-full, from tests/reference/discrete_lp.py (the primal simplex in exact
// rationals, cross-checked by scipy's HiGHS; no dia code). Reproduce with
//   /usr/bin/python3 tests/reference/discrete_lp.py
// (44 s; one line per instance of tests/data/false-failed-n20-50.json, "exact" is the number here).
// dia answers, never `failed`, states an error at least its certificate's gap, and lies within that
// error of the exact optimum. The 1e-14 (relative) allowed beyond it is the floating-point floor:
// dia renormalises the probabilities in doubles, the reference exactly (52/113, n = 50: 3.3e-15
// apart with 2.3e-15 stated).
TEST(CornersGolden, DiscreteManyBiddersMatchTheIndependentLp) {
  const struct {
    int seed, index;
    double exact;
  } cases[] = {{53, 172, 2.8247730333083316},  {52, 132, 7.5286107733968004},  // n = 20
               {51, 73, 0.87147941013248631},  {51, 201, 50.357723374110449},  // n = 30
               {53, 321, 2.9711850021726498},                                  // n = 30
               {51, 140, 0.77175633909130126}, {52, 113, 2.7000681365206161},  // n = 50
               {53, 381, 50.911147233665062}};                                 // n = 50
  const auto instances = nlohmann::json::parse(read_test_data("false-failed-n20-50.json"));
  int checked = 0;
  for (const auto& c : cases) {
    for (const auto& in : instances) {
      if (in[0] != c.seed || in[1] != c.index) continue;
      const std::string what = std::to_string(c.seed) + "/" + std::to_string(c.index);
      const int n = in[2].get<int>();
      const auto j = design(in[3].get<std::string>(), n);
      ++checked;
      if (j.empty()) continue;
      EXPECT_NE(j["status"], "failed") << what;
      const double primal = j["audit"]["primal"].get<double>(),
                   dual = j["audit"]["dual"].get<double>();
      EXPECT_GE(stated(j) * primal * (1 + 1e-9), std::fabs(dual - primal)) << what;
      EXPECT_LE(std::fabs(revenue(j) - c.exact), (stated(j) + 1e-14) * revenue(j))
          << what << " n=" << n << ": printed " << revenue(j) << ", exact " << c.exact;
    }
  }
  EXPECT_EQ(checked, 8);
}

// 20 bidders, 17 atoms (issue 16: an allocation of -1.58e-30, a win probability of -2.8e109, and
// `dia simulate` then exited 2 on valid input). Every printed allocation in [0, 1], every win
// probability finite and >= 0, and the simulation runs.
TEST(CornersGolden, TwentyBiddersPrintNoNegativeAllocationAndSimulate) {
  const std::string text = read_test_data("negative-allocation-n20.txt");
  const int n = std::stoi(text.substr(0, text.find('\n')));
  std::string spec = text.substr(text.find('\n') + 1);
  while (!spec.empty() && (spec.back() == '\n' || spec.back() == ' ')) spec.pop_back();
  const auto j = design(spec, n);
  ASSERT_FALSE(j.empty());
  for (const auto& row : j["mechanism"]) {
    EXPECT_GE(row["allocation"].get<double>(), 0.0);
    EXPECT_LE(row["allocation"].get<double>(), 1.0);
    if (!row["win_probability"].is_null()) {
      EXPECT_GE(row["win_probability"].get<double>(), 0.0);
      EXPECT_TRUE(std::isfinite(row["win_probability"].get<double>()));
    }
  }
  const auto sim = run_cli(
      {"simulate", "--values", spec, "--bidders", std::to_string(n), "--auctions", "20000"});
  EXPECT_EQ(sim.exit_code, 0) << sim.err;
}

// The highest-bidder lottery never prints q > 1 (issue 16: up to 1 + 1.6e-11), and no note
// reads "= 1 > 1".
TEST(CornersGolden, HighestBidderLotteryPrintsNoQAboveOne) {
  for (const char* spec : {"uniform(0,1)", "exponential(1)"}) {
    const auto j = design(spec, 3);
    if (j.empty()) continue;
    ASSERT_EQ(j["implementation"], "highest_bidder_lottery") << spec;
    for (const auto& row : j["mechanism"]) {
      if (!row["win_probability"].is_null()) {
        EXPECT_LE(row["win_probability"].get<double>(), 1.0);
      }
    }
    for (const auto& note : j["notes"]) {
      EXPECT_EQ(note.get<std::string>().find("= 1 > 1"), std::string::npos) << note;
    }
  }
}

// 1459 atoms, 2 bidders (row generation stops at its budget): whatever the outcome, never exit 2
// (the input is valid), and a printed answer is never below Myerson beyond its stated error.
TEST(CornersGolden, LargeDiscreteInputIsNeverCalledBadInput) {
  const std::string spec = read_test_data("lp-fails-pareto-1459-atoms-n2.txt");
  const auto run = run_cli({"design", "--values", spec, "--bidders", "2", "--format", "json"});
  EXPECT_NE(run.exit_code, 2) << run.err;
  if (run.exit_code == 0) {
    const auto j = run.json();
    EXPECT_GE(revenue(j) * (1 + stated(j)), j["revenue"]["myerson"].get<double>());
  }
}

}  // namespace
