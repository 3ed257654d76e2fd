// pareto(scale, shape): survival (scale / v)^shape on [scale, inf).
#include <fmt/format.h>

#include <boost/math/distributions/pareto.hpp>
#include <cmath>
#include <limits>

#include "distributions/boost_backed.hpp"
#include "distributions/boost_policy.hpp"
#include "distributions/families.hpp"
#include "distributions/spec_text.hpp"

namespace dia::detail {

namespace {

using BoostPareto = boost::math::pareto_distribution<double, BoostPolicy>;

class ParetoDistribution final : public BoostBackedDistribution<BoostPareto> {
 public:
  ParetoDistribution(double scale, double shape)
      : BoostBackedDistribution<BoostPareto>(BoostPareto(scale, shape)),
        scale_(scale),
        shape_(shape),
        mean_(shape / (shape - 1.0) * scale) {}

  std::string spec() const override {
    return fmt::format("pareto(scale={}, shape={})", scale_, shape_);
  }
  double lower() const override { return scale_; }
  double upper() const override { return std::numeric_limits<double>::infinity(); }
  double mean() const override { return mean_; }
  std::optional<PowerTail> power_tail() const override { return PowerTail{scale_, shape_}; }

 protected:
  // P(V > v) = exp(shape log(scale / v)), with the logarithm taken without rounding scale / v
  // first near the scale (where the cdf is small and would lose its relative accuracy).
  double cdf_inside(double v) const override { return -std::expm1(shape_ * log_ratio(v)); }
  double survival_inside(double v) const override { return std::exp(shape_ * log_ratio(v)); }
  // v = scale (1 - q)^{-1/shape}, accurate for small q through log1p.
  double quantile_inside(double q) const override {
    return scale_ * std::exp(-std::log1p(-q) / shape_);
  }
  // E[V ; V >= c] = scale^shape shape / (shape - 1) c^{1 - shape}, written without overflow.
  double partial_mean_above_inside(double c) const override {
    return shape_ / (shape_ - 1.0) * c * std::pow(scale_ / c, shape_);
  }
  // mean * (1 - (scale / c)^{shape - 1}).
  double partial_mean_below_inside(double c) const override {
    return -mean_ * std::expm1((shape_ - 1.0) * log_ratio(c));
  }

 private:
  // log(scale / v) for v >= scale: log1p((scale - v) / v) near the scale, where scale - v is
  // exact; the plain ratio further out, where log1p(-1 + tiny) would lose the tiny part.
  double log_ratio(double v) const {
    return v <= 2.0 * scale_ ? std::log1p((scale_ - v) / v) : std::log(scale_ / v);
  }

  double scale_;
  double shape_;
  double mean_;
};

}  // namespace

Expected<ContinuousPtr> make_pareto(double scale, double shape, std::string_view input) {
  if (auto ok = require_positive("pareto", "scale", scale, input,
                                 "the scale is the smallest value and must be positive, e.g. "
                                 "pareto(scale=1, shape=3)");
      !ok) {
    return tl::unexpected(ok.error());
  }
  const std::string_view shape_hint =
      "with shape <= 1 the mean and every revenue would be infinite; use shape > 1, e.g. "
      "pareto(scale=1, shape=2.5)";
  if (auto ok = require_finite("pareto", "shape", shape, input, shape_hint); !ok) {
    return tl::unexpected(ok.error());
  }
  if (!(shape > 1.0)) {
    return spec_error(fmt::format("pareto needs shape > 1, got shape={} in {}",
                                  format_number(shape), quote(input)),
                      std::string(shape_hint));
  }
  if (!std::isfinite(shape / (shape - 1.0) * scale)) {
    return spec_error(fmt::format("pareto mean overflows in {}", quote(input)),
                      "use a smaller scale or a larger shape");
  }
  return std::make_shared<const ParetoDistribution>(scale, shape);
}

}  // namespace dia::detail
