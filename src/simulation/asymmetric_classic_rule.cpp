// The classic mechanisms for asymmetric bidders as ex post rules (see asymmetric_classic_rule.hpp).
#include "simulation/asymmetric_classic_rule.hpp"

#include <algorithm>
#include <limits>

namespace dia::detail {
namespace {

// int_0^1 prod_k (a_k + s b_k) ds: the chance of winning a uniform draw among the T others tied
// with it (E[1/(T+1)]), times the chance that every other is below or tied.
long double tie_integral(const std::vector<long double>& below,
                         const std::vector<long double>& at) {
  std::vector<long double> poly{1.0L};  // coefficients of s^0, s^1, ...
  for (std::size_t k = 0; k < below.size(); ++k) {
    poly.push_back(0.0L);
    for (std::size_t d = poly.size() - 1; d > 0; --d)
      poly[d] = poly[d] * below[k] + poly[d - 1] * at[k];
    poly[0] *= below[k];
  }
  long double out = 0;
  for (std::size_t d = 0; d < poly.size(); ++d) out += poly[d] / static_cast<long double>(d + 1);
  return out;
}

}  // namespace

AsymmetricClassicRule::AsymmetricClassicRule(std::vector<DiscreteTypes> bidders,
                                             SimulatedMechanism mechanism,
                                             const AsymmetricClassicRevenues& classic)
    : myerson_(mechanism == SimulatedMechanism::kMyerson), types_(std::move(bidders)) {
  const std::size_t n = types_.size();
  for (std::size_t i = 0; i < n; ++i) {
    const DiscreteTypes& t = types_[i];
    std::uint32_t first = 0;
    if (myerson_) {
      key_.push_back(ironed_virtual_values(t));
      while (first < t.size() && !(key_[i][first] > 0)) ++first;
      reserve_.push_back(first < t.size() ? t.values[first]
                                          : std::numeric_limits<double>::infinity());
    } else {
      double r = 0;
      if (mechanism == SimulatedMechanism::kSecondPriceReserve) r = classic.anonymous_reserve;
      if (mechanism == SimulatedMechanism::kSecondPriceMyersonReserves) {
        r = classic.myerson_reserves[i];
      }
      key_.push_back(t.values);
      while (first < t.size() && !(t.values[first] >= r)) ++first;
      reserve_.push_back(r);
    }
    first_eligible_.push_back(first);
  }
  compute_interim();
}

double AsymmetricClassicRule::payment(std::size_t i, std::uint32_t t, bool other, double second,
                                      int count) const {
  if (!other) return reserve_[i];
  if (!myerson_) return std::max(reserve_[i], second);
  const std::vector<double>& k = key_[i];
  const auto a = static_cast<std::size_t>(std::lower_bound(k.begin(), k.end(), second) - k.begin());
  const auto b = static_cast<std::size_t>(std::upper_bound(k.begin(), k.end(), second) - k.begin());
  const std::vector<double>& v = types_[i].values;
  if (k[t] == second || a == b) return v[a == b ? b : a];  // tied: v_a per win; else v_b
  const double c = count;
  return v[a] / (c + 1) + v[b] * c / (c + 1);
}

void AsymmetricClassicRule::compute_interim() {
  const std::size_t n = types_.size();
  std::vector<double> levels;
  for (std::size_t i = 0; i < n; ++i) {
    levels.insert(levels.end(), key_[i].begin() + first_eligible_[i], key_[i].end());
  }
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  interim_.assign(n, {});
  std::vector<std::size_t> next(n);  // per bidder: its first eligible type with key >= the level
  std::vector<long double> below(n, 0), at(n, 0);  // P(key_j < L) (absent included), P(key_j = L)
  std::vector<long double> cumulative(n, 0);     // second price: sum of L' P(M_-i = L'), L' >= r_i
  std::vector<long double> below_reserve(n, 1);  // second price: P(M_-i < r_i)
  std::vector<bool> reserve_seen(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    interim_[i].allocation.assign(types_[i].size(), 0.0);
    interim_[i].payment.assign(types_[i].size(), 0.0);
    next[i] = first_eligible_[i];
    for (std::size_t t = 0; t < first_eligible_[i]; ++t) below[i] += types_[i].probabilities[t];
  }
  std::vector<long double> prefix_below(n + 1), suffix_below(n + 1), prefix_le(n + 1),
      suffix_le(n + 1);
  std::vector<long double> tie_below, tie_at;
  for (const double level : levels) {
    for (std::size_t j = 0; j < n; ++j) {
      const auto& t = types_[j];
      at[j] = 0;
      for (std::size_t e = next[j]; e < t.size() && key_[j][e] == level; ++e) {
        at[j] += t.probabilities[e];
      }
    }
    // Products over the others by prefix and suffix products.
    prefix_below[0] = prefix_le[0] = suffix_below[n] = suffix_le[n] = 1;
    for (std::size_t j = 0; j < n; ++j) {
      prefix_below[j + 1] = prefix_below[j] * below[j];
      prefix_le[j + 1] = prefix_le[j] * (below[j] + at[j]);
    }
    for (std::size_t j = n; j-- > 0;) {
      suffix_below[j] = suffix_below[j + 1] * below[j];
      suffix_le[j] = suffix_le[j + 1] * (below[j] + at[j]);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const long double lt = prefix_below[i] * suffix_below[i + 1];  // P(M_-i < L)
      const long double le = prefix_le[i] * suffix_le[i + 1];        // P(M_-i <= L)
      if (!myerson_ && !reserve_seen[i] && level >= reserve_[i]) {
        reserve_seen[i] = true;
        below_reserve[i] = lt;
      }
      if (at[i] > 0) {
        // The others tied at L: a uniform draw among them.
        tie_below.clear();
        tie_at.clear();
        long double rest = 1;
        for (std::size_t j = 0; j < n; ++j) {
          if (j == i) continue;
          if (at[j] > 0) {
            tie_below.push_back(below[j]);
            tie_at.push_back(at[j]);
          } else {
            rest *= below[j];
          }
        }
        const long double x = rest * tie_integral(tie_below, tie_at);
        // Second price: max(r_i, M) when alone above the others, the tied value L when tied.
        const long double pay = below_reserve[i] * reserve_[i] + cumulative[i] + level * (x - lt);
        for (std::size_t e = next[i]; e < types_[i].size() && key_[i][e] == level; ++e) {
          interim_[i].allocation[e] = static_cast<double>(x);
          if (!myerson_) interim_[i].payment[e] = static_cast<double>(pay);
        }
      }
      if (!myerson_ && level >= reserve_[i]) cumulative[i] += level * (le - lt);
    }
    for (std::size_t j = 0; j < n; ++j) {
      below[j] += at[j];
      while (next[j] < types_[j].size() && key_[j][next[j]] == level) ++next[j];
    }
  }
  if (!myerson_) return;
  // Myerson: the payment identity over the own types, P(t) = sum_{l <= t} v_l (X_l - X_{l-1}).
  for (std::size_t i = 0; i < n; ++i) {
    long double pay = 0, previous = 0;
    for (std::size_t t = 0; t < types_[i].size(); ++t) {
      pay += types_[i].values[t] * (interim_[i].allocation[t] - previous);
      previous = interim_[i].allocation[t];
      interim_[i].payment[t] = static_cast<double>(pay);
    }
  }
}

}  // namespace dia::detail
