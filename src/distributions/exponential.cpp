// exponential(rate): density rate * exp(-rate v) on [0, inf).
#include <fmt/format.h>

#include <boost/math/distributions/exponential.hpp>
#include <cmath>
#include <limits>

#include "distributions/boost_backed.hpp"
#include "distributions/boost_policy.hpp"
#include "distributions/families.hpp"
#include "distributions/spec_text.hpp"

namespace dia::detail {

namespace {

using BoostExponential = boost::math::exponential_distribution<double, BoostPolicy>;

// 1 - e^{-x} (1 + x) for x >= 0 without cancellation near 0 (it behaves like x^2 / 2).
double one_minus_exp_times_one_plus(double x) {
  if (x < 0.5) {
    // sum_{k >= 2} (-1)^k (k - 1) x^k / k!
    double term = x;  // x^k / k! for k = 1
    double sum = 0.0;
    for (int k = 2; k < 40; ++k) {
      term *= -x / k;  // (-1)^(k-1) x^k / k! ... sign folded below
      const double add = -(k - 1) * term;
      sum += add;
      if (std::abs(add) <= 1e-18 * std::abs(sum)) break;
    }
    return sum;
  }
  return -std::expm1(-x) - x * std::exp(-x);
}

class ExponentialDistribution final : public BoostBackedDistribution<BoostExponential> {
 public:
  explicit ExponentialDistribution(double rate)
      : BoostBackedDistribution<BoostExponential>(BoostExponential(rate)), rate_(rate) {}

  std::string spec() const override { return fmt::format("exponential(rate={})", rate_); }
  double lower() const override { return 0.0; }
  double upper() const override { return std::numeric_limits<double>::infinity(); }
  double mean() const override { return 1.0 / rate_; }

 protected:
  // E[V ; V >= c] = e^{-rate c} (c + 1 / rate).
  double partial_mean_above_inside(double c) const override {
    return std::exp(-rate_ * c) * (c + 1.0 / rate_);
  }
  // E[V ; V < c] = (1 - e^{-x} (1 + x)) / rate with x = rate c.
  double partial_mean_below_inside(double c) const override {
    return one_minus_exp_times_one_plus(rate_ * c) / rate_;
  }

 private:
  double rate_;
};

}  // namespace

Expected<ContinuousPtr> make_exponential(double value, std::string_view parameter,
                                         std::string_view input) {
  const bool is_rate = parameter == "rate";
  const std::string hint =
      is_rate ? "the rate is 1/mean and must be positive, e.g. exponential(rate=0.5) has mean 2"
              : fmt::format("the {} is 1/rate and must be positive, e.g. exponential({}=2)",
                            parameter, parameter);
  if (auto ok = require_positive("exponential", parameter, value, input, hint); !ok) {
    return tl::unexpected(ok.error());
  }
  const double rate = is_rate ? value : 1.0 / value;
  if (!(std::isfinite(rate) && rate > 0 && std::isfinite(1.0 / rate))) {
    return spec_error(
        fmt::format("exponential {}={} is out of range (rate and mean must both be finite) in {}",
                    parameter, format_number(value), quote(input)),
        hint);
  }
  return std::make_shared<const ExponentialDistribution>(rate);
}

}  // namespace dia::detail
