// weibull(shape, scale): P(V > v) = exp(-(v / scale)^shape) on [0, inf).
#include <fmt/format.h>

#include <boost/math/distributions/weibull.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>

#include "distributions/boost_backed.hpp"
#include "distributions/boost_policy.hpp"
#include "distributions/families.hpp"
#include "distributions/spec_text.hpp"

namespace dia::detail {

namespace {

using BoostWeibull = boost::math::weibull_distribution<double, BoostPolicy>;
constexpr double kMinWeibullShape = 0.01;  // the mean scale Gamma(1 + 1/shape) overflows below

class WeibullDistribution final : public BoostBackedDistribution<BoostWeibull> {
 public:
  WeibullDistribution(double shape, double scale)
      : BoostBackedDistribution<BoostWeibull>(BoostWeibull(shape, scale)),
        shape_(shape),
        scale_(scale),
        mean_(scale * std::tgamma(1.0 + 1.0 / shape)) {}

  std::string spec() const override {
    return fmt::format("weibull(shape={}, scale={})", shape_, scale_);
  }
  double lower() const override { return 0.0; }
  double upper() const override { return std::numeric_limits<double>::infinity(); }
  double mean() const override { return mean_; }

 protected:
  // With x = (c / scale)^shape: E[V ; V >= c] = scale Gamma(1 + 1/shape) Q(1 + 1/shape, x).
  double partial_mean_above_inside(double c) const override {
    return mean_ * boost::math::gamma_q(1.0 + 1.0 / shape_, x(c), BoostPolicy());
  }
  double partial_mean_below_inside(double c) const override {
    return mean_ * boost::math::gamma_p(1.0 + 1.0 / shape_, x(c), BoostPolicy());
  }

 private:
  double x(double c) const { return std::pow(c / scale_, shape_); }

  double shape_;
  double scale_;
  double mean_;
};

}  // namespace

Expected<ContinuousPtr> make_weibull(double shape, double scale, std::string_view input) {
  const std::string_view hint = "shape and scale must be positive, e.g. weibull(shape=2, scale=1)";
  if (auto ok = require_positive("weibull", "shape", shape, input, hint); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = require_positive("weibull", "scale", scale, input, hint); !ok) {
    return tl::unexpected(ok.error());
  }
  const double mean = scale * std::tgamma(1.0 + 1.0 / shape);
  if (shape < kMinWeibullShape || !std::isfinite(mean)) {
    return spec_error(fmt::format("weibull needs shape >= 0.01 and a finite mean, got shape={}, "
                                  "scale={} in {}",
                                  format_number(shape), format_number(scale), quote(input)),
                      "a smaller shape has a tail so heavy that its mean overflows a double");
  }
  return std::make_shared<const WeibullDistribution>(shape, scale);
}

}  // namespace dia::detail
