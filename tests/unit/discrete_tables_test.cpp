// The tables of a discrete distribution (CDF, tails, partial means) are built on first use; a
// distribution shared by threads (the service) builds them once, and every thread reads them.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "dia/distribution.hpp"

namespace {

// By hand for discrete(1:0.5, 2:0.3, 3:0.2): P(V <= 2) = 0.8, P(V > 1) = 0.5, the 0.6-quantile
// is 2 (P(V <= 1) = 0.5 < 0.6 <= 0.8), the first atom with P(V > v) <= 0.25 is 2 (0.2),
// E[V; V >= 2] = 0.6 + 0.6 = 1.2 and E[V] = 0.5 + 1.2 = 1.7.
void expect_by_hand(const dia::Distribution& d) {
  EXPECT_NEAR(d.cdf(2), 0.8, 1e-15);
  EXPECT_NEAR(d.survival(1), 0.5, 1e-15);
  EXPECT_EQ(d.quantile(0.6), 2.0);
  EXPECT_EQ(d.survival_quantile(0.25), 2.0);
  EXPECT_NEAR(d.partial_mean_above(2), 1.2, 1e-15);
  EXPECT_NEAR(d.mean(), 1.7, 1e-15);
}

TEST(DiscreteTables, BuiltOnFirstUseByHand) {
  auto d = dia::parse_distribution("discrete(1:0.5, 2:0.3, 3:0.2)");
  ASSERT_TRUE(d.has_value());
  expect_by_hand(**d);
}

TEST(DiscreteTables, FirstUseFromFourThreadsAtOnce) {
  for (int round = 0; round < 20; ++round) {
    auto d = dia::parse_distribution("discrete(3:0.2, 1:0.5, 2:0.3)");
    ASSERT_TRUE(d.has_value());
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) threads.emplace_back([&] { expect_by_hand(**d); });
    for (auto& thread : threads) thread.join();
  }
}

}  // namespace
