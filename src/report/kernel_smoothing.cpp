// kernel_smoothed: an empirical distribution smoothed by a Gaussian kernel, for the bootstrap's
// smoothed-versus-raw holdout (docs/bootstrap.md#smoothed). Hand-written: a few lines of
// Silverman's rule and an inverse CDF on a grid, not worth a dependency.
#include "report/kernel_smoothing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "distributions/empirical.hpp"

namespace dia::detail {
namespace {

constexpr std::size_t kCentres = 1000;  // kernel centres at most (equal-mass quantiles beyond)
constexpr std::size_t kCdfPoints = 20001;

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

}  // namespace

Expected<SmoothedSample> kernel_smoothed(const Distribution& sample, std::size_t observations,
                                         std::size_t atoms) {
  // The centres: the sample's atoms, or kCentres equal-mass quantiles of it.
  std::vector<double> centre, weight;
  const DiscreteTypes& own = sample.atoms();
  if (own.values.size() <= kCentres) {
    centre = own.values;
    weight = own.probabilities;
  } else {
    for (std::size_t k = 0; k < kCentres; ++k) {
      centre.push_back(sample.quantile((static_cast<double>(k) + 0.5) / kCentres));
      weight.push_back(1.0 / kCentres);
    }
  }
  double mean = 0, second = 0;
  for (std::size_t i = 0; i < own.values.size(); ++i) {
    mean += own.probabilities[i] * own.values[i];
    second += own.probabilities[i] * own.values[i] * own.values[i];
  }
  const double sd = std::sqrt(std::max(0.0, second - mean * mean));
  const double iqr = sample.quantile(0.75) - sample.quantile(0.25);
  const double spread = iqr > 0 ? std::min(sd, iqr / 1.34) : sd;
  const double h = 0.9 * spread * std::pow(static_cast<double>(observations), -0.2);
  if (!(h > 0)) {
    return fail(ErrorCode::kInvalidArgument, "the sample has a single value: nothing to smooth");
  }
  // Reflected at 0 (values are >= 0): F(x) = sum_i w_i (Phi((x - c_i)/h) + Phi((x + c_i)/h) - 1).
  const double top = centre.back() + 8 * h;
  std::vector<double> x(kCdfPoints), cdf(kCdfPoints);
  for (std::size_t k = 0; k < kCdfPoints; ++k) {
    x[k] = top * static_cast<double>(k) / (kCdfPoints - 1);
    double f = 0;
    for (std::size_t i = 0; i < centre.size(); ++i) {
      f +=
          weight[i] * (normal_cdf((x[k] - centre[i]) / h) + normal_cdf((x[k] + centre[i]) / h) - 1);
    }
    cdf[k] = std::clamp(f, 0.0, 1.0);
  }
  for (std::size_t k = 1; k < kCdfPoints; ++k) cdf[k] = std::max(cdf[k], cdf[k - 1]);
  // Equal-mass atoms at the levels (k + 1/2) / atoms, by linear interpolation of the inverse.
  std::vector<double> values;
  for (std::size_t k = 0; k < atoms; ++k) {
    const double level = (static_cast<double>(k) + 0.5) / static_cast<double>(atoms);
    const std::size_t hi = std::min<std::size_t>(
        kCdfPoints - 1, std::lower_bound(cdf.begin(), cdf.end(), level) - cdf.begin());
    const std::size_t lo = hi == 0 ? 0 : hi - 1;
    const double span = cdf[hi] - cdf[lo];
    values.push_back(span > 0 ? x[lo] + (level - cdf[lo]) / span * (x[hi] - x[lo]) : x[hi]);
  }
  auto d = empirical_distribution(
      values, std::vector<double>(atoms, 1.0), "kernel",
      fmt::format("kernel-smoothed({}, bandwidth={:.6g})", sample.spec(), h));
  if (!d) return tl::unexpected(d.error());
  return SmoothedSample{std::move(*d), h};
}

}  // namespace dia::detail
