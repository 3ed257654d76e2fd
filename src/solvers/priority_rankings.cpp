// Building the lottery over priority rankings (dia/priority_rankings.hpp): the input's checks,
// the walk of priority_rankings_walk.cpp, and the rule's own reduced form and sales to a lower
// bidder recomputed from its rankings.
#include "dia/priority_rankings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "dia/asymmetric.hpp"
#include "priority_rankings_walk.hpp"

namespace dia {
namespace {

constexpr double kInputTolerance = 1e-9;        // Border's rows of the input X
constexpr double kReducedFormTolerance = 1e-7;  // as the symmetric Border lottery
constexpr int kFeasibilityScalings = 8;

// Remaining masses of one bidder's types (sorted by value) with prefix sums in O(log m): a
// Fenwick tree (hand-written: a dozen lines, no Debian package offers one).
class MassTree {
 public:
  explicit MassTree(const std::vector<double>& p) : tree_(p.size() + 1, 0) {
    for (std::size_t k = 0; k < p.size(); ++k) add(k, p[k]);
  }
  void add(std::size_t k, long double delta) {
    for (std::size_t i = k + 1; i < tree_.size(); i += i & (~i + 1)) tree_[i] += delta;
  }
  long double prefix(std::size_t count) const {  // the mass of types 0 .. count - 1
    long double s = 0;
    for (std::size_t i = count; i > 0; i -= i & (~i + 1)) s += tree_[i];
    return std::max(0.0L, s);
  }

 private:
  std::vector<long double> tree_;
};

struct Measured {
  std::vector<std::vector<double>> allocation;
  double lower_wins = 0;
};

// Per ranking, walking its order: pair e = (i, v) wins when present and no pair listed before it
// is, with chance p_e prod_{j != i} (mass of j's unlisted types, or absent); it wins as a (weakly)
// highest bidder when besides every other bidder's type is at most v: prod_{j != i} (mass of j's
// unlisted types of value <= v, or absent). A bidder is absent with the mass its types leave
// below 1 (a continuous class's values below its grid, step_masses.hpp).
Measured measure(const std::vector<DiscreteTypes>& bidders, const detail::RankingMixture& mix) {
  const std::size_t n = bidders.size();
  const std::vector<std::size_t> offsets = detail::pair_offsets(bidders);
  std::vector<std::size_t> bidder_of;
  for (std::size_t i = 0; i < n; ++i) bidder_of.insert(bidder_of.end(), bidders[i].size(), i);
  std::vector<std::vector<long double>> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i].assign(bidders[i].size(), 0);
  std::vector<long double> absent(n, 1);
  for (std::size_t i = 0; i < n; ++i) {
    for (double p : bidders[i].probabilities) absent[i] -= p;
    if (absent[i] <= 1e-12L) absent[i] = 0;  // rows summing to 1 up to rounding
  }
  long double sold = 0, highest = 0;
  for (std::size_t k = 0; k < mix.orders.size(); ++k) {
    const long double w = mix.weights[k];
    std::vector<MassTree> unlisted;
    std::vector<std::size_t> left(n);
    for (std::size_t i = 0; i < n; ++i) {
      unlisted.emplace_back(bidders[i].probabilities);
      left[i] = bidders[i].size();
    }
    for (std::size_t e : mix.orders[k]) {
      const std::size_t i = bidder_of[e], t = e - offsets[i];
      const double v = bidders[i].values[t];
      long double others = 1, below = 1;
      for (std::size_t j = 0; j < n; ++j) {
        if (j == i) continue;
        const auto& values = bidders[j].values;
        others *= absent[j] + (left[j] ? unlisted[j].prefix(values.size()) : 0.0L);
        const auto at_most = static_cast<std::size_t>(
            std::upper_bound(values.begin(), values.end(), v) - values.begin());
        below *= absent[j] + (left[j] ? unlisted[j].prefix(at_most) : 0.0L);
      }
      const long double p = bidders[i].probabilities[t];
      x[i][t] += w * others;
      sold += w * p * others;
      highest += w * p * std::min(others, below);
      unlisted[i].add(t, -p);
      --left[i];
    }
  }
  Measured out;
  for (const auto& xi : x) out.allocation.emplace_back(xi.begin(), xi.end());
  out.lower_wins = static_cast<double>(std::max(0.0L, sold - highest));
  return out;
}

std::string family_text(const std::vector<DiscreteTypes>& bidders, const BorderFamily& family) {
  std::string out;
  for (std::size_t i = 0; i < bidders.size(); ++i) {
    if (family.sets[i].empty()) continue;
    std::string values;
    for (std::size_t t : family.sets[i]) {
      values += fmt::format("{}{:g}", values.empty() ? "" : ", ", bidders[i].values[t]);
    }
    out += fmt::format("{}bidder {} values {{{}}}", out.empty() ? "" : "; ", i + 1, values);
  }
  return out;
}

Expected<void> check_input(const std::vector<DiscreteTypes>& bidders,
                           const std::vector<std::vector<double>>& x) {
  if (bidders.empty() || x.size() != bidders.size()) {
    return fail(ErrorCode::kInvalidArgument,
                "priority rankings need at least one bidder and one allocation vector per bidder");
  }
  std::size_t pairs = 0;
  for (std::size_t i = 0; i < bidders.size(); ++i) {
    pairs += bidders[i].size();
    if (x[i].size() != bidders[i].size() || bidders[i].probabilities.size() != bidders[i].size()) {
      return fail(ErrorCode::kInvalidArgument, fmt::format("bidder {}: {} types but {} allocations",
                                                           i + 1, bidders[i].size(), x[i].size()));
    }
    for (std::size_t t = 0; t < x[i].size(); ++t) {
      if (!(x[i][t] >= 0 && x[i][t] <= 1)) {
        return fail(
            ErrorCode::kInvalidArgument,
            fmt::format("bidder {}: the allocation X must lie in [0,1], got {} at value {:g}",
                        i + 1, x[i][t], bidders[i].values[t]));
      }
      if (!(bidders[i].probabilities[t] > 0)) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("bidder {}: type {:g} has no positive probability", i + 1,
                                bidders[i].values[t]));
      }
    }
  }
  if (pairs >= PriorityRankings::kBelowCut) {
    return fail(ErrorCode::kTooLarge, fmt::format("{} (bidder, type) pairs", pairs));
  }
  const auto worst = border_candidates(bidders, x, 1);
  if (!worst.empty() && worst.front().gap > kInputTolerance) {
    const BorderFamily& f = worst.front();
    long double product = 1;
    for (std::size_t i = 0; i < bidders.size(); ++i) {
      long double outside = 1;
      for (std::size_t t : f.sets[i]) outside -= bidders[i].probabilities[t];
      product *= std::max(0.0L, outside);
    }
    const double bound = static_cast<double>(1 - product);
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("X violates Border's condition: the types {} win {:.9g} > {:.9g}, "
                            "the chance one of them is present",
                            family_text(bidders, f), bound + f.gap, bound),
                "no ex post rule implements this reduced form");
  }
  return {};
}

}  // namespace

Expected<PriorityRankings> PriorityRankings::build(
    const std::vector<DiscreteTypes>& bidders,
    const std::vector<std::vector<double>>& allocations) {
  if (auto ok = check_input(bidders, allocations); !ok) return tl::unexpected(ok.error());
  // A gap within the input tolerance is removed by scaling X down, as the designer does.
  std::vector<std::vector<double>> x = allocations;
  for (int k = 0; k < kFeasibilityScalings; ++k) {
    const auto worst = border_candidates(bidders, x, 1);
    if (worst.empty() || worst.front().gap <= 0) break;
    for (auto& xi : x) {
      for (double& value : xi) value *= 1 - 2 * worst.front().gap;
    }
  }
  auto mix = detail::decompose_into_rankings(bidders, x);
  if (!mix) return tl::unexpected(mix.error());
  PriorityRankings rule;
  rule.offsets_ = detail::pair_offsets(bidders);
  rule.weights_ = mix->weights;
  const std::size_t pairs = rule.pairs();
  rule.priority_.assign(mix->orders.size() * pairs, kBelowCut);
  for (std::size_t k = 0; k < mix->orders.size(); ++k) {
    for (std::size_t place = 0; place < mix->orders[k].size(); ++place) {
      rule.priority_[k * pairs + mix->orders[k][place]] = static_cast<std::uint32_t>(place);
    }
  }
  rule.pick_ = boost::random::discrete_distribution<std::size_t, double>(rule.weights_.begin(),
                                                                         rule.weights_.end());
  Measured measured = measure(bidders, *mix);
  rule.allocation_ = std::move(measured.allocation);
  rule.lower_wins_ = measured.lower_wins;
  for (std::size_t i = 0; i < bidders.size(); ++i) {
    for (std::size_t t = 0; t < bidders[i].size(); ++t) {
      rule.max_error_ =
          std::max(rule.max_error_, std::fabs(rule.allocation_[i][t] - allocations[i][t]));
    }
  }
  if (!(rule.max_error_ <= kReducedFormTolerance)) {
    return fail(
        ErrorCode::kInvalidArgument,
        fmt::format("the priority rankings' reduced form misses X by {:.1e}", rule.max_error_));
  }
  return rule;
}

}  // namespace dia
