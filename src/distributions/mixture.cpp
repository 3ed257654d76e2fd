#include "distributions/mixture.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "distributions/continuous.hpp"
#include "distributions/discrete.hpp"
#include "distributions/root_finder.hpp"
#include "distributions/spec_text.hpp"
#include "numeric/compensated_sum.hpp"

namespace dia::detail {

namespace {

constexpr double kWeightTolerance = 1e-9;

// A weighted sum of continuous components: every function but the quantiles is the weighted
// sum of the components' ones; the quantiles are found by a bracketing root finder between the
// smallest and largest component quantile.
class MixtureDistribution final : public ContinuousDistribution {
 public:
  MixtureDistribution(std::vector<double> weights, std::vector<ContinuousPtr> components,
                      std::string spec)
      : weights_(std::move(weights)), components_(std::move(components)), spec_(std::move(spec)) {
    lower_ = components_.front()->lower();
    upper_ = components_.front()->upper();
    CompensatedSum mean;
    for (std::size_t i = 0; i < components_.size(); ++i) {
      lower_ = std::min(lower_, components_[i]->lower());
      upper_ = std::max(upper_, components_[i]->upper());
      mean.add(weights_[i] * components_[i]->mean());
    }
    mean_ = mean.value();
    gaps_ = gaps_between(components_);
  }

  std::string spec() const override { return spec_; }
  double lower() const override { return lower_; }
  double upper() const override { return upper_; }
  double mean() const override { return mean_; }

 protected:
  double cdf_inside(double v) const override {
    return sum([v](const ContinuousDistribution& d) { return d.cdf(v); });
  }
  double survival_inside(double v) const override {
    return sum([v](const ContinuousDistribution& d) { return d.survival(v); });
  }
  double quantile_inside(double q) const override {
    const auto [lo, hi] = bracket([q](const ContinuousDistribution& d) { return d.quantile(q); });
    if (q <= 0.5) {
      return first_crossing([&](double x) { return cdf(x) - q; }, lo, hi);
    }
    const double s = 1.0 - q;  // exact for q >= 1/2
    return first_crossing([&](double x) { return s - survival(x); }, lo, hi);
  }
  double survival_quantile_inside(double s) const override {
    const auto [lo, hi] =
        bracket([s](const ContinuousDistribution& d) { return d.survival_quantile(s); });
    if (s <= 0.5) {
      return first_crossing([&](double x) { return s - survival(x); }, lo, hi);
    }
    const double q = 1.0 - s;
    return first_crossing([&](double x) { return cdf(x) - q; }, lo, hi);
  }
  double partial_mean_above_inside(double c) const override {
    return sum([c](const ContinuousDistribution& d) { return d.partial_mean_above(c); });
  }
  double partial_mean_below_inside(double c) const override {
    return sum([c](const ContinuousDistribution& d) { return d.partial_mean_below(c); });
  }
  double pdf_inside(double v) const override {
    return sum([v](const ContinuousDistribution& d) { return d.pdf(v); });
  }
  std::vector<SupportGap> support_gaps() const override { return gaps_; }

 private:
  template <class F>
  double sum(const F& f) const {
    double total = 0.0;
    for (std::size_t i = 0; i < components_.size(); ++i) total += weights_[i] * f(*components_[i]);
    return total;
  }

  // The mixture's quantile lies between the smallest and the largest component quantile.
  template <class F>
  std::pair<double, double> bracket(const F& component_quantile) const {
    double lo = component_quantile(*components_.front());
    double hi = lo;
    for (const auto& component : components_) {
      const double x = component_quantile(*component);
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
    return {std::max(lo, lower_), std::min(hi, upper_)};
  }

  // Where no component has mass: the holes in the union of the components' supports (each
  // component's [lower, upper] less its own gaps).
  static std::vector<SupportGap> gaps_between(const std::vector<ContinuousPtr>& components) {
    std::vector<SupportGap> pieces;  // the intervals with mass, as (lo, hi)
    for (const auto& component : components) {
      double from = component->lower();
      for (const SupportGap& gap : component->support_gaps()) {
        pieces.push_back({from, gap.lo});
        from = gap.hi;
      }
      pieces.push_back({from, component->upper()});
    }
    std::sort(pieces.begin(), pieces.end(),
              [](const SupportGap& a, const SupportGap& b) { return a.lo < b.lo; });
    std::vector<SupportGap> gaps;
    double reach = pieces.front().hi;
    for (const SupportGap& piece : pieces) {
      if (piece.lo > reach) gaps.push_back({reach, piece.lo});
      reach = std::max(reach, piece.hi);
    }
    return gaps;
  }

  std::vector<double> weights_;
  std::vector<ContinuousPtr> components_;
  std::string spec_;
  double lower_ = 0.0;
  double upper_ = 0.0;
  double mean_ = 0.0;
  std::vector<SupportGap> gaps_;
};

}  // namespace

Expected<DistributionPtr> make_mixture(const std::vector<double>& weights,
                                       const std::vector<DistributionPtr>& components,
                                       std::string_view input) {
  DIA_CHECK(weights.size() == components.size());
  const std::string hint =
      "weights are positive and sum to 1, e.g. mixture(0.3:uniform(0,1), 0.7:exponential(2))";
  if (weights.empty()) {
    return spec_error(fmt::format("mixture needs at least one component, got {}", quote(input)),
                      hint);
  }
  CompensatedSum total;
  for (double w : weights) {
    if (!std::isfinite(w) || w <= 0) {
      return spec_error(fmt::format("mixture weights must be > 0, got weight {} in {}",
                                    format_number(w), quote(input)),
                        hint);
    }
    total.add(w);
  }
  const double sum = total.value();
  if (!(std::abs(sum - 1.0) <= kWeightTolerance)) {
    return spec_error(fmt::format("mixture weights sum to {}, not 1 (tolerance 1e-9), in {}",
                                  format_number(sum), quote(input)),
                      fmt::format("rescale the weights so they sum to 1, e.g. divide each by {}",
                                  format_number(sum)));
  }
  // Left alone within a few ulps of 1, so that printed weights parse back to themselves.
  std::vector<double> normalised(weights);
  if (std::abs(sum - 1.0) > 4 * std::numeric_limits<double>::epsilon()) {
    for (double& w : normalised) w /= sum;
  }

  std::string spec = "mixture(";
  std::size_t discrete_count = 0;
  for (std::size_t i = 0; i < components.size(); ++i) {
    if (i > 0) spec += ", ";
    fmt::format_to(std::back_inserter(spec), "{}:{}", normalised[i], components[i]->spec());
    if (components[i]->is_discrete()) ++discrete_count;
  }
  spec += ')';

  if (discrete_count == components.size()) {
    std::vector<double> values;
    std::vector<double> probabilities;
    for (std::size_t i = 0; i < components.size(); ++i) {
      const DiscreteTypes& atoms = components[i]->atoms();
      for (std::size_t k = 0; k < atoms.size(); ++k) {
        values.push_back(atoms.values[k]);
        probabilities.push_back(normalised[i] * atoms.probabilities[k]);
      }
    }
    auto types = make_discrete_types(std::move(values), std::move(probabilities), 1e-9);
    if (!types) {
      return spec_error(fmt::format("{} in {}", types.error().message, quote(input)),
                        types.error().hint);
    }
    return std::make_shared<const DiscreteDistribution>(std::move(*types), std::move(spec));
  }
  if (discrete_count > 0) {
    return spec_error(
        fmt::format("mixture mixes discrete and continuous components in {}", quote(input)),
        "use components of one kind: write the continuous parts as discrete(...) atoms (or use "
        "a quantile grid), or replace each atom by a narrow uniform(...)");
  }
  std::vector<ContinuousPtr> continuous;
  continuous.reserve(components.size());
  for (const auto& component : components) {
    auto cast = std::dynamic_pointer_cast<const ContinuousDistribution>(component);
    DIA_CHECK(cast != nullptr);
    continuous.push_back(std::move(cast));
  }
  return std::make_shared<const MixtureDistribution>(std::move(normalised), std::move(continuous),
                                                     std::move(spec));
}

}  // namespace dia::detail
