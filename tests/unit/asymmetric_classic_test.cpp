// Classic baselines for asymmetric bidders against enumerating every bid profile, the symmetric
// baselines for identical bidders, and Myerson's closed form for bidders uniform on [0, i].
#include <gtest/gtest.h>

#include <random>

#include "dia/asymmetric.hpp"
#include "dia/classic.hpp"
#include "dia/distribution.hpp"
#include "support/asymmetric_instances.hpp"
#include "support/random_types.hpp"

namespace dia {
namespace {

// Second price with reserves by enumerating every profile: the highest eligible bid wins (ties at
// random) and pays max(its reserve, the highest other eligible bid).
double enumerate_second_price(const std::vector<DiscreteTypes>& bidders,
                              const std::vector<double>& reserves) {
  const std::size_t n = bidders.size();
  std::vector<std::size_t> at(n, 0);
  long double revenue = 0;
  while (true) {
    long double probability = 1;
    std::vector<double> eligible;
    std::vector<std::size_t> who;
    for (std::size_t i = 0; i < n; ++i) {
      probability *= bidders[i].probabilities[at[i]];
      if (bidders[i].values[at[i]] >= reserves[i]) {
        eligible.push_back(bidders[i].values[at[i]]);
        who.push_back(i);
      }
    }
    if (!eligible.empty()) {
      const double top = *std::max_element(eligible.begin(), eligible.end());
      std::vector<std::size_t> winners;
      for (std::size_t e = 0; e < eligible.size(); ++e) {
        if (eligible[e] == top) winners.push_back(e);
      }
      for (std::size_t w : winners) {
        double price = reserves[who[w]];
        for (std::size_t e = 0; e < eligible.size(); ++e) {
          if (e != w) price = std::max(price, eligible[e]);
        }
        revenue += probability * price / winners.size();
      }
    }
    std::size_t i = 0;
    while (i < n && ++at[i] == bidders[i].size()) at[i++] = 0;
    if (i == n) break;
  }
  return static_cast<double>(revenue);
}

TEST(AsymmetricClassic, SecondPriceMatchesEnumeratedProfiles) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 300; ++trial) {
    const auto bidders = testing::random_bidders(rng, 4, 4, 12);
    const auto classic = asymmetric_classic_revenues(bidders);
    const std::size_t n = bidders.size();
    EXPECT_NEAR(classic.second_price, enumerate_second_price(bidders, std::vector<double>(n, 0)),
                1e-12);
    EXPECT_NEAR(classic.second_price_anonymous_reserve,
                enumerate_second_price(bidders, std::vector<double>(n, classic.anonymous_reserve)),
                1e-12);
    EXPECT_NEAR(classic.second_price_myerson_reserves,
                enumerate_second_price(bidders, classic.myerson_reserves), 1e-12);
    // The best anonymous reserve is an atom: no atom does better.
    for (const auto& b : bidders) {
      for (double r : b.values) {
        EXPECT_LE(enumerate_second_price(bidders, std::vector<double>(n, r)),
                  classic.second_price_anonymous_reserve + 1e-12);
      }
    }
    EXPECT_GE(classic.myerson, classic.second_price_myerson_reserves - 1e-12);
    EXPECT_GE(classic.myerson, classic.second_price_anonymous_reserve - 1e-12);
  }
}

TEST(AsymmetricClassic, IdenticalBiddersMatchTheSymmetricBaselines) {
  const auto d = parse_distribution("discrete(1:0.5,2:0.3,3:0.2)");
  ASSERT_TRUE(d);
  for (int n : {1, 2, 3, 5}) {
    const auto symmetric = classic_revenues(**d, n);
    const auto asymmetric =
        asymmetric_classic_revenues(std::vector<DiscreteTypes>(n, (*d)->atoms()));
    EXPECT_NEAR(asymmetric.myerson, symmetric.myerson, 1e-12) << n;
    EXPECT_NEAR(asymmetric.second_price_anonymous_reserve, symmetric.second_price_reserve, 1e-12);
    if (n >= 2) EXPECT_NEAR(asymmetric.second_price, symmetric.second_price, 1e-12);
  }
  // Worked by hand in the classic code: one bidder 1, two bidders 1.6.
  EXPECT_NEAR(asymmetric_classic_revenues({(*d)->atoms()}).myerson, 1.0, 1e-15);
  EXPECT_NEAR(asymmetric_classic_revenues({(*d)->atoms(), (*d)->atoms()}).myerson, 1.6, 1e-15);
}

TEST(AsymmetricClassic, MyersonForUniformBiddersOnZeroToI) {
  // 5 bidders uniform on [0, i]: exactly 58819/25600 (docs/asymmetric.md section 5). On quantile
  // grids of m cells the discrete Myerson revenue converges to it.
  std::vector<DiscreteTypes> bidders;
  for (int i = 1; i <= 5; ++i) {
    const auto d = parse_distribution("uniform(0," + std::to_string(i) + ")");
    ASSERT_TRUE(d);
    bidders.push_back(quantile_grid(**d, 1000));
  }
  EXPECT_NEAR(asymmetric_classic_revenues(bidders).myerson, 58819.0 / 25600, 2e-3);
}

}  // namespace
}  // namespace dia
