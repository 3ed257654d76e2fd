// The Border lottery over hierarchies (docs/model.md#hierarchy-lottery, border_lottery.hpp): every
// reduced form it is built for is recomputed here from the definition of a hierarchy, by
// enumerating all bid profiles, and from its draws.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "dia/border_lottery.hpp"
#include "dia/distribution.hpp"
#include "dia/ex_post.hpp"
#include "dia/symmetric.hpp"
#include "support/random_types.hpp"

namespace {

// A hierarchy by its definition: block[i] is type i's block (nondecreasing in i), and types
// below `reserve` never get the item.
struct Hierarchy {
  double weight;
  std::size_t reserve;
  std::vector<std::size_t> block;
};

struct Enumerated {
  std::vector<double> x;  // bidder 0's interim allocation per type
  double lower_wins = 0;  // P(the winner's type is below the profile's highest type)
};

// Every profile of n types: the item goes uniformly to one of the bidders in the highest block
// present above the reserve.
Enumerated enumerate(const dia::DiscreteTypes& t, int n, const std::vector<Hierarchy>& rule) {
  const std::size_t m = t.size();
  Enumerated out{std::vector<double>(m, 0.0)};
  std::vector<std::size_t> profile(static_cast<std::size_t>(n), 0);
  while (true) {
    double mass = 1;
    std::size_t top = 0;
    for (std::size_t k : profile) mass *= t.probabilities[k], top = std::max(top, k);
    for (const Hierarchy& h : rule) {
      std::vector<std::size_t> eligible;
      std::size_t best = 0;
      bool any = false;
      for (std::size_t b = 0; b < profile.size(); ++b) {
        if (profile[b] < h.reserve) continue;
        const std::size_t level = h.block[profile[b]];
        if (!any || level > best) eligible.clear(), best = level, any = true;
        if (level == best) eligible.push_back(b);
      }
      for (std::size_t b : eligible) {
        const double share = h.weight * mass / static_cast<double>(eligible.size());
        if (b == 0) out.x[profile[0]] += share / t.probabilities[profile[0]];
        if (profile[b] < top) out.lower_wins += share;
      }
    }
    std::size_t i = 0;
    while (i < profile.size() && ++profile[i] == m) profile[i++] = 0;
    if (i == profile.size()) break;
  }
  return out;
}

// The built rule's hierarchies in the definition's terms.
std::vector<Hierarchy> unpack(const dia::HierarchyLottery& rule, std::size_t m) {
  std::vector<Hierarchy> out;
  for (std::size_t k = 0; k < rule.weights.size(); ++k) {
    Hierarchy h{rule.weights[k], rule.reserves[k], std::vector<std::size_t>(m, 0)};
    for (std::size_t i = 1; i < m; ++i) h.block[i] = h.block[i - 1] + (rule.merged_at[i] > k);
    out.push_back(std::move(h));
  }
  return out;
}

rc::Gen<Hierarchy> random_hierarchy(std::size_t m) {
  return rc::gen::exec([m] {
    Hierarchy h{*rc::gen::inRange(1, 1001) / 1000.0, *rc::gen::inRange<std::size_t>(0, m + 1),
                std::vector<std::size_t>(m, 0)};
    for (std::size_t i = 1; i < m; ++i) h.block[i] = h.block[i - 1] + *rc::gen::inRange(0, 2);
    return h;
  });
}

// Any mixture of hierarchies (so any X that Border's theorem allows, for 2 to 5 bidders, up to
// 6 types with uneven masses) is rebuilt into hierarchies whose enumerated reduced form equals
// it, at most one per type and one more, with the lower bidder's share it states.
RC_GTEST_PROP(HierarchyLottery, RebuildsAnyMixtureOfHierarchies, ()) {
  const auto t = *dia::testing::random_types(6, 30);
  const int n = *rc::gen::inRange(2, 6);
  auto mixture = *rc::gen::container<std::vector<Hierarchy>>(
      static_cast<std::size_t>(*rc::gen::inRange(1, 5)), random_hierarchy(t.size()));
  double total = 0;
  for (const auto& h : mixture) total += h.weight;
  for (auto& h : mixture) h.weight /= total;
  const auto x = enumerate(t, n, mixture).x;
  const auto rule = dia::build_hierarchy_lottery(t, x, n);
  if (!rule) RC_FAIL(rule.error().line());
  RC_ASSERT(rule->weights.size() <= t.size() + 1);
  const auto rebuilt = enumerate(t, n, unpack(*rule, t.size()));
  for (std::size_t i = 0; i < t.size(); ++i) RC_ASSERT(std::fabs(rebuilt.x[i] - x[i]) <= 1e-9);
  RC_ASSERT(rule->max_reduced_form_error <= 1e-9);
  RC_ASSERT(std::fabs(rebuilt.lower_wins - rule->lower_bidder_wins) <= 1e-9);
}

// The optimal X of random atoms for 2 to 4 bidders, q > 1 or not, is a Border lottery too, once
// Border's rows hold exactly (which moves X only by the LP's rounding of those rows).
RC_GTEST_PROP(HierarchyLottery, ImplementsTheOptimalX, ()) {
  const auto t = *dia::testing::random_types(5, 30);
  const int n = *rc::gen::inRange(2, 5);
  const auto s = dia::solve_symmetric(t, n);
  RC_ASSERT(s.has_value());
  std::vector<double> x = s->mechanism.allocation;
  dia::enforce_border(t, x, n);
  for (std::size_t i = 0; i < t.size(); ++i) {
    RC_ASSERT(x[i] <= s->mechanism.allocation[i]);
    RC_ASSERT(n * t.probabilities[i] * (s->mechanism.allocation[i] - x[i]) <= 1e-9);
  }
  const auto rule = dia::build_hierarchy_lottery(t, x, n);
  if (!rule) RC_FAIL(rule.error().line());
  const auto rebuilt = enumerate(t, n, unpack(*rule, t.size()));
  for (std::size_t i = 0; i < t.size(); ++i) RC_ASSERT(std::fabs(rebuilt.x[i] - x[i]) <= 1e-9);
}

// Enforcing Border's rows: an X over the bound at a light top type is lowered to what the rows
// allow (worked by hand: 2 bidders, masses 0.5/0.5, G = 0.25/0.75), and a feasible X is kept.
TEST(HierarchyLottery, EnforcingBordersRowsLowersOnlyAnExcess) {
  const dia::DiscreteTypes t{{1, 2}, {0.5, 0.5}};
  std::vector<double> over{0.25, 0.8}, inside{0.1, 0.7};
  EXPECT_NEAR(dia::enforce_border(t, over, 2), 0.05, 1e-15);
  EXPECT_NEAR(over[1], 0.75, 1e-15);
  EXPECT_EQ(over[0], 0.25);
  std::vector<double> chained{0.3, 0.8};  // the top is lowered to 0.75, then the bottom to 0.25
  dia::enforce_border(t, chained, 2);
  EXPECT_NEAR(chained[0], 0.25, 1e-15);
  EXPECT_EQ(dia::enforce_border(t, inside, 2), 0.0);
  EXPECT_EQ(inside, (std::vector<double>{0.1, 0.7}));
}

// The draws, integrated over u on a fine grid at every profile of 3 bidders, give bidder 0 the
// reduced form; bids between grid points play as the grid value below, bids below it never win.
TEST(HierarchyLottery, DrawsImplementTheReducedForm) {
  const dia::DiscreteTypes t{{1, 2, 3, 4}, {0.4, 0.3, 0.2, 0.1}};
  const std::vector<Hierarchy> mixture{
      {0.5, 0, {0, 1, 2, 3}}, {0.3, 1, {0, 0, 0, 1}}, {0.2, 2, {0, 0, 0, 0}}};
  const auto x = enumerate(t, 3, mixture).x;
  const auto hierarchies = dia::build_hierarchy_lottery(t, x, 3);
  ASSERT_TRUE(hierarchies.has_value()) << hierarchies.error().line();
  const auto rule = dia::BorderLottery::build(t.values, *hierarchies, x);
  ASSERT_TRUE(rule.has_value()) << rule.error().line();
  EXPECT_STREQ(rule->form(), "hierarchies");
  constexpr int kSteps = 20000;
  std::vector<double> drawn(t.size(), 0.0);
  for (std::size_t a = 0; a < 4; ++a) {
    for (std::size_t b = 0; b < 4; ++b) {
      for (std::size_t c = 0; c < 4; ++c) {
        const std::vector<double> bids{t.values[a] + 0.5, t.values[b], t.values[c]};
        int wins = 0;
        for (int k = 0; k < kSteps; ++k) wins += rule->draw_winner(bids, (k + 0.5) / kSteps) == 0;
        drawn[a] += t.probabilities[b] * t.probabilities[c] * wins / kSteps;
      }
    }
  }
  for (std::size_t j = 0; j < t.size(); ++j) EXPECT_NEAR(drawn[j], x[j], 1e-3) << j;
  const std::vector<double> below{0.5, 0.9};
  for (double u : {0.1, 0.5, 0.9}) EXPECT_EQ(rule->draw_winner(below, u), -1);
}

// The bimodal optimum for 10 bidders, which the transfer form cannot carry, runs as hierarchies.
TEST(HierarchyLottery, RunsTheBimodalTenBidderOptimumTransfersCannot) {
  const auto d = dia::parse_distribution("mixture(0.5:uniform(0,1),0.5:uniform(2,3))");
  ASSERT_TRUE(d.has_value());
  const auto t = dia::quantile_grid(**d, 200);
  const auto s = dia::solve_symmetric(t, 10);
  ASSERT_TRUE(s.has_value());
  const auto& x = s->mechanism.allocation;
  EXPECT_FALSE(dia::build_transfer_lottery(t, x, 10).has_value());
  const auto rule = dia::build_border_lottery(t, x, 10);
  ASSERT_TRUE(rule.has_value()) << rule.error().line();
  EXPECT_STREQ(rule->form(), "hierarchies");
  EXPECT_LE(rule->max_reduced_form_error(), 1e-7);
  EXPECT_GT(rule->lower_bidder_wins(), 0.0);
}

TEST(HierarchyLottery, RejectsWhatNoLotteryImplements) {
  const dia::DiscreteTypes t{{1, 2}, {0.5, 0.5}};
  const auto twice = dia::build_hierarchy_lottery(t, {1.0, 1.0}, 2);  // sells 2 items
  ASSERT_FALSE(twice.has_value());
  EXPECT_NE(twice.error().message.find("Border's condition"), std::string::npos);
  EXPECT_FALSE(dia::build_hierarchy_lottery(t, {0.6, 0.4}, 2).has_value());  // not monotone
  EXPECT_FALSE(dia::build_hierarchy_lottery(t, {0.1, 0.2}, 1).has_value());
  dia::HierarchyLottery bad{{0.5, 0.5}, {1, 0}, {0, 2}};  // the reserve falls
  EXPECT_FALSE(dia::BorderLottery::build(t.values, bad, {0.1, 0.2}).has_value());
}

}  // namespace

namespace {

// Two bidders on v = (1, 2, 3), p = (.5, .3, .2): G = (.25, .65, .9). The top type asks for
// 5e-9 more than G (an excess of p_3 x 5e-9 = 1e-9 on the top row, an LP's rounding): enforcing
// Border's rows lowers exactly that, however small, and nothing else.
TEST(HierarchyLottery, EnforcingBordersRowsRemovesATinyExcess) {
  const dia::DiscreteTypes t{{1, 2, 3}, {0.5, 0.3, 0.2}};
  std::vector<double> x{0.25, 0.65, 0.9 + 5e-9};
  EXPECT_NEAR(dia::enforce_border(t, x, 2), 5e-9, 1e-15);
  EXPECT_NEAR(x[2], 0.9, 1e-15);
  EXPECT_EQ(x[0], 0.25);
  EXPECT_EQ(x[1], 0.65);
}

}  // namespace
