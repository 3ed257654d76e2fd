// uniform(low, high): constant density on [low, high].
#include <fmt/format.h>

#include <boost/math/distributions/uniform.hpp>

#include "distributions/boost_backed.hpp"
#include "distributions/boost_policy.hpp"
#include "distributions/families.hpp"
#include "distributions/spec_text.hpp"

namespace dia::detail {

namespace {

using BoostUniform = boost::math::uniform_distribution<double, BoostPolicy>;

class UniformDistribution final : public BoostBackedDistribution<BoostUniform> {
 public:
  UniformDistribution(double low, double high)
      : BoostBackedDistribution<BoostUniform>(BoostUniform(low, high)), low_(low), high_(high) {}

  std::string spec() const override { return fmt::format("uniform(low={}, high={})", low_, high_); }
  double lower() const override { return low_; }
  double upper() const override { return high_; }
  double mean() const override { return 0.5 * low_ + 0.5 * high_; }

 protected:
  // E[V ; V >= c] = (high^2 - c^2) / (2 (high - low)), factored to avoid cancellation.
  double partial_mean_above_inside(double c) const override {
    return (high_ - c) / (high_ - low_) * (0.5 * high_ + 0.5 * c);
  }
  double partial_mean_below_inside(double c) const override {
    return (c - low_) / (high_ - low_) * (0.5 * c + 0.5 * low_);
  }

 private:
  double low_;
  double high_;
};

}  // namespace

Expected<ContinuousPtr> make_uniform(double low, double high, std::string_view input) {
  constexpr std::string_view kFamily = "uniform";
  const std::string finite_hint =
      "uniform needs finite bounds; for an unbounded support use exponential, lognormal, pareto "
      "or truncnormal(..., hi=inf)";
  if (auto ok = require_finite(kFamily, "low", low, input, finite_hint); !ok)
    return tl::unexpected(ok.error());
  if (auto ok = require_finite(kFamily, "high", high, input, finite_hint); !ok)
    return tl::unexpected(ok.error());
  if (auto ok = require_nonnegative(kFamily, "low", low, input,
                                    "values are bids and cannot be negative: use low >= 0, e.g. "
                                    "uniform(0, 1)");
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (!(low < high)) {
    const std::string hint =
        low == high ? fmt::format("for a single value use discrete({}:1)", format_number(low))
                    : fmt::format("swap the bounds: uniform({}, {})", format_number(high),
                                  format_number(low));
    return spec_error(fmt::format("uniform(a,b) needs a < b, got {}", quote(input)), hint);
  }
  return std::make_shared<const UniformDistribution>(low, high);
}

}  // namespace dia::detail
