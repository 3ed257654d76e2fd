// A distribution with finitely many atoms (internal).
#pragma once

#include <string>
#include <vector>

#include "dia/distribution.hpp"

namespace dia::detail {

class DiscreteDistribution final : public Distribution {
 public:
  // `spec` is the normalised SPEC that produced the atoms (discrete, mixture or empirical).
  DiscreteDistribution(DiscreteTypes types, std::string spec);

  std::string spec() const override { return spec_; }
  bool is_discrete() const override { return true; }
  double lower() const override { return types_.values.front(); }
  double upper() const override { return types_.values.back(); }
  double mean() const override { return mean_above_.front(); }

  double cdf(double v) const override;
  double survival(double v) const override;
  double quantile(double q) const override;
  double survival_quantile(double s) const override;
  double partial_mean_above(double c) const override;

  double pdf(double v) const override;  // a bug: aborts
  const DiscreteTypes& atoms() const override { return types_; }

 private:
  DiscreteTypes types_;
  std::string spec_;
  std::vector<double> below_;       // below_[k] = p_0 + ... + p_{k-1}, below_[m] = 1
  std::vector<double> above_;       // above_[k] = p_k + ... + p_{m-1}, above_[0] = 1
  std::vector<double> mean_above_;  // mean_above_[k] = sum_{l >= k} p_l v_l
};

}  // namespace dia::detail
