#include "distributions/discrete.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "numeric/compensated_sum.hpp"
#include "numeric/huge_pages.hpp"

namespace dia::detail {

DiscreteDistribution::DiscreteDistribution(DiscreteTypes types, std::string spec)
    : types_(std::move(types)), spec_(std::move(spec)) {
  const std::size_t m = types_.size();
  DIA_CHECK(m > 0 && types_.probabilities.size() == m);
  below_ = huge_vector(m + 1, 0.0);
  above_ = huge_vector(m + 1, 0.0);
  mean_above_ = huge_vector(m + 1, 0.0);
  CompensatedSum running;
  for (std::size_t k = 0; k < m; ++k) {
    below_[k] = std::min(running.value(), 1.0);
    running.add(types_.probabilities[k]);
  }
  below_[m] = 1.0;
  // Tails are summed from the top so that small upper tails keep their relative accuracy.
  CompensatedSum tail;
  CompensatedSum tail_mean;
  for (std::size_t k = m; k-- > 0;) {
    tail.add(types_.probabilities[k]);
    tail_mean.add(static_cast<long double>(types_.probabilities[k]) * types_.values[k]);
    above_[k] = std::min(tail.value(), 1.0);
    mean_above_[k] = tail_mean.value();
  }
  above_[0] = 1.0;
}

double DiscreteDistribution::cdf(double v) const {
  if (std::isnan(v)) return v;
  const auto& values = types_.values;
  const std::size_t k = std::upper_bound(values.begin(), values.end(), v) - values.begin();
  return below_[k];
}

double DiscreteDistribution::survival(double v) const {
  if (std::isnan(v)) return v;
  const auto& values = types_.values;
  const std::size_t k = std::upper_bound(values.begin(), values.end(), v) - values.begin();
  return above_[k];
}

double DiscreteDistribution::quantile(double q) const {
  if (std::isnan(q)) return q;
  // The first atom k with below_[k + 1] = P(V <= v_k) >= q.
  const auto it = std::lower_bound(below_.begin() + 1, below_.end(), q);
  const std::size_t k = std::min<std::size_t>(it - (below_.begin() + 1), types_.size() - 1);
  return types_.values[k];
}

double DiscreteDistribution::survival_quantile(double s) const {
  if (std::isnan(s)) return s;
  // The first atom k with above_[k + 1] = P(V > v_k) <= s (above_ is nonincreasing).
  const auto it =
      std::partition_point(above_.begin() + 1, above_.end(), [s](double tail) { return tail > s; });
  const std::size_t k = std::min<std::size_t>(it - (above_.begin() + 1), types_.size() - 1);
  return types_.values[k];
}

double DiscreteDistribution::partial_mean_above(double c) const {
  if (std::isnan(c)) return c;
  const auto& values = types_.values;
  const std::size_t k = std::lower_bound(values.begin(), values.end(), c) - values.begin();
  return mean_above_[k];
}

double DiscreteDistribution::pdf(double /*v*/) const {
  DIA_CHECK(false && "pdf() called on a discrete distribution");
  std::abort();
}

}  // namespace dia::detail

namespace dia {

std::string discrete_spec(const DiscreteTypes& types) {
  std::string out = "discrete(";
  for (std::size_t k = 0; k < types.size(); ++k) {
    if (k > 0) out += ", ";
    fmt::format_to(std::back_inserter(out), "{}:{}", types.values[k], types.probabilities[k]);
  }
  out += ')';
  return out;
}

}  // namespace dia
