// Fast draws of a bidder's value (internal). Exact closed forms for uniform and exponential, an
// alias table for discrete atoms, and otherwise a tabulated inverse CDF with linear
// interpolation, drawn by the exact quantile in the end cells (unbounded densities, infinite
// supports) and in every cell where interpolation misses the quantile by more than 1e-7 of the
// interquartile range; the largest remaining error is measured at build time (SamplingInfo).
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "dia/simulation.hpp"
#include "simulation/random.hpp"

namespace dia::detail {

// A drawn value with its CDF level u (continuous: the sampled distribution's F(value)) and, for a
// discrete distribution, its atom index.
struct Draw {
  double value = 0;
  double u = 0;
  std::uint32_t atom = 0;
};

class ValueSampler {
 public:
  static constexpr std::size_t kTableCells = std::size_t{1} << 16;

  explicit ValueSampler(DistributionPtr distribution);

  template <class Rng>
  Draw draw(Rng& rng) const {
    switch (kind_) {
      case Kind::kUniform: {
        const double u = uniform01(rng);
        return {low_ + width_ * u, u, 0};
      }
      case Kind::kExponential: {
        const double u = uniform01(rng);
        return {low_ - std::log1p(-u) * width_, u, 0};
      }
      case Kind::kAlias: {
        const auto product = static_cast<Uint128>(rng()) * alias_.size();
        auto i = static_cast<std::uint32_t>(product >> 64);
        if (static_cast<std::uint64_t>(product) >= threshold_[i]) i = alias_[i];
        return {atom_values_[i], 0.0, i};
      }
      case Kind::kTable:
      default: {
        const double u = uniform01(rng);
        return {table_value(u), u, 0};
      }
    }
  }

  double table_value(double u) const {
    const double x = u * static_cast<double>(kTableCells);
    const auto i = static_cast<std::size_t>(x);
    if (i >= kTableCells || exact_cell_[i]) return exact_quantile(u);
    const double t = x - static_cast<double>(i);
    return table_[i] + t * (table_[i + 1] - table_[i]);
  }
  double exact_quantile(double u) const;

  const SamplingInfo& info() const { return info_; }
  bool discrete() const { return kind_ == Kind::kAlias; }

 private:
  enum class Kind { kUniform, kExponential, kAlias, kTable };
  Kind kind_ = Kind::kTable;
  DistributionPtr distribution_;
  double low_ = 0, width_ = 1;  // uniform: low, high - low; exponential: lower bound, mean
  std::vector<double> table_;   // quantiles at i / kTableCells
  std::vector<std::uint8_t> exact_cell_;  // 1: cell i is drawn by the exact quantile
  std::vector<double> atom_values_;
  std::vector<std::uint64_t> threshold_;  // alias method, scaled to 2^64
  std::vector<std::uint32_t> alias_;
  SamplingInfo info_;
};

}  // namespace dia::detail
