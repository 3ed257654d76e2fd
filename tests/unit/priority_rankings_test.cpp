// The lottery over priority rankings for asymmetric bidders (docs/asymmetric.md section 7,
// dia/priority_rankings.hpp): every rule built here is replayed on every bid profile, ranking by
// ranking, from its definition (the present pair ranked first wins), and its interim allocation
// compared with the X it was built for.
#include "dia/priority_rankings.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "dia/asymmetric.hpp"
#include "simulation/random.hpp"
#include "support/asymmetric_instances.hpp"

namespace dia {
namespace {

struct Replayed {
  std::vector<std::vector<double>> x;  // interim allocation per bidder and type
  double lower_wins = 0;               // P(the winner's value is below another's)
  double weight_sum = 0;
};

// Every profile of types and every ranking, by the rule's definition.
Replayed replay(const std::vector<DiscreteTypes>& bidders, const PriorityRankings& rule) {
  const std::size_t n = bidders.size();
  Replayed out;
  for (const auto& b : bidders) out.x.emplace_back(b.size(), 0.0);
  for (std::size_t k = 0; k < rule.rankings(); ++k) out.weight_sum += rule.weight(k);
  std::vector<std::size_t> profile(n, 0);
  while (true) {
    double mass = 1, top = 0;
    for (std::size_t i = 0; i < n; ++i) {
      mass *= bidders[i].probabilities[profile[i]];
      top = std::max(top, bidders[i].values[profile[i]]);
    }
    for (std::size_t k = 0; k < rule.rankings(); ++k) {
      std::uint32_t best = PriorityRankings::kBelowCut;
      std::size_t winner = n;
      for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t place = rule.priority(k, i, profile[i]);
        if (place < best) best = place, winner = i;
      }
      if (winner == n) continue;
      out.x[winner][profile[winner]] +=
          rule.weight(k) * mass / bidders[winner].probabilities[profile[winner]];
      if (bidders[winner].values[profile[winner]] < top) out.lower_wins += rule.weight(k) * mass;
    }
    std::size_t i = 0;
    while (i < n && ++profile[i] == bidders[i].size()) profile[i++] = 0;
    if (i == n) break;
  }
  return out;
}

std::size_t total_pairs(const std::vector<DiscreteTypes>& bidders) {
  std::size_t n = 0;
  for (const auto& b : bidders) n += b.size();
  return n;
}

// Checks a rule built for X against its replay; returns the replay.
Replayed expect_implements(const std::vector<DiscreteTypes>& bidders,
                           const std::vector<std::vector<double>>& x, const std::string& what) {
  auto rule = PriorityRankings::build(bidders, x);
  EXPECT_TRUE(rule.has_value()) << what << ": " << (rule ? "" : rule.error().message);
  if (!rule) return {};
  const Replayed r = replay(bidders, *rule);
  EXPECT_LE(rule->rankings(), total_pairs(bidders) + 1) << what;
  EXPECT_NEAR(r.weight_sum, 1.0, 1e-12) << what;
  for (std::size_t k = 0; k < rule->rankings(); ++k) EXPECT_GE(rule->weight(k), 0.0) << what;
  for (std::size_t i = 0; i < bidders.size(); ++i) {
    for (std::size_t t = 0; t < bidders[i].size(); ++t) {
      EXPECT_NEAR(r.x[i][t], x[i][t], 1e-9) << what << " bidder " << i << " type " << t;
      EXPECT_NEAR(rule->allocation(i)[t], r.x[i][t], 1e-12) << what;
    }
  }
  EXPECT_NEAR(rule->lower_bidder_wins(), r.lower_wins, 1e-12) << what;
  return r;
}

TEST(PriorityRankings, TwoSingleTypesSplitByHand) {
  // Values 1 and 2, each present for sure; X = (1/2, 1/2): the item goes to each half the time,
  // so the lower bidder (value 1) wins with probability 1/2.
  const std::vector<DiscreteTypes> bidders = {{{1.0}, {1.0}}, {{2.0}, {1.0}}};
  const std::vector<std::vector<double>> x = {{0.5}, {0.5}};
  const Replayed r = expect_implements(bidders, x, "split");
  EXPECT_NEAR(r.lower_wins, 0.5, 1e-15);
  auto rule = PriorityRankings::build(bidders, x);
  ASSERT_TRUE(rule);
  EXPECT_EQ(rule->rankings(), 2u);
  EXPECT_NEAR(rule->lower_bidder_wins(), 0.5, 1e-15);
}

TEST(PriorityRankings, HighestBidderRuleIsOneRanking) {
  // Bidder 0 low (1) or high (3) with 1/2 each, bidder 1 always 2: the highest bidder wins.
  // X_0 = (0, 1), X_1 = (1/2): one ranking, bidder 0 at 3 first, then bidder 1, and bidder 0 at 1
  // below the cut.
  const std::vector<DiscreteTypes> bidders = {{{1.0, 3.0}, {0.5, 0.5}}, {{2.0}, {1.0}}};
  const std::vector<std::vector<double>> x = {{0.0, 1.0}, {0.5}};
  const Replayed r = expect_implements(bidders, x, "highest");
  EXPECT_NEAR(r.lower_wins, 0.0, 1e-15);
  auto rule = PriorityRankings::build(bidders, x);
  ASSERT_TRUE(rule);
  EXPECT_EQ(rule->rankings(), 1u);
  EXPECT_EQ(rule->priority(0, 0, 0), PriorityRankings::kBelowCut);
}

TEST(PriorityRankings, RefusesInfeasibleAndMalformedInput) {
  // The counterexample of docs/asymmetric.md section 2: ({high}, {low}) wins 0.9 > 0.875.
  const std::vector<DiscreteTypes> bidders = {{{1, 2}, {0.5, 0.5}}, {{1, 2}, {0.75, 0.25}}};
  auto bad = PriorityRankings::build(bidders, {{0, 0.30}, {1, 0.31}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("bidder 1 values {2}; bidder 2 values {1}"), std::string::npos)
      << bad.error().message;
  EXPECT_NE(bad.error().message.find("0.9 > 0.875"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(PriorityRankings::build(bidders, {{0, 0.3}, {1.5, 0}}));    // X > 1
  EXPECT_FALSE(PriorityRankings::build(bidders, {{0, 0.3}, {0.1}}));       // shape
  EXPECT_FALSE(PriorityRankings::build(bidders, {{0, 0.3}}));              // one bidder short
  EXPECT_FALSE(PriorityRankings::build(bidders, {{0, NAN}, {0.1, 0.1}}));  // not a number
  // Just above the tolerance: every type of both bidders wins 1 + 1e-8.
  const std::vector<DiscreteTypes> one_each = {{{1.0}, {1.0}}, {{2.0}, {1.0}}};
  EXPECT_FALSE(PriorityRankings::build(one_each, {{0.5 + 1e-8}, {0.5}}));
}

// X = c X_random with c the largest keeping every family of arbitrary sets feasible (each gap is
// linear in c: c y(S) - f(S)), so some family is tight: a point on the boundary.
std::vector<std::vector<double>> boundary_point(const std::vector<DiscreteTypes>& bidders,
                                                std::mt19937_64& rng) {
  std::vector<std::vector<double>> x;
  for (const auto& b : bidders) {
    x.emplace_back();
    for (std::size_t t = 0; t < b.size(); ++t) {
      const int kind = std::uniform_int_distribution<int>(0, 4)(rng);
      const double u = std::uniform_real_distribution<double>(0, 1)(rng);
      x.back().push_back(kind == 0 ? 0.0 : kind == 1 ? 1.0 : u);  // zeros and ties on purpose
    }
  }
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t i = 0; i < bidders.size(); ++i) {
    for (std::size_t t = 0; t < bidders[i].size(); ++t) pairs.push_back({i, t});
  }
  long double scale = 1;
  for (std::size_t mask = 1; mask < (std::size_t{1} << pairs.size()); ++mask) {
    long double y = 0;
    std::vector<long double> outside(bidders.size(), 1.0L);
    for (std::size_t b = 0; b < pairs.size(); ++b) {
      if (!(mask >> b & 1)) continue;
      const auto [i, t] = pairs[b];
      y += (long double)bidders[i].probabilities[t] * x[i][t];
      outside[i] -= bidders[i].probabilities[t];
    }
    long double product = 1;
    for (long double o : outside) product *= std::max(0.0L, o);
    if (y > 0) scale = std::min(scale, (1 - product) / y);
  }
  for (auto& xi : x) {
    for (double& v : xi) v = static_cast<double>(v * scale);
  }
  return x;
}

TEST(PriorityRankings, ImplementsBoundaryPointsOfRandomInstances) {
  std::mt19937_64 rng(71213);
  for (int trial = 0; trial < 300; ++trial) {
    const auto bidders = testing::random_bidders(rng, 4, 4, 11);
    const auto x = boundary_point(bidders, rng);
    ASSERT_LE(testing::brute_force_border_gap(bidders, x), 1e-15);
    expect_implements(bidders, x, "boundary trial " + std::to_string(trial));
    if (HasFailure()) break;
  }
}

TEST(PriorityRankings, ImplementsTheOptimalMechanismsOfRandomInstances) {
  std::mt19937_64 rng(20261208);
  for (int trial = 0; trial < 60; ++trial) {
    const auto bidders = testing::random_bidders(rng, 4, 4, 11);
    auto solved = solve_asymmetric(bidders);
    ASSERT_TRUE(solved) << solved.error().message;
    std::vector<std::vector<double>> x;
    for (const auto& m : solved->mechanism) x.push_back(m.allocation);
    const Replayed r = expect_implements(bidders, x, "optimum trial " + std::to_string(trial));
    // No rule sells to a lower bidder less often than the reduced form forces.
    EXPECT_GE(r.lower_wins, solved->non_highest_lower_bound - 1e-12) << trial;
    if (HasFailure()) break;
  }
}

TEST(PriorityRankings, DrawsRankingsWithTheirWeights) {
  const std::vector<DiscreteTypes> bidders = {{{1, 2, 4}, {0.2, 0.5, 0.3}}, {{1.5, 3}, {0.6, 0.4}}};
  std::mt19937_64 gen(5);
  const auto x = boundary_point(bidders, gen);
  auto rule = PriorityRankings::build(bidders, x);
  ASSERT_TRUE(rule) << rule.error().message;
  ASSERT_GE(rule->rankings(), 2u);
  pcg64 rng = detail::block_stream(3, 0);
  constexpr int kDraws = 400000;
  std::vector<int> counts(rule->rankings(), 0);
  for (int d = 0; d < kDraws; ++d) ++counts[rule->draw_ranking(rng)];
  for (std::size_t k = 0; k < rule->rankings(); ++k) {
    const double w = rule->weight(k);
    const double se = std::sqrt(w * (1 - w) / kDraws);
    EXPECT_NEAR(counts[k] / double(kDraws), w, 5 * se + 1e-12) << k;
  }
}

}  // namespace
}  // namespace dia
