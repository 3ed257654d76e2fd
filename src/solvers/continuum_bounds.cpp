// Hard bounds on the continuum optimum from a solved quantile grid (docs/status.md). Hand-written:
// our own science (a step mechanism's exact revenue and a continuum dual built from a discrete
// certificate), O(m) partial means.
#include "continuum_bounds.hpp"

#include <algorithm>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <boost/math/tools/minima.hpp>
#include <cmath>
#include <exception>
#include <vector>

#include "dia/border_lottery.hpp"
#include "dia/cancel.hpp"
#include "numeric/compensated_sum.hpp"

namespace dia::detail {
namespace {

// Cells [lo_k, hi_k) between given ends, each with its exact mass and partial mean. Cells of no
// mass are merged into the one below (a step mechanism then keeps the lower X there).
struct Cells {
  std::vector<double> lo, hi;        // ends
  std::vector<double> s_lo, s_hi;    // survival at the ends
  std::vector<double> pm_lo, pm_hi;  // E[V ; V >= end]
  std::vector<std::size_t> first;    // the first interval of each cell
  std::size_t size() const { return lo.size(); }
  double mass(std::size_t k) const { return s_lo[k] - s_hi[k]; }
  double partial_mean(std::size_t k) const { return pm_lo[k] - pm_hi[k]; }
};

Cells cells_on(const Distribution& d, const std::vector<double>& ends) {
  auto survival = [&](double x) { return std::isfinite(x) ? d.survival(x) : 0.0; };
  auto partial = [&](double x) { return std::isfinite(x) ? d.partial_mean_above(x) : 0.0; };
  Cells c;
  double s = survival(ends[0]), pm = partial(ends[0]);
  for (std::size_t k = 0; k + 1 < ends.size(); ++k) {
    throw_if_cancelled();  // a partial mean of a mixture per cell: seconds on 10^5 cells
    const bool top = k + 2 == ends.size();
    const double s_next = top ? 0.0 : survival(ends[k + 1]);
    const double pm_next = top ? 0.0 : partial(ends[k + 1]);
    if (s - s_next > 0 || c.size() == 0) {
      c.lo.push_back(ends[k]);
      c.s_lo.push_back(s);
      c.pm_lo.push_back(pm);
      c.first.push_back(k);
      c.hi.push_back(ends[k + 1]);
      c.s_hi.push_back(s_next);
      c.pm_hi.push_back(pm_next);
    } else {
      c.hi.back() = ends[k + 1];
      c.s_hi.back() = s_next;
      c.pm_hi.back() = pm_next;
    }
    s = s_next;
    pm = pm_next;
  }
  return c;
}

// The ends of the grid's cells, recovered from its cumulative masses (a grid may have merged
// cells whose conditional means rounded together).
std::vector<double> cell_ends(const Distribution& d, const DiscreteTypes& grid) {
  const std::size_t m = grid.size();
  std::vector<double> above(m + 1, 0.0);  // P(V in cells k..m-1), summed from the top
  for (std::size_t k = m; k-- > 0;) above[k] = above[k + 1] + grid.probabilities[k];
  std::vector<double> ends(m + 1);
  ends[0] = d.lower();
  ends[m] = d.upper();
  double below = 0;
  for (std::size_t k = 1; k < m; ++k) {
    throw_if_cancelled();  // a quantile by root finding per cell: seconds on 10^5 cells
    below += grid.probabilities[k - 1];
    const double x = below <= 0.5 ? d.quantile(below) : d.survival_quantile(above[k]);
    ends[k] = std::clamp(x, ends[k - 1], ends[m]);
  }
  return ends;
}

// int_l^r (w - t) dF(w) for l < r, from survival and partial means at the ends.
struct EndValues {
  double s, pm;
};
EndValues at(const Distribution& d, double x) {
  if (!std::isfinite(x)) return {0.0, 0.0};
  return {d.survival(x), d.partial_mean_above(x)};
}

// A rent line w -> slope (w - anchor), from the lower end of a cell.
struct Line {
  double slope, anchor;
  double value(double w) const { return slope * (w - anchor); }
};
// Where line b (steeper) overtakes line a.
double crossing(const Line& a, const Line& b) {
  return (b.slope * b.anchor - a.slope * a.anchor) / (b.slope - a.slope);
}

// Per-bidder revenue of the step mechanism X (nondecreasing, one value per cell) with minimal
// rents: sum_k X_k E[V ; cell k] - int R dF, R = upper envelope of the rent lines (slopes
// increase with k, queries increase: one monotone pass).
double step_mechanism_revenue(const Distribution& d, const Cells& c, const std::vector<double>& x) {
  CompensatedSum revenue;
  std::vector<Line> hull{{0.0, 0.0}};  // R >= 0
  std::size_t front = 0;
  for (std::size_t k = 0; k < c.size(); ++k) {
    throw_if_cancelled();
    revenue.add((long double)x[k] * c.partial_mean(k));
    const Line line{x[k], c.lo[k]};
    if (line.slope > hull.back().slope) {
      while (hull.size() >= 2 && crossing(hull[hull.size() - 2], line) <=
                                     crossing(hull[hull.size() - 2], hull.back())) {
        hull.pop_back();
      }
      hull.push_back(line);
      front = std::min(front, hull.size() - 1);
    }
    double from = c.lo[k];
    EndValues from_values{c.s_lo[k], c.pm_lo[k]};
    while (front + 1 < hull.size() && hull[front + 1].value(from) >= hull[front].value(from)) {
      ++front;
    }
    for (;;) {
      const Line& l = hull[front];
      const bool switches = front + 1 < hull.size() && crossing(l, hull[front + 1]) < c.hi[k];
      const double to = switches ? crossing(l, hull[front + 1]) : c.hi[k];
      const EndValues to_values = switches ? at(d, to) : EndValues{c.s_hi[k], c.pm_hi[k]};
      if (l.slope > 0 && to > from) {
        revenue.add(-(long double)l.slope *
                    ((from_values.pm - to_values.pm) - l.anchor * (from_values.s - to_values.s)));
      }
      if (!switches) break;
      from = std::max(from, to);
      from_values = to_values;
      ++front;
    }
  }
  return static_cast<double>(revenue.value());
}

// int over cell k of (w - t)^+ dF(w).
double positive_part(const Distribution& d, const Cells& c, std::size_t k, double t) {
  if (t <= c.lo[k]) return c.partial_mean(k) - t * c.mass(k);
  if (!(t < c.hi[k])) return 0.0;
  const EndValues v = at(d, t);
  return (v.pm - c.pm_hi[k]) - t * (v.s - c.s_hi[k]);
}

// Per-bidder revenue of X (one value per interval between `ends`) as a step mechanism: made
// nondecreasing in [0, 1], lowered to meet Border's condition on the exact masses (which then
// holds at every threshold: between two ends its left side is linear in F, its right side
// concave), with minimal rents.
double feasible_step_revenue(const Distribution& d, const std::vector<double>& ends,
                             std::vector<double> x, int n) {
  const Cells c = cells_on(d, ends);
  std::vector<double> cx(c.size());
  for (std::size_t k = 0; k < c.size(); ++k) {
    cx[k] = std::isfinite(x[c.first[k]]) ? std::clamp(x[c.first[k]], 0.0, 1.0) : 0.0;
  }
  for (std::size_t k = c.size() - 1; k-- > 0;) cx[k] = std::min(cx[k], cx[k + 1]);
  if (n > 1) {
    DiscreteTypes masses;
    for (std::size_t k = 0; k < c.size(); ++k) {
      masses.values.push_back(static_cast<double>(k));
      masses.probabilities.push_back(c.mass(k));
    }
    enforce_border(masses, cx, n);
    for (double& xk : cx) xk = std::max(xk, 0.0);
  }
  return step_mechanism_revenue(d, c, cx);
}

}  // namespace

double efficient_step_revenue(const Distribution& d, const DiscreteTypes& grid, int n) {
  const std::vector<double> ends = cell_ends(d, grid);
  std::vector<double> x(grid.size());
  for (std::size_t k = 0; k < x.size(); ++k) {
    throw_if_cancelled();
    x[k] = std::pow(1.0 - d.survival(ends[k]), n - 1);  // F at the cell's lower end
  }
  return n * feasible_step_revenue(d, ends, x, n);
}

std::optional<double> highest_bidder_revenue(const Distribution& d, int n) {
  // A mixture's density jumps between its components: the quadrature does not converge on the
  // kinks within its budget (0.35 s for nothing, measured), so it is not tried.
  if (d.spec().rfind("mixture(", 0) == 0) return std::nullopt;
  // The value at quantile q, from the survival quantile above the median (qc = 1 - q, exact).
  auto value = [&](double q, double qc) {
    return q <= 0.5 ? d.quantile(q) : d.survival_quantile(qc);
  };
  // What the seller keeps from the type at quantile q: v X(v) - R(v), X = F^(n-1) = q^(n-1), and
  // R(v) = max over r <= q of (v - Q(r)) r^(n-1), by a scan of 48 quantiles and Brent's method
  // around the best (its maximum is never above the true one, and only O(tolerance^2) below).
  auto kept = [&](double q, double qc) -> double {
    const double v = value(q, qc);
    auto gain = [&](double r) { return (v - value(r, 1 - r)) * std::pow(r, n - 1); };
    constexpr int kScan = 48;
    int best = kScan;
    double best_gain = gain(q);
    for (int i = 1; i < kScan; ++i) {
      const double g = gain(q * i / kScan);
      if (g > best_gain) best_gain = g, best = i;
    }
    const auto [r, negative] = boost::math::tools::brent_find_minima(
        [&](double x) { return -gain(x); }, q * (best - 1) / kScan,
        q * std::min(best + 1, kScan) / kScan, 50);
    const double w = -negative > best_gain ? r : q * best / kScan;
    const double xw = std::pow(w, n - 1), xv = std::pow(q, n - 1);
    // v x_v - (v - Q(w)) x_w, written so that a far tail (v >> Q(w)) loses no digits.
    return v * (xv - xw) + value(w, 1 - w) * xw;
  };
  // At most 6 halvings of the step (about 500 nodes): a kinked integrand (a mixture) that needs
  // more gives no bound rather than seconds of quantile inversions.
  boost::math::quadrature::tanh_sinh<double> integrator(6);
  double error = 0, per_bidder = 0;
  try {
    // Boost passes the distance to the nearer end: 1 - q (positive) near 1, -q near 0.
    per_bidder = integrator.integrate(
        [&](double q, double qc) { return kept(q, qc > 0 ? qc : 1 - q); }, 0.0, 1.0, 1e-12, &error);
  } catch (const std::exception&) {  // a quantile that cannot be inverted at q ~ 1e-308
    return std::nullopt;
  }
  if (!std::isfinite(per_bidder) || !(error <= 1e-10 * std::fabs(per_bidder))) return std::nullopt;
  return n * per_bidder;
}

ContinuumBounds continuum_bounds(const Distribution& d, const DiscreteTypes& grid,
                                 std::span<const double> allocation, const CoveragePlan& plan,
                                 std::span<const double> border, std::span<const double> monotone,
                                 int n) {
  // Below: X_k on cell k, and X_k from the type's value up to the next type's (types below the
  // lowest value get nothing); the second earns about the grid's revenue to second order.
  const std::vector<double> ends = cell_ends(d, grid);
  const std::vector<double> x(allocation.begin(), allocation.end());
  std::vector<double> value_ends{d.lower()}, value_x{0.0};
  for (std::size_t k = 0; k < grid.size(); ++k) {
    if (grid.values[k] > value_ends.back()) {
      value_ends.push_back(grid.values[k]);
      value_x.push_back(x[k]);
    } else {
      value_x.back() = x[k];
    }
  }
  value_ends.push_back(d.upper());
  ContinuumBounds out;
  out.lower = n * std::max(feasible_step_revenue(d, ends, x, n),
                           feasible_step_revenue(d, value_ends, value_x, n));

  const Cells c = cells_on(d, ends);
  const std::size_t cells = c.size();
  std::vector<std::size_t> cell_of(grid.size());  // grid type -> cell
  for (std::size_t k = 0, cell = 0; k < grid.size(); ++k) {
    while (cell + 1 < cells && k >= c.first[cell + 1]) ++cell;
    cell_of[k] = cell;
  }

  // Above: the certificate spread over the cells.
  std::vector<long double> shipped(cells, 0), flow_mass(cells, 0), flow_mean(cells, 0);
  for (const CoverageFlow& f : plan) shipped[cell_of[f.source]] += f.mass;
  for (const CoverageFlow& f : plan) {
    const std::size_t s = cell_of[f.source], t = cell_of[f.target];
    // Only flows between distinct cells of mass, downwards (leaving one out weakens the bound).
    if (s <= t || !(f.mass > 0) || !(c.mass(s) > 0)) continue;
    const long double mass = f.mass * std::min(1.0L, c.mass(s) / shipped[s]);
    flow_mass[t] += mass;
    flow_mean[t] += mass * (c.partial_mean(s) / c.mass(s));
  }
  CompensatedSum bound;
  long double level = 0;  // B_j
  for (std::size_t k = 0; k < grid.size(); ++k) {
    const double beta = k < border.size() ? std::max(0.0, border[k]) : 0.0;
    if (beta <= 0) continue;
    // Grid row k sits at the lower end of its cell; inside a merged cell it binds at that end too.
    const double s = c.s_lo[cell_of[k]];
    // H = (1 - F^n) / n with F = 1 - s at that end.
    bound.add((long double)beta * -std::expm1(n * std::log1p(-s)) / n);
  }
  for (std::size_t j = 0, k = 0; j < cells; ++j) {
    long double shift = 0;  // gamma_{j-1} - gamma_j, and B at the cell's types
    for (; k < grid.size() && cell_of[k] == j; ++k) {
      if (k < border.size()) level += std::max(0.0, border[k]);
      if (k > 0 && k - 1 < monotone.size()) shift += monotone[k - 1];
      if (k < monotone.size()) shift -= monotone[k];
    }
    const long double q = c.mass(j);
    if (!(q > 0)) {
      bound.add(std::max(0.0L, shift));
      continue;
    }
    const long double slope = 1 + flow_mass[j] / q;
    const long double offset = level + (flow_mean[j] - shift) / q;
    bound.add(slope * positive_part(d, c, j, static_cast<double>(offset / slope)));
  }
  out.upper = n * static_cast<double>(bound.value());
  return out;
}

}  // namespace dia::detail
