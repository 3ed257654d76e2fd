// The power-law tail of the (ODE) in closed form plus one quadrature (docs/model.md#ode).
#include "one_bidder_ode_tail.hpp"

#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <cmath>

namespace dia::detail {

TailRise power_tail_rise(double d, double shape) {
  // With L = shape / (shape - 1): dy/dt = g(d) = e^{-d/L} - e^{-d} and dd/dt = 1 - g(d) > 0, so
  // y rises by int_d^inf g / (1 - g). Beyond D the e^{-d} terms are below 1e-17 of the others
  // and the rest is int_D^inf e^{-x/L} / (1 - e^{-x/L}) dx = -L ln(1 - e^{-D/L}), with 1 - e^{-D/L}
  // by expm1 (D / L is 6e-6 for shape 1 + 1e-7: 1 - exp would lose 2e-11 of it, 2e-4 of y).
  const double L = shape / (shape - 1.0);
  const auto rate = [&](double x) {
    const double g = std::exp(-x / L) - std::exp(-x);
    return g / (-std::expm1(-x / L) + std::exp(-x));
  };
  const double far = d + 40.0 * std::max(shape, 1.0) + std::log1p(L);
  using Rule = boost::math::quadrature::gauss_kronrod<double, 61>;
  double error = 0;
  const double near = Rule::integrate(rate, d, far, 20, 1e-15, &error);
  return {near - L * std::log(-std::expm1(-far / L)), error};
}

PowerTailEnd power_tail_end(const PowerTail& tail, double survival_at_from, double y_cutoff) {
  // P(V > c) = S0 (from / c)^shape = e^{-y_c}  =>  ln c = ln from + (ln S0 + y_c) / shape, and
  // ln(c P(V > c)) = ln from + ln S0 / shape - y_c (shape - 1) / shape: written so, y_c (up to
  // 1e8 for shape 1 + 1e-7) does not cancel against itself.
  const double log_s0 = std::log(survival_at_from);
  PowerTailEnd end;
  end.log_cutoff = std::log(tail.from) + (log_s0 + y_cutoff) / tail.shape;
  end.revenue = tail.shape / (tail.shape - 1.0) *
                std::exp(std::log(tail.from) + log_s0 / tail.shape -
                         y_cutoff * ((tail.shape - 1.0) / tail.shape));
  return end;
}

}  // namespace dia::detail
