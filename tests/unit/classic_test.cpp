// Classic mechanisms (docs/model.md#classic): closed forms derived by hand, brute force over bid
// profiles, an independent virtual-value quadrature for the regular families, dense-grid ironing
// for irregular mixtures, and properties over random discrete distributions.
#include "dia/classic.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "dia/distribution.hpp"
#include "mechanisms/classic_detail.hpp"
#include "support/random_types.hpp"

namespace {

using dia::ClassicRevenues;
using dia::DiscreteTypes;
using dia::Distribution;

constexpr double kInf = std::numeric_limits<double>::infinity();

dia::DistributionPtr parse(const std::string& spec) {
  auto d = dia::parse_distribution(spec);
  if (!d) {
    ADD_FAILURE() << spec << ": " << d.error().line();
    return nullptr;
  }
  return *d;
}

double relative(double value, double expected) {
  return std::abs(value - expected) / std::max(std::abs(expected), 1e-300);
}

// A discrete distribution that only has atoms: all the discrete route may use.
class AtomsOnly final : public Distribution {
 public:
  explicit AtomsOnly(DiscreteTypes types) : types_(std::move(types)) {}
  std::string spec() const override { return "atoms"; }
  bool is_discrete() const override { return true; }
  double lower() const override { return types_.values.front(); }
  double upper() const override { return types_.values.back(); }
  double mean() const override { return dia::testing::mean_value(types_); }
  double cdf(double) const override { return unused(); }
  double survival(double) const override { return unused(); }
  double quantile(double) const override { return unused(); }
  double survival_quantile(double) const override { return unused(); }
  double partial_mean_above(double) const override { return unused(); }
  double pdf(double) const override { return unused(); }
  const DiscreteTypes& atoms() const override { return types_; }

 private:
  static double unused() {
    ADD_FAILURE() << "the discrete route must use atoms() only";
    return 0;
  }
  DiscreteTypes types_;
};

ClassicRevenues classic(const DiscreteTypes& types, int n) {
  return dia::classic_revenues(AtomsOnly(types), n);
}

// E[max of n values] = sum_k v_k (F_k^n - F_{k-1}^n), directly.
// P(max = v_k) = F_k^n - F_{k-1}^n = p_k * sum_i F_k^i F_{k-1}^(n-1-i): the factored form keeps
// full relative precision for a small p_k under a large F_{k-1} (a plain difference cancels).
double expected_maximum(const DiscreteTypes& t, int n) {
  long double total = 0, below = 0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    const long double above = std::min(below + t.probabilities[k], 1.0L);
    long double factor = 0;
    for (int i = 0; i < n; ++i) factor += std::pow(above, i) * std::pow(below, n - 1 - i);
    total += t.values[k] * t.probabilities[k] * factor;
    below = above;
  }
  return static_cast<double>(total);
}

// ---------------------------------------------------------------- closed forms, continuous

// Uniform(0, 1): S(v) = 1 - v, phi(v) = 2v - 1, reserve 1/2 for every n.
//   Myerson = n int_{1/2}^1 (2v - 1) v^(n-1) dv = (n-1)/(n+1) + 2^-n/(n+1)
//   (n = 1: 1/4, n = 2: 5/12, n = 3: 17/32); second price E[second highest] = (n-1)/(n+1)
//   (n = 2: 1/3, n = 3: 1/2); regular, so the second price with reserve 1/2 equals Myerson.
TEST(ClassicContinuous, UniformClosedForms) {
  const auto d = parse("uniform(0,1)");
  ASSERT_TRUE(d);
  for (int n = 1; n <= 6; ++n) {
    const ClassicRevenues r = dia::classic_revenues(*d, n);
    const double myerson = (n - 1.0) / (n + 1.0) + std::pow(2.0, -n) / (n + 1.0);
    EXPECT_LE(relative(r.myerson, myerson), 1e-12) << n;
    EXPECT_LE(relative(r.second_price_reserve, myerson), 1e-12) << n;
    EXPECT_DOUBLE_EQ(r.myerson_reserve, 0.5) << n;
    EXPECT_DOUBLE_EQ(r.optimal_reserve, 0.5) << n;
    EXPECT_NEAR(r.second_price, (n - 1.0) / (n + 1.0), 1e-14) << n;
    EXPECT_EQ(r.posted_price.has_value(), n == 1);
  }
  const ClassicRevenues one = dia::classic_revenues(*d, 1);
  EXPECT_NEAR(*one.posted_price, 0.25, 1e-15);
  EXPECT_NEAR(*one.posted_price_value, 0.5, 1e-15);
  EXPECT_NEAR(dia::classic_revenues(*d, 2).myerson, 5.0 / 12, 1e-15);
  EXPECT_NEAR(dia::classic_revenues(*d, 3).myerson, 17.0 / 32, 1e-15);
}

// Exponential(rate 1): phi(v) = v - 1, reserve 1. One bidder: max p e^-p = e^-1 at p = 1.
// The second highest of n is E = sum_{k=2}^n 1/k (spacings of exponential order statistics);
// n = 2: E[min of two] = 1/2. Myerson = SP(1) = 1 - (1 - c)^n + int_0^c S2(s)/s ds, c = e^-1:
//   n = 2 (S2 = s^2): 1 - (1 - c)^2 + c^2/2 = 2/e - 1/(2 e^2);
//   n = 3 (S2 = 3s^2 - 2s^3): 1 - (1 - c)^3 + 3c^2/2 - 2c^3/3.
TEST(ClassicContinuous, ExponentialClosedForms) {
  const auto d = parse("exponential(1)");
  ASSERT_TRUE(d);
  const double c = std::exp(-1.0);
  const ClassicRevenues one = dia::classic_revenues(*d, 1);
  EXPECT_LE(relative(*one.posted_price, c), 1e-13);
  EXPECT_LE(relative(*one.posted_price_value, 1.0), 1e-13);
  EXPECT_LE(relative(one.myerson, c), 1e-13);
  EXPECT_EQ(one.second_price, 0.0);
  const ClassicRevenues two = dia::classic_revenues(*d, 2);
  EXPECT_LE(relative(two.second_price, 0.5), 1e-13);
  EXPECT_LE(relative(two.myerson, 2 / std::exp(1.0) - 0.5 * c * c), 1e-13);
  EXPECT_LE(relative(two.second_price_reserve, two.myerson), 1e-13);
  EXPECT_LE(relative(two.myerson_reserve, 1.0), 1e-12);
  const ClassicRevenues three = dia::classic_revenues(*d, 3);
  EXPECT_LE(relative(three.second_price, 5.0 / 6), 1e-13);
  EXPECT_LE(relative(three.myerson, 1 - std::pow(1 - c, 3) + 1.5 * c * c - 2 * c * c * c / 3),
            1e-13);
  for (int n : {4, 7}) {
    double harmonic = 0;
    for (int k = 2; k <= n; ++k) harmonic += 1.0 / k;
    EXPECT_LE(relative(dia::classic_revenues(*d, n).second_price, harmonic), 1e-13) << n;
  }
}

// Pareto(scale 1, shape a): S = v^-a, phi = v (1 - 1/a) > 0 on [1, inf): reserve 1 (the bottom),
// Myerson = SP = E[second highest] = 1 + int_1^inf S2(v^-a) dv. One bidder: p^(1-a) is largest
// at p = 1. n = 2: 1 + 1/(2a - 1); n = 3 (S2 = 3s^2 - 2s^3): 1 + 3/(2a - 1) - 2/(3a - 1).
// Shape 1.5 has an infinite variance: the heavy tail stresses the quadrature.
TEST(ClassicContinuous, ParetoClosedFormsIncludingAHeavyTail) {
  for (double a : {3.0, 1.5, 1.1}) {
    const auto d = parse("pareto(1," + std::to_string(a) + ")");
    ASSERT_TRUE(d);
    const ClassicRevenues one = dia::classic_revenues(*d, 1);
    EXPECT_LE(relative(*one.posted_price, 1.0), 1e-13) << a;
    EXPECT_EQ(*one.posted_price_value, 1.0) << a;
    EXPECT_EQ(one.myerson_reserve, 1.0) << a;
    const double two = 1 + 1 / (2 * a - 1);
    const double three = 1 + 3 / (2 * a - 1) - 2 / (3 * a - 1);
    for (auto [n, expected] : {std::pair{2, two}, std::pair{3, three}}) {
      const ClassicRevenues r = dia::classic_revenues(*d, n);
      EXPECT_LE(relative(r.second_price, expected), 1e-11) << a << " " << n;
      EXPECT_LE(relative(r.myerson, expected), 1e-11) << a << " " << n;
      EXPECT_LE(relative(r.second_price_reserve, expected), 1e-11) << a << " " << n;
      EXPECT_EQ(r.optimal_reserve, 1.0);
    }
  }
}

// Uniform(1, 2): phi = 2v - 2 >= 0, so every type is served (reserve = the bottom, 1), and
// Myerson = SP = 1 + (n-1)/(n+1); one bidder: p (2 - p) falls on [1, 2], price 1, revenue 1.
TEST(ClassicContinuous, UniformAwayFromZeroServesEveryType) {
  const auto d = parse("uniform(1,2)");
  ASSERT_TRUE(d);
  const ClassicRevenues one = dia::classic_revenues(*d, 1);
  EXPECT_EQ(*one.posted_price_value, 1.0);
  EXPECT_LE(relative(one.myerson, 1.0), 1e-15);
  for (int n = 2; n <= 4; ++n) {
    const ClassicRevenues r = dia::classic_revenues(*d, n);
    const double expected = 1 + (n - 1.0) / (n + 1.0);
    EXPECT_LE(relative(r.second_price, expected), 1e-14) << n;
    EXPECT_LE(relative(r.myerson, expected), 1e-14) << n;
    EXPECT_EQ(r.myerson_reserve, 1.0);
  }
}

// ------------------------------------------- regular families: an independent computation

// The reserve by bisection on v f(v) - S(v) (increasing through 0 for a regular F).
double reference_reserve(const Distribution& d) {
  auto h = [&](double v) { return v * d.pdf(v) - d.survival(v); };
  double lo = d.lower();
  if (h(lo) >= 0) return lo;  // NaN (0 * infinite density) counts as negative
  double hi = d.survival_quantile(0.5);
  for (double s = 0.25; !(h(hi) >= 0); s *= 0.5) {
    lo = hi;
    hi = d.survival_quantile(s);
  }
  for (int i = 0; i < 200 && hi - lo > 0; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    (h(mid) < 0 ? lo : hi) = mid;
  }
  return hi;
}

// Myerson for a regular F in its textbook form n int_{r*}^b phi(v) F^(n-1) f dv, in the survival
// quantile s = S(v): n int_0^{S(r*)} phi(Q(s)) (1 - s)^(n-1) ds with phi = v - s / f(v), by
// tanh-sinh (in the value variable, v f(v) - S(v) cancels badly where f is singular).
double reference_myerson(const Distribution& d, int n, double reserve) {
  auto integrand = [&](double s) {
    const double v = d.survival_quantile(s);
    const double f = d.pdf(v);  // 0 at the top of beta(2, 3), where s / f -> 0
    return (v - (f > 0 ? s / f : 0.0)) * n * std::pow(1 - s, n - 1);
  };
  boost::math::quadrature::tanh_sinh<double> rule;
  return rule.integrate(integrand, 0.0, d.survival(reserve), 1e-14);
}

// E[second highest] = int_0^1 Q(u) n (n-1) u^(n-2) (1-u) du in quantile space (the library
// integrates P(second highest > t) in value space).
double reference_second_price(const Distribution& d, int n) {
  auto integrand = [&](double u, double distance) {
    const double q = u <= 0.5 ? d.quantile(u) : d.survival_quantile(distance);
    const double upper = u <= 0.5 ? 1 - u : distance;
    return q * n * (n - 1.0) * std::pow(u, n - 2) * upper;
  };
  boost::math::quadrature::tanh_sinh<double> rule;
  return rule.integrate(integrand, 0.0, 1.0, 1e-14);
}

// phi nondecreasing above the reserve on a fine grid (the reference needs it).
bool regular_above(const Distribution& d, double reserve) {
  double last = -kInf;
  const double s_reserve = d.survival(reserve);
  for (int i = 1; i < 4000; ++i) {
    const double v = d.survival_quantile(s_reserve * (4000 - i) / 4000.0);  // increasing
    const double phi = v - d.survival(v) / d.pdf(v);
    if (phi < last - 1e-9 * std::abs(last)) return false;
    last = phi;
  }
  return true;
}

TEST(ClassicContinuous, RegularFamiliesMatchTheVirtualValueIntegral) {
  double worst = 0;
  for (const char* spec :
       {"lognormal(0,1)", "lognormal(0.5,0.75)", "lognormal(0,2)", "beta(2,3)", "beta(0.5,0.5)",
        "beta(3,0.7)", "truncnormal(1,1,0,3)", "truncnormal(2,1,0.5,inf)", "exponential(2)",
        "uniform(2,5)", "pareto(2,2.5)"}) {
    const auto d = parse(spec);
    ASSERT_TRUE(d);
    const double reserve = reference_reserve(*d);
    ASSERT_TRUE(regular_above(*d, reserve)) << spec;
    for (int n : {1, 2, 3, 5}) {
      const ClassicRevenues r = dia::classic_revenues(*d, n);
      const double myerson = reference_myerson(*d, n, reserve);
      worst = std::max(
          {worst, relative(r.myerson, myerson), relative(r.second_price_reserve, myerson)});
      EXPECT_LE(relative(r.myerson, myerson), 1e-9) << spec << " n=" << n;
      EXPECT_LE(relative(r.second_price_reserve, myerson), 1e-9) << spec << " n=" << n;
      EXPECT_LE(relative(r.myerson_reserve, reserve), 1e-9) << spec << " n=" << n;
      EXPECT_LE(relative(r.optimal_reserve, reserve), 1e-9) << spec << " n=" << n;
      if (n >= 2) {
        const double second = reference_second_price(*d, n);
        worst = std::max(worst, relative(r.second_price, second));
        EXPECT_LE(relative(r.second_price, second), 1e-9) << spec << " n=" << n;
      } else {
        EXPECT_LE(relative(*r.posted_price, r.myerson), 1e-13) << spec;
        EXPECT_EQ(*r.posted_price_value, r.optimal_reserve) << spec;
      }
    }
  }
  std::printf("[ classic  ] regular families: worst relative error %.1e\n", worst);
}

// ------------------------------------------------------------ irregular: ironing matters

// mixture(0.8: U(0,1), 0.2: U(1,2)). Revenue curve in quantile space: R(q) = 2q - 5q^2 for
// q <= 0.2 (values in [1, 2]), R(q) = 1.25 q (1 - q) above (values in [0, 1]); R' jumps up from 0
// to 0.75 at q = 0.2, so R is not concave. The hull's bitangent has slope sigma with tangent
// points q1 = (2 - sigma)/10 and q2 = 0.5 - 0.4 sigma and equal intercepts (2 - sigma)^2/20 =
// 1.25 q2^2, so sigma = 1/2, q1 = 0.15 (v = 1.25), q2 = 0.3 (v = 0.875): types in [0.875, 1.25]
// are ironed at phibar = 1/2. The global maximum of R is at q = 0.5 (reserve 0.625, R = 0.3125).
// Two bidders, int_0^0.5 Rbar' 2(1 - q) dq:
//   [0, .15]: 2 int (2 - 10q)(1 - q) = 0.3525;  [.15, .3]: 0.5 (G(.3) - G(.15)) = 0.11625;
//   [.3, .5]: 2.5 int (1 - 2q)(1 - q) = 0.063333...;  total 1277/2400.
// Second price with reserve 0.625 (the only local maximum of r S(r)): 0.625 G(0.5) +
// int_0.625^2 S^2 = 15/32 + 39/800 + 1/75 = 637/1200 < 1277/2400; no reserve: 32/75.
TEST(ClassicContinuous, IroningAboveTheReserveClosedForm) {
  const auto d = parse("mixture(0.8:uniform(0,1),0.2:uniform(1,2))");
  ASSERT_TRUE(d);
  const ClassicRevenues one = dia::classic_revenues(*d, 1);
  EXPECT_LE(relative(one.myerson, 0.3125), 1e-13);
  EXPECT_LE(relative(*one.posted_price, 0.3125), 1e-13);
  EXPECT_LE(relative(*one.posted_price_value, 0.625), 1e-12);
  dia::detail::ClassicDiagnostics diagnostics;
  const ClassicRevenues two = dia::detail::continuous_classic_revenues(*d, 2, {}, &diagnostics);
  EXPECT_EQ(diagnostics.ironed_intervals, 1u);
  EXPECT_LE(relative(two.myerson, 1277.0 / 2400), 1e-12);
  EXPECT_LE(relative(two.myerson_reserve, 0.625), 1e-12);
  EXPECT_LE(relative(two.second_price_reserve, 637.0 / 1200), 1e-12);
  EXPECT_LE(relative(two.optimal_reserve, 0.625), 1e-12);
  EXPECT_LE(relative(two.second_price, 32.0 / 75), 1e-12);
  EXPECT_GT(two.myerson - two.second_price_reserve, 1e-3);  // ironing is worth 0.00125
}

// mixture(0.5: U(0,1), 0.5: U(9,10)): a gap in the support. phi = 2v - 2 on [0, 1] and 2v - 10
// on [9, 10]; R jumps down at q = 1/2 (values 1 -> 9), ironed over the low types with a negative
// slope: the reserve is 9. One bidder 4.5; two: 9 G(1/2) + int_9^10 (5 - v/2)^2 = 41/6 and no
// reserve int_0^10 S^2 = 7/12 + 2 + 1/12 = 8/3; three (S2 = 3s^2 - 2s^3): 9 (7/8) + 3/16 = 129/16
// and no reserve 0.8125 + 4 + 0.1875 = 5.
TEST(ClassicContinuous, GapInTheSupportClosedForm) {
  const auto d = parse("mixture(0.5:uniform(0,1),0.5:uniform(9,10))");
  ASSERT_TRUE(d);
  const ClassicRevenues one = dia::classic_revenues(*d, 1);
  EXPECT_LE(relative(one.myerson, 4.5), 1e-14);
  EXPECT_LE(relative(*one.posted_price_value, 9.0), 1e-14);
  const ClassicRevenues two = dia::classic_revenues(*d, 2);
  EXPECT_LE(relative(two.myerson, 41.0 / 6), 1e-13);
  EXPECT_LE(relative(two.second_price_reserve, 41.0 / 6), 1e-13);
  EXPECT_LE(relative(two.second_price, 8.0 / 3), 1e-13);
  EXPECT_LE(relative(two.myerson_reserve, 9.0), 1e-14);
  const ClassicRevenues three = dia::classic_revenues(*d, 3);
  EXPECT_LE(relative(three.myerson, 129.0 / 16), 1e-13);
  EXPECT_LE(relative(three.second_price, 5.0), 1e-13);
}

// Brute force on a dense value grid (uniform between the breakpoints: the bounds of the mixture
// components, where R has kinks): the hull of the points (S(v), v S(v)) without any refinement,
// Myerson = sum over hull edges of slope^+ (G(q_hi) - G(q_lo)); SP(r) on the same grid with the
// trapezoid rule; the posted price by a scan. Errors O(h^2).
struct DenseGrid {
  double myerson = 0, second_price_reserve = 0, posted_price = 0;
};

DenseGrid dense_grid(const Distribution& d, int n, const std::vector<double>& breaks,
                     std::size_t points_per_piece) {
  std::vector<double> v, s;
  for (std::size_t b = 0; b + 1 < breaks.size(); ++b) {
    for (std::size_t i = 0; i < points_per_piece; ++i) {
      v.push_back(breaks[b] + (breaks[b + 1] - breaks[b]) * static_cast<double>(i) /
                                  static_cast<double>(points_per_piece));
    }
  }
  v.push_back(breaks.back());
  for (double x : v) s.push_back(d.survival(x));
  const std::size_t points = v.size() - 1;
  auto G = [&](double q) { return 1 - std::pow(1 - q, n); };
  auto S2 = [&](double q) { return 1 - std::pow(1 - q, n) - n * q * std::pow(1 - q, n - 1); };
  DenseGrid out;
  // Hull over q ascending: the origin, then v descending.
  std::vector<std::pair<double, double>> hull{{0.0, 0.0}};
  for (std::size_t k = points + 1; k-- > 0;) {
    const std::pair<double, double> p{s[k], s[k] * v[k]};
    if (p.first <= hull.back().first) continue;
    while (hull.size() >= 2) {
      const auto& a = hull[hull.size() - 2];
      const auto& b = hull.back();
      if ((b.first - a.first) * (p.second - a.second) -
              (b.second - a.second) * (p.first - a.first) <
          0)
        break;
      hull.pop_back();
    }
    hull.push_back(p);
  }
  for (std::size_t j = 0; j + 1 < hull.size(); ++j) {
    const double slope =
        (hull[j + 1].second - hull[j].second) / (hull[j + 1].first - hull[j].first);
    if (slope > 0) out.myerson += slope * (G(hull[j + 1].first) - G(hull[j].first));
  }
  double tail = 0;
  for (std::size_t i = points + 1; i-- > 0;) {
    if (i < points) tail += 0.5 * (v[i + 1] - v[i]) * (S2(s[i]) + S2(s[i + 1]));
    out.second_price_reserve = std::max(out.second_price_reserve, v[i] * G(s[i]) + tail);
    out.posted_price = std::max(out.posted_price, v[i] * s[i]);
  }
  return out;
}

TEST(ClassicContinuous, IrregularMixturesMatchADenseGrid) {
  struct Case {
    const char* spec;
    std::vector<double> breaks;  // the bounds of the components; the last is far in the tail
  };
  for (const Case& c :
       {Case{"mixture(0.8:uniform(0,1),0.2:uniform(1,2))", {0, 1, 2}},
        Case{"mixture(0.5:uniform(0,1),0.5:uniform(9,10))", {0, 1, 9, 10}},
        Case{"mixture(0.5:truncnormal(2,0.3,0,10),0.5:truncnormal(6,0.3,0,10))", {0, 10}},
        Case{"mixture(0.6:beta(2,5),0.4:uniform(0.6,0.9))", {0, 0.6, 0.9, 1}},
        Case{"mixture(0.7:lognormal(0,0.25),0.3:lognormal(2,0.25))", {0, 90}}}) {
    const auto d = parse(c.spec);
    ASSERT_TRUE(d);
    for (int n : {1, 2, 3}) {
      const ClassicRevenues r = dia::classic_revenues(*d, n);
      const DenseGrid grid = dense_grid(*d, n, c.breaks, 1 << 17);
      EXPECT_LE(relative(r.myerson, grid.myerson), 1e-8) << c.spec << " n=" << n;
      EXPECT_LE(relative(r.second_price_reserve, grid.second_price_reserve), 1e-8)
          << c.spec << " n=" << n;
      // The grid earns at most what the continuum does.
      EXPECT_GE(r.myerson * (1 + 1e-12), grid.myerson) << c.spec << " n=" << n;
      EXPECT_GE(r.myerson * (1 + 1e-12), r.second_price_reserve) << c.spec << " n=" << n;
      if (n == 1) {
        EXPECT_LE(relative(*r.posted_price, grid.posted_price), 1e-8) << c.spec;
        EXPECT_LE(relative(r.myerson, *r.posted_price), 1e-13) << c.spec;
      }
    }
  }
}

// Random mixtures of two or three uniforms or truncated normals: gaps, overlaps, jumps of the
// density, narrow bumps, ironing above and below the reserve; against the dense grid with the
// component bounds as breakpoints.
RC_GTEST_PROP(ClassicContinuous, RandomMixturesMatchADenseGrid, ()) {
  const int components = *rc::gen::inRange(2, 4);
  const int n = *rc::gen::inRange(1, 5);
  std::string spec = "mixture(";
  std::vector<double> breaks;
  double total = 0;
  std::vector<double> weights;
  for (int c = 0; c < components; ++c) weights.push_back(*rc::gen::inRange(1, 100));
  for (double w : weights) total += w;
  for (int c = 0; c < components; ++c) {
    const double lo = *rc::gen::inRange(0, 100) / 10.0;
    const double hi = lo + *rc::gen::inRange(1, 60) / 10.0;
    breaks.push_back(lo);
    breaks.push_back(hi);
    char part[200];
    if (*rc::gen::inRange(0, 2) == 0) {
      std::snprintf(part, sizeof part, "%s%.17g:uniform(%.17g,%.17g)", c ? "," : "",
                    weights[c] / total, lo, hi);
    } else {
      const double mu = lo + (hi - lo) * *rc::gen::inRange(0, 11) / 10.0;
      const double sigma = (hi - lo) * *rc::gen::inRange(2, 100) / 100.0;
      std::snprintf(part, sizeof part, "%s%.17g:truncnormal(%.17g,%.17g,%.17g,%.17g)", c ? "," : "",
                    weights[c] / total, mu, sigma, lo, hi);
    }
    spec += part;
  }
  spec += ")";
  std::sort(breaks.begin(), breaks.end());
  breaks.erase(std::unique(breaks.begin(), breaks.end()), breaks.end());
  const auto d = dia::parse_distribution(spec);
  RC_ASSERT(d.has_value());
  const ClassicRevenues r = dia::classic_revenues(**d, n);
  const DenseGrid grid = dense_grid(**d, n, breaks, 1 << 14);
  RC_LOG() << spec << " n=" << n << " myerson " << r.myerson << " grid " << grid.myerson << " spr "
           << r.second_price_reserve << " grid " << grid.second_price_reserve;
  RC_ASSERT(relative(r.myerson, grid.myerson) <= 1e-6);
  RC_ASSERT(relative(r.second_price_reserve, grid.second_price_reserve) <= 1e-6);
  // The grid's ironing pools whole cells: a feasible mechanism, so a lower bound (up to its
  // quadrature's rounding, ~1e-11 relative on a spike such as truncnormal(0,0.002,0,0.1)).
  RC_ASSERT(r.myerson * (1 + 1e-9) >= grid.myerson);
  RC_ASSERT(r.myerson * (1 + 1e-12) >= r.second_price_reserve);
  RC_ASSERT(r.second_price_reserve * (1 + 1e-12) >= r.second_price);
  if (n == 1) RC_ASSERT(relative(r.myerson, *r.posted_price) <= 1e-13);
}

// The refinement makes the answer independent of the grid: 64 knots x 2 steps and 1024 x 16.
TEST(ClassicContinuous, ConvergesAcrossGridSizes) {
  for (const char* spec :
       {"mixture(0.8:uniform(0,1),0.2:uniform(1,2))", "mixture(0.5:uniform(0,1),0.5:uniform(9,10))",
        "mixture(0.5:truncnormal(2,0.3,0,10),0.5:truncnormal(6,0.3,0,10))",
        "mixture(0.6:beta(2,5),0.4:uniform(0.6,0.9))",
        "mixture(0.7:lognormal(0,0.25),0.3:lognormal(2,0.25))", "lognormal(0,1)"}) {
    const auto d = parse(spec);
    ASSERT_TRUE(d);
    for (int n : {1, 2, 4}) {
      const ClassicRevenues coarse = dia::detail::continuous_classic_revenues(*d, n, {64, 2});
      const ClassicRevenues fine = dia::detail::continuous_classic_revenues(*d, n, {1024, 16});
      EXPECT_LE(relative(coarse.myerson, fine.myerson), 1e-11) << spec << " n=" << n;
      EXPECT_LE(relative(coarse.second_price_reserve, fine.second_price_reserve), 1e-11)
          << spec << " n=" << n;
      EXPECT_LE(relative(coarse.second_price, fine.second_price), 1e-11) << spec << " n=" << n;
      EXPECT_LE(relative(coarse.myerson_reserve, fine.myerson_reserve), 1e-7) << spec;
    }
  }
}

// ---------------------------------------------------------------------------- discrete

// v = (1, 2, 3), p = (.5, .3, .2); q = P(V >= v) = (1, .5, .2), revenue curve points
// (0, 0), (.2, .6), (.5, 1), (1, 1): already concave, phi = (0, 4/3, 3) (e.g. phi_2 =
// 2 - (3 - 2)(.2)/.3). One bidder: posted prices earn 1, 1, 0.6: the best is 1.0 (prices 1 and 2
// tie; the smaller is reported). Two bidders, F = (.5, .8, 1):
//   Myerson = 4/3 (.8^2 - .5^2) + 3 (1 - .8^2) = 0.52 + 1.08 = 1.6 (phi_1 = 0: reserve 1);
//   second price = E[min] = 1 + P(min >= 2) + P(min >= 3) = 1 + .25 + .04 = 1.29;
//   reserve 2: 2 P(max >= 2) + E[(min - 2)^+] = 2 (.75) + .04 = 1.54 (reserve 3: 3 (.36) = 1.08).
TEST(ClassicDiscrete, WorkedExample) {
  const DiscreteTypes t{{1, 2, 3}, {0.5, 0.3, 0.2}};
  const ClassicRevenues one = classic(t, 1);
  EXPECT_NEAR(*one.posted_price, 1.0, 1e-15);
  EXPECT_EQ(*one.posted_price_value, 1.0);
  EXPECT_NEAR(one.myerson, 1.0, 1e-15);
  EXPECT_EQ(one.second_price, 0.0);
  EXPECT_NEAR(one.second_price_reserve, 1.0, 1e-15);
  const ClassicRevenues two = classic(t, 2);
  EXPECT_NEAR(two.myerson, 1.6, 1e-15);
  EXPECT_EQ(two.myerson_reserve, 1.0);
  EXPECT_NEAR(two.second_price, 1.29, 1e-15);
  EXPECT_NEAR(two.second_price_reserve, 1.54, 1e-15);
  EXPECT_EQ(two.optimal_reserve, 2.0);
  EXPECT_FALSE(two.posted_price.has_value());
  // Through the SPEC parser as well.
  const auto d = parse("discrete(1:0.5, 2:0.3, 3:0.2)");
  ASSERT_TRUE(d);
  EXPECT_NEAR(dia::classic_revenues(*d, 2).myerson, 1.6, 1e-15);
}

// Ironing of a light middle atom: v = (1, 2, 3), p = (.5, .05, .45), q = (1, .5, .45),
// R = (1, 1, 1.35). Chord slopes in increasing q: 3, (1 - 1.35)/.05 = -7, 0: not concave. The
// hull (0, 0) -> (.45, 1.35) -> (1, 1) irons types 1 and 2 together at phibar = -.35/.55 < 0,
// so only type 3 is served: two bidders earn 3 (1 - .55^2) = 2.0925, reserve 3; one bidder 1.35.
TEST(ClassicDiscrete, IroningOfALightMiddleAtom) {
  const DiscreteTypes t{{1, 2, 3}, {0.5, 0.05, 0.45}};
  const ClassicRevenues two = classic(t, 2);
  EXPECT_NEAR(two.myerson, 3 * (1 - 0.55 * 0.55), 1e-15);
  EXPECT_EQ(two.myerson_reserve, 3.0);
  // One bidder: prices 1, 2, 3 earn 1, 1, 1.35.
  EXPECT_NEAR(classic(t, 1).myerson, 1.35, 1e-15);
}

// Pool-adjacent-violators on phi_k with weights p_k: the ironed virtual values, computed
// without the hull.
std::vector<double> ironed_by_pooling(const DiscreteTypes& t) {
  const std::size_t m = t.size();
  std::vector<double> phi(m);
  double above = 1;  // 1 - F_{k-1}
  for (std::size_t k = 0; k < m; ++k) {
    above -= t.probabilities[k];  // now 1 - F_k
    const double gap = k + 1 < m ? t.values[k + 1] - t.values[k] : 0.0;
    phi[k] = t.values[k] - gap * std::max(above, 0.0) / t.probabilities[k];
  }
  struct Block {
    double weight, sum;
    std::size_t count;
  };
  std::vector<Block> blocks;
  for (std::size_t k = 0; k < m; ++k) {
    blocks.push_back({t.probabilities[k], t.probabilities[k] * phi[k], 1});
    while (blocks.size() >= 2 && blocks[blocks.size() - 2].sum / blocks[blocks.size() - 2].weight >
                                     blocks.back().sum / blocks.back().weight) {
      Block b = blocks.back();
      blocks.pop_back();
      blocks.back().weight += b.weight;
      blocks.back().sum += b.sum;
      blocks.back().count += b.count;
    }
  }
  std::vector<double> ironed;
  for (const Block& b : blocks) ironed.insert(ironed.end(), b.count, b.sum / b.weight);
  return ironed;
}

// Enumeration of all m^n bid profiles.
TEST(ClassicDiscrete, MatchesBruteForceOverBidProfiles) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int instance = 0; instance < 200; ++instance) {
    const int m = 1 + static_cast<int>(rng() % 6);
    const int n = 1 + static_cast<int>(rng() % 4);
    DiscreteTypes t;
    double v = instance % 3 == 0 ? 0.0 : unit(rng), total = 0;
    for (int k = 0; k < m; ++k) {
      t.values.push_back(v);
      v += 0.05 + unit(rng);
      t.probabilities.push_back(std::exp(-4 * unit(rng)));
      total += t.probabilities.back();
    }
    for (double& p : t.probabilities) p /= total;
    const std::vector<double> phibar = ironed_by_pooling(t);

    long double myerson = 0, second = 0;
    std::vector<long double> with_reserve(m, 0);
    std::vector<int> profile(n, 0);
    for (;;) {
      long double probability = 1;
      double phi_max = -kInf;
      std::vector<double> bids;
      for (int i = 0; i < n; ++i) {
        probability *= t.probabilities[profile[i]];
        phi_max = std::max(phi_max, phibar[profile[i]]);
        bids.push_back(t.values[profile[i]]);
      }
      std::sort(bids.rbegin(), bids.rend());
      const double runner_up = n >= 2 ? bids[1] : 0.0;
      myerson += probability * std::max(phi_max, 0.0);
      second += probability * runner_up;
      for (int k = 0; k < m; ++k) {
        const double r = t.values[k];
        if (bids[0] >= r) with_reserve[k] += probability * std::max(runner_up, r);
      }
      int i = 0;
      while (i < n && ++profile[i] == m) profile[i++] = 0;
      if (i == n) break;
    }
    const ClassicRevenues r = classic(t, n);
    const double best =
        static_cast<double>(*std::max_element(with_reserve.begin(), with_reserve.end()));
    const double scale = t.values.back();
    EXPECT_NEAR(r.myerson, static_cast<double>(myerson), 1e-13 * scale) << instance;
    EXPECT_NEAR(r.second_price, n >= 2 ? static_cast<double>(second) : 0.0, 1e-13 * scale)
        << instance;
    EXPECT_NEAR(r.second_price_reserve, best, 1e-13 * scale) << instance;
    // The reported reserves are atoms achieving the optimum.
    const auto atom = std::find(t.values.begin(), t.values.end(), r.optimal_reserve);
    ASSERT_NE(atom, t.values.end());
    EXPECT_NEAR(static_cast<double>(with_reserve[atom - t.values.begin()]), best, 1e-13 * scale);
    const auto lowest_served =
        std::find_if(phibar.begin(), phibar.end(), [](double x) { return x >= -1e-12; });
    if (lowest_served != phibar.end()) {
      EXPECT_EQ(r.myerson_reserve, t.values[lowest_served - phibar.begin()]) << instance;
    }
  }
}

RC_GTEST_PROP(ClassicDiscrete, RevenuesAreOrderedAndBoundedByTheExpectedMaximum, ()) {
  const DiscreteTypes t = *dia::testing::random_types(60);
  const int n = *rc::gen::inRange(1, 9);
  const ClassicRevenues r = classic(t, n);
  const double top = expected_maximum(t, n);
  RC_ASSERT(r.myerson >= r.second_price_reserve * (1 - 1e-12));
  RC_ASSERT(r.second_price_reserve >= r.second_price * (1 - 1e-12) - 1e-12);
  RC_ASSERT(r.myerson <= top * (1 + 1e-12));
  RC_ASSERT(r.second_price_reserve <= top * (1 + 1e-12));
  RC_ASSERT(r.second_price <= top * (1 + 1e-12));
  RC_ASSERT(r.second_price >= 0.0);
  RC_ASSERT(std::find(t.values.begin(), t.values.end(), r.optimal_reserve) != t.values.end());
  RC_ASSERT(std::find(t.values.begin(), t.values.end(), r.myerson_reserve) != t.values.end());
  RC_ASSERT(r.posted_price.has_value() == (n == 1));
  if (n == 1) {
    RC_ASSERT(std::abs(r.myerson - *r.posted_price) <= 1e-12 * *r.posted_price);
    RC_ASSERT(*r.posted_price == r.second_price_reserve);
    RC_ASSERT(r.second_price == 0.0);
  }
}

// O(m): a million atoms well under a second.
TEST(ClassicDiscrete, AMillionAtomsIsFast) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> unit(0, 1);
  DiscreteTypes t;
  double v = 0, total = 0;
  for (int k = 0; k < 1000000; ++k) {
    t.values.push_back(v += 1e-3 + unit(rng));
    t.probabilities.push_back(std::exp(-10 * unit(rng)));
    total += t.probabilities.back();
  }
  for (double& p : t.probabilities) p /= total;
  for (int n : {1, 3}) {
    const ClassicRevenues r = classic(t, n);
    EXPECT_GE(r.myerson * (1 + 1e-12), r.second_price_reserve);
    EXPECT_LE(r.myerson, expected_maximum(t, n) * (1 + 1e-12));
  }
}

}  // namespace
