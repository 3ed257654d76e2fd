// The one-bidder LP through CLP (include/dia/lp_check.hpp) against numbers worked out by hand and
// against a dual certificate computed here, independently of the solvers.
#include "dia/lp_check.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace dia {
namespace {

DiscreteTypes types_of(std::vector<double> values, std::vector<double> probabilities) {
  return DiscreteTypes{std::move(values), std::move(probabilities)};
}

// The best posted price on the atoms: max_k v_k * P(v >= v_k).
double best_posted_price_revenue(const DiscreteTypes& types) {
  double best = 0;
  for (std::size_t k = 0; k < types.size(); ++k) {
    double tail = 0;
    for (std::size_t t = k; t < types.size(); ++t) tail += types.probabilities[t];
    best = std::max(best, types.values[k] * tail);
  }
  return best;
}

// An upper bound on the LP optimum by weak duality (docs/model.md#dual): any plan where each
// type k ships at most p_k of mass to lower types j, a unit covering v_k - v_j of the demand
// D_j = p_j v_j, bounds the revenue by sum_j (D_j - coverage_j)^+. This is the greedy plan (sources
// in increasing order, each to the lowest uncovered target), so the bound is tight.
long double greedy_dual_bound(const DiscreteTypes& types) {
  const auto& v = types.values;
  const auto& p = types.probabilities;
  const std::size_t m = types.size();
  std::vector<long double> residual(m);
  for (std::size_t k = 0; k < m; ++k) residual[k] = static_cast<long double>(p[k]) * v[k];
  std::size_t target = 0;
  for (std::size_t source = 1; source < m; ++source) {
    long double mass = p[source];
    while (mass > 0 && target < source) {
      const long double rate = static_cast<long double>(v[source]) - v[target];
      const long double needed = residual[target] / rate;
      if (mass >= needed) {
        mass -= needed;
        residual[target] = 0;
        ++target;
      } else {
        residual[target] -= mass * rate;
        mass = 0;
      }
    }
  }
  long double bound = 0;
  for (std::size_t k = 0; k < m; ++k) bound += residual[k];
  return bound;
}

// Feasibility of the returned (X, U), the minimality of U, and the revenue identity.
void expect_consistent(const DiscreteTypes& types, const LpSolution& solution) {
  const auto& v = types.values;
  const auto& p = types.probabilities;
  const auto& x = solution.mechanism.allocation;
  const auto& u = solution.mechanism.rent;
  ASSERT_EQ(x.size(), types.size());
  ASSERT_EQ(u.size(), types.size());
  long double revenue = 0;
  for (std::size_t k = 0; k < types.size(); ++k) {
    EXPECT_GE(x[k], 0.0);
    EXPECT_LE(x[k], 1.0);
    double smallest_rent = 0;
    for (std::size_t j = 0; j < k; ++j)
      smallest_rent = std::max(smallest_rent, (v[k] - v[j]) * x[j]);
    EXPECT_EQ(u[k], smallest_rent) << "rent of type " << k + 1 << " is not the smallest feasible";
    revenue += static_cast<long double>(p[k]) * (static_cast<long double>(v[k]) * x[k] - u[k]);
  }
  EXPECT_NEAR(solution.revenue, static_cast<double>(revenue),
              1e-14 * (1 + std::fabs(static_cast<double>(revenue))));
}

TEST(OneBidderLp, WorkedExampleOfTheModel) {
  // docs/model.md#example-three-types, checked by hand. With X_3 = 1 (free: no type above 3) and
  // U_2 = X_1, U_3 = max(2 X_1, X_2):
  //   revenue = .5 X_1 + .3 (2 X_2 - X_1) + .2 (3 - max(2 X_1, X_2))
  //           = .2 X_1 + .6 X_2 + .6 - .2 max(2 X_1, X_2).
  // Raising X_2 gains at least .6 - .2 > 0, so X_2 = 1. Then for X_1 <= 1/2 the revenue is
  // 1.0 + .2 X_1 (increasing) and for X_1 >= 1/2 it is 1.2 - .2 X_1 (decreasing): the unique
  // optimum is X = (1/2, 1, 1), U = (0, 1/2, 1), revenue .25 + .45 + .4 = 1.1. The dual plan
  // agrees: type 2 ships .3 to type 1 (covers .3 of D_1 = .5), type 3 ships .1 to type 1 (covers
  // .2) and .1 to type 2 (covers .1 of D_2 = .6): residual .5 + D_3 = .6, total 1.1.
  const DiscreteTypes types = types_of({1, 2, 3}, {.5, .3, .2});
  const auto solution = solve_one_bidder_lp(types);
  ASSERT_TRUE(solution.has_value()) << solution.error().line();
  EXPECT_NEAR(solution->revenue, 1.1, 1e-12);
  const auto& x = solution->mechanism.allocation;
  const auto& u = solution->mechanism.rent;
  EXPECT_NEAR(x[0], 0.5, 1e-10);
  EXPECT_NEAR(x[1], 1.0, 1e-10);
  EXPECT_NEAR(x[2], 1.0, 1e-10);
  EXPECT_NEAR(u[0], 0.0, 1e-10);
  EXPECT_NEAR(u[1], 0.5, 1e-10);
  EXPECT_NEAR(u[2], 1.0, 1e-10);
  EXPECT_GE(solution->iterations, 0);
  expect_consistent(types, *solution);
  // The best posted price earns 1.0 (price 1 or 2); inspection earns 10% more.
  EXPECT_NEAR(best_posted_price_revenue(types), 1.0, 1e-15);
  EXPECT_NEAR(static_cast<double>(greedy_dual_bound(types)), 1.1, 1e-15);
}

TEST(OneBidderLp, TwoTypesHaveAFlatOptimum) {
  // v = (1, 2), p = (.5, .5). The only IC row is U_2 >= (2 - 1) X_1 = X_1, and type 2 has no type
  // above it, so X_2 = 1 and U_2 = X_1 at the optimum:
  //   revenue = .5 (1 X_1 - 0) + .5 (2 X_2 - U_2) = .5 X_1 + .5 (2 - X_1) = 1   for every X_1.
  // Selling to type 1 earns .5 X_1 and costs exactly as much in type 2's rent: the optimum is 1,
  // the same as posting the price 1 or 2, and X_1 is not determined.
  const DiscreteTypes types = types_of({1, 2}, {.5, .5});
  const auto solution = solve_one_bidder_lp(types);
  ASSERT_TRUE(solution.has_value()) << solution.error().line();
  EXPECT_NEAR(solution->revenue, 1.0, 1e-12);
  const auto& x = solution->mechanism.allocation;
  const auto& u = solution->mechanism.rent;
  EXPECT_NEAR(x[1], 1.0, 1e-10);
  EXPECT_EQ(u[0], 0.0);
  EXPECT_EQ(u[1], x[0]);  // the smallest rent, whatever X_1 CLP picked
  expect_consistent(types, *solution);
}

TEST(OneBidderLp, ZeroLowestValueIsNeverServed) {
  // v = (0, 1), p = (.5, .5): revenue = .5 * 0 * X_1 + .5 (X_2 - X_1), so X = (0, 1), revenue .5.
  const DiscreteTypes types = types_of({0, 1}, {.5, .5});
  const auto solution = solve_one_bidder_lp(types);
  ASSERT_TRUE(solution.has_value()) << solution.error().line();
  EXPECT_NEAR(solution->revenue, 0.5, 1e-12);
  EXPECT_NEAR(solution->mechanism.allocation[0], 0.0, 1e-10);
  EXPECT_NEAR(solution->mechanism.allocation[1], 1.0, 1e-10);
  expect_consistent(types, *solution);
}

TEST(OneBidderLp, SingleAtomSellsSurely) {
  const DiscreteTypes types = types_of({2.5}, {1.0});
  const auto solution = solve_one_bidder_lp(types);
  ASSERT_TRUE(solution.has_value()) << solution.error().line();
  EXPECT_EQ(solution->revenue, 2.5);
  EXPECT_EQ(solution->mechanism.allocation, std::vector<double>{1.0});
  EXPECT_EQ(solution->mechanism.rent, std::vector<double>{0.0});
  EXPECT_EQ(solution->iterations, 0);
}

TEST(OneBidderLp, UniformGridApproachesTheContinuumAndBeatsPostedPrice) {
  // v_k = (k - 1/2) / 200 with p_k = 1/200 approximates uniform[0,1], whose inspection revenue is
  // (sqrt 5 - 1) / 4 = 0.309017 (docs/model.md#example-uniform; 23.6% above Myerson's 1/4).
  constexpr std::size_t kCells = 200;
  std::vector<double> values(kCells), probabilities(kCells, 1.0 / kCells);
  for (std::size_t k = 0; k < kCells; ++k) values[k] = (static_cast<double>(k) + 0.5) / kCells;
  const DiscreteTypes types = types_of(values, probabilities);
  const auto solution = solve_one_bidder_lp(types);
  ASSERT_TRUE(solution.has_value()) << solution.error().line();
  EXPECT_NEAR(solution->revenue, (std::sqrt(5.0) - 1) / 4, 3e-3);
  const double posted = best_posted_price_revenue(types);
  // On the grid the best price is v_101 = .5025, sold with probability 100/200: .25125.
  EXPECT_NEAR(posted, 0.25125, 1e-12);
  EXPECT_GT(solution->revenue, posted + 0.05);
  EXPECT_GT(solution->iterations, 0);
  EXPECT_NEAR(solution->revenue, static_cast<double>(greedy_dual_bound(types)), 1e-12);
  expect_consistent(types, *solution);
  // X is nondecreasing up to solver noise and 1 at the top.
  const auto& x = solution->mechanism.allocation;
  EXPECT_NEAR(x.back(), 1.0, 1e-10);
  for (std::size_t k = 1; k < kCells; ++k) EXPECT_GE(x[k], x[k - 1] - 1e-9) << "k = " << k;
}

TEST(OneBidderLp, BadlyScaledDataMatchesTheDualCertificate) {
  // Probabilities from 1e-9 to .5 and values over six decades, including two values 1e-9 apart.
  // The LP's (X, U) is feasible by construction, so revenue <= optimum <= the dual bound; equality
  // to 1e-12 relative certifies both.
  std::vector<double> values, probabilities;
  double total = 0;
  for (int k = 0; k < 60; ++k) {
    values.push_back(1e-3 * std::pow(10.0, 6.0 * k / 59.0));
    const double p = (k % 3 == 0) ? 0.5 : ((k % 3 == 1) ? 1e-9 : 1e-4 * (k + 1));
    probabilities.push_back(k > 30 ? p * 1e-6 : p);
  }
  values.insert(values.begin() + 20, values[19] + 1e-9);
  probabilities.insert(probabilities.begin() + 20, 0.25);
  for (double p : probabilities) total += p;
  for (double& p : probabilities) p /= total;
  const DiscreteTypes types = types_of(values, probabilities);

  const auto solution = solve_one_bidder_lp(types);
  ASSERT_TRUE(solution.has_value()) << solution.error().line();
  expect_consistent(types, *solution);
  const double bound = static_cast<double>(greedy_dual_bound(types));
  EXPECT_LE(solution->revenue, bound * (1 + 1e-14));
  EXPECT_NEAR(solution->revenue, bound, 1e-12 * bound);
  EXPECT_GE(solution->revenue, best_posted_price_revenue(types) * (1 - 1e-14));
}

TEST(OneBidderLp, TooManyTypesIsAnError) {
  std::vector<double> values(10), probabilities(10, 0.1);
  for (std::size_t k = 0; k < values.size(); ++k) values[k] = static_cast<double>(k + 1);
  const auto solution = solve_one_bidder_lp(types_of(values, probabilities), 5);
  ASSERT_FALSE(solution.has_value());
  EXPECT_EQ(solution.error().code, ErrorCode::kTooLarge);
  EXPECT_NE(solution.error().message.find("10"), std::string::npos) << solution.error().message;
  EXPECT_FALSE(solution.error().hint.empty());
  // At the limit it solves.
  EXPECT_TRUE(solve_one_bidder_lp(types_of(values, probabilities), 10).has_value());
}

TEST(OneBidderLp, MalformedTypeSpacesAreErrors) {
  EXPECT_EQ(solve_one_bidder_lp(types_of({}, {})).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(solve_one_bidder_lp(types_of({1, 2}, {1})).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(solve_one_bidder_lp(types_of({2, 1}, {.5, .5})).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(solve_one_bidder_lp(types_of({1, 1}, {.5, .5})).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(solve_one_bidder_lp(types_of({-1, 1}, {.5, .5})).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(solve_one_bidder_lp(types_of({1, NAN}, {.5, .5})).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(solve_one_bidder_lp(types_of({1, 2}, {-.5, 1.5})).error().code,
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace dia
