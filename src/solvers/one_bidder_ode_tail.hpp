// The (ODE) of docs/model.md#ode past the reach of the integrator, where the value distribution
// has an exact power-law tail (internal to the one-bidder solvers).
#pragma once

#include "dia/distribution.hpp"

namespace dia::detail {

// In the quantile coordinates of one_bidder_ode.cpp (y = -ln P(V > w), t = -ln P(V > theta)),
// a power tail of shape alpha makes theta / w = e^{d / alpha} with d = t - y, so the (ODE)
// dy/dt = (theta / w - 1) e^{-d} is autonomous in d. Returns y(infinity) - y at d = t - y >= 0,
// with the quadrature's own error estimate (absolute, on y).
struct TailRise {
  double rise = 0;
  double error = 0;
};
TailRise power_tail_rise(double d, double shape);

// The cutoff c (as ln c) and the revenue E[v ; v >= c] = shape / (shape - 1) c P(V > c) of a
// cutoff inside the power tail, given y_c = -ln P(V > c); in logarithms, so that a cutoff beyond
// the largest double still gives its revenue.
struct PowerTailEnd {
  double log_cutoff = 0;
  double revenue = 0;
};
PowerTailEnd power_tail_end(const PowerTail& tail, double survival_at_from, double y_cutoff);

}  // namespace dia::detail
