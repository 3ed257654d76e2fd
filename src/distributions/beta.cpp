// beta(a, b): density proportional to v^{a-1} (1 - v)^{b-1} on [0, 1].
#include <fmt/format.h>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/special_functions/beta.hpp>

#include "distributions/boost_backed.hpp"
#include "distributions/boost_policy.hpp"
#include "distributions/families.hpp"
#include "distributions/spec_text.hpp"

namespace dia::detail {

namespace {

using BoostBeta = boost::math::beta_distribution<double, BoostPolicy>;
constexpr double kMaxBetaShape = 1e12;

class BetaDistribution final : public BoostBackedDistribution<BoostBeta> {
 public:
  BetaDistribution(double a, double b)
      : BoostBackedDistribution<BoostBeta>(BoostBeta(a, b)), a_(a), b_(b), mean_(a / (a + b)) {}

  std::string spec() const override { return fmt::format("beta(a={}, b={})", a_, b_); }
  double lower() const override { return 0.0; }
  double upper() const override { return 1.0; }
  double mean() const override { return mean_; }

 protected:
  // E[V ; V >= c] = a / (a + b) * I_c^complement(a + 1, b).
  double partial_mean_above_inside(double c) const override {
    return mean_ * boost::math::ibetac(a_ + 1.0, b_, c, BoostPolicy());
  }
  double partial_mean_below_inside(double c) const override {
    return mean_ * boost::math::ibeta(a_ + 1.0, b_, c, BoostPolicy());
  }

 private:
  double a_;
  double b_;
  double mean_;
};

}  // namespace

Expected<ContinuousPtr> make_beta(double a, double b, std::string_view input) {
  const std::string_view hint =
      "both shape parameters must be positive, e.g. beta(a=2, b=5); the values lie in [0, 1]";
  if (auto ok = require_positive("beta", "a", a, input, hint); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = require_positive("beta", "b", b, input, hint); !ok) {
    return tl::unexpected(ok.error());
  }
  // Boost's quantile fails to converge from about 1e20 on (found by fuzz/spec_fuzzer:
  // beta(2.1e57, 3)); beyond 1e12 the distribution is a point mass to double precision anyway.
  if (a > kMaxBetaShape || b > kMaxBetaShape) {
    return spec_error(fmt::format("beta needs a, b <= 1e12, got a={}, b={} in {}", format_number(a),
                                  format_number(b), quote(input)),
                      "such a beta is a point mass at a / (a + b): write discrete(m:1) for it");
  }
  return std::make_shared<const BetaDistribution>(a, b);
}

}  // namespace dia::detail
