// bootstrap_design: resampled rows of an empirical file, redesigned (docs/bootstrap.md).
#include "dia/bootstrap.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include "dia/asymmetric_design.hpp"
#include "dia/classic.hpp"
#include "dia/empirical.hpp"
#include "dia/evaluate.hpp"
#include "distributions/empirical.hpp"
#include "report/kernel_smoothing.hpp"

namespace dia {
namespace {

constexpr int kMinReplicates = 10;
constexpr int kMaxReplicates = 10000;
constexpr std::size_t kSmoothedAtoms = 1000;  // atoms of the smoothed fitting half

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

// The design fitted to `fit` (and to its kernel smoothing) run on `test`.
Holdout holdout(const DistributionPtr& fit, std::size_t fit_rows, const DistributionPtr& test,
                std::size_t test_rows, int bidders, const DesignOptions& options) {
  Holdout h;
  h.fit_rows = fit_rows;
  h.test_rows = test_rows;
  const InspectionDesign fitted = design_inspection(*fit, bidders, options);
  h.in_sample_revenue = fitted.revenue;
  h.rule = fitted.implementation;
  h.test_optimal_revenue = design_inspection(*test, bidders, options).revenue;
  auto out_of_sample = [&](const DistributionPtr& f, const InspectionDesign& d,
                           const char* which) -> std::optional<double> {
    auto run = evaluate_saved(f, bidders, d.mechanism.types, d.mechanism.reduced.allocation, *test);
    if (!run) {
      h.notes.push_back(fmt::format("the {} design cannot be run on the other half: {}", which,
                                    run.error().message));
      return std::nullopt;
    }
    if (!run->truthful) {
      h.notes.push_back(fmt::format(
          "on the other half truthful bidding is not a best response to the {} design (a value "
          "{:.6g} gains {:.3g} by bidding {:.6g}): its revenue there assumes truthful bids",
          which, run->lie_value, run->max_lie_gain, run->lie_bid));
    }
    return run->outcome.revenue;
  };
  h.out_of_sample_revenue = out_of_sample(fit, fitted, "raw");
  auto smoothed = detail::kernel_smoothed(*fit, fit_rows, kSmoothedAtoms);
  if (!smoothed) {
    h.notes.push_back("no smoothed design: " + smoothed.error().message);
    return h;
  }
  h.bandwidth = smoothed->bandwidth;
  const InspectionDesign smooth = design_inspection(*smoothed->distribution, bidders, options);
  h.smoothed_rule = smooth.implementation;
  h.smoothed_out_of_sample_revenue = out_of_sample(smoothed->distribution, smooth, "smoothed");
  if (h.rule == "border_lottery" && h.smoothed_rule != "border_lottery") {
    h.notes.push_back(
        "the raw design runs a Border lottery (a lower bidder sometimes wins) and the smoothed "
        "one does not: the lottery is fitted to sampling noise unless the raw design earns "
        "clearly more on the other half");
  }
  return h;
}

Expected<void> check_replicates(int replicates) {
  if (replicates < kMinReplicates || replicates > kMaxReplicates) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("--bootstrap needs {}..{} replicates, got {}", kMinReplicates,
                            kMaxReplicates, replicates),
                "e.g. --bootstrap 200 (percentile intervals need a few hundred)");
  }
  return {};
}

}  // namespace

Expected<DesignBootstrap> bootstrap_design(std::string_view spec, int bidders, int replicates,
                                           std::uint64_t seed, const DesignOptions& options,
                                           const RowProgress& progress) {
  if (auto ok = check_replicates(replicates); !ok) return tl::unexpected(ok.error());
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
    if (progress) progress(revenues.size(), static_cast<std::size_t>(replicates));
  }
  out.revenue = percentiles(revenues);
  out.gain_over_myerson_percent = percentiles(gains);

  if (n >= 2) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::shuffle(order.begin(), order.end(), rng);
    const std::vector<std::size_t> fit(order.begin(), order.begin() + n / 2);
    const std::vector<std::size_t> test(order.begin() + n / 2, order.end());
    auto fit_d = distribution_of(*rows, fit, source->path, true);
    auto test_d = distribution_of(*rows, test, source->path, true);
    if (fit_d && test_d) {
      out.holdout = holdout(*fit_d, fit.size(), *test_d, test.size(), bidders, options);
    }
  }
  return out;
}

Expected<DesignBootstrap> bootstrap_classes(std::string_view spec, std::string_view by,
                                            int replicates, std::uint64_t seed,
                                            const DesignOptions& options,
                                            const RowProgress& progress) {
  if (auto ok = check_replicates(replicates); !ok) return tl::unexpected(ok.error());
  auto classes = empirical_classes(spec, by);
  if (!classes) return tl::unexpected(classes.error());
  DesignBootstrap out;
  out.replicates = replicates;
  out.seed = seed;
  out.by = std::string(by);
  for (const auto& c : *classes) {
    out.observations += c.observations;
    out.class_observations.push_back(c.observations);
  }
  std::mt19937_64 rng(seed);
  // Drawing a class's rows in proportion to their weights is drawing its atoms by probability.
  std::vector<std::discrete_distribution<std::size_t>> draws;
  for (const auto& c : *classes) {
    const auto& p = c.distribution->atoms().probabilities;
    draws.emplace_back(p.begin(), p.end());
  }
  std::vector<double> revenues, gains;
  for (int b = 0; b < replicates; ++b) {
    std::vector<BidderClass> resampled;
    for (std::size_t c = 0; c < classes->size(); ++c) {
      const EmpiricalClass& source = (*classes)[c];
      std::vector<double> values(source.observations);
      for (auto& v : values) v = source.distribution->atoms().values[draws[c](rng)];
      auto d = detail::empirical_distribution(std::move(values),
                                              std::vector<double>(source.observations, 1.0),
                                              source.label, source.label);
      if (!d) return tl::unexpected(d.error());
      resampled.push_back({source.label, 1, std::move(*d)});
    }
    if (auto fits = check_class_atoms(resampled); !fits) return tl::unexpected(fits.error());
    const AsymmetricDesign design = design_asymmetric(resampled, options);
    revenues.push_back(design.revenue);
    const double myerson = design.classic.myerson;
    if (myerson > 0) gains.push_back(100 * (design.revenue - myerson) / myerson);
    if (progress) progress(revenues.size(), static_cast<std::size_t>(replicates));
  }
  out.revenue = percentiles(revenues);
  out.gain_over_myerson_percent = percentiles(gains);
  return out;
}

}  // namespace dia
