// Value distributions (MODEL.md section 1) and the SPEC grammar that names them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dia/discrete_types.hpp"
#include "dia/error.hpp"

namespace dia {

// An upper tail that is exactly a power law: survival(v) = survival(from) (from / v)^shape for
// v >= from (shape > 1). The (ODE) of MODEL.md section 5 finishes such a tail analytically.
struct PowerTail {
  double from = 0;
  double shape = 0;
};

// A distribution of a bidder's value on [lower(), upper()] (upper() may be +infinity).
// Either discrete (finitely many atoms) or continuous with a density.
class Distribution {
 public:
  virtual ~Distribution() = default;

  virtual std::string spec() const = 0;  // the normalised SPEC, e.g. "exponential(rate=0.5)"
  virtual bool is_discrete() const = 0;
  virtual double lower() const = 0;
  virtual double upper() const = 0;
  virtual double mean() const = 0;

  virtual double cdf(double v) const = 0;       // P(V <= v)
  virtual double survival(double v) const = 0;  // P(V > v), accurate in the far tail
  virtual double quantile(double q) const = 0;  // smallest v with cdf(v) >= q
  // The v with survival(v) = s; accurate for s near 0 (heavy tails).
  virtual double survival_quantile(double s) const = 0;
  virtual double partial_mean_above(double c) const = 0;  // E[V ; V >= c]

  // Continuous only: the density.
  virtual double pdf(double v) const = 0;
  // Continuous only: the exact power-law tail, if the family has one (pareto).
  virtual std::optional<PowerTail> power_tail() const { return std::nullopt; }
  // Discrete only: the atoms. Calling it on a continuous distribution is a bug.
  virtual const DiscreteTypes& atoms() const = 0;
};

using DistributionPtr = std::shared_ptr<const Distribution>;

// Parses a SPEC: uniform(a,b), exponential(rate), lognormal(mu,sigma), beta(a,b),
// pareto(scale,shape), truncnormal(mu,sigma,lo,hi), discrete(v1:p1,...), mixture(w1:SPEC,...),
// empirical(path). Parameters may be named, e.g. exponential(mean=2). See docs/spec.md.
Expected<DistributionPtr> parse_distribution(std::string_view spec);

// The equal-mass quantile grid of a continuous distribution: `cells` cells of mass 1/cells, each
// represented by its conditional mean. For a discrete distribution, its atoms.
DiscreteTypes quantile_grid(const Distribution& distribution, std::size_t cells);

// The same down to survival per_e_fold / cells; below, per_e_fold cells per e-fold of the
// survival until the mass above carries a negligible share of the mean (or survival 1e-300), so
// that a heavy tail's far cutoff is resolved. The last cell holds the rest of the tail.
DiscreteTypes tail_refined_grid(const Distribution& distribution, std::size_t cells,
                                std::size_t per_e_fold);

}  // namespace dia
