// The asymmetric designer (row generation on the oracle) against the full LP with every family of
// arbitrary sets enumerated, and against the symmetric designer for identical bidders.
#include <gtest/gtest.h>

#include <random>

#include "dia/asymmetric.hpp"
#include "dia/symmetric.hpp"
#include "support/asymmetric_instances.hpp"

namespace dia {
namespace {

TEST(AsymmetricLp, RowGenerationMatchesTheFullLp) {
  std::mt19937_64 rng(7);
  double worst_gap = 0;
  int not_monotone = 0, not_highest = 0;
  for (int trial = 0; trial < 150; ++trial) {
    const auto bidders = testing::random_bidders(rng, 4, 4, 10);
    const auto rows = solve_asymmetric(bidders);
    const auto full = solve_asymmetric_full_lp(bidders);
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_TRUE(full) << full.error().message;
    EXPECT_NEAR(rows->revenue, full->revenue, 1e-9 * std::max(1.0, full->revenue))
        << "trial " << trial;
    AsymmetricOptions prefix_rows;  // the benchmarks' full LP of value-upper families
    prefix_rows.all_prefix_rows = true;
    const auto prefix = solve_asymmetric(bidders, prefix_rows);
    ASSERT_TRUE(prefix) << prefix.error().message;
    EXPECT_NEAR(prefix->revenue, full->revenue, 1e-9 * std::max(1.0, full->revenue))
        << "trial " << trial;
    std::vector<std::vector<double>> x;
    for (const auto& form : rows->mechanism) x.push_back(form.allocation);
    EXPECT_LE(testing::brute_force_border_gap(bidders, x), 1e-12) << "trial " << trial;
    EXPECT_LE(rows->max_ll_violation, 1e-12);
    EXPECT_GE(rows->dual_bound, full->revenue - 1e-9 * std::max(1.0, full->revenue));
    EXPECT_LE(rows->dual_gap, 1e-9) << "trial " << trial;
    worst_gap = std::max(worst_gap, rows->dual_gap);
    not_monotone += rows->max_monotonicity_violation > 1e-9;
    not_highest += rows->non_highest_lower_bound > 1e-9;
  }
  RecordProperty("worst_dual_gap", std::to_string(worst_gap));
  RecordProperty("not_monotone", not_monotone);
  RecordProperty("must_sell_to_a_non_highest_bidder", not_highest);
  std::printf(
      "worst dual gap %.2e; X not monotone in %d of 150; a non-highest bidder must win in "
      "%d of 150\n",
      worst_gap, not_monotone, not_highest);
}

// Above 200 types in all the staged solve seeds its rows from a coarse problem; the unstaged row
// generation (no coarse seed, no monotone first phase) is the reference: the same revenue to 1e-9
// relative, both certified.
TEST(AsymmetricLp, StagedMatchesUnstagedOnLargerInstances) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 3; ++trial) {
    std::vector<DiscreteTypes> bidders;
    const std::size_t n = 2 + static_cast<std::size_t>(trial);
    for (std::size_t i = 0; i < n; ++i) {
      DiscreteTypes t;
      double value = 0, sum = 0;
      for (std::size_t k = 0; k < 240 / n; ++k) {
        value += std::uniform_real_distribution<double>(0.01, 0.1 * (i + 1))(rng);
        t.values.push_back(value);
        t.probabilities.push_back(std::uniform_real_distribution<double>(0.05, 1.0)(rng));
        sum += t.probabilities.back();
      }
      for (double& p : t.probabilities) p /= sum;
      bidders.push_back(std::move(t));
    }
    const auto staged = solve_asymmetric(bidders);
    AsymmetricOptions plain;
    plain.staged = false;
    const auto unstaged = solve_asymmetric(bidders, plain);
    ASSERT_TRUE(staged) << staged.error().message;
    ASSERT_TRUE(unstaged) << unstaged.error().message;
    EXPECT_NEAR(staged->revenue, unstaged->revenue, 1e-9 * unstaged->revenue) << trial;
    EXPECT_LE(staged->dual_gap, 1e-9) << trial;
    EXPECT_LE(unstaged->dual_gap, 1e-9) << trial;
    EXPECT_LE(staged->max_border_violation, 0.0) << trial;
  }
}

TEST(AsymmetricLp, CounterexampleTypesAreSolvedExactly) {
  const std::vector<DiscreteTypes> bidders = {{{1, 2}, {0.5, 0.5}}, {{1, 2}, {0.75, 0.25}}};
  const auto rows = solve_asymmetric(bidders);
  const auto full = solve_asymmetric_full_lp(bidders);
  ASSERT_TRUE(rows && full);
  EXPECT_NEAR(rows->revenue, full->revenue, 1e-12);
}

TEST(AsymmetricLp, IdenticalBiddersReproduceTheSymmetricDesigner) {
  const DiscreteTypes types{{1, 2, 3, 5}, {0.4, 0.3, 0.2, 0.1}};
  for (int n : {2, 3, 4}) {
    const auto symmetric = solve_symmetric_exact(types, n);
    ASSERT_TRUE(symmetric);
    const auto asymmetric = solve_asymmetric(std::vector<DiscreteTypes>(n, types));
    ASSERT_TRUE(asymmetric) << asymmetric.error().message;
    EXPECT_NEAR(asymmetric->revenue, symmetric->solution.revenue, 1e-9) << n;
  }
  // One bidder: the one-bidder worked example, revenue 1.1.
  const auto one = solve_asymmetric({DiscreteTypes{{1, 2, 3}, {0.5, 0.3, 0.2}}});
  ASSERT_TRUE(one);
  EXPECT_NEAR(one->revenue, 1.1, 1e-12);
}

}  // namespace
}  // namespace dia
