// Quantile grids of a continuous distribution: cells at their conditional means.
#include <algorithm>
#include <boost/math/quadrature/gauss.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "dia/cancel.hpp"
#include "dia/distribution.hpp"
#include "distributions/continuous.hpp"

namespace dia {

namespace {

// Cells whose Gauss-Legendre mass is within this of 1/cells use the quadrature mean.
constexpr double kQuadratureMassTolerance = 1e-9;
// The tail ladder stops where the mass above carries less than this share of the mean, or at
// this survival (the smallest that leaves room for a representable conditional mean).
constexpr double kNegligibleTail = 1e-16;
constexpr double kSmallestSurvival = 1e-300;

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

// A cell boundary x given by the probability on one side of it: P(V < x) = level below the
// median, P(V > x) = level above it, so that neither side subtracts numbers close to 1.
struct Boundary {
  double level = 0;
  bool from_top = false;
  double value = std::numeric_limits<double>::quiet_NaN();  // set at a gap: its upper end
};

// Cells between consecutive boundaries, each at its conditional mean. The conditional means come
// from lower partial means below the median and upper partial means above it, so neither side
// subtracts numbers close to the mean.
DiscreteTypes grid_on_boundaries(const Distribution& distribution,
                                 const std::vector<Boundary>& boundaries) {
  const auto* continuous = dynamic_cast<const detail::ContinuousDistribution*>(&distribution);
  const double mean = distribution.mean();
  // E[V ; V < x]: direct when available, else by complement.
  const auto below = [&](double x) {
    return continuous != nullptr ? continuous->partial_mean_below(x)
                                 : mean - distribution.partial_mean_above(x);
  };
  const std::size_t cells = boundaries.size() - 1;
  std::vector<double> x(cells + 1);
  for (std::size_t i = 0; i <= cells; ++i) {
    throw_if_cancelled();  // a quantile by root finding (a mixture): seconds on 10^5 cells
    const Boundary& b = boundaries[i];
    x[i] = !std::isnan(b.value) ? b.value
           : b.from_top         ? distribution.survival_quantile(b.level)
                                : distribution.quantile(b.level);
  }
  // Each boundary's partial mean is needed by two cells: computed once.
  const double unset = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> partial_above(cells + 1, unset), partial_below(cells + 1, unset);
  const auto above = [&](std::size_t i) {
    if (std::isnan(partial_above[i])) partial_above[i] = distribution.partial_mean_above(x[i]);
    return partial_above[i];
  };
  const auto below_at = [&](std::size_t i) {
    if (std::isnan(partial_below[i])) partial_below[i] = below(x[i]);
    return partial_below[i];
  };
  DiscreteTypes grid;
  grid.values.reserve(cells);
  grid.probabilities.reserve(cells);
  for (std::size_t i = 0; i < cells; ++i) {
    throw_if_cancelled();
    const Boundary &from = boundaries[i], &to = boundaries[i + 1];
    const double lo = x[i], hi = x[i + 1];
    const bool top = from.from_top || to.from_top;
    const double mass = !top            ? to.level - from.level
                        : from.from_top ? from.level - to.level
                                        : (1.0 - to.level) - from.level;
    double representative =
        top ? (above(i) - above(i + 1)) / mass : (below_at(i + 1) - below_at(i)) / mass;
    // The differences of partial means lose about eps * mean / mass near the median (two numbers
    // of the size of the mean give one of the size of the cell). Where the quadrature of the cell
    // is trustworthy (its mass matches) the conditional mean lo + offset / mass has no such
    // cancellation.
    if (std::isfinite(lo) && std::isfinite(hi) && hi > lo) {
      const CellMoments moments = gauss_moments(distribution, lo, hi);
      if (std::abs(moments.mass / mass - 1.0) <= kQuadratureMassTolerance) {
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

// Equal-mass boundaries i / cells from the bottom to the median, then from the top; the last
// `top_cells` of them are left off.
std::vector<Boundary> equal_mass_boundaries(std::size_t cells, std::size_t top_cells) {
  const double m = static_cast<double>(cells);
  const std::size_t half = cells / 2;
  std::vector<Boundary> out;
  for (std::size_t i = 0; i <= half; ++i) out.push_back({static_cast<double>(i) / m, false});
  for (std::size_t i = half + 1; i <= cells - top_cells; ++i) {
    out.push_back({static_cast<double>(cells - i) / m, true});
  }
  return out;
}

// A boundary at each gap of the support (docs/model.md#ode-gaps), so that no cell straddles one:
// a cell holding mass from both sides would put its type in the gap, where the continuum has
// none, and cost the revenue up to the gap's width times the cell's mass. The gap's boundary
// replaces an ordinary one at the same level; bottom boundaries (at most the median) come before
// top ones.
std::vector<Boundary> with_gaps(const Distribution& distribution, std::vector<Boundary> out) {
  const auto before = [](const Boundary& a, const Boundary& b) {
    if (a.from_top != b.from_top) return !a.from_top;
    return a.from_top ? a.level > b.level : a.level < b.level;
  };
  for (const detail::SupportGap& gap : detail::support_gaps(distribution)) {
    const double q = distribution.cdf(gap.lo);
    const Boundary b = q <= 0.5 ? Boundary{q, false, gap.hi}
                                : Boundary{distribution.survival(gap.lo), true, gap.hi};
    const auto at = std::lower_bound(out.begin(), out.end(), b, before);
    if (at != out.end() && !before(b, *at)) {
      at->value = gap.hi;  // the same level
    } else {
      out.insert(at, b);
    }
  }
  return out;
}

}  // namespace

DiscreteTypes quantile_grid(const Distribution& distribution, std::size_t cells) {
  if (distribution.is_discrete()) return distribution.atoms();
  DIA_CHECK(cells > 0);
  return grid_on_boundaries(distribution, with_gaps(distribution, equal_mass_boundaries(cells, 0)));
}

DiscreteTypes tail_refined_grid(const Distribution& distribution, std::size_t cells,
                                std::size_t per_e_fold) {
  if (distribution.is_discrete()) return distribution.atoms();
  DIA_CHECK(cells >= 4 * per_e_fold && per_e_fold > 0);
  // Equal mass 1/cells down to survival per_e_fold / cells, where a cell spans 1/per_e_fold in
  // ln(survival); below, the same span all the way (docs/model.md#status-one-bidder: heavy tails
  // put the cutoff far out). The last cell carries what the ladder leaves; see
  // top_cell_partial_mean.
  std::vector<Boundary> boundaries = equal_mass_boundaries(cells, per_e_fold);
  const double ratio = std::exp(-1.0 / static_cast<double>(per_e_fold));
  const double negligible = kNegligibleTail * distribution.mean();
  for (double s = boundaries.back().level * ratio; s >= kSmallestSurvival; s *= ratio) {
    throw_if_cancelled();
    const double x = distribution.survival_quantile(s);
    if (!(x < distribution.upper()) || distribution.partial_mean_above(x) <= negligible) break;
    boundaries.push_back({s, true});
  }
  boundaries.push_back({0.0, true});
  return grid_on_boundaries(distribution, with_gaps(distribution, std::move(boundaries)));
}

}  // namespace dia
