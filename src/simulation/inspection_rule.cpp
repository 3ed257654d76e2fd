// The inspection mechanism's compiled ex post rule (see inspection_rule.hpp).
#include "simulation/inspection_rule.hpp"

#include <algorithm>
#include <cmath>

namespace dia::detail {
namespace {

// Line i of (RENT): w -> X_i (w - v_i). Slopes X_i are nondecreasing in i; line b is useless
// when line c overtakes it before it overtakes line a (as in HighestBidderLottery).
bool middle_is_useless(const std::vector<double>& v, const std::vector<double>& x, std::size_t a,
                       std::size_t b, std::size_t c) {
  const long double ab = ((long double)x[b] * v[b] - (long double)x[a] * v[a]) * (x[c] - x[b]);
  const long double bc = ((long double)x[c] * v[c] - (long double)x[b] * v[b]) * (x[b] - x[a]);
  return bc <= ab;
}

bool equal_mass(const DiscreteTypes& t) {
  const double p = 1.0 / static_cast<double>(t.size());
  return std::all_of(t.probabilities.begin(), t.probabilities.end(),
                     [&](double q) { return std::abs(q - p) <= 1e-9 * p; });
}

}  // namespace

InspectionRule::InspectionRule(const Distribution& distribution,
                               const InspectionMechanism& mechanism, ExPostRule rule,
                               const SimulationConfig& config)
    : rule_(std::move(rule)),
      mechanism_(mechanism),
      n_(config.bidders),
      reward_scale_(config.reward_scale),
      noise_(config.noise),
      tolerance_(config.tolerance),
      v_(mechanism.types.values),
      x_(mechanism.reduced.allocation) {
  const std::size_t m = v_.size();
  per_atom_ = distribution.is_discrete() && distribution.atoms().values == v_;
  if (per_atom_) {
    q_.resize(m);
    rho_.resize(m);
    for (std::size_t k = 0; k < m; ++k) {
      if (const auto* lottery = std::get_if<HighestBidderLottery>(&rule_)) {
        q_[k] = std::min(1.0, lottery->win_probability(v_[k]));
      }
      rho_[k] = winner_reward(v_[k]);
    }
    return;
  }
  // Continuous values against the step X of the grid: the envelope of (RENT) for rho(w).
  grid_ = !distribution.is_discrete() && equal_mass(mechanism.types);
  if (grid_) {
    // Continuous values are played on the design's own type space: cell k of mass 1/m (drawn
    // from the CDF level) has the cell's conditional mean v_k, so the expected revenue is exactly
    // the design's. Ties within a cell are broken uniformly: G_k = (F_k^n - F_{k-1}^n)/(n p_k).
    per_atom_ = true;
    q_.resize(m);
    rho_.resize(m);
    const double cells = static_cast<double>(m);
    for (std::size_t k = 0; k < m; ++k) {
      const double hi = static_cast<double>(k + 1) / cells, lo = static_cast<double>(k) / cells;
      const double g = (std::pow(hi, n_) - std::pow(lo, n_)) * cells / n_;
      q_[k] = x_[k] > 0 ? std::min(1.0, x_[k] / g) : 0.0;
      const double rent = mechanism.reduced.rent[k];
      rho_[k] = x_[k] > 0 ? reward_scale_ * std::min(v_[k], rent / x_[k]) : 0.0;
    }
    return;
  }
  for (std::size_t i = 0; i < m; ++i) {
    if (x_[i] <= 0) continue;
    if (!hull_.empty() && x_[hull_.back()] == x_[i]) continue;
    while (hull_.size() >= 2 && middle_is_useless(v_, x_, hull_[hull_.size() - 2], hull_.back(), i))
      hull_.pop_back();
    hull_.push_back(static_cast<std::uint32_t>(i));
  }
  hull_at_.resize(m);
  std::size_t pos = 0;
  auto line = [&](std::size_t p, double w) { return x_[hull_[p]] * (w - v_[hull_[p]]); };
  for (std::size_t i = 0; i < m; ++i) {
    while (pos + 1 < hull_.size() && hull_[pos + 1] <= i &&
           line(pos + 1, v_[i]) >= line(pos, v_[i]))
      ++pos;
    hull_at_[i] = static_cast<std::uint32_t>(pos);
  }
}

std::size_t InspectionRule::locate(double bid, double u) const {
  const std::size_t m = v_.size();
  if (!grid_) {
    const auto it = std::upper_bound(v_.begin(), v_.end(), bid);
    return it == v_.begin() ? kNone : static_cast<std::size_t>(it - v_.begin()) - 1;
  }
  // Equal-mass cells: the type of cell floor(u m) is its conditional mean, so the step is that
  // cell or a neighbour.
  auto i =
      static_cast<std::size_t>(std::min(u * static_cast<double>(m), static_cast<double>(m - 1)));
  while (i + 1 < m && v_[i + 1] <= bid) ++i;
  while (v_[i] > bid) {
    if (i == 0) return kNone;
    --i;
  }
  return i;
}

double InspectionRule::reward(double bid, std::size_t step) const {
  if (per_atom_) return rho_[step];
  if (hull_.empty() || x_[step] <= 0) return 0.0;
  std::size_t pos = hull_at_[step];
  if (hull_[pos] > step) return 0.0;
  auto line = [&](std::size_t p) { return x_[hull_[p]] * (bid - v_[hull_[p]]); };
  while (pos + 1 < hull_.size() && hull_[pos + 1] <= step && line(pos + 1) >= line(pos)) ++pos;
  const double rent = std::max(0.0, line(pos));
  return reward_scale_ * std::min(bid, rent / x_[step]);
}

double InspectionRule::expected_revenue(double paid_probability) const {
  const auto& t = mechanism_.types;
  const auto& r = mechanism_.reduced;
  long double sum = 0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    sum += t.probabilities[k] *
           (t.values[k] * r.allocation[k] - reward_scale_ * paid_probability * r.rent[k]);
  }
  return static_cast<double>(sum) * n_;
}

}  // namespace dia::detail
