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
  DIA_CHECK(types_.size() > 0 && types_.probabilities.size() == types_.size());
}

const DiscreteDistribution::Tables& DiscreteDistribution::tables() const {
  std::call_once(tables_once_, [this] {
    const std::size_t m = types_.size();
    Tables& t = tables_;
    t.below = huge_vector(m + 1, 0.0);
    t.above = huge_vector(m + 1, 0.0);
    t.mean_above = huge_vector(m + 1, 0.0);
    CompensatedSum running;
    for (std::size_t k = 0; k < m; ++k) {
      t.below[k] = std::min(running.value(), 1.0);
      running.add(types_.probabilities[k]);
    }
    t.below[m] = 1.0;
    // Tails are summed from the top so that small upper tails keep their relative accuracy.
    CompensatedSum tail;
    CompensatedSum tail_mean;
    for (std::size_t k = m; k-- > 0;) {
      tail.add(types_.probabilities[k]);
      tail_mean.add(static_cast<long double>(types_.probabilities[k]) * types_.values[k]);
      t.above[k] = std::min(tail.value(), 1.0);
      t.mean_above[k] = tail_mean.value();
    }
    t.above[0] = 1.0;
  });
  return tables_;
}

double DiscreteDistribution::cdf(double v) const {
  if (std::isnan(v)) return v;
  const auto& values = types_.values;
  const std::size_t k = std::upper_bound(values.begin(), values.end(), v) - values.begin();
  return tables().below[k];
}

double DiscreteDistribution::survival(double v) const {
  if (std::isnan(v)) return v;
  const auto& values = types_.values;
  const std::size_t k = std::upper_bound(values.begin(), values.end(), v) - values.begin();
  return tables().above[k];
}

double DiscreteDistribution::quantile(double q) const {
  if (std::isnan(q)) return q;
  // The first atom k with below[k + 1] = P(V <= v_k) >= q.
  const std::vector<double>& below = tables().below;
  const auto it = std::lower_bound(below.begin() + 1, below.end(), q);
  const std::size_t k = std::min<std::size_t>(it - (below.begin() + 1), types_.size() - 1);
  return types_.values[k];
}

double DiscreteDistribution::survival_quantile(double s) const {
  if (std::isnan(s)) return s;
  // The first atom k with above[k + 1] = P(V > v_k) <= s (above is nonincreasing).
  const std::vector<double>& above = tables().above;
  const auto it =
      std::partition_point(above.begin() + 1, above.end(), [s](double tail) { return tail > s; });
  const std::size_t k = std::min<std::size_t>(it - (above.begin() + 1), types_.size() - 1);
  return types_.values[k];
}

double DiscreteDistribution::partial_mean_above(double c) const {
  if (std::isnan(c)) return c;
  const auto& values = types_.values;
  const std::size_t k = std::lower_bound(values.begin(), values.end(), c) - values.begin();
  return tables().mean_above[k];
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
