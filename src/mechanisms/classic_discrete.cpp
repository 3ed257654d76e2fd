// Classic mechanisms for discrete values v_0 < ... < v_{m-1} with probabilities p_k
// (docs/model.md#classic). Notation: q_k = P(V >= v_k) (q_m = 0), B_k = P(V < v_k) = 1 - q_k.
//
// Myerson. With the lowest IC constraints binding, the interim payment of type k is
// v_k X_k - sum_{j<k} (v_{j+1} - v_j) X_j, so the revenue per bidder is sum_k p_k phi_k X_k with
//   phi_k = v_k - (v_{k+1} - v_k) (1 - F_k) / p_k = (q_k v_k - q_{k+1} v_{k+1}) / (q_k - q_{k+1}),
// the slope of the revenue curve R(q) = q * price through the points (q_k, q_k v_k) and (0, 0):
// type k owns the quantile segment [q_{k+1}, q_k]. Ironing replaces R by its concave hull Rbar;
// with D_k = Rbar(q_k) - R(q_k) >= 0, sum_k p_k (phi_k - phibar_k) X_k = sum_k D_k (X_{k-1} - X_k)
// <= 0 for nondecreasing X, with equality when X is constant across every k with D_k > 0, which
// the rule "highest phibar wins (ties at random), none if phibar < 0" satisfies; it maximises
// sum p_k phibar_k X_k pointwise. Since phibar is nondecreasing in the value,
// max_i phibar(v_i) = phibar(max_i v_i) and
//   revenue = E[max_i phibar(v_i)^+] = sum_classes phibar^+ (F_hi^n - F_lo^n),
// a class being the types k_lo..k_hi-1 under one hull edge, F_lo = B_{k_lo}, F_hi = B_{k_hi}.
// Example (v = 1, 2, 3, p = .5, .3, .2): the points (0, 0), (.2, .6), (.5, 1), (1, 1) are concave
// already, phi = (0, 4/3, 3); one bidder earns 1 and two bidders 4/3 (.8^2 - .5^2) + 3 (1 - .8^2)
// = 1.6.
//
// Second price. With Y the second highest value, P(Y >= v_k) = P(Bin(n, q_k) >= 2) =: S2_k and
// E[Y] = sum_k (v_k - v_{k-1}) S2_k (v_{-1} = 0; 0 for one bidder: the item is given away).
// With reserve r, the winner pays max(Y, r) when the highest value is >= r:
//   revenue(r) = r P(max >= r) + E[(Y - r)^+].
// For r in (v_{k-1}, v_k] both P(max >= r) = 1 - B_k^n and the atoms of Y above r are fixed, and
// revenue(r) = r (1 - B_k^n - S2_k) + const = r P(Bin(n, q_k) = 1) + const is nondecreasing in r,
// so an optimal reserve is an atom (and reserves above v_{m-1} earn nothing). At r = v_k:
//   revenue(v_k) = v_k (1 - B_k^n) + sum_{j>k} (v_j - v_{j-1}) S2_j,
// one backward pass. One bidder: S2 = 0 and revenue(v_k) = v_k q_k, the posted price.
#include <algorithm>
#include <cmath>
#include <vector>

#include "mechanisms/classic_detail.hpp"
#include "mechanisms/concave_hull.hpp"
#include "mechanisms/order_statistics.hpp"
#include "numeric/compensated_sum.hpp"
#include "numeric/huge_pages.hpp"

namespace dia::detail {

ClassicRevenues discrete_classic_revenues(const DiscreteTypes& types, int bidders) {
  DIA_CHECK(bidders >= 1);
  const std::size_t m = types.size();
  DIA_CHECK(m >= 1 && types.probabilities.size() == m);
  const std::vector<double>& v = types.values;
  const std::vector<double>& p = types.probabilities;
  const int n = bidders;

  // q[k] = P(V >= v_k) by suffix sums, below[k] = P(V < v_k) by prefix sums: each is accurate
  // where it is small, and power_difference uses whichever side is.
  std::vector<double> q = huge_vector<double>(m + 1), below = huge_vector<double>(m + 1);
  {
    CompensatedSum sum;
    q[m] = 0;
    for (std::size_t k = m; k-- > 0;) {
      sum.add(p[k]);
      q[k] = sum.value();
    }
    CompensatedSum prefix;
    below[0] = 0;
    for (std::size_t k = 0; k < m; ++k) {
      prefix.add(p[k]);
      below[k + 1] = prefix.value();
    }
  }
  // P(max >= v_k) = 1 - B_k^n.
  auto highest_at_least = [&](std::size_t k) {
    return q[k] < 0.5 ? binomial_at_least_one(n, q[k]) : 1.0 - std::pow(below[k], n);
  };

  ClassicRevenues out;

  // --- Myerson: concave hull of (q_k, v_k q_k) over k = m (the origin), m-1, ..., 0.
  {
    auto x = [&](std::size_t i) { return q[m - i]; };
    auto y = [&](std::size_t i) { return i == 0 ? 0.0 : v[m - i] * q[m - i]; };
    const std::vector<std::size_t> hull = upper_concave_hull(m + 1, x, y);
    // The reserve: the hull vertex with the largest revenue, the lowest one among (near) ties:
    // the classes above it have phibar > 0, those below phibar <= 0.
    double best = -1.0;
    for (std::size_t i : hull) best = std::max(best, y(i));
    std::size_t reserve_vertex = hull.front();
    for (std::size_t i : hull) {
      if (y(i) >= best * (1 - 1e-14)) reserve_vertex = i;  // hull order: increasing q
    }
    out.myerson_reserve = v[m - reserve_vertex];
    CompensatedSum revenue;
    for (std::size_t j = 0; j + 1 < hull.size(); ++j) {
      const std::size_t k_hi = m - hull[j];  // the class is k_lo .. k_hi - 1
      const std::size_t k_lo = m - hull[j + 1];
      if (hull[j + 1] > reserve_vertex) break;
      const double slope = (y(hull[j + 1]) - y(hull[j])) / (q[k_lo] - q[k_hi]);
      if (!(slope > 0)) continue;
      CompensatedSum mass;
      for (std::size_t k = k_lo; k < k_hi; ++k) mass.add(p[k]);
      revenue.add(slope * power_difference(n, below[k_hi], q[k_hi], mass.value()));
    }
    out.myerson = revenue.value();
  }

  // --- Second price, without and with the reserve (one backward pass over the atoms).
  {
    CompensatedSum above;  // sum_{j>k} (v_j - v_{j-1}) S2_j
    double best = -1.0;
    double best_reserve = v[0];
    for (std::size_t k = m; k-- > 0;) {
      const double revenue = v[k] * highest_at_least(k) + above.value();
      if (revenue >= best) {  // ties go to the smaller reserve
        best = revenue;
        best_reserve = v[k];
      }
      const double gap = v[k] - (k > 0 ? v[k - 1] : 0.0);
      above.add(gap * binomial_at_least_two(n, q[k]));
    }
    out.second_price = n >= 2 ? above.value() : 0.0;
    out.second_price_reserve = best;
    out.optimal_reserve = best_reserve;
  }

  if (n == 1) {
    // revenue(v_k) above is v_k q_k exactly: the best posted price.
    out.posted_price = out.second_price_reserve;
    out.posted_price_value = out.optimal_reserve;
  }
  return out;
}

}  // namespace dia::detail
