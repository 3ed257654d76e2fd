// lognormal(mu, sigma): log V is normal with mean mu and standard deviation sigma.
#include <fmt/format.h>

#include <boost/math/distributions/lognormal.hpp>
#include <cmath>
#include <limits>

#include "distributions/boost_backed.hpp"
#include "distributions/boost_policy.hpp"
#include "distributions/families.hpp"
#include "distributions/normal_math.hpp"
#include "distributions/spec_text.hpp"

namespace dia::detail {

namespace {

using BoostLognormal = boost::math::lognormal_distribution<double, BoostPolicy>;

class LognormalDistribution final : public BoostBackedDistribution<BoostLognormal> {
 public:
  LognormalDistribution(double mu, double sigma)
      : BoostBackedDistribution<BoostLognormal>(BoostLognormal(mu, sigma)),
        mu_(mu),
        sigma_(sigma),
        mean_(std::exp(mu + 0.5 * sigma * sigma)) {}

  std::string spec() const override {
    return fmt::format("lognormal(mu={}, sigma={})", mu_, sigma_);
  }
  double lower() const override { return 0.0; }
  double upper() const override { return std::numeric_limits<double>::infinity(); }
  double mean() const override { return mean_; }

 protected:
  // Through the normal tails of normal_math, which keep the far tails to full precision.
  double cdf_inside(double v) const override { return normal::lower_tail(z(v)); }
  double survival_inside(double v) const override { return normal::upper_tail(z(v)); }
  // E[V ; V >= c] = e^{mu + sigma^2/2} Q(z), z = (ln c - mu - sigma^2) / sigma.
  double partial_mean_above_inside(double c) const override {
    return mean_ * normal::upper_tail(shifted_z(c));
  }
  double partial_mean_below_inside(double c) const override {
    return mean_ * normal::lower_tail(shifted_z(c));
  }

 private:
  double z(double v) const { return (std::log(v) - mu_) / sigma_; }
  double shifted_z(double c) const { return (std::log(c) - mu_ - sigma_ * sigma_) / sigma_; }

  double mu_;
  double sigma_;
  double mean_;
};

}  // namespace

Expected<ContinuousPtr> make_lognormal(double mu, double sigma, std::string_view input) {
  if (auto ok = require_finite("lognormal", "mu", mu, input,
                               "mu is the mean of log V, any finite number, e.g. "
                               "lognormal(mu=0, sigma=1)");
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = require_positive("lognormal", "sigma", sigma, input,
                                 "sigma is the standard deviation of log V and must be positive, "
                                 "e.g. lognormal(mu=0, sigma=1)");
      !ok) {
    return tl::unexpected(ok.error());
  }
  const double log_mean = mu + 0.5 * sigma * sigma;
  if (!(log_mean > -700.0)) {
    return spec_error(
        fmt::format("lognormal mean exp(mu + sigma^2/2) = exp({}) underflows in {}",
                    format_number(log_mean), quote(input)),
        "use a larger mu (mu + sigma^2/2 must stay above -700), or rescale the values");
  }
  if (!(log_mean < 700.0)) {
    return spec_error(
        fmt::format("lognormal mean exp(mu + sigma^2/2) = exp({}) overflows in {}",
                    format_number(log_mean), quote(input)),
        "use a smaller mu or sigma (mu + sigma^2/2 must stay below 700), or rescale the values");
  }
  return std::make_shared<const LognormalDistribution>(mu, sigma);
}

}  // namespace dia::detail
