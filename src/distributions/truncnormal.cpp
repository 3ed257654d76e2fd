// truncnormal(mu, sigma, lo, hi): the normal(mu, sigma) conditioned on [lo, hi]; hi may be inf.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "distributions/families.hpp"
#include "distributions/normal_math.hpp"
#include "distributions/spec_text.hpp"

namespace dia::detail {

namespace {

// The smallest mass on [lo, hi] we accept: below it the tail functions lose their precision.
constexpr double kMinimumMass = 1e-280;

// Standardized coordinates t = (v - mu) / sigma, with a = (lo - mu) / sigma and
// b = (hi - mu) / sigma. Distances from the bounds, (v - lo) / sigma and (hi - v) / sigma, are
// carried separately: when |mu| / sigma is large, a + (v - lo) / sigma rounds away most of a small
// offset, and with it the relative accuracy near the bounds.
class TruncnormalDistribution final : public ContinuousDistribution {
 public:
  TruncnormalDistribution(double mu, double sigma, double lo, double hi)
      : mu_(mu),
        sigma_(sigma),
        lo_(lo),
        hi_(hi),
        a_((lo - mu) / sigma),
        b_((hi - mu) / sigma),
        mass_(normal::mass(a_, (hi - lo) / sigma)),
        mean_(lo + sigma * normal::anchored_moment(a_, (hi - lo) / sigma) / mass_) {}

  double total_mass() const { return mass_; }

  std::string spec() const override {
    return fmt::format("truncnormal(mu={}, sigma={}, lo={}, hi={})", mu_, sigma_, lo_, hi_);
  }
  double lower() const override { return lo_; }
  double upper() const override { return hi_; }
  double mean() const override { return mean_; }

 protected:
  double cdf_inside(double v) const override {
    return normal::mass(a_, (v - lo_) / sigma_) / mass_;
  }
  double survival_inside(double v) const override {
    return normal::mass(z(v), to_upper(v)) / mass_;
  }
  double quantile_inside(double q) const override { return solve(q, 1.0 - q); }
  double survival_quantile_inside(double s) const override { return solve(1.0 - s, s); }
  // E[V ; V >= c] = c P(V >= c) + sigma E[T - x ; x < T < b] / Z with x = (c - mu) / sigma:
  // a sum of nonnegative terms, so nothing cancels whatever the sign of mu.
  double partial_mean_above_inside(double c) const override {
    const double x = z(c);
    const double w = to_upper(c);
    return (c * normal::mass(x, w) + sigma_ * normal::anchored_moment(x, w)) / mass_;
  }
  // E[V ; V < c] = lo P(V < c) + sigma E[T - a ; a < T < x] / Z.
  double partial_mean_below_inside(double c) const override {
    const double d = (c - lo_) / sigma_;
    return (lo_ * normal::mass(a_, d) + sigma_ * normal::anchored_moment(a_, d)) / mass_;
  }
  double pdf_inside(double v) const override { return normal::density(z(v)) / (sigma_ * mass_); }

 private:
  double z(double v) const { return (v - mu_) / sigma_; }
  // The standardized distance from v up to hi (+inf when hi is).
  double to_upper(double v) const { return (hi_ - v) / sigma_; }

  // The v with P(V <= v) = q and P(V > v) = s, where q + s = 1 and the smaller one is exact.
  // A first guess inverts the smaller normal tail; Newton steps on the distance from the nearer
  // bound (lo for q <= s, hi when finite otherwise) then restore the relative accuracy of that
  // distance, which the guess x loses to rounding when |x| is large.
  double solve(double q, double s) const {
    const double below =
        q <= s ? normal::lower_tail(a_) + q * mass_ : normal::lower_tail(b_) - s * mass_;  // Phi(x)
    const double above =
        s <= q ? normal::upper_tail(b_) + s * mass_ : normal::upper_tail(a_) - q * mass_;  // Q(x)
    const double x = below <= above ? normal::lower_quantile(below) : normal::upper_quantile(above);
    if (q <= s) {
      // d = (v - lo) / sigma solves mass(a, d) = q Z.
      const double d = newton([&](double t) { return normal::mass(a_, t) - q * mass_; },
                              [&](double t) { return normal::density(a_ + t); }, x - a_);
      return lo_ + sigma_ * d;
    }
    if (std::isinf(hi_)) return lo_ + sigma_ * (x - a_);
    // e = (hi - v) / sigma solves mass(b - e, e) = s Z.
    const double e = newton([&](double t) { return normal::mass(b_ - t, t) - s * mass_; },
                            [&](double t) { return normal::density(b_ - t); }, b_ - x);
    return hi_ - sigma_ * e;
  }

  // A few Newton steps for the root of the increasing f (derivative f_prime) from t >= 0.
  template <class F, class FPrime>
  static double newton(const F& f, const FPrime& f_prime, double t) {
    t = std::max(t, 0.0);
    for (int step = 0; step < 4; ++step) {
      const double slope = f_prime(t);
      if (!(slope > 0)) break;
      const double next = std::max(t - f(t) / slope, 0.0);
      if (!std::isfinite(next)) break;
      const bool converged = std::abs(next - t) <= 1e-15 * std::abs(next);
      t = next;
      if (converged) break;
    }
    return t;
  }

  double mu_;
  double sigma_;
  double lo_;
  double hi_;
  double a_;
  double b_;
  double mass_;
  double mean_;
};

}  // namespace

Expected<ContinuousPtr> make_truncnormal(double mu, double sigma, double lo, double hi,
                                         std::string_view input) {
  constexpr std::string_view kFamily = "truncnormal";
  if (auto ok = require_finite(kFamily, "mu", mu, input,
                               "mu is the mean of the parent normal, e.g. "
                               "truncnormal(mu=1, sigma=0.5, lo=0, hi=inf)");
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = require_positive(kFamily, "sigma", sigma, input,
                                 "sigma is the standard deviation of the parent normal and must be "
                                 "positive, e.g. truncnormal(mu=1, sigma=0.5, lo=0, hi=inf)");
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = require_nonnegative(kFamily, "lo", lo, input,
                                    "values are bids and cannot be negative: use lo >= 0, e.g. "
                                    "truncnormal(mu=1, sigma=0.5, lo=0, hi=inf)");
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (std::isnan(hi)) {
    return spec_error(
        fmt::format("truncnormal needs a number or inf for hi, got hi=nan in {}", quote(input)),
        "write hi=inf for no upper bound");
  }
  if (!(lo < hi)) {
    return spec_error(
        fmt::format("truncnormal needs lo < hi, got lo={}, hi={} in {}", format_number(lo),
                    format_number(hi), quote(input)),
        lo == hi ? "for a single value use discrete(v:1)"
                 : fmt::format("swap the bounds: truncnormal({}, {}, {}, {})", format_number(mu),
                               format_number(sigma), format_number(hi), format_number(lo)));
  }
  auto distribution = std::make_shared<const TruncnormalDistribution>(mu, sigma, lo, hi);
  if (!(distribution->total_mass() >= kMinimumMass) || !std::isfinite(distribution->mean())) {
    return spec_error(
        fmt::format("truncnormal puts probability {} (below 1e-280) on [lo, hi] in {}",
                    format_number(distribution->total_mass()), quote(input)),
        "the bounds lie too many standard deviations from mu: move them closer or raise sigma");
  }
  return distribution;
}

}  // namespace dia::detail
