// Classic mechanisms without inspection for independent bidders with different discrete type
// spaces (docs/asymmetric.md section 5), exact sums over the atoms.
//
// Myerson: revenue = E[max_i phibar_i(v_i)^+]; with the distinct positive levels
// 0 = L_0 < L_1 < ... < L_T of all phibar_i, E[max^+] = sum_t (L_t - L_{t-1}) (1 - prod_i
// P(phibar_i <= L_{t-1})), each phibar_i being nondecreasing in the value.
//
// Second price with reserves r_i: bidder i takes part when v_i >= r_i (its "eligible" value). The
// highest eligible value wins (ties at random) and pays max(r_winner, the highest other eligible
// value); in a tie that is the tied value whoever wins. So the revenue is
//   sum_i sum_{v_ik >= r_i} p_ik E[max(r_i, M_-i); M_-i < v_ik]  +  sum_u u P(top = u, tied),
// M_-i the others' highest eligible value (absent counts as -inf), from the per-bidder functions
// P(absent or eligible <= x) and P(absent or eligible < x).
#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "dia/asymmetric.hpp"
#include "mechanisms/concave_hull.hpp"
#include "numeric/compensated_sum.hpp"

namespace dia {
namespace {

class Cdf {
 public:
  Cdf(const DiscreteTypes& types, double reserve) : t_(types), reserve_(reserve) {
    prefix_.push_back(0);
    for (double p : types.probabilities) prefix_.push_back(prefix_.back() + p);
  }
  // P(v <= x) and P(v < x).
  long double at_most(double x) const {
    return prefix_[offset(std::upper_bound(t_.values.begin(), t_.values.end(), x))];
  }
  long double below(double x) const {
    return prefix_[offset(std::lower_bound(t_.values.begin(), t_.values.end(), x))];
  }
  // P(absent or eligible <= x), P(absent or eligible < x), P(eligible = x).
  long double absent_or_at_most(double x) const {
    return x >= reserve_ ? at_most(x) : below(reserve_);
  }
  long double absent_or_below(double x) const { return below(std::max(x, reserve_)); }
  long double eligible_at(double x) const { return x >= reserve_ ? at_most(x) - below(x) : 0; }

 private:
  std::size_t offset(std::vector<double>::const_iterator it) const {
    return static_cast<std::size_t>(it - t_.values.begin());
  }
  const DiscreteTypes& t_;
  double reserve_;
  std::vector<long double> prefix_;
};

double second_price_revenue(const std::vector<DiscreteTypes>& bidders,
                            const std::vector<double>& reserves) {
  const std::size_t n = bidders.size();
  std::vector<Cdf> cdf;
  std::vector<double> atoms;
  for (std::size_t i = 0; i < n; ++i) {
    cdf.emplace_back(bidders[i], reserves[i]);
    atoms.insert(atoms.end(), bidders[i].values.begin(), bidders[i].values.end());
  }
  std::sort(atoms.begin(), atoms.end());
  atoms.erase(std::unique(atoms.begin(), atoms.end()), atoms.end());
  auto others = [&](std::size_t i, auto&& factor) {
    long double product = 1;
    for (std::size_t j = 0; j < n; ++j) {
      if (j != i) product *= factor(cdf[j]);
    }
    return product;
  };
  detail::CompensatedSum revenue;
  for (std::size_t i = 0; i < n; ++i) {
    const double r = reserves[i];
    // cumulative[a] = sum over atoms b in [r, atoms[a]) of b P(M_-i = b).
    std::vector<long double> cumulative(atoms.size() + 1, 0);
    for (std::size_t a = 0; a < atoms.size(); ++a) {
      const double b = atoms[a];
      long double mass = 0;
      if (b >= r) {
        mass = others(i, [b](const Cdf& c) { return c.absent_or_at_most(b); }) -
               others(i, [b](const Cdf& c) { return c.absent_or_below(b); });
      }
      cumulative[a + 1] = cumulative[a] + b * mass;
    }
    const long double below_reserve = others(i, [r](const Cdf& c) { return c.absent_or_below(r); });
    for (std::size_t k = 0; k < bidders[i].size(); ++k) {
      const double v = bidders[i].values[k];
      if (v < r) continue;
      const auto a =
          static_cast<std::size_t>(std::lower_bound(atoms.begin(), atoms.end(), v) - atoms.begin());
      revenue.add(bidders[i].probabilities[k] * (r * below_reserve + cumulative[a]));
    }
  }
  for (double u : atoms) {
    long double all_at_most = 1, all_below = 1, single = 0;
    for (std::size_t i = 0; i < n; ++i) {
      all_at_most *= cdf[i].absent_or_at_most(u);
      all_below *= cdf[i].absent_or_below(u);
      single +=
          cdf[i].eligible_at(u) * others(i, [u](const Cdf& c) { return c.absent_or_below(u); });
    }
    revenue.add(u * std::max(0.0L, all_at_most - all_below - single));
  }
  return revenue.value();
}

// The best common reserve r (an atom, or 0): with Y1 >= Y2 the two highest values the winner pays
// max(r, Y2) when Y1 >= r, so revenue(r) = r (P(Y2 < r) - P(Y1 < r)) + E[Y2; Y2 >= r], one
// backward pass over the atoms after P(Y1 <= u) and P(Y2 <= u) at every atom u.
std::pair<double, double> best_anonymous_reserve(const std::vector<DiscreteTypes>& bidders) {
  const std::size_t n = bidders.size();
  std::vector<Cdf> cdf;
  std::vector<double> atoms;
  for (const auto& b : bidders) {
    cdf.emplace_back(b, 0.0);
    atoms.insert(atoms.end(), b.values.begin(), b.values.end());
  }
  std::sort(atoms.begin(), atoms.end());
  atoms.erase(std::unique(atoms.begin(), atoms.end()), atoms.end());
  const std::size_t a = atoms.size();
  std::vector<long double> first(a), second(a);  // P(Y1 <= u), P(Y2 <= u)
  for (std::size_t t = 0; t < a; ++t) {
    long double all = 1, one_above = 0;
    std::vector<long double> f(n);
    for (std::size_t i = 0; i < n; ++i) all *= (f[i] = cdf[i].at_most(atoms[t]));
    for (std::size_t i = 0; i < n; ++i) {
      long double others = 1;
      for (std::size_t j = 0; j < n; ++j) {
        if (j != i) others *= f[j];
      }
      one_above += (1 - f[i]) * others;
    }
    first[t] = all;
    second[t] = n == 1 ? 1.0L : all + one_above;
  }
  std::pair<double, double> best{0.0, 0.0};
  long double upper = 0;  // E[Y2; Y2 >= atoms[t]]
  for (std::size_t t = a; t-- > 0;) {
    const long double y2_below = t > 0 ? second[t - 1] : (n == 1 ? 1.0L : 0.0L);
    const long double y1_below = t > 0 ? first[t - 1] : 0;
    upper += atoms[t] * (second[t] - y2_below);
    const double revenue = static_cast<double>(atoms[t] * (y2_below - y1_below) + upper);
    if (revenue > best.first) best = {revenue, atoms[t]};
  }
  return best;
}

}  // namespace

std::vector<double> ironed_virtual_values(const DiscreteTypes& types) {
  const std::size_t m = types.size();
  std::vector<double> q(m + 1, 0.0);  // q[k] = P(V >= v_k)
  long double tail = 0;
  for (std::size_t k = m; k-- > 0;) {
    tail += types.probabilities[k];
    q[k] = static_cast<double>(tail);
  }
  // Points j = 0..m: (q_{m-j}, q_{m-j} v_{m-j}), the origin first; type k owns [q_{k+1}, q_k].
  auto x = [&](std::size_t j) { return q[m - j]; };
  auto y = [&](std::size_t j) { return j == 0 ? 0.0 : q[m - j] * types.values[m - j]; };
  const std::vector<std::size_t> hull = detail::upper_concave_hull(m + 1, x, y);
  std::vector<double> phibar(m, 0.0);
  for (std::size_t e = 0; e + 1 < hull.size(); ++e) {
    const double slope = (y(hull[e + 1]) - y(hull[e])) / (x(hull[e + 1]) - x(hull[e]));
    for (std::size_t k = m - hull[e + 1]; k < m - hull[e]; ++k) phibar[k] = slope;
  }
  return phibar;
}

AsymmetricClassicRevenues asymmetric_classic_revenues(const std::vector<DiscreteTypes>& bidders) {
  const std::size_t n = bidders.size();
  AsymmetricClassicRevenues out;
  // Myerson.
  std::vector<std::vector<double>> phibar;
  std::vector<double> levels{0.0};
  for (const auto& b : bidders) {
    phibar.push_back(ironed_virtual_values(b));
    for (double level : phibar.back()) {
      if (level > 0) levels.push_back(level);
    }
    const auto first = std::find_if(phibar.back().begin(), phibar.back().end(),
                                    [](double level) { return level > 0; });
    out.myerson_reserves.push_back(
        first == phibar.back().end()
            ? std::numeric_limits<double>::infinity()
            : b.values[static_cast<std::size_t>(first - phibar.back().begin())]);
  }
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  std::vector<std::vector<long double>> prefix(n, std::vector<long double>{0});
  for (std::size_t i = 0; i < n; ++i) {
    for (double p : bidders[i].probabilities) prefix[i].push_back(prefix[i].back() + p);
  }
  detail::CompensatedSum myerson;
  for (std::size_t t = 1; t < levels.size(); ++t) {
    long double all_at_most = 1;
    for (std::size_t i = 0; i < n; ++i) {
      // phibar_i is nondecreasing: P(phibar_i <= L) is a prefix mass.
      const auto end = std::upper_bound(phibar[i].begin(), phibar[i].end(), levels[t - 1]);
      all_at_most *= prefix[i][static_cast<std::size_t>(end - phibar[i].begin())];
    }
    myerson.add((levels[t] - levels[t - 1]) * (1 - all_at_most));
  }
  out.myerson = myerson.value();
  // Second price: no reserve, the best anonymous reserve (an atom), Myerson reserves.
  out.second_price = second_price_revenue(bidders, std::vector<double>(n, 0.0));
  std::tie(out.second_price_anonymous_reserve, out.anonymous_reserve) =
      best_anonymous_reserve(bidders);
  out.second_price_myerson_reserves = second_price_revenue(bidders, out.myerson_reserves);
  return out;
}

}  // namespace dia
