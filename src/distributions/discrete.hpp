// A distribution with finitely many atoms (internal).
#pragma once

#include <mutex>
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
  double mean() const override { return tables().mean_above.front(); }

  double cdf(double v) const override;
  double survival(double v) const override;
  double quantile(double q) const override;
  double survival_quantile(double s) const override;
  double partial_mean_above(double c) const override;

  double pdf(double v) const override;  // a bug: aborts
  const DiscreteTypes& atoms() const override { return types_; }

 private:
  struct Tables {
    std::vector<double> below;       // below[k] = p_0 + ... + p_{k-1}, below[m] = 1
    std::vector<double> above;       // above[k] = p_k + ... + p_{m-1}, above[0] = 1
    std::vector<double> mean_above;  // mean_above[k] = sum_{l >= k} p_l v_l
  };
  // Built on first use (once, thread-safe): the designers read the atoms only, and at m = 10^6
  // (an empirical file, issue 14) the tables are 24 MB.
  const Tables& tables() const;

  DiscreteTypes types_;
  std::string spec_;
  mutable std::once_flag tables_once_;
  mutable Tables tables_;
};

}  // namespace dia::detail
