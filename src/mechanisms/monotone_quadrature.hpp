// Adaptive Gauss-Kronrod quadrature of a monotone integrand that guards against the kinks and the
// gap edges of mixture distributions (internal; used for int S2(S(t)) dt, docs/model.md#classic).
#pragma once

#include <algorithm>
#include <array>
#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <cmath>
#include <cstddef>
#include <vector>

namespace dia::detail {

constexpr double kQuadratureTolerance = 1e-14;  // relative, per piece
constexpr unsigned kQuadratureDepth = 24;       // bisections

// One 15-point Gauss-Kronrod panel on [lo, hi] (the nodes of Boost's tables): the Kronrod value,
// the embedded 7-point Gauss value, and the values at lo and hi of the polynomial through the 15
// nodes (extrapolation to the ends is well conditioned: sum |Lagrange weights| = 3.84).
struct Panel {
  double kronrod = 0;
  double gauss = 0;
  double extrapolated_lo = 0;
  double extrapolated_hi = 0;
};

using Kronrod15 = boost::math::quadrature::gauss_kronrod<double, 15>;

// Lagrange weights of the nodes +x_i (plus) and -x_i (minus) for the value at +1.
struct EndWeights {
  std::array<double, 8> plus{};
  std::array<double, 8> minus{};
};

inline const EndWeights& end_weights() {
  static const EndWeights weights = [] {
    const auto& a = Kronrod15::abscissa();
    std::vector<double> nodes;
    for (std::size_t i = a.size() - 1; i >= 1; --i) nodes.push_back(-a[i]);
    for (double x : a) nodes.push_back(x);
    auto lagrange_at_one = [&](double xi) {
      double c = 1;
      for (double xj : nodes) {
        if (xj != xi) c *= (1 - xj) / (xi - xj);
      }
      return c;
    };
    EndWeights w;
    for (std::size_t i = 0; i < a.size(); ++i) {
      w.plus[i] = lagrange_at_one(a[i]);
      w.minus[i] = i == 0 ? 0.0 : lagrange_at_one(-a[i]);
    }
    return w;
  }();
  return weights;
}

template <class F>
Panel kronrod_panel(const F& f, double lo, double hi) {
  using Gauss = boost::math::quadrature::gauss<double, 7>;
  const auto& x = Kronrod15::abscissa();  // x[0] = 0; the odd indices are Kronrod-only nodes
  const auto& w = Kronrod15::weights();
  const auto& gauss_w = Gauss::weights();
  const EndWeights& ends = end_weights();
  const double mid = 0.5 * (lo + hi);
  const double half = 0.5 * (hi - lo);
  const double f0 = f(mid);
  double kronrod = f0 * w[0];
  double gauss = f0 * gauss_w[0];
  double at_hi = f0 * ends.plus[0];
  double at_lo = at_hi;
  for (std::size_t i = 1; i < x.size(); ++i) {
    const double fp = f(mid + half * x[i]);
    const double fm = f(mid - half * x[i]);
    kronrod += (fp + fm) * w[i];
    if (i % 2 == 0) gauss += (fp + fm) * gauss_w[i / 2];
    at_hi += ends.plus[i] * fp + ends.minus[i] * fm;
    at_lo += ends.plus[i] * fm + ends.minus[i] * fp;
  }
  return {half * kronrod, half * gauss, at_lo, at_hi};
}

// Error of a panel from what its nodes cannot see: a change of f in the slivers between the
// outermost nodes and the ends (the edge of a gap in the support, a kink there), measured by how
// far f(lo), f(hi) are from the nodes' polynomial, times the sliver width.
inline double sliver_error(const Panel& panel, double lo, double hi, double f_lo, double f_hi) {
  const double width = 0.5 * (hi - lo) * (1 - Kronrod15::abscissa().back());
  return width * (std::abs(f_lo - panel.extrapolated_lo) + std::abs(f_hi - panel.extrapolated_hi));
}

// int_lo^hi f for a monotone f >= 0, given f(lo), f(hi) and the panel on [lo, hi]. Accepted when
// the panel's Kronrod value agrees with the sum of its halves', each half's Kronrod-Gauss
// difference is small (one estimate alone can vanish by coincidence when a kink of f, from a jump
// of the density, sits at an unlucky place) and no half hides a change in its slivers. Tolerance:
// kQuadratureTolerance of the estimate (so of the total, f being >= 0), or the absolute `floor`
// that makes rounding noise in far tails harmless. (Boost's adaptive driver compares the error on
// [-1, 1] with the tolerance on [lo, hi] and never stops on short intervals, hence this one.)
template <class F>
double monotone_quadrature(const F& f, double lo, double hi, double f_lo, double f_hi,
                           const Panel& whole, double floor, unsigned depth) {
  const double mid = 0.5 * (lo + hi);
  if (depth == 0 || !(mid > lo && mid < hi)) return whole.kronrod;
  const double f_mid = f(mid);
  const Panel left = kronrod_panel(f, lo, mid);
  const Panel right = kronrod_panel(f, mid, hi);
  const double estimate = left.kronrod + right.kronrod;
  const double tolerance = std::max(kQuadratureTolerance * std::abs(estimate), floor);
  const double error = std::abs(whole.kronrod - estimate) + std::abs(left.kronrod - left.gauss) +
                       std::abs(right.kronrod - right.gauss) +
                       sliver_error(left, lo, mid, f_lo, f_mid) +
                       sliver_error(right, mid, hi, f_mid, f_hi);
  if (error <= tolerance) return estimate;
  return monotone_quadrature(f, lo, mid, f_lo, f_mid, left, floor, depth - 1) +
         monotone_quadrature(f, mid, hi, f_mid, f_hi, right, floor, depth - 1);
}

// The same from scratch. Where f is flat to the tolerance, monotonicity bounds the trapezoid's
// error and no node is needed (constant stretches, far tails).
template <class F>
double monotone_quadrature(const F& f, double lo, double hi, double f_lo, double f_hi,
                           double floor) {
  const double width = hi - lo;
  if (!(width > 0)) return 0.0;
  const double trapezoid = 0.5 * width * (f_lo + f_hi);
  const double flat_error = 0.5 * width * std::abs(f_lo - f_hi);
  if (flat_error <= std::max(kQuadratureTolerance * trapezoid, floor)) return trapezoid;
  return monotone_quadrature(f, lo, hi, f_lo, f_hi, kronrod_panel(f, lo, hi), floor,
                             kQuadratureDepth);
}

}  // namespace dia::detail
