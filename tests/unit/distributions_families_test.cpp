// Every parametric family against independent references: densities written out here, their
// integrals by Boost quadrature, and tail values worked out by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/quadrature/exp_sinh.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "dia/distribution.hpp"

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kPi = std::numbers::pi;

dia::DistributionPtr parse_ok(const std::string& spec) {
  auto d = dia::parse_distribution(spec);
  EXPECT_TRUE(d.has_value()) << spec << ": " << (d ? std::string() : d.error().line());
  return d ? *d : nullptr;
}

// The integral of f over [a, b] (b may be +inf), to about 1e-15 relative (error estimates below
// 1e-13), split at `cuts` (any points; splitting only helps the adaptive rules follow a peaked
// integrand): adaptive Gauss-Kronrod on finite pieces, exp-sinh on an infinite one, tanh-sinh
// everywhere when the integrand is unbounded at an end (power singularities are steep on the nearby
// pieces too).
double integrate(const std::function<double(double)>& f, double a, double b,
                 std::vector<double> cuts = {}, bool singular = false) {
  if (!(a < b)) return 0.0;
  std::vector<double> points{a};
  std::sort(cuts.begin(), cuts.end());
  for (double x : cuts) {
    if (x > points.back() && x < b) points.push_back(x);
  }
  points.push_back(b);
  double total = 0.0;
  for (std::size_t i = 0; i + 1 < points.size(); ++i) {
    const double lo = points[i];
    const double hi = points[i + 1];
    if (std::isinf(hi)) {
      boost::math::quadrature::exp_sinh<double> integrator;
      total += integrator.integrate(f, lo, hi, 1e-13);
    } else if (singular) {
      boost::math::quadrature::tanh_sinh<double> integrator;
      total += integrator.integrate(f, lo, hi, 1e-13);
    } else {
      total += boost::math::quadrature::gauss_kronrod<double, 61>::integrate(f, lo, hi, 10, 1e-13);
    }
  }
  return total;
}

// Standard normal pieces written independently of the library (glibc's long double erfc).
double normal_upper(double x) {
  return static_cast<double>(0.5L * std::erfc(static_cast<long double>(x) / std::sqrt(2.0L)));
}
double normal_density(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2 * kPi); }

void expect_relative(double actual, double expected, double tolerance, const std::string& what,
                     double absolute = 0.0) {
  const double scale = std::max(std::abs(expected), std::numeric_limits<double>::min());
  EXPECT_LE(std::abs(actual - expected), tolerance * scale + absolute)
      << what << ": actual " << actual << " expected " << expected;
}

// How much a function of slope `slope` moves over the two doubles next to v: the resolution with
// which a quantile can hit a probability.
double resolution(double slope, double v) {
  return 2 * std::abs(slope) * (std::nextafter(v, kInf) - v);
}

struct FamilyCase {
  std::string spec;
  double lower;
  double upper;
  std::function<double(double)> density;
  // For a finite upper bound: u -> density(upper - u), computed without rounding upper - u, so
  // that upper tails near a singular bound integrate accurately. Empty: use `density`.
  std::function<double(double)> reflected = {};
  double tolerance = 1e-12;  // relative
  bool singular = false;     // density unbounded at an end of the support
};

std::vector<FamilyCase> family_cases() {
  const auto lognormal = [](double mu, double sigma) {
    return [=](double v) {
      if (v <= 0) return 0.0;
      const double z = (std::log(v) - mu) / sigma;
      return std::exp(-0.5 * z * z) / (v * sigma * std::sqrt(2 * kPi));
    };
  };
  const auto beta = [](double a, double b) {
    return [=](double v) { return std::pow(v, a - 1) * std::pow(1 - v, b - 1) / std::beta(a, b); };
  };
  const auto pareto = [](double scale, double shape) {
    return [=](double v) {
      return v < scale ? 0.0 : shape * std::pow(scale, shape) / std::pow(v, shape + 1);
    };
  };
  const auto truncnormal = [](double mu, double sigma, double lo, double hi) {
    const double z = normal_upper((lo - mu) / sigma) - normal_upper((hi - mu) / sigma);
    return [=](double v) { return normal_density((v - mu) / sigma) / (sigma * z); };
  };
  return {
      {"uniform(0,1)", 0, 1, [](double) { return 1.0; }},
      {"uniform(low=1, high=2)", 1, 2, [](double) { return 1.0; }},
      {"uniform(0.25, 7.5)", 0.25, 7.5, [](double) { return 1.0 / 7.25; }},
      {"exponential(1)", 0, kInf, [](double v) { return std::exp(-v); }},
      {"exponential(rate=0.5)", 0, kInf, [](double v) { return 0.5 * std::exp(-0.5 * v); }},
      {"exponential(mean=4)", 0, kInf, [](double v) { return 0.25 * std::exp(-0.25 * v); }},
      {"lognormal(0,1)", 0, kInf, lognormal(0, 1)},
      {"lognormal(mu=1.5, sigma=0.3)", 0, kInf, lognormal(1.5, 0.3)},
      {"lognormal(-2, 2)", 0, kInf, lognormal(-2, 2)},
      {"beta(2,3)", 0, 1, beta(2, 3), beta(3, 2)},
      {"beta(alpha=0.5, beta=0.7)", 0, 1, beta(0.5, 0.7), beta(0.7, 0.5), 1e-11, true},
      {"beta(30, 4)", 0, 1, beta(30, 4), beta(4, 30)},
      {"pareto(1,3)", 1, kInf, pareto(1, 3)},
      {"pareto(xm=2, alpha=1.5)", 2, kInf, pareto(2, 1.5)},
      {"truncnormal(0,1,0,inf)", 0, kInf, truncnormal(0, 1, 0, kInf)},
      {"truncnormal(1,2,0.5,3)", 0.5, 3, truncnormal(1, 2, 0.5, 3)},
      {"truncnormal(mu=-10, sigma=1, lo=0, hi=inf)", 0, kInf, truncnormal(-10, 1, 0, kInf)},
      {"truncnormal(5, 0.5, 0, 4)", 0, 4, truncnormal(5, 0.5, 0, 4)},
      {"truncnormal(2, 1, 1, 1.5)", 1, 1.5, truncnormal(2, 1, 1, 1.5)},
  };
}

// Reference integrals of the density, and of v times the density, over [lower, v] and
// [v, upper]. With a reflected density the part above the middle of a bounded support is
// integrated in u = upper - v, where a singular upper end stays resolved.
struct Reference {
  const FamilyCase& c;
  std::vector<double> cuts;

  double middle() const { return 0.5 * (c.lower + c.upper); }
  bool reflect() const { return static_cast<bool>(c.reflected); }

  // The integral of weight(v) density(v) over [from, to].
  template <class W>
  double integral(const W& weight, double from, double to) const {
    if (!(from < to)) return 0.0;
    const auto direct = [&](double x) { return weight(x) * c.density(x); };
    if (!reflect() || to <= middle()) return integrate(direct, from, to, cuts, c.singular);
    const auto reflected = [&](double u) { return weight(c.upper - u) * c.reflected(u); };
    const double split = std::max(from, middle());
    return integrate(direct, from, split, cuts, c.singular) +
           integrate(reflected, c.upper - to, c.upper - split, {}, c.singular);
  }

  double below(double v) const {
    return integral([](double) { return 1.0; }, c.lower, v);
  }
  double above(double v) const {
    return integral([](double) { return 1.0; }, v, c.upper);
  }
  double mean_above(double v) const {
    return integral([](double x) { return x; }, v, c.upper);
  }
};

// Split points for the quadrature: the distribution's own quantiles (only to guide the rules).
std::vector<double> cuts_of(const dia::Distribution& d) {
  std::vector<double> cuts;
  for (double q : {1e-9, 1e-6, 1e-3, 0.1, 0.5, 0.9, 1 - 1e-3}) cuts.push_back(d.quantile(q));
  for (double s : {1e-6, 1e-9, 1e-12}) cuts.push_back(d.survival_quantile(s));
  return cuts;
}

class Family : public ::testing::TestWithParam<FamilyCase> {};

TEST_P(Family, SupportMeanAndDensityMatchTheReference) {
  const FamilyCase& c = GetParam();
  const auto d = parse_ok(c.spec);
  ASSERT_NE(d, nullptr);
  const Reference reference{c, cuts_of(*d)};
  EXPECT_FALSE(d->is_discrete());
  EXPECT_EQ(d->lower(), c.lower);
  EXPECT_EQ(d->upper(), c.upper);
  expect_relative(d->mean(), reference.mean_above(c.lower), c.tolerance, c.spec + " mean");
  for (double q : {0.01, 0.2, 0.5, 0.8, 0.99}) {
    const double v = d->quantile(q);
    expect_relative(d->pdf(v), c.density(v), 1e-12, c.spec + " pdf");
  }
  EXPECT_EQ(d->pdf(c.lower - 1), 0.0);
  EXPECT_EQ(d->cdf(c.lower - 1), 0.0);
  EXPECT_EQ(d->survival(c.lower - 1), 1.0);
  EXPECT_EQ(d->partial_mean_above(c.lower - 1), d->mean());
  EXPECT_EQ(d->partial_mean_above(c.upper), 0.0);
  EXPECT_EQ(d->quantile(0), c.lower);
  EXPECT_EQ(d->quantile(1), c.upper);
  EXPECT_EQ(d->survival_quantile(1), c.lower);
  EXPECT_EQ(d->survival_quantile(0), c.upper);
}

TEST_P(Family, CdfSurvivalAndPartialMeanMatchQuadrature) {
  const FamilyCase& c = GetParam();
  const auto d = parse_ok(c.spec);
  ASSERT_NE(d, nullptr);
  const Reference reference{c, cuts_of(*d)};
  for (double q : {1e-6, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1 - 1e-6}) {
    const double v = d->quantile(q);
    ASSERT_TRUE(std::isfinite(v)) << c.spec << " q=" << q;
    const double below = reference.below(v);
    const double above = reference.above(v);
    const std::string at = c.spec + " at q=" + std::to_string(q);
    // The quantile inverts the reference cdf, up to the spacing of the doubles near v.
    expect_relative(below, q, c.tolerance, at + " quantile", resolution(c.density(v), v));
    expect_relative(d->cdf(v), below, c.tolerance, at + " cdf");
    expect_relative(d->survival(v), above, c.tolerance, at + " survival");
    expect_relative(d->partial_mean_above(v), reference.mean_above(v), c.tolerance,
                    at + " partial_mean_above");
  }
}

TEST_P(Family, SurvivalQuantileInvertsTheReferenceSurvivalInTheTail) {
  const FamilyCase& c = GetParam();
  const auto d = parse_ok(c.spec);
  ASSERT_NE(d, nullptr);
  const Reference reference{c, cuts_of(*d)};
  for (double s : {0.5, 1e-3, 1e-8, 1e-12}) {
    const double v = d->survival_quantile(s);
    ASSERT_TRUE(std::isfinite(v)) << c.spec << " s=" << s;
    const double slack = resolution(c.density(v), v);
    expect_relative(reference.above(v), s, c.tolerance, c.spec + " survival_quantile", slack);
    expect_relative(d->survival(v), s, c.tolerance, c.spec + " survival(survival_quantile)", slack);
  }
}

INSTANTIATE_TEST_SUITE_P(Distributions, Family, ::testing::ValuesIn(family_cases()),
                         [](const ::testing::TestParamInfo<FamilyCase>& param) {
                           return "case" + std::to_string(param.index);
                         });

// Closed forms by hand -------------------------------------------------------------------------

TEST(DistributionsUniform, ClosedForms) {
  const auto d = parse_ok("uniform(2, 6)");
  ASSERT_NE(d, nullptr);
  EXPECT_DOUBLE_EQ(d->cdf(3), 0.25);
  EXPECT_DOUBLE_EQ(d->survival(5), 0.25);
  EXPECT_DOUBLE_EQ(d->quantile(0.75), 5);
  EXPECT_DOUBLE_EQ(d->survival_quantile(0.75), 3);
  EXPECT_DOUBLE_EQ(d->mean(), 4);
  // E[V; V >= 5] = integral_5^6 v / 4 dv = (36 - 25) / 8.
  EXPECT_DOUBLE_EQ(d->partial_mean_above(5), 11.0 / 8);
  EXPECT_DOUBLE_EQ(d->pdf(4), 0.25);
}

TEST(DistributionsExponential, FarTailIsAccurate) {
  const auto d = parse_ok("exponential(rate=2)");
  ASSERT_NE(d, nullptr);
  expect_relative(d->survival(300), std::exp(-600), 1e-13, "survival");
  // E[V; V >= c] = e^{-2c} (c + 1/2).
  expect_relative(d->partial_mean_above(300), std::exp(-600) * 300.5, 1e-13, "partial mean");
  expect_relative(d->survival_quantile(1e-250), 250 * std::log(10.0) / 2, 1e-14, "sq");
  expect_relative(d->quantile(0.75), std::log(4.0) / 2, 1e-15, "quantile");
  expect_relative(d->cdf(1e-10), 2e-10, 1e-9, "cdf near 0");
  // The quantile at 1 is the upper bound, +inf.
  EXPECT_EQ(d->quantile(1), kInf);
}

TEST(DistributionsLognormal, FarTailIsAccurate) {
  const auto d = parse_ok("lognormal(mu=0, sigma=1)");
  ASSERT_NE(d, nullptr);
  const double v = std::exp(30.0);
  expect_relative(d->survival(v), normal_upper(30), 1e-12, "survival");
  // E[V; V >= c] = e^{mu + sigma^2/2} Q((ln c - mu - sigma^2) / sigma).
  expect_relative(d->partial_mean_above(v), std::exp(0.5) * normal_upper(29), 1e-12, "pma");
  expect_relative(d->quantile(0.5), 1.0, 1e-15, "median");
  expect_relative(d->mean(), std::exp(0.5), 1e-15, "mean");
}

TEST(DistributionsBeta, TailNearOneByHand) {
  // beta(2,3) has density 12 v (1 - v)^2. With u = 1 - v and e = 1e-5:
  // P(V > 1 - e) = 4 e^3 - 3 e^4 and E[V; V >= 1 - e] = 4 e^3 - 6 e^4 + 2.4 e^5.
  const auto d = parse_ok("beta(2,3)");
  ASSERT_NE(d, nullptr);
  const double e = 1e-5;
  const double c = 1 - e;
  const double exact_e = 1 - c;  // the e the double c actually represents
  expect_relative(d->survival(c), 4 * std::pow(exact_e, 3) - 3 * std::pow(exact_e, 4), 1e-12,
                  "survival");
  expect_relative(d->partial_mean_above(c),
                  4 * std::pow(exact_e, 3) - 6 * std::pow(exact_e, 4) + 2.4 * std::pow(exact_e, 5),
                  1e-12, "pma");
  expect_relative(d->mean(), 0.4, 1e-15, "mean");
}

TEST(DistributionsPareto, HeavyTailByHand) {
  const auto d = parse_ok("pareto(scale=1, shape=3)");
  ASSERT_NE(d, nullptr);
  expect_relative(d->survival(1e50), 1e-150, 1e-13, "survival");
  // E[V; V >= c] = scale^shape shape/(shape-1) c^{1-shape} = 1.5 c^-2.
  expect_relative(d->partial_mean_above(1e50), 1.5e-100, 1e-13, "pma");
  expect_relative(d->survival_quantile(1e-150), 1e50, 1e-13, "sq");
  expect_relative(d->quantile(0.875), 2.0, 1e-15, "quantile");
  expect_relative(d->mean(), 1.5, 1e-15, "mean");
}

TEST(DistributionsTruncnormal, HalfNormalTailByHand) {
  // mu = 0, lo = 0: Z = 1/2, P(V > c) = 2 Q(c), E[V; V >= c] = 2 phi(c).
  const auto d = parse_ok("truncnormal(mu=0, sigma=1, lo=0, hi=inf)");
  ASSERT_NE(d, nullptr);
  for (double c : {0.5, 3.0, 10.0, 30.0}) {
    expect_relative(d->survival(c), 2 * normal_upper(c), 1e-13, "survival");
    expect_relative(d->partial_mean_above(c), 2 * normal_density(c), 1e-13, "pma");
  }
  expect_relative(d->mean(), 2 * normal_density(0), 1e-15, "mean");
}

TEST(DistributionsTruncnormal, ParentFarBelowTheBoundIsAccurate) {
  // mu = -10: V is roughly exponential with rate 10 on [0, inf); E[V; V >= c] computed with
  // mu P + sigma phi would lose most digits; compare with quadrature of the density.
  const auto d = parse_ok("truncnormal(-10, 1, 0, inf)");
  ASSERT_NE(d, nullptr);
  const double z = normal_upper(10);
  const auto density = [&](double v) { return normal_density(v + 10) / z; };
  for (double c : {0.0, 0.01, 0.5, 2.0, 10.0}) {
    expect_relative(d->partial_mean_above(c),
                    integrate([&](double v) { return v * density(v); }, c, kInf), 1e-12, "pma");
    expect_relative(d->survival(c), integrate(density, c, kInf), 1e-12, "survival");
  }
}

TEST(DistributionsTruncnormal, AcceptsAFiniteWindowFarFromMu) {
  const auto d = parse_ok("truncnormal(0, 1, 20, 21)");
  ASSERT_NE(d, nullptr);
  const double z = normal_upper(20) - normal_upper(21);
  const auto density = [&](double v) { return normal_density(v) / z; };
  expect_relative(d->mean(), integrate([&](double v) { return v * density(v); }, 20, 21), 1e-12,
                  "mean");
  expect_relative(d->cdf(20.01), integrate(density, 20, 20.01), 1e-11, "cdf");
  expect_relative(d->survival(20.5), integrate(density, 20.5, 21), 1e-11, "survival");
}

// Discrete -------------------------------------------------------------------------------------

TEST(DistributionsDiscrete, StepFunctions) {
  const auto d = parse_ok("discrete(1:0.5, 2:0.3, 3:0.2)");
  ASSERT_NE(d, nullptr);
  ASSERT_TRUE(d->is_discrete());
  EXPECT_EQ(d->lower(), 1);
  EXPECT_EQ(d->upper(), 3);
  EXPECT_DOUBLE_EQ(d->mean(), 1.7);
  EXPECT_EQ(d->cdf(0.5), 0);
  EXPECT_DOUBLE_EQ(d->cdf(1), 0.5);
  EXPECT_DOUBLE_EQ(d->cdf(1.5), 0.5);
  EXPECT_DOUBLE_EQ(d->cdf(2), 0.8);
  EXPECT_EQ(d->cdf(3), 1);
  EXPECT_EQ(d->survival(0), 1);
  EXPECT_DOUBLE_EQ(d->survival(2), 0.2);
  EXPECT_EQ(d->survival(3), 0);
  EXPECT_EQ(d->quantile(0), 1);
  EXPECT_EQ(d->quantile(0.5), 1);
  EXPECT_EQ(d->quantile(0.50001), 2);
  EXPECT_EQ(d->quantile(0.8), 2);
  EXPECT_EQ(d->quantile(0.81), 3);
  EXPECT_EQ(d->quantile(1), 3);
  EXPECT_EQ(d->survival_quantile(1), 1);
  EXPECT_EQ(d->survival_quantile(0.5), 1);
  EXPECT_EQ(d->survival_quantile(0.49), 2);
  EXPECT_EQ(d->survival_quantile(0.2), 2);
  EXPECT_EQ(d->survival_quantile(0.19), 3);
  EXPECT_EQ(d->survival_quantile(0), 3);
  EXPECT_DOUBLE_EQ(d->partial_mean_above(0), 1.7);
  EXPECT_DOUBLE_EQ(d->partial_mean_above(2), 1.2);
  EXPECT_DOUBLE_EQ(d->partial_mean_above(2.5), 0.6);
  EXPECT_EQ(d->partial_mean_above(3.5), 0);
  EXPECT_EQ(d->atoms().size(), 3u);
}

TEST(DistributionsDiscrete, TinyUpperTailKeepsItsRelativeAccuracy) {
  // Within the 1e-9 tolerance; renormalised to (1, 1e-12) / (1 + 1e-12).
  const auto d = parse_ok("discrete(1:1, 2:1e-12)");
  ASSERT_NE(d, nullptr);
  expect_relative(d->survival(1), 1e-12 / (1 + 1e-12), 1e-15, "survival");
  expect_relative(d->partial_mean_above(1.5), 2e-12 / (1 + 1e-12), 1e-15, "pma");
  EXPECT_EQ(d->survival_quantile(1e-13), 2);
  EXPECT_EQ(d->survival_quantile(1e-11), 1);
}

TEST(DistributionsDeathTest, PdfOfDiscreteAndAtomsOfContinuousAreBugs) {
  const auto discrete = parse_ok("discrete(1:1)");
  const auto continuous = parse_ok("uniform(0,1)");
  ASSERT_NE(discrete, nullptr);
  ASSERT_NE(continuous, nullptr);
  EXPECT_DEATH(discrete->pdf(1), "internal error");
  EXPECT_DEATH(continuous->atoms(), "internal error");
}

}  // namespace
