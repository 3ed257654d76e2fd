// bootstrap_design: resampled rows of an empirical file, redesigned (docs/bootstrap.md).
#include "dia/bootstrap.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include "dia/classic.hpp"
#include "dia/evaluate.hpp"
#include "distributions/empirical.hpp"

namespace dia {
namespace {

constexpr int kMinReplicates = 10;
constexpr int kMaxReplicates = 10000;

Interval percentiles(std::vector<double> samples) {
  if (samples.empty()) return {};
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) {
    const double position = q * static_cast<double>(samples.size() - 1);
    const auto below = static_cast<std::size_t>(position);
    const std::size_t above = std::min(below + 1, samples.size() - 1);
    const double t = position - static_cast<double>(below);
    return samples[below] + t * (samples[above] - samples[below]);
  };
  return {at(0.025), at(0.975)};
}

// The rows `picked` (repeats count) as a distribution: with their weights, or each weight 1 (a
// bootstrap draw already picked rows in proportion to their weights).
Expected<DistributionPtr> distribution_of(const detail::EmpiricalRows& rows,
                                          const std::vector<std::size_t>& picked,
                                          const std::string& path, bool weighted) {
  std::vector<double> values, weights;
  values.reserve(picked.size());
  weights.reserve(picked.size());
  for (std::size_t r : picked) {
    values.push_back(rows.values[r]);
    weights.push_back(weighted ? rows.weights[r] : 1.0);
  }
  return detail::empirical_distribution(std::move(values), std::move(weights), path, "resampled");
}

}  // namespace

Expected<DesignBootstrap> bootstrap_design(std::string_view spec, int bidders, int replicates,
                                           std::uint64_t seed, const DesignOptions& options) {
  if (replicates < kMinReplicates || replicates > kMaxReplicates) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("--bootstrap needs {}..{} replicates, got {}", kMinReplicates,
                            kMaxReplicates, replicates),
                "e.g. --bootstrap 200 (percentile intervals need a few hundred)");
  }
  auto source = detail::parse_empirical_spec(spec, "--bootstrap");
  if (!source) return tl::unexpected(source.error());
  auto rows = detail::read_empirical_rows(*source, {});
  if (!rows) return tl::unexpected(rows.error());
  const std::size_t n = rows->values.size();

  DesignBootstrap out;
  out.replicates = replicates;
  out.seed = seed;
  out.observations = n;
  std::mt19937_64 rng(seed);
  std::discrete_distribution<std::size_t> draw(rows->weights.begin(), rows->weights.end());
  std::vector<double> revenues, gains;
  std::vector<std::size_t> picked(n);
  for (int b = 0; b < replicates; ++b) {
    for (auto& r : picked) r = draw(rng);
    auto d = distribution_of(*rows, picked, source->path, false);
    if (!d) return tl::unexpected(d.error());
    if (auto valid = validate_design_request(**d, bidders, options); !valid) {
      return tl::unexpected(valid.error());
    }
    const InspectionDesign design = design_inspection(**d, bidders, options);
    const double myerson = classic_revenues(**d, bidders).myerson;
    revenues.push_back(design.revenue);
    if (myerson > 0) gains.push_back(100 * (design.revenue - myerson) / myerson);
  }
  out.revenue = percentiles(revenues);
  out.gain_over_myerson_percent = percentiles(gains);

  if (bidders == 1 && n >= 2) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::shuffle(order.begin(), order.end(), rng);
    const std::vector<std::size_t> fit(order.begin(), order.begin() + n / 2);
    const std::vector<std::size_t> test(order.begin() + n / 2, order.end());
    auto fit_d = distribution_of(*rows, fit, source->path, true);
    auto test_d = distribution_of(*rows, test, source->path, true);
    if (fit_d && test_d) {
      const InspectionDesign fitted = design_inspection(**fit_d, 1, options);
      auto run = evaluate_menu(fitted.mechanism.types.values, fitted.mechanism.reduced.allocation,
                               **test_d);
      if (run) {
        out.holdout = Holdout{fit.size(), test.size(), fitted.revenue, run->revenue,
                              design_inspection(**test_d, 1, options).revenue};
      }
    }
  }
  return out;
}

}  // namespace dia
