// The common frame of every continuous distribution (internal).
#pragma once

#include <cmath>
#include <memory>
#include <vector>

#include "dia/distribution.hpp"

namespace dia::detail {

// An interval (lo, hi) inside the support that carries no mass: the quantile function jumps from
// lo to hi across it (docs/model.md#ode-gaps).
struct SupportGap {
  double lo = 0;
  double hi = 0;
};

// A continuous distribution with a density. The public functions handle arguments outside the
// support (and q or s outside (0, 1)) once, here; the families implement the *_inside functions
// for arguments strictly inside the support (v may equal a finite bound for pdf_inside).
class ContinuousDistribution : public Distribution {
 public:
  bool is_discrete() const final { return false; }
  const DiscreteTypes& atoms() const final;  // a bug: aborts

  double cdf(double v) const final;
  double survival(double v) const final;
  double quantile(double q) const final;
  double survival_quantile(double s) const final;
  double partial_mean_above(double c) const final;
  double pdf(double v) const final;

  // E[V ; V < c], accurate when it is small (quantile grids need it below the median).
  double partial_mean_below(double c) const;
  // The gaps of the support in increasing order: none but between the components of a mixture.
  virtual std::vector<SupportGap> support_gaps() const { return {}; }

 protected:
  virtual double cdf_inside(double v) const = 0;
  virtual double survival_inside(double v) const = 0;
  virtual double quantile_inside(double q) const = 0;
  virtual double survival_quantile_inside(double s) const = 0;
  virtual double partial_mean_above_inside(double c) const = 0;
  virtual double partial_mean_below_inside(double c) const = 0;
  virtual double pdf_inside(double v) const = 0;
};

using ContinuousPtr = std::shared_ptr<const ContinuousDistribution>;

// The gaps of any distribution's support: those of a continuous one, none for a discrete one.
std::vector<SupportGap> support_gaps(const Distribution& distribution);

}  // namespace dia::detail
