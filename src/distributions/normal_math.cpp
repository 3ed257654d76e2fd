#include "distributions/normal_math.hpp"

#include <algorithm>
#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <cmath>
#include <limits>
#include <numbers>

#include "distributions/boost_policy.hpp"

namespace dia::detail::normal {

namespace {

constexpr double kInvSqrt2Pi = 0.3989422804014326779399460599343818684758586311649;
constexpr double kTwoOverSqrtPi = 2.0 * std::numbers::inv_sqrtpi;
constexpr long double kInvSqrt2Long = 1.0L / std::numbers::sqrt2_v<long double>;

// Intervals narrower than this (in units that shrink as |x| grows) are integrated directly: the
// closed forms would subtract nearly equal tail quantities there.
bool is_narrow(double x, double w) {
  return w * std::max({1.0, std::abs(x), std::abs(x + w)}) <= 1.0;
}

// The integral of f(t) over t in [0, w] (w small): 20-point Gauss-Legendre, exact to rounding for
// the smooth integrands here (phi(x + t) varies by a factor of at most e^1.5 over the interval).
template <class F>
double integrate_offset(F f, double w) {
  return boost::math::quadrature::gauss<double, 20>::integrate(f, 0.0, w);
}

}  // namespace

double density(double x) { return kInvSqrt2Pi * std::exp(-0.5 * x * x); }

double upper_tail(double x) {
  if (x == std::numeric_limits<double>::infinity()) return 0.0;
  if (x == -std::numeric_limits<double>::infinity()) return 1.0;
  // Q(x) = erfc(x / sqrt 2) / 2. Rounding x / sqrt 2 would cost a relative error of x^2 eps in
  // the far tail (1e-13 at x = 30), so the rounding residual delta is put back to first order:
  // erfc(t + delta) = erfc(t) - delta 2/sqrt(pi) exp(-t^2).
  constexpr double kHigh = static_cast<double>(kInvSqrt2Long);
  constexpr double kLow = static_cast<double>(kInvSqrt2Long - kHigh);
  const double t = x * kHigh;
  const double delta = std::fma(x, kHigh, -t) + x * kLow;
  const double erfc = boost::math::erfc(t, BoostPolicy());
  return std::max(0.5 * (erfc - delta * kTwoOverSqrtPi * std::exp(-t * t)), 0.0);
}

double lower_tail(double x) { return upper_tail(-x); }

double mass(double x, double w) {
  if (!(w > 0)) return 0.0;
  if (is_narrow(x, w)) return integrate_offset([x](double t) { return density(x + t); }, w);
  const double y = x + w;
  if (x >= 0) return upper_tail(x) - upper_tail(y);
  if (y <= 0) return lower_tail(y) - lower_tail(x);
  return 1.0 - lower_tail(x) - upper_tail(y);
}

double loss(double x) {
  // In extended precision the cancellation (a factor of about x^2 for large x) stays below the
  // double rounding error up to the point where G underflows.
  const long double lx = x;
  const long double phi = static_cast<long double>(kInvSqrt2Pi) * std::exp(-0.5L * lx * lx);
  const long double q =
      0.5L * boost::math::erfc(lx / std::numbers::sqrt2_v<long double>, BoostPolicy());
  return static_cast<double>(std::max(phi - lx * q, 0.0L));
}

double anchored_moment(double x, double w) {
  if (!(w > 0)) return 0.0;
  if (is_narrow(x, w)) return integrate_offset([x](double t) { return t * density(x + t); }, w);
  if (std::isinf(w)) return loss(x);
  const double y = x + w;
  if (y <= 0) {
    // Reflect: H(x, y) = (y - x) P(x < T < y) - H(-y, -x), both terms well conditioned when
    // the interval is not narrow.
    const double reflected = loss(-y) - loss(-x) - w * upper_tail(-x);
    return std::max(w * mass(x, w) - std::max(reflected, 0.0), 0.0);
  }
  return std::max(loss(x) - loss(y) - w * upper_tail(y), 0.0);
}

double lower_quantile(double p) {
  return -std::numbers::sqrt2 * boost::math::erfc_inv(2.0 * p, BoostPolicy());
}

double upper_quantile(double s) {
  return std::numbers::sqrt2 * boost::math::erfc_inv(2.0 * s, BoostPolicy());
}

}  // namespace dia::detail::normal
