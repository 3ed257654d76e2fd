// quantile_grid: equal-mass cells of a continuous distribution, each at its conditional mean.
#include <algorithm>
#include <boost/math/quadrature/gauss.hpp>
#include <cmath>
#include <vector>

#include "dia/distribution.hpp"
#include "distributions/continuous.hpp"

namespace dia {

namespace {

// Cells whose Gauss-Legendre mass is within this of 1/cells use the quadrature mean.
constexpr double kQuadratureMassTolerance = 1e-9;

struct CellMoments {
  double mass = 0.0;    // integral of f over the cell
  double offset = 0.0;  // integral of (v - lo) f(v) over the cell
};

// 7-point Gauss-Legendre moments of the density over [lo, hi], taken about lo so that nothing
// cancels. Exact to rounding when the density is close to a polynomial of degree 13 on the cell,
// which the fine cells of a large grid are.
CellMoments gauss_moments(const Distribution& d, double lo, double hi) {
  using Rule = boost::math::quadrature::gauss<double, 7>;
  const double half = 0.5 * (hi - lo);
  CellMoments moments;
  const auto& nodes = Rule::abscissa();
  const auto& weights = Rule::weights();
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    for (const double t : {-nodes[k], nodes[k]}) {
      const double f = d.pdf(lo + half * (1.0 + t));
      moments.mass += weights[k] * f;
      moments.offset += weights[k] * half * (1.0 + t) * f;
      if (nodes[k] == 0.0) break;  // the middle node counts once
    }
  }
  moments.mass *= half;
  moments.offset *= half;
  return moments;
}

}  // namespace

DiscreteTypes quantile_grid(const Distribution& distribution, std::size_t cells) {
  if (distribution.is_discrete()) return distribution.atoms();
  DIA_CHECK(cells > 0);
  const auto* continuous = dynamic_cast<const detail::ContinuousDistribution*>(&distribution);
  const double mean = distribution.mean();
  // E[V ; V < x]: direct when available, else by complement.
  const auto below = [&](double x) {
    return continuous != nullptr ? continuous->partial_mean_below(x)
                                 : mean - distribution.partial_mean_above(x);
  };
  const auto above = [&](double x) { return distribution.partial_mean_above(x); };

  // Cell i is [x_i, x_{i+1}] with x_i = Q(i / M). Below the median the boundaries come from the
  // quantile and the cell means from lower partial means; above it from the survival quantile and
  // upper partial means, so neither side subtracts numbers close to the mean.
  const double m = static_cast<double>(cells);
  const std::size_t half = cells / 2;
  std::vector<double> boundary(cells + 1);
  std::vector<double> partial(cells + 1);
  boundary[0] = distribution.lower();
  boundary[cells] = distribution.upper();
  for (std::size_t i = 1; i < cells; ++i) {
    boundary[i] = i <= half ? distribution.quantile(static_cast<double>(i) / m)
                            : distribution.survival_quantile(static_cast<double>(cells - i) / m);
  }
  for (std::size_t i = 0; i <= cells; ++i) {
    partial[i] = i <= half ? below(boundary[i]) : above(boundary[i]);
  }
  const double top_partial_at_half = above(boundary[half]);

  DiscreteTypes grid;
  grid.values.reserve(cells);
  grid.probabilities.reserve(cells);
  const double mass = 1.0 / m;
  for (std::size_t i = 0; i < cells; ++i) {
    double representative = 0.0;
    if (i + 1 <= half) {
      representative = m * (partial[i + 1] - partial[i]);
    } else {
      const double from = i == half ? top_partial_at_half : partial[i];
      representative = m * (from - partial[i + 1]);
    }
    const double lo = boundary[i];
    const double hi = boundary[i + 1];
    // The differences of partial means above lose about cells * eps of the mean near the median
    // (two numbers of the size of the mean give one of the size of the cell). Where the
    // quadrature of the cell is trustworthy (its mass matches 1/cells) the conditional mean
    // lo + offset / mass has no such cancellation.
    if (std::isfinite(lo) && std::isfinite(hi) && hi > lo) {
      const CellMoments moments = gauss_moments(distribution, lo, hi);
      if (std::abs(moments.mass * m - 1.0) <= kQuadratureMassTolerance) {
        representative = lo + moments.offset / moments.mass;
      }
    }
    // The conditional mean lies in its cell; rounding may push it out by a few ulps.
    if (!std::isfinite(representative)) representative = std::isfinite(hi) ? 0.5 * (lo + hi) : lo;
    representative = std::clamp(representative, lo, std::max(lo, hi));
    if (!grid.values.empty() && representative <= grid.values.back()) {
      grid.probabilities.back() += mass;  // equal after rounding: merge, keep values increasing
    } else {
      grid.values.push_back(representative);
      grid.probabilities.push_back(mass);
    }
  }
  return grid;
}

}  // namespace dia
