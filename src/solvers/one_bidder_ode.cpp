// The continuous one-bidder optimum by the (ODE) of MODEL.md section 5, in the regular
// parametrisation dw/ds = (theta - w) f(theta), dtheta/ds = w f(w), rewritten with the survival
// sigma = 1 - F(theta) of the deviating type so that unbounded supports need no cut-off:
//   phase 1 (time tau, ds = dtau / f(theta)):  dw/dtau = theta - w,  dsigma/dtau = -w f(w);
//   phase 2 (t = -ln sigma, once sigma is small): dw/dt = (theta - w) sigma / (w f(w)).
// theta = survival_quantile(sigma). The cutoff is c = w when sigma reaches 0 (theta = b).
#include <array>
#include <boost/numeric/odeint.hpp>
#include <cmath>

#include "dia/one_bidder_continuous.hpp"

namespace dia {
namespace {

namespace odeint = boost::numeric::odeint;
constexpr double kTolerance = 1e-13;
constexpr double kPhaseSwitchSurvival = 1e-4;
constexpr double kLastLogSurvival = 700;  // sigma = e^-700, the smallest double region we use
constexpr std::size_t kMaxSteps = 2'000'000;
constexpr double kGoldenRatio = 1.6180339887498949;

using Phase1State = std::array<double, 2>;  // (w, sigma)
using Phase2State = std::array<double, 1>;  // (w)

// The start near the bottom a of the support: (a, a) when a > 0; near the origin a point on the
// linearised trajectory theta = golden ratio * w (exact for f(0) > 0; others converge to it).
Phase1State start_state(const Distribution& d) {
  if (d.lower() > 0) return {d.lower(), 1.0};
  const double w = d.quantile(1e-10) / kGoldenRatio;
  return {w, d.survival(kGoldenRatio * w)};
}

template <class System, class State>
Expected<std::size_t> integrate(System system, State& state, double from, double to,
                                double first_step, auto stop) {
  auto stepper =
      odeint::make_controlled(kTolerance, kTolerance, odeint::runge_kutta_dopri5<State>());
  double time = from, step = first_step;
  std::size_t steps = 0;
  while (time < to && !stop(state, time)) {
    step = std::min(step, to - time);
    if (stepper.try_step(system, state, time, step) == odeint::success) ++steps;
    for (double s : state) {
      if (!std::isfinite(s)) return fail(ErrorCode::kInvalidArgument, "the (ODE) left the reals");
    }
    if (steps > kMaxSteps || step < 1e-300) {
      return fail(ErrorCode::kInvalidArgument, "the (ODE) integrator stalled");
    }
  }
  return steps;
}

}  // namespace

Expected<OdeSolution> solve_one_bidder_ode(const Distribution& d) {
  DIA_CHECK(!d.is_discrete());
  auto phase1 = [&](const Phase1State& s, Phase1State& ds, double) {
    const double sigma = std::clamp(s[1], 0.0, 1.0);
    ds[0] = d.survival_quantile(sigma) - s[0];
    ds[1] = -s[0] * d.pdf(s[0]);
  };
  Phase1State s1 = start_state(d);
  OdeSolution out;
  auto steps1 = integrate(phase1, s1, 0.0, 1e300, 1e-6, [](const Phase1State& s, double) {
    return s[1] <= kPhaseSwitchSurvival;
  });
  if (!steps1) return tl::unexpected(steps1.error());

  double w = s1[0];
  const double t0 = -std::log(s1[1]);
  auto wf = [&](double x) { return x * d.pdf(x); };
  if (!(wf(w) > 0)) {
    return fail(ErrorCode::kInvalidArgument, "the density vanishes at the cutoff region");
  }
  auto phase2 = [&](const Phase2State& s, Phase2State& ds, double t) {
    const double sigma = std::exp(-t);
    ds[0] = (d.survival_quantile(sigma) - s[0]) * sigma / wf(s[0]);
  };
  // The rest of the path past t is at most (E[v ; v >= theta] - w sigma) / (w f(w)); stop when it
  // is negligible and add it as the tail correction (second order in the change of w f(w)).
  auto remainder = [&](double wv, double t) {
    const double sigma = std::exp(-t);
    return std::max(0.0, d.partial_mean_above(d.survival_quantile(sigma)) - wv * sigma) / wf(wv);
  };
  Phase2State s2{w};
  double t_end = t0;
  auto steps2 =
      integrate(phase2, s2, t0, kLastLogSurvival, 1e-3, [&](const Phase2State& s, double t) {
        t_end = t;
        return remainder(s[0], t) <= 1e-16 * s[0];
      });
  if (!steps2) return tl::unexpected(steps2.error());
  w = s2[0];
  out.tail_correction = remainder(w, t_end);
  out.cutoff = w + out.tail_correction;
  out.revenue = d.partial_mean_above(out.cutoff);
  out.steps = *steps1 + *steps2;
  return out;
}

}  // namespace dia
