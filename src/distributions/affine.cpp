// low + width V for a family V on [0, upper]: the shifted exponential and the beta on [low, high]
// that scipy.stats' loc and scale describe (docs/spec.md). Every function is the family's at
// (v - low) / width, so the far tails keep the family's accuracy.
#include <fmt/format.h>

#include <cmath>

#include "distributions/families.hpp"
#include "distributions/spec_text.hpp"

namespace dia::detail {

namespace {

class AffineDistribution final : public ContinuousDistribution {
 public:
  AffineDistribution(ContinuousPtr base, double low, double width, std::string spec)
      : base_(std::move(base)), low_(low), width_(width), spec_(std::move(spec)) {}

  std::string spec() const override { return spec_; }
  double lower() const override { return low_ + width_ * base_->lower(); }
  double upper() const override { return low_ + width_ * base_->upper(); }
  double mean() const override { return low_ + width_ * base_->mean(); }

 protected:
  double cdf_inside(double v) const override { return base_->cdf(x(v)); }
  double survival_inside(double v) const override { return base_->survival(x(v)); }
  double quantile_inside(double q) const override { return y(base_->quantile(q)); }
  double survival_quantile_inside(double s) const override {
    return y(base_->survival_quantile(s));
  }
  // E[low + width X ; X >= x] = low P(X >= x) + width E[X ; X >= x].
  double partial_mean_above_inside(double c) const override {
    const double at = x(c);
    return low_ * base_->survival(at) + width_ * base_->partial_mean_above(at);
  }
  double partial_mean_below_inside(double c) const override {
    const double at = x(c);
    return low_ * base_->cdf(at) + width_ * base_->partial_mean_below(at);
  }
  double pdf_inside(double v) const override { return base_->pdf(x(v)) / width_; }

 private:
  double x(double v) const { return (v - low_) / width_; }
  double y(double x) const { return low_ + width_ * x; }

  ContinuousPtr base_;
  double low_;
  double width_;
  std::string spec_;
};

}  // namespace

ContinuousPtr make_affine(ContinuousPtr base, double low, double width, std::string_view extra) {
  if (low == 0.0 && width == 1.0) return base;
  std::string spec = base->spec();
  spec.pop_back();  // the closing parenthesis
  spec += fmt::format(", {})", extra);
  return std::make_shared<const AffineDistribution>(std::move(base), low, width, std::move(spec));
}

}  // namespace dia::detail
