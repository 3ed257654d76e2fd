// The separation oracle of docs/asymmetric.md section 3 against the counterexample
// worked by hand and against enumerating every family.
#include <gtest/gtest.h>

#include <random>

#include "dia/asymmetric.hpp"
#include "support/asymmetric_instances.hpp"

namespace dia {
namespace {

TEST(AsymmetricBorder, CounterexampleNeedsBidderSpecificThresholds) {
  const std::vector<DiscreteTypes> bidders = {{{1, 2}, {0.5, 0.5}}, {{1, 2}, {0.75, 0.25}}};
  const std::vector<std::vector<double>> x = {{0, 0.30}, {1, 0.31}};
  const auto found = border_candidates(bidders, x);
  ASSERT_FALSE(found.empty());
  // ({high}, {low}): 0.15 + 0.75 + (1/2)(1/4) - 1 = 0.025, worked by hand in the docs.
  EXPECT_NEAR(found.front().gap, 0.025, 1e-15);
  EXPECT_EQ(found.front().sets[0], std::vector<std::size_t>{1});
  EXPECT_EQ(found.front().sets[1], std::vector<std::size_t>{0});
  EXPECT_NEAR(testing::brute_force_border_gap(bidders, x), 0.025, 1e-15);
  // Every family cut by one common threshold on X holds.
  for (double t : {1.0, 0.31, 0.30, 0.0}) {
    std::vector<std::vector<std::size_t>> sets(2);
    for (std::size_t i = 0; i < 2; ++i) {
      for (std::size_t k = 0; k < 2; ++k) {
        if (x[i][k] >= t && x[i][k] > 0) sets[i].push_back(k);
      }
    }
    EXPECT_LE(border_gap(bidders, x, sets), 1e-15) << t;
  }
}

TEST(AsymmetricBorder, OracleFindsTheLargestGapOfEveryFamily) {
  std::mt19937_64 rng(20261207);
  for (int trial = 0; trial < 3000; ++trial) {
    const auto bidders = testing::random_bidders(rng, 4, 4, 11);
    std::vector<std::vector<double>> x;
    for (const auto& b : bidders) {
      x.emplace_back();
      for (std::size_t k = 0; k < b.size(); ++k) {
        // Zeros, ties and ones on purpose; not monotone.
        const int kind = std::uniform_int_distribution<int>(0, 5)(rng);
        const double u = std::uniform_real_distribution<double>(0, 1)(rng);
        x.back().push_back(kind == 0 ? 0.0 : kind == 1 ? 1.0 : kind == 2 ? 0.5 : u);
      }
    }
    const double expected = testing::brute_force_border_gap(bidders, x);
    const auto found = border_candidates(bidders, x);
    ASSERT_FALSE(found.empty());
    ASSERT_NEAR(std::max(0.0, found.front().gap), expected, 1e-13) << "trial " << trial;
    EXPECT_NEAR(found.front().gap, border_gap(bidders, x, found.front().sets), 1e-15);
  }
}

}  // namespace
}  // namespace dia
