#include "mechanisms/value_grid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace dia::detail {

namespace {

constexpr int kMaxBisections = 24;       // of one grid cell
constexpr double kConcavityGap = 1e-12;  // ignored non-concavity, relative to the revenue scale

std::vector<double> equal_mass_knots(const Distribution& d, int bidders, int per_unit) {
  const double k = per_unit;
  const double a = d.lower();
  const double b = d.upper();
  std::vector<double> raw;
  // Lower tail: masses 2^(-j/2) / K down to 1e-10 (below, S = 1 - F keeps too few digits for
  // the revenue curve, and the quadrature from a needs no knots).
  std::vector<double> levels;
  for (int j = 1;; ++j) {
    const double u = std::pow(2.0, -0.5 * j) / k;
    if (u < 1e-10) break;
    levels.push_back(u);
  }
  for (auto it = levels.rbegin(); it != levels.rend(); ++it) raw.push_back(d.quantile(*it));
  // Equal-mass knots, each from the side where its level is exact.
  for (int j = 1; j < per_unit; ++j) {
    raw.push_back(2 * j <= per_unit ? d.quantile(j / k) : d.survival_quantile((per_unit - j) / k));
  }
  // Upper tail: survival 2^(-j/2) / K until the mass beyond cannot matter: a tail of mass s
  // beyond x moves no revenue by more than about n s x (ironing there), and the quadrature
  // beyond the last knot covers the rest.
  const double mean = d.mean();
  for (int j = 1;; ++j) {
    const double s = std::pow(2.0, -0.5 * j) / k;
    if (s < 1e-300) break;
    const double x = d.survival_quantile(s);
    if (!std::isfinite(x) || x >= b) break;
    raw.push_back(x);
    if (s < 1e-12 && bidders * s * x < 1e-17 * mean) break;
  }
  std::vector<double> knots{a};
  for (double x : raw) {
    if (std::isfinite(x) && x > knots.back() && x < b) knots.push_back(x);
  }
  if (std::isfinite(b) && b > knots.back()) knots.push_back(b);
  return knots;
}

// R is concave on a cell [v_i, v_{i+1}] only if the chord slope lies between the slopes at its
// ends: phi(v_i) <= sigma <= phi(v_{i+1}) (R' = phi, decreasing in q = increasing in v). Cells
// above the grid's best posted price (below it the hull is flat whatever R does) that violate
// this by more than kConcavityGap of the revenue scale (a downward jump of phi where a mixture
// component ends, a narrow dip) are bisected until they do not, so that the hull of the grid
// sees every ironed interval whose dip shows at the cell ends, however narrow (the route then
// finds its exact ends). Cells in a gap of the support (no mass), touching an infinite density
// or too light for S to resolve are left alone.
void bisect_non_concave_cells(const Distribution& d, const std::function<double(double)>& survival,
                              ValueGrid* grid) {
  std::vector<double>& v = grid->values;
  std::vector<double>& s = grid->survival;
  auto phi = [&](double x, double s_x) {
    const double f = d.pdf(x);
    return f > 0 && std::isfinite(f) ? x - s_x / f : std::numeric_limits<double>::quiet_NaN();
  };
  std::vector<double> phis(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) phis[i] = phi(v[i], s[i]);
  const double scale = grid_revenue_scale(*grid);
  std::size_t peak = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] * s[i] > v[peak] * s[peak]) peak = i;
  }
  const double from = v[peak > 0 ? peak - 1 : 0];
  auto violates = [&](double x0, double s0, double p0, double x1, double s1, double p1) {
    if (x0 < from) return false;
    // Cells whose mass is lost in the rounding of S (near the bottom, S = 1 - F has few digits
    // for the mass) have no meaningful chord; their ironing could not matter anyway.
    if (!(s0 - s1 > 1e-13 * s0) || std::isnan(p0) || std::isnan(p1)) return false;
    const double sigma = (x0 * s0 - x1 * s1) / (s0 - s1);
    const double excess = std::max(0.0, p0 - sigma) + std::max(0.0, sigma - p1);
    return excess * (s0 - s1) > kConcavityGap * scale;
  };
  const std::size_t budget = 4 * v.size() + 10000;  // against rounding noise in far tails
  for (int pass = 0; pass < kMaxBisections && v.size() < budget; ++pass) {
    ValueGrid next;
    std::vector<double> next_phis;
    bool changed = false;
    for (std::size_t i = 0; i < v.size(); ++i) {
      next.values.push_back(v[i]);
      next.survival.push_back(s[i]);
      next.is_knot.push_back(grid->is_knot[i]);
      next_phis.push_back(phis[i]);
      if (i + 1 == v.size() || !violates(v[i], s[i], phis[i], v[i + 1], s[i + 1], phis[i + 1])) {
        continue;
      }
      const double mid = 0.5 * (v[i] + v[i + 1]);
      if (!(mid > v[i] && mid < v[i + 1])) continue;
      const double s_mid = survival(mid);
      next.values.push_back(mid);
      next.survival.push_back(s_mid);
      next.is_knot.push_back(false);
      next_phis.push_back(phi(mid, s_mid));
      changed = true;
    }
    v.swap(next.values);
    s.swap(next.survival);
    grid->is_knot.swap(next.is_knot);
    phis.swap(next_phis);
    if (!changed) break;
  }
}

}  // namespace

double grid_revenue_scale(const ValueGrid& grid) {
  double best = 0;
  for (std::size_t i = 0; i < grid.values.size(); ++i) {
    best = std::max(best, grid.values[i] * grid.survival[i]);
  }
  return best;
}

ValueGrid build_value_grid(const Distribution& d, int bidders, const ClassicGridOptions& options,
                           const std::function<double(double)>& survival) {
  const int per_unit = std::max(options.equal_mass_knots, 4);
  const int subdivisions = std::max(options.subdivisions, 1);
  ValueGrid grid;
  grid.knots = equal_mass_knots(d, bidders, per_unit);
  const double max_mass = 2.0 / (static_cast<double>(per_unit) * subdivisions);
  auto push = [&](double x, double s, bool knot) {
    grid.values.push_back(x);
    grid.survival.push_back(s);
    grid.is_knot.push_back(knot);
  };
  // Bisects the cell (x0, x1) while it holds more than max_mass.
  auto split = [&](auto&& self, double x0, double s0, double x1, double s1, int depth) -> void {
    if (depth >= kMaxBisections || !(s0 - s1 > max_mass)) return;
    const double mid = 0.5 * (x0 + x1);
    if (!(mid > x0 && mid < x1)) return;
    const double s_mid = survival(mid);
    self(self, x0, s0, mid, s_mid, depth + 1);
    push(mid, s_mid, false);
    self(self, mid, s_mid, x1, s1, depth + 1);
  };
  const std::vector<double>& knots = grid.knots;
  double s_prev = 0;
  for (std::size_t k = 0; k < knots.size(); ++k) {
    const double s_knot = survival(knots[k]);
    if (k > 0) split(split, grid.values.back(), s_prev, knots[k], s_knot, 0);
    push(knots[k], s_knot, true);
    s_prev = s_knot;
    if (k + 1 == knots.size()) break;
    const double width = knots[k + 1] - knots[k];
    for (int j = 1; j < subdivisions; ++j) {
      const double x = knots[k] + width * j / subdivisions;
      if (!(x > grid.values.back() && x < knots[k + 1])) continue;
      const double s = survival(x);
      split(split, grid.values.back(), s_prev, x, s, 0);
      push(x, s, false);
      s_prev = s;
    }
  }
  bisect_non_concave_cells(d, survival, &grid);
  return grid;
}

}  // namespace dia::detail
