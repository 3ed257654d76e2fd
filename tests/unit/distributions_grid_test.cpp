// quantile_grid and make_discrete_types.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "dia/discrete_types.hpp"
#include "dia/distribution.hpp"

namespace {

using dia::DiscreteTypes;
using dia::ErrorCode;

dia::DistributionPtr parse_ok(const std::string& spec) {
  auto d = dia::parse_distribution(spec);
  EXPECT_TRUE(d.has_value()) << spec << ": " << (d ? std::string() : d.error().line());
  return d ? *d : nullptr;
}

// Finite, strictly increasing, probabilities summing to 1, each value inside its cell.
void expect_valid_grid(const dia::Distribution& d, const DiscreteTypes& grid, std::size_t cells) {
  ASSERT_EQ(grid.values.size(), grid.probabilities.size());
  ASSERT_FALSE(grid.values.empty());
  double total = 0;
  for (std::size_t k = 0; k < grid.size(); ++k) {
    ASSERT_TRUE(std::isfinite(grid.values[k])) << k;
    if (k > 0) {
      ASSERT_LT(grid.values[k - 1], grid.values[k]) << k;
    }
    total += grid.probabilities[k];
  }
  EXPECT_NEAR(total, 1.0, 1e-9);
  if (grid.size() == cells) {
    for (std::size_t k = 0; k < cells; k += std::max<std::size_t>(1, cells / 97)) {
      const double m = static_cast<double>(cells);
      EXPECT_GE(grid.values[k], d.quantile(static_cast<double>(k) / m) * (1 - 1e-12)) << k;
      EXPECT_LE(grid.values[k], d.quantile(static_cast<double>(k + 1) / m) * (1 + 1e-12)) << k;
    }
  }
}

double grid_mean(const DiscreteTypes& grid) {
  long double mean = 0;
  for (std::size_t k = 0; k < grid.size(); ++k) {
    mean += static_cast<long double>(grid.values[k]) * grid.probabilities[k];
  }
  return static_cast<double>(mean);
}

TEST(DistributionsQuantileGrid, UniformCellsSitAtTheirMidpoints) {
  const auto d = parse_ok("uniform(0,1)");
  ASSERT_NE(d, nullptr);
  const DiscreteTypes grid = dia::quantile_grid(*d, 4);
  ASSERT_EQ(grid.size(), 4u);
  const double expected[] = {0.125, 0.375, 0.625, 0.875};
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_NEAR(grid.values[k], expected[k], 1e-15);
    EXPECT_EQ(grid.probabilities[k], 0.25);
  }
}

TEST(DistributionsQuantileGrid, ExponentialCellMeansByHand) {
  // integral_a^b v e^{-v} dv = (a + 1) e^{-a} - (b + 1) e^{-b}; cells split at ln(3/2), ln 3.
  const auto d = parse_ok("exponential(1)");
  ASSERT_NE(d, nullptr);
  const auto moment = [](double a, double b) {
    return (a + 1) * std::exp(-a) - (std::isinf(b) ? 0.0 : (b + 1) * std::exp(-b));
  };
  const double cuts[] = {0, std::log(1.5), std::log(3.0), std::numeric_limits<double>::infinity()};
  const DiscreteTypes grid = dia::quantile_grid(*d, 3);
  ASSERT_EQ(grid.size(), 3u);
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_NEAR(grid.values[k], 3 * moment(cuts[k], cuts[k + 1]), 1e-15) << k;
  }
  const DiscreteTypes two = dia::quantile_grid(*d, 2);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_NEAR(two.values[0], 1 - std::log(2.0), 1e-15);
  EXPECT_NEAR(two.values[1], 1 + std::log(2.0), 1e-15);
}

TEST(DistributionsQuantileGrid, ParetoTopCellHasAFiniteMean) {
  // Top cell of 10: [10^{1/3}, inf) with mean 10 * 1.5 c^{-2} = 15 * 10^{-2/3}.
  const auto d = parse_ok("pareto(1,3)");
  ASSERT_NE(d, nullptr);
  const DiscreteTypes grid = dia::quantile_grid(*d, 10);
  ASSERT_EQ(grid.size(), 10u);
  EXPECT_NEAR(grid.values.back(), 15 * std::pow(10.0, -2.0 / 3), 1e-14);
  EXPECT_NEAR(grid_mean(grid), 1.5, 1e-14);
}

TEST(DistributionsQuantileGrid, OneCellIsTheMean) {
  for (const char* spec : {"uniform(1,3)", "lognormal(0,1)", "truncnormal(1,1,0,inf)"}) {
    const auto d = parse_ok(spec);
    ASSERT_NE(d, nullptr);
    const DiscreteTypes grid = dia::quantile_grid(*d, 1);
    ASSERT_EQ(grid.size(), 1u);
    EXPECT_NEAR(grid.values[0], d->mean(), 1e-15 * d->mean()) << spec;
    EXPECT_EQ(grid.probabilities[0], 1.0);
  }
}

TEST(DistributionsQuantileGrid, MixtureWithAGap) {
  const auto d = parse_ok("mixture(0.5:uniform(0,1), 0.5:uniform(2,3))");
  ASSERT_NE(d, nullptr);
  const DiscreteTypes grid = dia::quantile_grid(*d, 4);
  ASSERT_EQ(grid.size(), 4u);
  const double expected[] = {0.25, 0.75, 2.25, 2.75};
  for (std::size_t k = 0; k < 4; ++k) EXPECT_NEAR(grid.values[k], expected[k], 1e-15) << k;
}

// The gap's level (1/2) is a cell boundary even where the equal-mass ones miss it
// (docs/model.md#ode-gaps): 3 cells become [0, 2/3], [2/3, 1], [2, 7/3], [7/3, 3], by hand. A cell
// across the gap would put its type at 3/2, where there is no mass.
TEST(DistributionsQuantileGrid, MixtureGapIsACellBoundary) {
  const auto d = parse_ok("mixture(0.5:uniform(0,1), 0.5:uniform(2,3))");
  ASSERT_NE(d, nullptr);
  const DiscreteTypes grid = dia::quantile_grid(*d, 3);
  ASSERT_EQ(grid.size(), 4u);
  const double values[] = {1.0 / 3, 5.0 / 6, 2 + 1.0 / 6, 2 + 2.0 / 3};
  const double masses[] = {1.0 / 3, 1.0 / 6, 1.0 / 6, 1.0 / 3};
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_NEAR(grid.values[k], values[k], 1e-15) << k;
    EXPECT_NEAR(grid.probabilities[k], masses[k], 1e-15) << k;
  }
  // The tail-refined grid too, with the gap near the top (survival 1e-3) and a nested mixture.
  const auto far = parse_ok(
      "mixture(0.5:uniform(0,1), 0.499:mixture(0.5:uniform(1,2),0.5:uniform(3,4)), "
      "0.001:uniform(1000,1001))");
  ASSERT_NE(far, nullptr);
  const DiscreteTypes refined = dia::tail_refined_grid(*far, 4099, 16);
  for (const double v : refined.values) {
    EXPECT_FALSE(v > 2 && v < 3) << v;
    EXPECT_FALSE(v > 4 && v < 1000) << v;
  }
  expect_valid_grid(*far, refined, 4099);
  EXPECT_NEAR(grid_mean(refined), far->mean(), 1e-12 * far->mean());
}

TEST(DistributionsQuantileGrid, DiscreteGivesItsAtoms) {
  const auto d = parse_ok("discrete(1:0.5, 2:0.3, 3:0.2)");
  ASSERT_NE(d, nullptr);
  const DiscreteTypes grid = dia::quantile_grid(*d, 1000);
  EXPECT_EQ(grid.values, (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(grid.probabilities, d->atoms().probabilities);
}

TEST(DistributionsQuantileGrid, EveryFamilyGivesAValidGridPreservingTheMean) {
  for (const char* spec :
       {"uniform(1,2)", "exponential(2)", "lognormal(0,2)", "beta(0.5,0.5)", "beta(200,3)",
        "pareto(1,1.5)", "truncnormal(0,1,0,inf)", "truncnormal(-10,1,0,inf)",
        "truncnormal(5,0.5,0,4)", "mixture(0.3:exponential(1), 0.7:pareto(1,3))"}) {
    const auto d = parse_ok(spec);
    ASSERT_NE(d, nullptr);
    for (std::size_t cells : {std::size_t{7}, std::size_t{1000}, std::size_t{20001}}) {
      const DiscreteTypes grid = dia::quantile_grid(*d, cells);
      SCOPED_TRACE(std::string(spec) + " cells=" + std::to_string(cells));
      expect_valid_grid(*d, grid, cells);
      // Cell means preserve the mean exactly in theory.
      EXPECT_NEAR(grid_mean(grid), d->mean(), 1e-11 * d->mean());
    }
  }
}

TEST(DistributionsQuantileGrid, LowerCellsKeepTheirRelativeAccuracy) {
  // The first cell of exponential(1) with M cells: [0, q] with q = -log1p(-1/M), conditional mean
  // M (1 - e^{-q} (1 + q)) = M (q^2/2 - q^3/3 + ...), about 1/(2M).
  const auto d = parse_ok("exponential(1)");
  ASSERT_NE(d, nullptr);
  const std::size_t cells = 1000000;
  const DiscreteTypes grid = dia::quantile_grid(*d, cells);
  const double q = -std::log1p(-1e-6);
  const double expected = 1e6 * (q * q / 2 - q * q * q / 3 + q * q * q * q / 8);
  EXPECT_NEAR(grid.values[0] / expected, 1.0, 1e-12);
}

TEST(DistributionsQuantileGrid, MiddleCellsAreAccurateToAFewUlps) {
  // Near the median, differences of partial means would lose cells * eps of the mean; the cell
  // means must instead be accurate to rounding. References in long double: uniform midpoints,
  // and for exponential(1) on [a, b] the conditional mean a + 1 - w / (e^w - 1), w = b - a.
  const std::size_t cells = 1000000;
  const long double m = cells;
  const auto uniform = parse_ok("uniform(0,1)");
  const auto exponential = parse_ok("exponential(1)");
  ASSERT_NE(uniform, nullptr);
  ASSERT_NE(exponential, nullptr);
  const DiscreteTypes u = dia::quantile_grid(*uniform, cells);
  const DiscreteTypes e = dia::quantile_grid(*exponential, cells);
  ASSERT_EQ(u.size(), cells);
  ASSERT_EQ(e.size(), cells);
  for (std::size_t i = 1; i + 1 < cells; i += 9973) {
    const long double midpoint = (static_cast<long double>(i) + 0.5L) / m;
    EXPECT_NEAR(u.values[i], static_cast<double>(midpoint), 4e-16) << i;
    const long double a = -std::log1p(-static_cast<long double>(i) / m);
    const long double b = -std::log1p(-static_cast<long double>(i + 1) / m);
    const long double w = b - a;
    const long double mean = a + 1 - w / std::expm1(w);
    EXPECT_NEAR(e.values[i], static_cast<double>(mean), 4e-16 * (1 + static_cast<double>(mean)))
        << i;
  }
}

// A Distribution implemented outside the library: the grid falls back to mean - partial means.
class Wrapped final : public dia::Distribution {
 public:
  explicit Wrapped(dia::DistributionPtr inner) : inner_(std::move(inner)) {}
  std::string spec() const override { return inner_->spec(); }
  bool is_discrete() const override { return false; }
  double lower() const override { return inner_->lower(); }
  double upper() const override { return inner_->upper(); }
  double mean() const override { return inner_->mean(); }
  double cdf(double v) const override { return inner_->cdf(v); }
  double survival(double v) const override { return inner_->survival(v); }
  double quantile(double q) const override { return inner_->quantile(q); }
  double survival_quantile(double s) const override { return inner_->survival_quantile(s); }
  double partial_mean_above(double c) const override { return inner_->partial_mean_above(c); }
  double pdf(double v) const override { return inner_->pdf(v); }
  const DiscreteTypes& atoms() const override { return inner_->atoms(); }

 private:
  dia::DistributionPtr inner_;
};

TEST(DistributionsQuantileGrid, WorksForAnyDistributionImplementation) {
  const auto d = parse_ok("beta(2,5)");
  ASSERT_NE(d, nullptr);
  const Wrapped wrapped(d);
  const DiscreteTypes expected = dia::quantile_grid(*d, 500);
  const DiscreteTypes actual = dia::quantile_grid(wrapped, 500);
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t k = 0; k < actual.size(); ++k) {
    EXPECT_NEAR(actual.values[k], expected.values[k], 1e-11) << k;
  }
}

// make_discrete_types --------------------------------------------------------------------------

TEST(DistributionsDiscreteTypes, SortsMergesAndDropsZeroAtoms) {
  const auto types = dia::make_discrete_types({3, 1, 2, 1, 5}, {0.2, 0.1, 0.3, 0.4, 0.0});
  ASSERT_TRUE(types.has_value()) << types.error().line();
  EXPECT_EQ(types->values, (std::vector<double>{1, 2, 3}));
  ASSERT_EQ(types->probabilities.size(), 3u);
  EXPECT_DOUBLE_EQ(types->probabilities[0], 0.5);
  EXPECT_DOUBLE_EQ(types->probabilities[1], 0.3);
  EXPECT_DOUBLE_EQ(types->probabilities[2], 0.2);
}

TEST(DistributionsDiscreteTypes, RenormalisesWithinTheTolerance) {
  const auto types = dia::make_discrete_types({1, 2}, {0.5, 0.5 + 5e-10});
  ASSERT_TRUE(types.has_value());
  EXPECT_NEAR(types->probabilities[0] + types->probabilities[1], 1.0, 4e-16);
  EXPECT_NEAR(types->probabilities[0], 0.5 / (1 + 5e-10), 1e-16);
  const auto loose = dia::make_discrete_types({1, 2}, {0.5, 0.49}, 0.02);
  ASSERT_TRUE(loose.has_value());
  EXPECT_NEAR(loose->probabilities[1], 0.49 / 0.99, 1e-16);
}

TEST(DistributionsDiscreteTypes, ExactProbabilitiesAreKept) {
  const auto types = dia::make_discrete_types({0, 1, 2}, {0.1, 0.2, 0.7});
  ASSERT_TRUE(types.has_value());
  EXPECT_EQ(types->probabilities, (std::vector<double>{0.1, 0.2, 0.7}));
}

TEST(DistributionsDiscreteTypes, RejectsInvalidInput) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  struct Case {
    std::vector<double> values;
    std::vector<double> probabilities;
    ErrorCode code;
  };
  for (const Case& c :
       {Case{{}, {}, ErrorCode::kInvalidSpec}, Case{{-1, 1}, {0.5, 0.5}, ErrorCode::kInvalidSpec},
        Case{{nan}, {1}, ErrorCode::kInvalidSpec}, Case{{inf}, {1}, ErrorCode::kInvalidSpec},
        Case{{1, 2}, {-0.5, 1.5}, ErrorCode::kInvalidSpec},
        Case{{1}, {nan}, ErrorCode::kInvalidSpec},
        Case{{1, 2}, {0.5, 0.4}, ErrorCode::kInvalidSpec},
        Case{{1, 2}, {0, 0}, ErrorCode::kInvalidSpec},
        Case{{1, 2}, {1}, ErrorCode::kInvalidArgument}}) {
    const auto types = dia::make_discrete_types(c.values, c.probabilities);
    ASSERT_FALSE(types.has_value());
    EXPECT_EQ(types.error().code, c.code) << types.error().message;
    EXPECT_FALSE(types.error().hint.empty()) << types.error().message;
    EXPECT_EQ(types.error().message.find('\n'), std::string::npos);
  }
}

}  // namespace
