// Fast value draws (see value_sampler.hpp).
#include "simulation/value_sampler.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace dia::detail {
namespace {

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// A cell whose linear interpolation misses the quantile at its midpoint by more than this (times
// the interquartile range) is drawn exactly: steep tails, and jumps across gaps in the support.
constexpr double kTableTolerance = 1e-7;

}  // namespace

ValueSampler::ValueSampler(DistributionPtr distribution) : distribution_(std::move(distribution)) {
  const Distribution& d = *distribution_;
  const std::string spec = d.spec();
  if (d.is_discrete()) {
    kind_ = Kind::kAlias;
    const DiscreteTypes& t = d.atoms();
    const std::size_t m = t.size();
    atom_values_ = t.values;
    threshold_.assign(m, std::numeric_limits<std::uint64_t>::max());
    alias_.resize(m);
    // Vose's alias method on scaled masses m p_k.
    std::vector<double> scaled(m);
    std::vector<std::uint32_t> small, large;
    for (std::size_t k = 0; k < m; ++k) {
      scaled[k] = t.probabilities[k] * static_cast<double>(m);
      alias_[k] = static_cast<std::uint32_t>(k);
      (scaled[k] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(k));
    }
    while (!small.empty() && !large.empty()) {
      const std::uint32_t s = small.back(), l = large.back();
      small.pop_back();
      const double level = std::ldexp(std::clamp(scaled[s], 0.0, 1.0), 64);
      threshold_[s] = level >= 0x1.0p64 ? std::numeric_limits<std::uint64_t>::max()
                                        : static_cast<std::uint64_t>(level);
      alias_[s] = l;
      scaled[l] -= 1.0 - scaled[s];
      if (scaled[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    // Leftovers keep threshold 2^64 - 1 (always themselves): rounding only.
    info_ = {"alias table", m, 0.0};
    return;
  }
  if (starts_with(spec, "uniform(")) {
    kind_ = Kind::kUniform;
    low_ = d.lower();
    width_ = d.upper() - d.lower();
    info_ = {"exact uniform", 0, 0.0};
    return;
  }
  if (starts_with(spec, "exponential(") && d.lower() == 0) {
    kind_ = Kind::kExponential;
    low_ = 0;
    width_ = d.mean();
    info_ = {"exact exponential", 0, 0.0};
    return;
  }
  kind_ = Kind::kTable;
  table_.resize(kTableCells + 1);
  for (std::size_t i = 0; i <= kTableCells; ++i) {
    table_[i] = exact_quantile(static_cast<double>(i) / static_cast<double>(kTableCells));
  }
  // Every interior cell's error at its midpoint (where linear interpolation of a smooth
  // function errs most); those above the tolerance are drawn exactly.
  const double spread = std::max(table_[3 * kTableCells / 4] - table_[kTableCells / 4],
                                 std::numeric_limits<double>::min());
  exact_cell_.assign(kTableCells, 0);
  exact_cell_.front() = exact_cell_.back() = 1;
  double error = 0;
  for (std::size_t i = 1; i + 1 < kTableCells; ++i) {
    const double u = (static_cast<double>(i) + 0.5) / static_cast<double>(kTableCells);
    const double miss = std::abs(0.5 * (table_[i] + table_[i + 1]) - exact_quantile(u));
    if (miss > kTableTolerance * spread || !std::isfinite(miss)) {
      exact_cell_[i] = 1;
    } else {
      error = std::max(error, miss);
    }
  }
  info_ = {"quantile table", kTableCells, error};
}

double ValueSampler::exact_quantile(double u) const {
  // survival_quantile is accurate in the upper tail.
  return u > 0.5 ? distribution_->survival_quantile(1.0 - u) : distribution_->quantile(u);
}

}  // namespace dia::detail
