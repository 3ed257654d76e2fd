// The ironed stretch of docs/model.md#ironed-stretch, by shooting on the continuum. On the stretch
// [s1, s2] Border is slack and its multiplier is a constant level B0, so the deviating type theta
// and the allocation follow the one-bidder equations with the demand (w - B0) f(w):
//   theta' = (w - B0) f(w) / ((theta - w) f(theta)),   X' = X / (theta - w),
// from theta(s1) = theta_G(s1), X(s1) = G(s1) (no atom of deviating types at either end). The
// unknowns (s1, B0, s2) solve theta(s2) = theta_G(s2), X(s2) = G(s2) and Border tight at both
// ends, integral_{s1}^{s2} (X - G) f = 0, by Newton's method with a finite-difference Jacobian.
// Hand-written: our own science. Nothing here is trusted: the structured construction keeps the
// stretch only when it keeps Border and monotonicity on the grid and does not lower the revenue,
// and the audit checks the certificate.
#include "ironed_stretch.hpp"

#include <algorithm>
#include <array>
#include <boost/numeric/odeint.hpp>
#include <cmath>
#include <vector>

namespace dia {

double IronedStretch::excess_at(double v) const {
  if (values.empty() || v <= values.front() || v >= values.back()) return 0;
  const auto it = std::upper_bound(values.begin(), values.end(), v);
  const std::size_t j = static_cast<std::size_t>(it - values.begin());
  const double t = (v - values[j - 1]) / (values[j] - values[j - 1]);
  return excess[j - 1] + t * (excess[j] - excess[j - 1]);
}

namespace detail {
namespace {

namespace odeint = boost::numeric::odeint;
using State = std::array<double, 3>;  // theta, X, integral of (X - G) f

constexpr int kSteps = 2000;         // RK4 steps over the stretch (error ~ (width / kSteps)^4)
constexpr int kScan = 400;           // points of the scan of B_G
constexpr double kScanEdge = 0.005;  // the scan covers quantiles kScanEdge .. 1 - kScanEdge

class Shooting {
 public:
  Shooting(const Distribution& d, int n) : d_(d), n_(n) {}

  double g(double w) const { return std::pow(d_.cdf(w), n_ - 1); }
  // The deviating type of X = G: theta_G = w + F / ((n - 1) f) (docs/model.md#border-dual).
  double theta_g(double w) const { return w + d_.cdf(w) / ((n_ - 1) * d_.pdf(w)); }
  // B_G = w - kappa_G / f with kappa_G = (theta_G - w) f(theta_G) theta_G'.
  double level_g(double w) const {
    const double h = 1e-5 * std::max(1.0, std::fabs(w));
    const double slope = (theta_g(w + h) - theta_g(w - h)) / (2 * h);
    const double t = theta_g(w);
    return w - (t - w) * d_.pdf(t) * slope / d_.pdf(w);
  }

  // Integrates from s1 to s2 with level b0; the path when `path` is given. False when theta falls
  // to w (the equations break down).
  bool shoot(double s1, double b0, double s2, State& y, std::vector<State>* path) const {
    if (!(s2 > s1)) return false;
    y = {theta_g(s1), g(s1), 0};
    bool ok = true;
    auto rhs = [&](const State& s, State& ds, double w) {
      const double gap = s[0] - w;
      if (!(gap > 0)) ok = false;
      const double safe = gap > 0 ? gap : 1e-300;
      ds[0] = (w - b0) * d_.pdf(w) / (safe * d_.pdf(s[0]));
      ds[1] = s[1] / safe;
      ds[2] = (s[1] - g(w)) * d_.pdf(w);
    };
    const double h = (s2 - s1) / kSteps;
    odeint::runge_kutta4<State> stepper;
    if (path) path->assign(1, y);
    for (int i = 0; i < kSteps && ok; ++i) {
      stepper.do_step(rhs, y, s1 + i * h, h);
      if (path) path->push_back(y);
    }
    return ok && std::isfinite(y[0]) && std::isfinite(y[1]) && std::isfinite(y[2]);
  }

  // The residuals, each relative to its scale; nothing when the path breaks down.
  std::optional<State> residual(const State& p) const {
    State y;
    if (!shoot(p[0], p[1], p[2], y, nullptr)) return std::nullopt;
    const double gs2 = g(p[2]);
    const double mass = d_.cdf(p[2]) - d_.cdf(p[0]);
    return State{(y[0] - theta_g(p[2])) / theta_g(p[2]), (y[1] - gs2) / gs2, y[2] / (gs2 * mass)};
  }

 private:
  const Distribution& d_;
  int n_;
};

double norm(const State& r) {
  return std::max({std::fabs(r[0]), std::fabs(r[1]), std::fabs(r[2])});
}

// Solves J d = -r by Gaussian elimination with partial pivoting; false when J is singular.
bool newton_step(std::array<State, 3> j, State r, State& d) {
  for (int c = 0; c < 3; ++c) {
    int pivot = c;
    for (int i = c + 1; i < 3; ++i)
      if (std::fabs(j[i][c]) > std::fabs(j[pivot][c])) pivot = i;
    std::swap(j[c], j[pivot]);
    std::swap(r[c], r[pivot]);
    if (j[c][c] == 0) return false;
    for (int i = c + 1; i < 3; ++i) {
      const double f = j[i][c] / j[c][c];
      for (int k = c; k < 3; ++k) j[i][k] -= f * j[c][k];
      r[i] -= f * r[c];
    }
  }
  for (int i = 2; i >= 0; --i) {
    double s = -r[i];
    for (int k = i + 1; k < 3; ++k) s -= j[i][k] * d[k];
    d[i] = s / j[i][i];
  }
  return std::isfinite(d[0]) && std::isfinite(d[1]) && std::isfinite(d[2]);
}

}  // namespace

std::optional<IronedStretch> ironed_stretch(const Distribution& d, int bidders) {
  if (d.is_discrete() || bidders < 2) return std::nullopt;
  const Shooting shooting(d, bidders);
  // The scan of B_G and its first dip: a local maximum followed by a lower local minimum.
  std::vector<double> w(kScan + 1), level(kScan + 1);
  for (int i = 0; i <= kScan; ++i) {
    w[i] = d.quantile(kScanEdge + (1 - 2 * kScanEdge) * i / kScan);
    level[i] = shooting.level_g(w[i]);
    if (!std::isfinite(level[i])) return std::nullopt;
  }
  const double tolerance = 1e-8 * (1 + std::fabs(level[0]));
  int peak = -1;
  for (int i = 0; i < kScan && peak < 0; ++i)
    if (level[i + 1] < level[i] - tolerance) peak = i;
  if (peak < 0) return std::nullopt;
  int trough = peak;
  while (trough < kScan && level[trough + 1] <= level[trough]) ++trough;
  // First guess: the level halfway, the stretch from where B_G rises through the trough's level
  // to where it rises through the peak's (the shooting moves both ends outwards).
  int first = peak, last = trough;
  while (first > 0 && level[first] > level[trough]) --first;
  while (last < kScan && level[last] < level[peak]) ++last;
  if (level[first] > level[trough] || level[last] < level[peak]) return std::nullopt;
  State p{w[first], (level[peak] + level[trough]) / 2, w[last]};

  auto r = shooting.residual(p);
  if (!r) return std::nullopt;
  for (int iteration = 0; iteration < 30 && norm(*r) > 1e-12; ++iteration) {
    const double width = p[2] - p[0];
    const State scale{1e-7 * width, 1e-7 * (std::fabs(p[1]) + width), 1e-7 * width};
    std::array<State, 3> jacobian{};
    for (int c = 0; c < 3; ++c) {
      State q = p;
      q[c] += scale[c];
      const auto rq = shooting.residual(q);
      if (!rq) return std::nullopt;
      for (int i = 0; i < 3; ++i) jacobian[i][c] = ((*rq)[i] - (*r)[i]) / scale[c];
    }
    State step{};
    if (!newton_step(jacobian, *r, step)) return std::nullopt;
    // Backtracking: the first of the steps 1, 1/2, 1/4, ... that lowers the residual.
    bool moved = false;
    for (double t = 1; t > 1e-4 && !moved; t /= 2) {
      const State q{p[0] + t * step[0], p[1] + t * step[1], p[2] + t * step[2]};
      const auto rq = shooting.residual(q);
      if (rq && norm(*rq) < norm(*r)) p = q, r = rq, moved = true;
    }
    if (!moved) break;
  }
  if (norm(*r) > 1e-10) return std::nullopt;

  // The stretch must be a real interval, Border must hold inside it (the tail integral
  // integral_t^{s2} (X - G) f = I(s2) - I(t) <= 0), X must rise, and B must not fall at its ends.
  const double s1 = p[0], b0 = p[1], s2 = p[2];
  std::vector<State> path;
  State end;
  if (!(s2 - s1 > 1e-6 * (1 + std::fabs(s1))) || !shooting.shoot(s1, b0, s2, end, &path)) {
    return std::nullopt;
  }
  const double slack = 1e-12 * shooting.g(s2);
  IronedStretch out{s1, s2, b0, {}, {}};
  for (std::size_t i = 0; i < path.size(); ++i) {
    const double v = s1 + (s2 - s1) * static_cast<double>(i) / kSteps;
    if (path[i][2] < end[2] - slack) return std::nullopt;
    if (i > 0 && path[i][1] < path[i - 1][1]) return std::nullopt;
    out.values.push_back(v);
    out.excess.push_back(i == 0 || i + 1 == path.size() ? 0.0 : path[i][1] - shooting.g(v));
  }
  const double level_tolerance = 1e-6 * (1 + std::fabs(b0));
  if (shooting.level_g(s1) > b0 + level_tolerance || shooting.level_g(s2) < b0 - level_tolerance) {
    return std::nullopt;
  }
  return out;
}

}  // namespace detail
}  // namespace dia
