#include "distributions/continuous.hpp"

#include <algorithm>
#include <cmath>

namespace dia::detail {

const DiscreteTypes& ContinuousDistribution::atoms() const {
  DIA_CHECK(false && "atoms() called on a continuous distribution");
  std::abort();
}

double ContinuousDistribution::cdf(double v) const {
  if (std::isnan(v)) return v;
  if (v <= lower()) return 0.0;
  if (v >= upper()) return 1.0;
  return std::clamp(cdf_inside(v), 0.0, 1.0);
}

double ContinuousDistribution::survival(double v) const {
  if (std::isnan(v)) return v;
  if (v <= lower()) return 1.0;
  if (v >= upper()) return 0.0;
  return std::clamp(survival_inside(v), 0.0, 1.0);
}

double ContinuousDistribution::quantile(double q) const {
  if (std::isnan(q)) return q;
  if (q <= 0.0) return lower();
  if (q >= 1.0) return upper();
  return std::clamp(quantile_inside(q), lower(), upper());
}

double ContinuousDistribution::survival_quantile(double s) const {
  if (std::isnan(s)) return s;
  if (s >= 1.0) return lower();
  if (s <= 0.0) return upper();
  return std::clamp(survival_quantile_inside(s), lower(), upper());
}

double ContinuousDistribution::partial_mean_above(double c) const {
  if (std::isnan(c)) return c;
  if (c <= lower()) return mean();
  if (c >= upper()) return 0.0;
  return std::max(partial_mean_above_inside(c), 0.0);
}

double ContinuousDistribution::partial_mean_below(double c) const {
  if (std::isnan(c)) return c;
  if (c <= lower()) return 0.0;
  if (c >= upper()) return mean();
  return std::max(partial_mean_below_inside(c), 0.0);
}

double ContinuousDistribution::pdf(double v) const {
  if (std::isnan(v)) return v;
  if (v < lower() || v > upper()) return 0.0;
  return pdf_inside(v);
}

std::vector<SupportGap> support_gaps(const Distribution& distribution) {
  const auto* continuous = dynamic_cast<const ContinuousDistribution*>(&distribution);
  return continuous != nullptr ? continuous->support_gaps() : std::vector<SupportGap>{};
}

}  // namespace dia::detail
