// gamma(shape, scale): density v^{shape-1} e^{-v/scale} / (Gamma(shape) scale^shape) on [0, inf).
#include <fmt/format.h>

#include <boost/math/distributions/gamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <limits>

#include "distributions/boost_backed.hpp"
#include "distributions/boost_policy.hpp"
#include "distributions/families.hpp"
#include "distributions/spec_text.hpp"

namespace dia::detail {

namespace {

using BoostGamma = boost::math::gamma_distribution<double, BoostPolicy>;
constexpr double kMaxGammaShape = 1e12;

class GammaDistribution final : public BoostBackedDistribution<BoostGamma> {
 public:
  GammaDistribution(double shape, double scale)
      : BoostBackedDistribution<BoostGamma>(BoostGamma(shape, scale)),
        shape_(shape),
        scale_(scale) {}

  std::string spec() const override {
    return fmt::format("gamma(shape={}, scale={})", shape_, scale_);
  }
  double lower() const override { return 0.0; }
  double upper() const override { return std::numeric_limits<double>::infinity(); }
  double mean() const override { return shape_ * scale_; }

 protected:
  // v f(v) = shape scale f_{shape+1}(v): E[V ; V >= c] = shape scale Q(shape + 1, c / scale).
  double partial_mean_above_inside(double c) const override {
    return mean() * boost::math::gamma_q(shape_ + 1.0, c / scale_, BoostPolicy());
  }
  double partial_mean_below_inside(double c) const override {
    return mean() * boost::math::gamma_p(shape_ + 1.0, c / scale_, BoostPolicy());
  }

 private:
  double shape_;
  double scale_;
};

}  // namespace

Expected<ContinuousPtr> make_gamma(double shape, double scale, std::string_view input) {
  const std::string_view hint = "shape and scale must be positive, e.g. gamma(shape=2, scale=1)";
  if (auto ok = require_positive("gamma", "shape", shape, input, hint); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = require_positive("gamma", "scale", scale, input, hint); !ok) {
    return tl::unexpected(ok.error());
  }
  if (shape > kMaxGammaShape || !std::isfinite(shape * scale)) {
    return spec_error(fmt::format("gamma needs shape <= 1e12 and a finite mean shape * scale, "
                                  "got shape={}, scale={} in {}",
                                  format_number(shape), format_number(scale), quote(input)),
                      "such a gamma is a point mass at shape * scale: write discrete(m:1) for it");
  }
  return std::make_shared<const GammaDistribution>(shape, scale);
}

}  // namespace dia::detail
