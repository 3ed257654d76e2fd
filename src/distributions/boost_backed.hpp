// A continuous family whose cdf, survival, quantiles and density come from a Boost.Math
// distribution; a family overrides any of them where it has a more accurate form.
#pragma once

#include <boost/math/distributions/complement.hpp>

#include "distributions/continuous.hpp"

namespace dia::detail {

template <class BoostDistribution>
class BoostBackedDistribution : public ContinuousDistribution {
 public:
  explicit BoostBackedDistribution(BoostDistribution boost) : boost_(std::move(boost)) {}

 protected:
  double cdf_inside(double v) const override { return boost::math::cdf(boost_, v); }
  double survival_inside(double v) const override {
    return boost::math::cdf(boost::math::complement(boost_, v));
  }
  double quantile_inside(double q) const override { return boost::math::quantile(boost_, q); }
  double survival_quantile_inside(double s) const override {
    return boost::math::quantile(boost::math::complement(boost_, s));
  }
  double pdf_inside(double v) const override { return boost::math::pdf(boost_, v); }

  const BoostDistribution boost_;
};

}  // namespace dia::detail
