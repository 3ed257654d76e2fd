// Value distributions (docs/model.md#model) and the SPEC grammar that names them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dia/discrete_types.hpp"
#include "dia/error.hpp"

namespace dia {

// An upper tail that is exactly a power law: survival(v) = survival(from) (from / v)^shape for
// v >= from (shape > 1). The (ODE) of docs/model.md#ode finishes such a tail analytically.
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

// What a SPEC may do with the files it names (empirical(path), also inside a mixture).
enum class SpecFiles {
  kRead,    // read them; spec() names them (the CLI, on its user's own files)
  kInline,  // read them; spec() gives their atoms as discrete(...), a SPEC that needs no file
  kRefuse,  // read none: a SPEC that names a file fails with ErrorCode::kFileNotAllowed (a
            // server never reads its own files for a client, nor a file named in stored data)
};

// Parses a SPEC: uniform(a,b), exponential(rate), lognormal(mu,sigma), beta(a,b),
// pareto(scale,shape), truncnormal(mu,sigma,lo,hi), discrete(v1:p1,...), mixture(w1:SPEC,...),
// empirical(path). Parameters may be named, e.g. exponential(mean=2). See docs/spec.md.
Expected<DistributionPtr> parse_distribution(std::string_view spec,
                                             SpecFiles files = SpecFiles::kRead);

// The distribution of a stored design (a server's database, an auction export), read without
// opening any file: its SPEC, or, for a SPEC from before stored designs were self-contained that
// names a file, the atoms `types` lists with their probabilities (an optimiser's design lists
// them). kFileNotAllowed when the SPEC names a file and `types` has no probabilities.
Expected<DistributionPtr> parse_stored_spec(std::string_view spec, const DiscreteTypes& types);

// The normalised "discrete(v1:p1, v2:p2, ...)" SPEC of a type space: it parses back to exactly
// these atoms.
std::string discrete_spec(const DiscreteTypes& types);

// The equal-mass quantile grid of a continuous distribution: `cells` cells of mass 1/cells, each
// represented by its conditional mean. For a discrete distribution, its atoms.
DiscreteTypes quantile_grid(const Distribution& distribution, std::size_t cells);

// The same down to survival per_e_fold / cells; below, per_e_fold cells per e-fold of the
// survival until the mass above carries a negligible share of the mean (or survival 1e-300), so
// that a heavy tail's far cutoff is resolved. The last cell holds the rest of the tail.
DiscreteTypes tail_refined_grid(const Distribution& distribution, std::size_t cells,
                                std::size_t per_e_fold);

}  // namespace dia
