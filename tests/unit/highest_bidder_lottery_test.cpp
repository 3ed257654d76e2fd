// The highest-bidder lottery for every bid: rents equal (RENT) by brute force, truth-telling is a
// best response at arbitrary bids, and q = X/G for several bidders.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <random>

#include "dia/ex_post.hpp"

namespace {

dia::DistributionPtr uniform01() { return *dia::parse_distribution("uniform(0,1)"); }

RC_GTEST_PROP(HighestBidderLottery, RentIsTheDeviationEnvelopeAtEveryBid, (std::uint32_t seed)) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  const int m = 1 + static_cast<int>(rng() % 200);
  std::vector<double> v, x;
  double value = unit(rng), alloc = 0;
  for (int k = 0; k < m; ++k) {
    v.push_back(value += 0.001 + unit(rng));
    alloc = std::min(1.0, alloc + (unit(rng) < 0.3 ? 0 : unit(rng) * unit(rng)));
    x.push_back(alloc);
  }
  auto rule = dia::HighestBidderLottery::build(v, x, 1, uniform01());
  RC_ASSERT(rule.has_value());
  for (int q = 0; q < 50; ++q) {
    const double bid = unit(rng) * (value + 1);
    double best = 0;
    for (int j = 0; j < m && v[j] <= bid; ++j) best = std::max(best, (bid - v[j]) * x[j]);
    RC_ASSERT(std::fabs(rule->rent(bid) - best) <= 1e-12 * std::max(1.0, best));
    // Truth-telling beats any lower bid w: R(bid) >= (bid - w) X(w); LL: R <= bid X(bid).
    const double lower = unit(rng) * bid;
    RC_ASSERT(rule->rent(bid) >= (bid - lower) * rule->allocation(lower) - 1e-12);
    RC_ASSERT(rule->rent(bid) <= bid * rule->allocation(bid) + 1e-12);
  }
}

TEST(HighestBidderLottery, TwoUniformBiddersDeliverWithXOverG) {
  // Efficient allocation X = G = v for 2 uniform bidders: q = 1 everywhere it is defined.
  std::vector<double> v, x;
  for (int k = 1; k <= 100; ++k) v.push_back(k / 100.0), x.push_back(k / 100.0);
  auto rule = dia::HighestBidderLottery::build(v, x, 2, uniform01());
  ASSERT_TRUE(rule.has_value());
  EXPECT_NEAR(rule->highest_probability(0.5), 0.5, 1e-15);
  EXPECT_NEAR(rule->win_probability(0.5), 1.0, 1e-12);
  // Half the efficient allocation is delivered with probability 1/2.
  for (double& a : x) a /= 2;
  auto half = dia::HighestBidderLottery::build(v, x, 2, uniform01());
  ASSERT_TRUE(half.has_value());
  EXPECT_NEAR(half->win_probability(0.3), 0.5, 1e-12);
  EXPECT_NEAR(half->winner_reward(0.3), half->rent(0.3) / 0.15, 1e-12);
}

TEST(HighestBidderLottery, RejectsQAboveOne) {
  // X = 1 at v = 0.5 with 2 uniform bidders: the highest bidder wins only half the time.
  auto rule = dia::HighestBidderLottery::build({0.5, 1.0}, {1.0, 1.0}, 2, uniform01());
  EXPECT_FALSE(rule.has_value());
}

TEST(HighestBidderLottery, DiscreteTiesAreSharedUniformly) {
  // Two bidders on atoms {1, 2} with p = 1/2: a bidder at 2 is the (tied) highest with
  // probability (1 - 1/4) / (2 * 1/2) = 3/4.
  auto d = *dia::parse_distribution("discrete(1:0.5,2:0.5)");
  auto rule = dia::HighestBidderLottery::build({1, 2}, {0.25, 0.75}, 2, d);
  ASSERT_TRUE(rule.has_value());
  EXPECT_NEAR(rule->highest_probability(2), 0.75, 1e-15);
  EXPECT_NEAR(rule->win_probability(2), 1.0, 1e-15);
  EXPECT_NEAR(rule->highest_probability(1), 0.25, 1e-15);
}

}  // namespace
