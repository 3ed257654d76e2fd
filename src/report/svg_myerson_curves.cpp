// Myerson's interim allocation and rent for the report's plots (docs/model.md#classic): without
// inspection the rent is R(v) = integral of X below v. One bidder: a posted price at the reserve.
// n bidders: the highest bidder above the reserve wins, X = G, in the regular case.
#include <algorithm>
#include <cmath>

#include "dia/html_report.hpp"

namespace dia {
namespace {

constexpr std::size_t kPlotPoints = 400;
constexpr std::size_t kCheckCells = 4096;
constexpr double kIroningTolerance = 5e-3;  // relative revenue difference that means ironing

double highest_bidder_probability(double cdf, int bidders) { return std::pow(cdf, bidders - 1); }

MyersonCurves discrete_curves(const DiscreteTypes& atoms, int n, double reserve) {
  MyersonCurves c;
  c.discrete = true;
  double below = 0, previous_value = 0, previous_x = 0, rent = 0;
  for (std::size_t k = 0; k < atoms.size(); ++k) {
    const double v = atoms.values[k], p = atoms.probabilities[k];
    const double above = below + p;
    // G_k of docs/model.md#highest-bidder: the chance of being highest, ties broken uniformly.
    const double g = n == 1 ? 1.0 : (std::pow(above, n) - std::pow(below, n)) / (n * p);
    const double x = v >= reserve * (1 - 1e-12) ? g : 0.0;
    if (k > 0) rent += (v - previous_value) * previous_x;
    c.value.push_back(v);
    c.allocation.push_back(x);
    c.rent.push_back(rent);
    c.drawn_revenue += n * p * (v * x - rent);
    previous_value = v, previous_x = x, below = above;
  }
  return c;
}

// The drawn curves' revenue n E[v X(v) - R(v)] on an equal-mass quantile grid.
double continuous_revenue(const Distribution& d, int n, double reserve) {
  const DiscreteTypes grid = quantile_grid(d, kCheckCells);
  double rent = 0, previous = reserve, previous_x = highest_bidder_probability(d.cdf(reserve), n);
  double revenue = 0;
  for (std::size_t k = 0; k < grid.size(); ++k) {
    const double v = grid.values[k];
    if (v < reserve) continue;
    const double x = highest_bidder_probability(d.cdf(v), n);
    rent += 0.5 * (x + previous_x) * (v - previous);
    revenue += n * grid.probabilities[k] * (v * x - rent);
    previous = v, previous_x = x;
  }
  return revenue;
}

}  // namespace

MyersonCurves myerson_curves(const Distribution& d, int bidders, double reserve,
                             double myerson_revenue, double top_value) {
  MyersonCurves c;
  if (d.is_discrete()) {
    c = discrete_curves(d.atoms(), bidders, reserve);
  } else {
    const double lo = d.lower(), hi = std::max(top_value, reserve);
    double rent = 0, previous = lo, previous_x = 0;
    bool jumped = false;
    for (std::size_t i = 0; i <= kPlotPoints; ++i) {
      const double v = lo + (hi - lo) * static_cast<double>(i) / kPlotPoints;
      if (!jumped && v >= reserve) {  // the jump at the reserve, drawn vertically
        jumped = true;
        c.value.push_back(reserve), c.allocation.push_back(0), c.rent.push_back(0);
        previous = reserve;
        previous_x = highest_bidder_probability(d.cdf(reserve), bidders);
        c.value.push_back(reserve), c.allocation.push_back(previous_x), c.rent.push_back(0);
        if (v == reserve) continue;
      }
      const double x = v < reserve ? 0.0 : highest_bidder_probability(d.cdf(v), bidders);
      if (v >= reserve) rent += 0.5 * (x + previous_x) * (v - previous);
      c.value.push_back(v), c.allocation.push_back(x), c.rent.push_back(rent);
      previous = v, previous_x = x;
    }
    c.drawn_revenue = continuous_revenue(d, bidders, reserve);
  }
  c.ironing = std::fabs(c.drawn_revenue - myerson_revenue) >
              kIroningTolerance * std::max(1e-12, std::fabs(myerson_revenue));
  return c;
}

}  // namespace dia
