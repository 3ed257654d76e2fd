// evaluate_menu: exact expectations of the step extension's X and R under any distribution.
// Hand-written: the integral of a piecewise linear rent between the hull's breakpoints is our own.
#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <vector>

#include "dia/evaluate.hpp"
#include "numeric/compensated_sum.hpp"

namespace dia {
namespace {

// P(a <= V < b) and E[V ; a <= V < b] (b may be +inf).
struct Slice {
  double mass = 0;
  double mean = 0;
};

double at_or_above(const Distribution& d, double a) {  // P(V >= a)
  return d.survival(std::nextafter(a, -std::numeric_limits<double>::infinity()));
}

Slice slice(const Distribution& d, double a, double b) {
  if (!(b > a)) return {};
  const bool open = std::isinf(b);
  return {at_or_above(d, a) - (open ? 0.0 : at_or_above(d, b)),
          d.partial_mean_above(a) - (open ? 0.0 : d.partial_mean_above(b))};
}

}  // namespace

Expected<MenuEvaluation> evaluate_menu(std::span<const double> v, std::span<const double> x,
                                       const Distribution& actual) {
  const std::size_t m = v.size();
  if (m == 0 || x.size() != m) {
    return fail(ErrorCode::kInvalidArgument, "the design has no mechanism rows",
                "save the design with dia design --format json");
  }
  for (std::size_t i = 0; i < m; ++i) {
    if (!std::isfinite(v[i]) || v[i] < 0 || (i > 0 && !(v[i] > v[i - 1]))) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("the design's values must increase, row {} has {}", i + 1, v[i]),
                  "save the design with dia design --format json and do not edit its rows");
    }
    if (!(x[i] >= 0 && x[i] <= 1) || (i > 0 && x[i] < x[i - 1])) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("the design's allocation must be nondecreasing in [0, 1], row {} "
                              "has {}",
                              i + 1, x[i]),
                  "save the design with dia design --format json and do not edit its rows");
    }
  }
  detail::CompensatedSum paid, sold, reward;
  // The hull of the rent lines w -> X_j (w - v_j), slopes increasing; `best` the line in force.
  std::vector<std::size_t> hull;
  std::size_t best = 0;
  auto line = [&](std::size_t j, double w) { return x[j] * (w - v[j]); };
  auto meet = [&](std::size_t j, std::size_t k) {  // where line k overtakes line j
    return (x[k] * v[k] - x[j] * v[j]) / (x[k] - x[j]);
  };
  for (std::size_t i = 0; i < m; ++i) {
    if (x[i] > 0 && (hull.empty() || x[hull.back()] < x[i])) {
      while (hull.size() >= 2 && meet(hull[hull.size() - 2], hull.back()) >= meet(hull.back(), i)) {
        hull.pop_back();
      }
      best = hull.empty() ? 0 : std::min(best, hull.size() - 1);
      hull.push_back(i);
    }
    const double end = i + 1 < m ? v[i + 1] : std::numeric_limits<double>::infinity();
    const Slice cell = slice(actual, v[i], end);
    paid.add(x[i] * cell.mean);
    sold.add(x[i] * cell.mass);
    // R on [v_i, end): the hull's lines in turn, each up to where the next overtakes it.
    for (double w = v[i]; !hull.empty() && w < end;) {
      while (best + 1 < hull.size() && line(hull[best + 1], w) >= line(hull[best], w)) ++best;
      const double until =
          best + 1 < hull.size() ? std::min(end, meet(hull[best], hull[best + 1])) : end;
      const std::size_t j = hull[best];
      const Slice piece = slice(actual, w, until);
      reward.add(x[j] * ((long double)piece.mean - (long double)v[j] * piece.mass));
      if (until >= end) break;
      w = until;
      ++best;
    }
  }
  MenuEvaluation out;
  out.sale_probability = sold.value();
  out.expected_reward = reward.value();
  out.revenue = paid.value() - out.expected_reward;
  return out;
}

}  // namespace dia
