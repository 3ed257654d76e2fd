// The continuous one-bidder optimum by the (ODE) of docs/model.md#ode, in quantile coordinates.
// With pi = P(V > w) for the best alternative bid w and sigma = P(V > theta) for its deviating
// type, f(w) dw = -dpi and f(theta) dtheta = -dsigma turn w f(w) dw = (theta - w) f(theta) dtheta
// into w dpi = (theta - w) dsigma: no density appears, so densities unbounded at an end of the
// support and near-atoms (a piece of width 1e-13) cost nothing. In logarithms y = -ln pi and
// t = -ln sigma (y < t, both 0 at the bottom a > 0 of the support):
//     dy/dt = (theta - w) / w * e^{y - t},   theta = value_at(t), w = value_at(y),
// a ratio of values, hence the same for every scale of the distribution. The cutoff is w at
// t = infinity, and revenue = E[v ; v >= c].
#include <algorithm>
#include <array>
#include <boost/math/tools/toms748_solve.hpp>
#include <boost/numeric/odeint.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "dia/one_bidder_continuous.hpp"
#include "distributions/continuous.hpp"
#include "one_bidder_ode_tail.hpp"

namespace dia {
namespace {

namespace odeint = boost::numeric::odeint;
using State = std::array<double, 1>;  // y

constexpr double kFineTolerance = 1e-12;    // relative, on y
constexpr double kCoarseTolerance = 1e-11;  // the comparison run behind estimated_error
constexpr double kErrorFloor = 2e-13;       // estimated_error is never stated below this
// Absolute, on y, as a fraction of the relative tolerance: an error dy moves the revenue by at most
// w pi dy <= revenue * dy, and values that differ only by rounding (a piece of width 1e-13 at 1)
// make dy/dt a staircase the integrator must not try to resolve below this.
constexpr double kAbsoluteFraction = 1e-4;
constexpr double kStartQuantile = 1e-10;   // a = 0: where the path starts
constexpr double kNegligibleTail = 1e-15;  // relative to the revenue
constexpr double kLastT = 700;             // sigma = e^-700, near the smallest normal double
constexpr double kPowerTailSwitch = 20;    // t from which an exact power tail is used
constexpr double kLargestValue = 1e300;    // the power tail takes over before theta overflows
constexpr std::size_t kMaxSteps = 1'000'000;
constexpr double kLevelRounding = 1e-15;  // a step ends on a level up to this, relative
constexpr double kRestartRise = 1e-3;     // of y, on the first step after a gap
constexpr double kGoldenRatio = 1.6180339887498949;

// The value whose survival is e^{-u}: by the quantile below the median (accurate when 1 - e^{-u}
// is small), by the survival quantile above it (accurate when e^{-u} is).
double value_at(const Distribution& d, double u) {
  return u < std::log(2.0) ? d.quantile(-std::expm1(-u)) : d.survival_quantile(std::exp(-u));
}

// The support between its gaps (docs/model.md#ode-gaps): piece k holds the values [lo, hi] and
// the levels u (survival e^-u) up to `end`, where the quantile function jumps to the next piece.
struct Piece {
  double lo = 0;
  double hi = 0;
  double end = std::numeric_limits<double>::infinity();
};

std::vector<Piece> pieces_of(const Distribution& d) {
  std::vector<Piece> out{{d.lower(), d.upper()}};
  for (const detail::SupportGap& gap : detail::support_gaps(d)) {
    const double q = d.cdf(gap.lo);
    out.back().hi = gap.lo;
    out.back().end = q < 0.5 ? -std::log1p(-q) : -std::log(d.survival(gap.lo));
    out.push_back({gap.hi, d.upper()});
  }
  return out;
}

// The value at level u inside a piece: at the level of a gap, the piece's own end of it.
double value_in(const Distribution& d, const Piece& piece, double u) {
  return std::clamp(value_at(d, u), piece.lo, piece.hi);
}

std::size_t piece_at(const std::vector<Piece>& pieces, double u) {
  std::size_t k = 0;
  while (k + 1 < pieces.size() && u >= pieces[k].end) ++k;
  return k;
}

// Revenue = E[v ; v >= c] at the cutoff c = value_at(y) in `piece`, written a pi + E[v - a ; v >=
// c] with a the piece's lower end, so that the rounding of c costs nothing when the piece is narrow
// next to a (uniform(1e6, 1e6+1), whose gain over Myerson is about 1/(6a); the far component of
// mixture(0.9999:uniform(0,1), 0.0001:uniform(1e4,1e4+1)), where one ulp of c moves the revenue by
// 2e-12 of itself).
double revenue_at(const Distribution& d, const Piece& piece, double y) {
  const double c = value_in(d, piece, y), a = piece.lo;
  if (a == 0) return d.partial_mean_above(c);
  return a * std::exp(-y) + (d.partial_mean_above(c) - a * d.survival(c));
}

// What the sources above theta can still cover: int_{v > theta} (v - w) dF, at most (b - w) sigma
// on a bounded support (no cancellation: a value can round to b while mass remains above it) and
// at most E[v ; v > theta] - w sigma otherwise. The revenue still to be lost lies in [0, this]
// (docs/model.md#dual).
double tail_bound(const Distribution& d, double y, double t) {
  const double w = value_at(d, y), sigma = std::exp(-t);
  if (std::isfinite(d.upper())) return (d.upper() - w) * sigma;
  const double theta = value_at(d, t);
  return std::max(d.partial_mean_above(theta) - w * sigma, (theta - w) * sigma);
}

struct Path {
  double y = 0;
  double t = 0;
  std::size_t steps = 0;
  double tail = 0;  // tail_bound at the end
  double revenue = 0;
};

Expected<Path> start(const Distribution& d) {
  if (d.lower() > 0) return Path{};
  // Near the origin, the linearised trajectory theta = golden ratio * w (exact when f(0) > 0;
  // the others converge to the true path, docs/model.md#ode).
  const double theta = d.quantile(kStartQuantile), w = theta / kGoldenRatio, p = d.cdf(w);
  if (!(w > 0) || !(p > 0)) {
    return fail(ErrorCode::kInvalidArgument, "no mass near 0 for the (ODE) to start from");
  }
  return Path{-std::log1p(-p), -std::log1p(-kStartQuantile)};
}

// Follows the path from its start until the tail is negligible or t reaches t_stop. The right
// side reads w and theta inside their current pieces, so it is smooth on every step; the steps
// stop where either crosses a gap (theta at a known level of t, w where the interpolated y reaches
// the gap's level), and the path goes on from there in the next piece.
Expected<Path> follow(const Distribution& d, double tolerance, double t_stop) {
  auto path = start(d);
  if (!path) return path;
  const std::vector<Piece> pieces = pieces_of(d);
  std::size_t piece_t = piece_at(pieces, path->t), piece_y = piece_at(pieces, path->y);
  auto rate = [&](const State& s, State& ds, double t) {
    const double w = value_in(d, pieces[piece_y], s[0]);
    // y <= t on the path; a trial stage beyond it must not overflow (a non-finite error estimate
    // would pass the step controller).
    ds[0] = (value_in(d, pieces[piece_t], t) - w) / w * std::exp(std::min(s[0] - t, 0.0));
  };
  auto stepper = odeint::make_dense_output(kAbsoluteFraction * tolerance, tolerance,
                                           odeint::runge_kutta_dopri5<State>());
  stepper.initialize(State{path->y}, path->t, path->t > 0 ? 0.1 * path->t : 1e-6);
  for (;;) {
    path->revenue = revenue_at(d, pieces[piece_y], path->y);
    path->tail = tail_bound(d, path->y, path->t);
    if (!std::isfinite(path->revenue)) {
      return fail(ErrorCode::kInvalidArgument, "the (ODE) left the reals");
    }
    if (path->tail <= kNegligibleTail * path->revenue || path->t >= t_stop) return path;
    // Steps end on the next level where theta crosses a gap (or t_stop), never beyond it.
    const double t_limit = std::min(t_stop, pieces[piece_t].end);
    if (path->t + stepper.current_time_step() > t_limit) {
      stepper.initialize(stepper.current_state(), path->t, t_limit - path->t);
    }
    std::pair<double, double> step;
    try {
      step = stepper.do_step(rate);
    } catch (const odeint::step_adjustment_error&) {
      return fail(ErrorCode::kInvalidArgument, "the (ODE) integrator stalled");
    }
    ++path->steps;
    const bool at_limit = step.second >= t_limit - kLevelRounding * t_limit;
    double t = at_limit ? t_limit : step.second;
    State s = stepper.current_state();
    const double y_gap = pieces[piece_y].end;
    const bool y_crosses = s[0] >= y_gap;
    if (y_crosses) {
      // y rises with t: the first t on the step where the interpolated y reaches the gap.
      auto below_gap = [&](double at) {
        State at_state;
        stepper.calc_state(at, at_state);
        return at_state[0] - y_gap;
      };
      std::uintmax_t iterations = 200;
      t = boost::math::tools::toms748_solve(below_gap, step.first, step.second,
                                            below_gap(step.first), s[0] - y_gap,
                                            boost::math::tools::eps_tolerance<double>(), iterations)
              .second;
      s[0] = y_gap;
      ++piece_y;
    }
    if (t >= pieces[piece_t].end) ++piece_t;
    if (at_limit || y_crosses) {
      // Across a gap the rate may jump many-fold (theta from 1 to 10^4): the first step in the new
      // piece may move y by at most kRestartRise.
      State ds;
      rate(s, ds, t);
      const double step_limit = kRestartRise / std::max(std::fabs(ds[0]), kRestartRise);
      stepper.initialize(s, t, std::min(stepper.current_time_step(), step_limit));
    }
    path->y = s[0];
    path->t = t;
    if (!std::isfinite(path->y)) {
      return fail(ErrorCode::kInvalidArgument, "the (ODE) left the reals");
    }
    if (path->steps > kMaxSteps || stepper.current_time_step() < 1e-300) {
      return fail(ErrorCode::kInvalidArgument, "the (ODE) integrator stalled");
    }
  }
}

// Where t may go before theta would overflow: the power tail takes over there.
double last_t(const Distribution& d) {
  const auto tail = d.power_tail();
  if (!tail) return kLastT;
  const double overflow =
      tail->shape * std::log(kLargestValue / tail->from) - std::log(d.survival(tail->from));
  return std::clamp(overflow, 0.0, kPowerTailSwitch);
}

Expected<OdeSolution> solve(const Distribution& d, double tolerance) {
  const auto path = follow(d, tolerance, last_t(d));
  if (!path) return tl::unexpected(path.error());
  OdeSolution out;
  out.steps = path->steps;
  const auto tail = d.power_tail();
  const bool settled = path->tail <= kNegligibleTail * path->revenue;
  if (!settled && tail && value_at(d, path->y) >= tail->from) {
    const double s0 = d.survival(tail->from);
    const detail::TailRise rise = detail::power_tail_rise(path->t - path->y, tail->shape);
    const double y = path->y + rise.rise;
    const detail::PowerTailEnd end = detail::power_tail_end(*tail, s0, y);
    out.log_cutoff = end.log_cutoff;
    out.cutoff = std::exp(end.log_cutoff);
    out.revenue = end.revenue;
    out.tail_correction = end.revenue - path->revenue;
    // An error dy in y_c moves ln(revenue) by dy (shape - 1) / shape (power_tail_end).
    out.estimated_error = rise.error * (tail->shape - 1.0) / tail->shape;
  } else {
    // Not settled: the revenue lies in [R - tail, R]; report the middle, and half as error.
    out.cutoff = value_at(d, path->y);
    out.log_cutoff = std::log(out.cutoff);
    out.tail_correction = settled ? 0.0 : -0.5 * path->tail;
    out.revenue = path->revenue + out.tail_correction;
    out.estimated_error = std::fabs(out.tail_correction) / out.revenue;
  }
  if (!(out.revenue > 0) || !std::isfinite(out.revenue)) {
    return fail(ErrorCode::kInvalidArgument, "the (ODE) gave no finite positive revenue");
  }
  return out;
}

}  // namespace

Expected<OdeSolution> solve_one_bidder_ode(const Distribution& d) {
  DIA_CHECK(!d.is_discrete());
  auto fine = solve(d, kFineTolerance);
  if (!fine) return fine;
  const auto coarse = solve(d, kCoarseTolerance);
  if (!coarse) return coarse;
  fine->estimated_error += std::fabs(fine->revenue - coarse->revenue) / fine->revenue;
  fine->estimated_error = std::max(fine->estimated_error, kErrorFloor);
  return fine;
}

}  // namespace dia
