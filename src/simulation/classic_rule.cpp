// Myerson and second price as ex post rules (see classic_rule.hpp).
#include "simulation/classic_rule.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace dia::detail {
namespace {

// Upper concave hull of points given in increasing x (Andrew's monotone chain); points on a chord
// are dropped (their classes merge, which changes no revenue: their ironed virtual values tie).
std::vector<std::size_t> upper_hull(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<std::size_t> hull;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!hull.empty() && x[i] <= x[hull.back()]) continue;
    while (hull.size() >= 2) {
      const std::size_t a = hull[hull.size() - 2], b = hull.back();
      const double cross = (x[b] - x[a]) * (y[i] - y[a]) - (y[b] - y[a]) * (x[i] - x[a]);
      if (cross < 0) break;
      hull.pop_back();
    }
    hull.push_back(i);
  }
  return hull;
}

// ((B + P)^n - B^n) / (n P): the chance to win a uniform tie-break among everyone in a class of
// mass P above mass B (k others in the class with probability C(n-1,k) P^k B^(n-1-k)).
double tie_share(double below, double mass, int n) {
  if (mass <= 0) return std::pow(below, n - 1);
  return (std::pow(below + mass, n) - std::pow(below, n)) / (n * mass);
}

}  // namespace

ClassicRule::ClassicRule(const Distribution& distribution, SimulatedMechanism mechanism,
                         int bidders, const ClassicRevenues& classic)
    : myerson_(mechanism == SimulatedMechanism::kMyerson),
      discrete_(distribution.is_discrete()),
      n_(bidders),
      distribution_(&distribution) {
  if (mechanism == SimulatedMechanism::kSecondPriceReserve)
    reserve_value_ = classic.optimal_reserve;
  if (myerson_) reserve_value_ = classic.myerson_reserve;
  if (discrete_) {
    build_discrete(distribution);
  } else if (myerson_) {
    build_continuous_ironing(distribution);
  }
}

void ClassicRule::build_discrete(const Distribution& d) {
  const DiscreteTypes& t = d.atoms();
  const std::size_t m = t.size();
  class_of_atom_.resize(m);
  if (!myerson_) {
    // Second price: every atom its own class, paying its value; the reserve as given.
    for (std::size_t k = 0; k < m; ++k) {
      class_of_atom_[k] = static_cast<std::uint32_t>(k);
      class_lo_.push_back(t.values[k]);
      class_hi_.push_back(t.values[k]);
      class_mass_.push_back(t.probabilities[k]);
    }
    first_class_ = static_cast<std::uint32_t>(m);
    for (std::size_t k = 0; k < m; ++k) {
      if (t.values[k] >= reserve_value_ * (1 - 1e-12)) {
        first_class_ = static_cast<std::uint32_t>(k);
        break;
      }
    }
  } else {
    // Revenue curve points (P(V >= v_k), v_k P(V >= v_k)) and (0, 0), in increasing x.
    std::vector<double> above(m + 1, 0.0);
    for (std::size_t k = m; k-- > 0;) above[k] = above[k + 1] + t.probabilities[k];
    std::vector<double> x(m + 1), y(m + 1);
    for (std::size_t j = 0; j <= m; ++j) {
      const std::size_t k = m - j;  // point j is atom k (k = m: the origin)
      x[j] = above[k];
      y[j] = k == m ? 0.0 : t.values[k] * above[k];
    }
    const std::vector<std::size_t> hull = upper_hull(x, y);
    // Consecutive vertices j_a < j_b are atoms k_hi = m - j_a > k_lo = m - j_b: one class holds
    // atoms k_lo .. k_hi - 1 with ironed virtual value = the chord's slope.
    std::vector<double> slope;
    for (std::size_t h = hull.size() - 1; h >= 1; --h) {
      const std::size_t k_lo = m - hull[h], k_hi = m - hull[h - 1];
      const auto c = static_cast<std::uint32_t>(class_lo_.size());
      for (std::size_t k = k_lo; k < k_hi; ++k) class_of_atom_[k] = c;
      class_lo_.push_back(t.values[k_lo]);
      class_hi_.push_back(k_hi < m ? t.values[k_hi] : t.values[m - 1]);
      class_mass_.push_back(above[k_lo] - above[k_hi]);
      slope.push_back((y[hull[h]] - y[hull[h - 1]]) / (x[hull[h]] - x[hull[h - 1]]));
      if (k_hi - k_lo > 1) ++ironed_classes_;
    }
    first_class_ = static_cast<std::uint32_t>(slope.size());
    for (std::size_t c = 0; c < slope.size(); ++c) {
      if (slope[c] > 0) {
        first_class_ = static_cast<std::uint32_t>(c);
        break;
      }
    }
    reserve_value_ = first_class_ < class_lo_.size() ? class_lo_[first_class_]
                                                     : std::numeric_limits<double>::infinity();
  }
  class_below_.resize(class_mass_.size());
  double below = 0;
  for (std::size_t c = 0; c < class_mass_.size(); ++c) {
    class_below_[c] = below;
    below += class_mass_[c];
  }
}

void ClassicRule::build_continuous_ironing(const Distribution& d) {
  const std::size_t cells = kIroningCells;
  std::vector<double> v(cells + 1), x(cells + 1), y(cells + 1);
  for (std::size_t i = 0; i <= cells; ++i) {
    const double u = static_cast<double>(i) / static_cast<double>(cells);
    v[i] = i == cells ? d.upper() : i == 0 ? d.lower() : d.quantile(u);
    const std::size_t j = cells - i;  // increasing x = 1 - u
    x[j] = 1.0 - u;
    y[j] = i == cells ? 0.0 : v[i] * (1.0 - u);
  }
  const std::vector<std::size_t> hull = upper_hull(x, y);
  const double scale = *std::max_element(y.begin(), y.end());
  cell_interval_.assign(cells, -1);
  for (std::size_t h = 1; h < hull.size(); ++h) {
    const std::size_t j_a = hull[h - 1], j_b = hull[h];
    if (j_b - j_a < 2) continue;
    double gap = 0;
    for (std::size_t j = j_a + 1; j < j_b; ++j) {
      const double chord = y[j_a] + (y[j_b] - y[j_a]) * (x[j] - x[j_a]) / (x[j_b] - x[j_a]);
      gap = std::max(gap, chord - y[j]);
    }
    if (gap <= 1e-9 * scale) continue;
    const std::size_t i_lo = cells - j_b, i_hi = cells - j_a;
    if (!std::isfinite(v[i_hi])) continue;
    const int id = static_cast<int>(intervals_.size());
    intervals_.push_back({static_cast<double>(i_lo) / static_cast<double>(cells),
                          static_cast<double>(i_hi) / static_cast<double>(cells), v[i_lo],
                          v[i_hi]});
    for (std::size_t c = i_lo; c < i_hi; ++c) cell_interval_[c] = id;
  }
  if (intervals_.empty()) cell_interval_.clear();
}

double ClassicRule::interim_allocation(const Bid& b) const {
  if (discrete_) {
    const std::uint32_t c = class_of_atom_[b.atom];
    if (c < first_class_) return 0.0;
    return tie_share(class_below_[c], class_mass_[c], n_);
  }
  if (!(b.bid >= reserve_value_)) return 0.0;
  const int j = myerson_ ? interval_of(b.u) : -1;
  if (j < 0) return std::pow(b.u, n_ - 1);
  const Interval& in = intervals_[j];
  return tie_share(in.u_lo, in.u_hi - in.u_lo, n_);
}

double ClassicRule::interim_payment_discrete(const Bid& b) const {
  const std::uint32_t c = class_of_atom_[b.atom];
  if (c < first_class_) return 0.0;
  const double nm1 = n_ - 1;
  // Alone above the reserve: pays the reserve.
  double pay = std::pow(class_below_[first_class_], nm1) * reserve_value_;
  // Above the others' top class K (k >= 1 others in it): pays hi_K - (hi_K - lo_K) / (k + 1).
  for (std::uint32_t k = first_class_; k < c; ++k) {
    const double below = class_below_[k], mass = class_mass_[k];
    const double some = std::pow(below + mass, nm1) - std::pow(below, nm1);
    const double shared = tie_share(below, mass, n_) - std::pow(below, nm1);
    pay += class_hi_[k] * some - (class_hi_[k] - class_lo_[k]) * shared;
  }
  // Tied with k >= 1 others in its own class: wins 1 / (k + 1) and pays lo.
  const double below = class_below_[c];
  pay += class_lo_[c] * (tie_share(below, class_mass_[c], n_) - std::pow(below, nm1));
  return pay;
}

std::vector<double> ClassicRule::breakpoints() const {
  std::vector<double> out{reserve_value_};
  for (const Interval& in : intervals_) {
    out.push_back(in.v_lo);
    out.push_back(in.v_hi);
  }
  return out;
}

}  // namespace dia::detail
