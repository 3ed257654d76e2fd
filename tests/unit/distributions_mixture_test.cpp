// Mixtures: weighted sums, quantiles by root finding, nesting, and discrete merging.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "dia/distribution.hpp"

namespace {

dia::DistributionPtr parse_ok(const std::string& spec) {
  auto d = dia::parse_distribution(spec);
  EXPECT_TRUE(d.has_value()) << spec << ": " << (d ? std::string() : d.error().line());
  return d ? *d : nullptr;
}

TEST(DistributionsMixture, TwoUniformsWithAGap) {
  const auto d = parse_ok("mixture(0.5:uniform(0,1), 0.5:uniform(2,3))");
  ASSERT_NE(d, nullptr);
  EXPECT_FALSE(d->is_discrete());
  EXPECT_EQ(d->lower(), 0);
  EXPECT_EQ(d->upper(), 3);
  EXPECT_DOUBLE_EQ(d->mean(), 1.5);
  EXPECT_DOUBLE_EQ(d->cdf(0.5), 0.25);
  EXPECT_DOUBLE_EQ(d->cdf(1.5), 0.5);
  EXPECT_DOUBLE_EQ(d->cdf(2.5), 0.75);
  EXPECT_DOUBLE_EQ(d->survival(2.5), 0.25);
  EXPECT_DOUBLE_EQ(d->pdf(0.5), 0.5);
  EXPECT_EQ(d->pdf(1.5), 0.0);
  // E[V; V >= 1.5] = 0.5 * 2.5; E[V; V >= 0.5] = 0.5 * 0.375 + 0.5 * 2.5.
  EXPECT_DOUBLE_EQ(d->partial_mean_above(1.5), 1.25);
  EXPECT_DOUBLE_EQ(d->partial_mean_above(0.5), 0.5 * 0.375 + 1.25);
  EXPECT_DOUBLE_EQ(d->quantile(0.25), 0.5);
  EXPECT_DOUBLE_EQ(d->quantile(0.75), 2.5);
  // On the plateau cdf = 1/2 over [1, 2] the quantile is the smallest such v.
  EXPECT_EQ(d->quantile(0.5), 1.0);
  EXPECT_NEAR(d->survival_quantile(0.5), 1.0, 1e-15);
  EXPECT_DOUBLE_EQ(d->survival_quantile(0.1), 2.8);
}

TEST(DistributionsMixture, ExponentialAndParetoByHand) {
  const auto d = parse_ok("mixture(0.3:exponential(1), 0.7:pareto(1,3))");
  ASSERT_NE(d, nullptr);
  const auto survival = [](double v) {
    return 0.3 * std::exp(-v) + 0.7 * (v < 1 ? 1.0 : std::pow(v, -3.0));
  };
  EXPECT_DOUBLE_EQ(d->mean(), 0.3 * 1 + 0.7 * 1.5);
  // E[V; V >= 2] = 0.3 e^{-2} (2 + 1) + 0.7 * 1.5 * 2^{-2}.
  EXPECT_NEAR(d->partial_mean_above(2), 0.3 * std::exp(-2.0) * 3 + 0.7 * 1.5 / 4, 1e-15);
  for (double q : {1e-9, 0.01, 0.2, 0.3, 0.5, 0.9, 0.999}) {
    const double v = d->quantile(q);
    EXPECT_NEAR(1 - survival(v), q, 1e-14) << q;
  }
  for (double s : {0.5, 1e-3, 1e-10, 1e-100, 1e-300}) {
    const double v = d->survival_quantile(s);
    EXPECT_NEAR(survival(v) / s, 1.0, 1e-13) << s;
  }
  // Far out only the pareto component matters: v = (0.7 / s)^(1/3).
  EXPECT_NEAR(d->survival_quantile(1e-100) / std::cbrt(0.7e100), 1.0, 1e-14);
}

TEST(DistributionsMixture, QuantileIsTheSmallestDoubleReachingQ) {
  // Below the median the root finder inverts the cdf, above it the survival function (which
  // keeps the upper tail accurate); either way the answer is the first double that gets there.
  const auto d = parse_ok("mixture(0.2:exponential(3), 0.5:lognormal(0,1), 0.3:beta(2,2))");
  ASSERT_NE(d, nullptr);
  const auto expect_first = [&](double v, double q) {
    const double before = std::nextafter(v, 0.0);
    if (q <= 0.5) {
      EXPECT_GE(d->cdf(v), q) << q;
      EXPECT_LT(d->cdf(before), q) << q;
    } else {
      EXPECT_LE(d->survival(v), 1 - q) << q;
      EXPECT_GT(d->survival(before), 1 - q) << q;
    }
  };
  for (double q : {1e-12, 1e-6, 0.1, 0.25, 0.5, 0.75, 0.9, 1 - 1e-9}) {
    expect_first(d->quantile(q), q);
  }
  for (double s : {1e-200, 1e-12, 0.1, 0.5, 0.75, 0.9}) {
    const double v = d->survival_quantile(s);
    const double before = std::nextafter(v, 0.0);
    if (s <= 0.5) {
      EXPECT_LE(d->survival(v), s) << s;
      EXPECT_GT(d->survival(before), s) << s;
    } else {
      EXPECT_GE(d->cdf(v), 1 - s) << s;
      EXPECT_LT(d->cdf(before), 1 - s) << s;
    }
  }
}

TEST(DistributionsMixture, NestedEqualsFlattened) {
  const auto nested =
      parse_ok("mixture(0.5:mixture(0.5:uniform(0,2), 0.5:exponential(1)), 0.5:beta(2,3))");
  const auto flat = parse_ok("mixture(0.25:uniform(0,2), 0.25:exponential(1), 0.5:beta(2,3))");
  ASSERT_NE(nested, nullptr);
  ASSERT_NE(flat, nullptr);
  for (double v : {0.1, 0.5, 0.9, 1.5, 3.0, 10.0}) {
    EXPECT_NEAR(nested->cdf(v), flat->cdf(v), 1e-15) << v;
    EXPECT_NEAR(nested->partial_mean_above(v), flat->partial_mean_above(v), 1e-15) << v;
  }
  EXPECT_NEAR(nested->quantile(0.6), flat->quantile(0.6), 1e-15);
  EXPECT_NEAR(nested->mean(), 0.25 * 1 + 0.25 * 1 + 0.5 * 0.4, 1e-15);
}

TEST(DistributionsMixture, OfDiscreteComponentsIsDiscrete) {
  const auto d = parse_ok("mixture(0.4:discrete(1:0.5, 2:0.5), 0.6:discrete(2:0.5, 4:0.5))");
  ASSERT_NE(d, nullptr);
  ASSERT_TRUE(d->is_discrete());
  const dia::DiscreteTypes& atoms = d->atoms();
  ASSERT_EQ(atoms.size(), 3u);
  EXPECT_EQ(atoms.values, (std::vector<double>{1, 2, 4}));
  EXPECT_DOUBLE_EQ(atoms.probabilities[0], 0.2);
  EXPECT_DOUBLE_EQ(atoms.probabilities[1], 0.5);
  EXPECT_DOUBLE_EQ(atoms.probabilities[2], 0.3);
  EXPECT_EQ(d->spec(), "mixture(0.4:discrete(1:0.5, 2:0.5), 0.6:discrete(2:0.5, 4:0.5))");
}

TEST(DistributionsMixture, WeightsWithinToleranceAreRenormalised) {
  const auto d = parse_ok("mixture(0.5:uniform(0,1), 0.5000000001:uniform(1,2))");
  ASSERT_NE(d, nullptr);
  EXPECT_NEAR(d->cdf(1), 0.5 / 1.0000000001, 1e-15);
  EXPECT_EQ(d->cdf(2), 1.0);
}

}  // namespace
