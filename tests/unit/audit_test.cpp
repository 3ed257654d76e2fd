// The audit catches broken mechanisms and broken certificates, with hand-computed violations.
#include "dia/audit.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <span>
#include <utility>

#include "audit/deviation_envelope.hpp"

namespace {

using dia::DiscreteTypes;
using dia::ReducedForm;

const DiscreteTypes kThreePoint{{1, 2, 3}, {.5, .3, .2}};

TEST(Audit, AcceptsTheKnownOptimumWithItsPlan) {
  const ReducedForm mechanism{{.5, 1, 1}, {0, .5, 1}};
  // Type 2 ships .3 to type 1; type 3 ships .1 to type 1 and .1 to type 2 (docs/model.md#dual).
  const dia::CoveragePlan plan{{1, 0, .3}, {2, 0, .1}, {2, 1, .1}};
  const auto a = dia::audit_one_bidder(kThreePoint, mechanism, &plan);
  EXPECT_TRUE(a.passed);
  EXPECT_NEAR(a.primal, 1.1, 1e-15);
  EXPECT_NEAR(a.dual, 1.1, 1e-15);
}

TEST(Audit, FlagsHalvedRewardsAsAnIcViolation) {
  // With rents halved, type 3 gains (3 - 1) * .5 - .5 = .5 by bidding 1.
  const ReducedForm mechanism{{.5, 1, 1}, {0, .25, .5}};
  const auto a = dia::audit_one_bidder(kThreePoint, mechanism, nullptr);
  EXPECT_FALSE(a.passed);
  EXPECT_NEAR(a.max_ic_violation, 0.5, 1e-15);
}

TEST(Audit, FlagsARewardAboveTheDeposit) {
  // Type 2 wins with X = .1 but is promised R = .5 > v X = .2: limited liability fails by .3.
  const ReducedForm mechanism{{0, .1, 1}, {0, .5, 2}};
  const auto a = dia::audit_one_bidder(kThreePoint, mechanism, nullptr);
  EXPECT_FALSE(a.passed);
  EXPECT_NEAR(a.max_ll_violation, 0.3, 1e-15);
}

TEST(Audit, RejectsAPlanThatShipsTooMuchOrUpwards) {
  const ReducedForm mechanism{{.5, 1, 1}, {0, .5, 1}};
  const dia::CoveragePlan too_much{{1, 0, .5}};
  EXPECT_FALSE(dia::audit_one_bidder(kThreePoint, mechanism, &too_much).passed);
  const dia::CoveragePlan upwards{{0, 1, .1}};
  EXPECT_FALSE(dia::audit_one_bidder(kThreePoint, mechanism, &upwards).passed);
  // A feasible but poor plan bounds the revenue loosely: the gap shows it.
  const dia::CoveragePlan empty;
  const auto a = dia::audit_one_bidder(kThreePoint, mechanism, &empty);
  EXPECT_NEAR(a.dual, .5 + .6 + .6, 1e-15);
  EXPECT_FALSE(a.passed);
}

// The envelope equals the brute-force max over all lower bids, for any (even non-monotone) X.
RC_GTEST_PROP(Audit, EnvelopeEqualsBruteForce, (std::uint32_t seed)) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  const int m = 1 + static_cast<int>(rng() % 300);
  std::vector<double> v, x;
  double value = unit(rng);
  for (int k = 0; k < m; ++k) {
    v.push_back(value += unit(rng) * unit(rng) + 1e-9);
    x.push_back(unit(rng) < 0.1 ? 0 : unit(rng));
  }
  const auto envelope = dia::deviation_envelope(v, x);
  for (int k = 0; k < m; ++k) {
    double best = 0;
    for (int j = 0; j < k; ++j) best = std::max(best, (v[k] - v[j]) * x[j]);
    RC_ASSERT(std::fabs(envelope[k] - best) <= 1e-12 * std::max(1.0, best));
  }
}

// The same for a nondecreasing X (the linear route): runs of zeros, repeated slopes, steps and
// near-concurrent lines.
RC_GTEST_PROP(Audit, MonotoneEnvelopeEqualsBruteForce, (std::uint32_t seed)) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  const int m = 1 + static_cast<int>(rng() % 300);
  std::vector<double> v, x;
  double value = unit(rng), allocation = 0;
  for (int k = 0; k < m; ++k) {
    v.push_back(value += (rng() % 4 == 0 ? 1e-6 : unit(rng)) + 1e-9);
    if (k > m / 5 && rng() % 3 != 0) allocation = std::min(1.0, allocation + unit(rng) * 0.1);
    x.push_back(allocation);
  }
  RC_ASSERT(std::is_sorted(x.begin(), x.end()));
  const auto envelope = dia::deviation_envelope(v, x);
  for (int k = 0; k < m; ++k) {
    double best = 0;
    for (int j = 0; j < k; ++j) best = std::max(best, (v[k] - v[j]) * x[j]);
    RC_ASSERT(std::fabs(envelope[k] - best) <= 1e-12 * std::max(1.0, best));
  }
}

// By hand: v = (1, 2, 4), X = (0.5, 0.5, 1): at v = 2 the line of type 1 gives 0.5 (2 - 1); at
// v = 4 the lines give 0.5 * 3 = 1.5 and 0.5 * 2 = 1, so 1.5.
TEST(Audit, MonotoneEnvelopeByHand) {
  const std::vector<double> v{1, 2, 4}, x{0.5, 0.5, 1};
  EXPECT_EQ(dia::deviation_envelope(v, x), (std::vector<double>{0, 0.5, 1.5}));
}

// The envelope handed out type by type, in order, on both routes. By hand: v = (1, 2, 4) with
// X = (0.5, 0.5, 1) (the linear route) and X = (0.5, 0.2, 1) (not monotone: the Li Chao tree):
// at 2 the line of type 1 gives 0.5; at 4, max(0.5 * 3, 0.5 * 2) = 1.5 and max(0.5 * 3, 0.2 * 2)
// = 1.5.
TEST(Audit, VisitedEnvelopeInOrderByHand) {
  const std::vector<double> v{1, 2, 4};
  for (const std::vector<double>& x :
       {std::vector<double>{0.5, 0.5, 1}, std::vector<double>{0.5, 0.2, 1}}) {
    std::vector<std::pair<std::size_t, double>> seen;
    dia::visit_deviation_envelope(v, x, [&](std::size_t first, std::span<const double> block) {
      for (std::size_t i = 0; i < block.size(); ++i) seen.emplace_back(first + i, block[i]);
    });
    EXPECT_EQ(seen, (std::vector<std::pair<std::size_t, double>>{{0, 0}, {1, 0.5}, {2, 1.5}}));
  }
}

// Past one block (kEnvelopeBlock = 1024 types): 2500 types come in blocks of 1024, 1024 and 452,
// each type's envelope equal to the brute-force max_{j<k} max(0, X_j (v_k - v_j)), on both routes.
TEST(Audit, VisitedEnvelopeInBlocksEqualsBruteForce) {
  constexpr std::size_t m = 2500;
  std::vector<double> v(m), rising(m), wavy(m);
  for (std::size_t k = 0; k < m; ++k) {
    v[k] = 1.0 + 0.01 * static_cast<double>(k);
    rising[k] = static_cast<double>(k) / m;
    wavy[k] = 0.5 + 0.4 * std::sin(0.37 * static_cast<double>(k));
  }
  for (const auto& x : {rising, wavy}) {
    std::vector<std::size_t> firsts, sizes;
    std::vector<double> seen;
    dia::visit_deviation_envelope(v, x, [&](std::size_t first, std::span<const double> block) {
      firsts.push_back(first);
      sizes.push_back(block.size());
      seen.insert(seen.end(), block.begin(), block.end());
    });
    EXPECT_EQ(firsts, (std::vector<std::size_t>{0, 1024, 2048}));
    EXPECT_EQ(sizes, (std::vector<std::size_t>{1024, 1024, 452}));
    ASSERT_EQ(seen.size(), m);
    for (std::size_t k = 0; k < m; ++k) {
      double best = 0;
      for (std::size_t j = 0; j < k; ++j) best = std::max(best, x[j] * (v[k] - v[j]));
      ASSERT_NEAR(seen[k], best, 1e-12) << "type " << k;
    }
  }
}

}  // namespace
