// Carathéodory in the polymatroid of Border's condition (docs/asymmetric.md section 7); our own
// construction.
//
// With y_e = p_i(v) X_i(v) for the pair e = (i, v) and f(S) = 1 - prod_i (1 - P_i(S_i)), Border's
// condition is y(S) <= f(S) for every set S of pairs: y lies in the polymatroid of the monotone
// submodular f, whose vertices are the greedy vectors of priority rankings with a cut. One step:
// take a maximal chain of tight sets (y(T) = f(T)) in the support of y, a ranking V that lists the
// chain's blocks in order (then the other pairs of the support) and so is tight on every tight
// set, and the largest t with y' = y + t (y - V) still feasible; then y = (y' + t V) / (1 + t).
// y' keeps every tight set of y and gains a tight set or a zero, so its face is smaller: at most
// one ranking more than the pairs. The largest t is found from above (Newton on the oracle's
// largest gap, a convex piecewise linear function of t): every violated family found gives the
// t where its line crosses 0.
//
// The chain: at the start, the oracle's tight candidates (every tight family is a maximiser of
// the gap, so a family of group prefixes up to types of one bidder at its threshold, which any
// order within a block serves) sorted by size, each kept when it contains the last one kept.
// Then it is kept from step to step: the chain's sets stay tight at y' (V is tight on them), and
// the family that stopped the step is tight at y', so every block B_j splits into B_j n S and
// B_j \ S (T_(j-1) u (S n T_j) is tight). Should the chain miss a tight set (rounding, or several
// sets tight at once), V leaves the face at once: the step's t is 0 and the family found refines
// the chain, with no weight moved. Rounding grows like 1 / (the weight left), and the tolerances
// are scaled by it, as in the symmetric hierarchy walk.
#include "priority_rankings_walk.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "dia/asymmetric.hpp"

namespace dia::detail {
namespace {

constexpr long double kTight = 1e-12L;     // a gap >= -kTight / left is tight
constexpr long double kLeftover = 1e-14L;  // weight below which the last ranking takes the rest
constexpr int kNewtonSteps = 200;
constexpr long double kRoundedMass = 1e-12L;  // a bidder's mass missing from 1 by rounding

struct Pairs {
  std::vector<std::size_t> offsets, bidder;
  std::vector<long double> p;
  std::vector<double> value;
  std::size_t size() const { return bidder.size(); }
};

// f(S) - y(S) and V(S) - y(S) of a family given by its membership.
struct FamilySums {
  long double slack = 0;   // f(S) - y(S)
  long double excess = 0;  // y(S) - V(S)
};

FamilySums family_sums(const Pairs& pairs, const std::vector<char>& in,
                       const std::vector<long double>& y, const std::vector<long double>& v,
                       std::size_t n) {
  std::vector<long double> outside(n, 1.0L);
  FamilySums s;
  long double ys = 0, vs = 0;
  for (std::size_t e = 0; e < pairs.size(); ++e) {
    if (!in[e]) continue;
    outside[pairs.bidder[e]] -= pairs.p[e];
    ys += y[e];
    vs += v[e];
  }
  long double product = 1;
  for (long double o : outside) product *= std::max(0.0L, o);
  s.slack = 1 - product - ys;
  s.excess = ys - vs;
  return s;
}

class Walk {
 public:
  Walk(const std::vector<DiscreteTypes>& bidders, const std::vector<std::vector<double>>& x)
      : bidders_(bidders), n_(bidders.size()) {
    pairs_.offsets = pair_offsets(bidders);
    for (std::size_t i = 0; i < n_; ++i) {
      for (std::size_t t = 0; t < bidders[i].size(); ++t) {
        pairs_.bidder.push_back(i);
        pairs_.p.push_back(bidders[i].probabilities[t]);
        pairs_.value.push_back(bidders[i].values[t]);
        z_.push_back(static_cast<long double>(bidders[i].probabilities[t]) * x[i][t]);
      }
    }
    for (std::size_t e = 0; e < pairs_.size(); ++e) {
      if (z_[e] > 0) support_.push_back(e);
    }
    absent_.assign(n_, 1.0L);
    for (std::size_t e = 0; e < pairs_.size(); ++e) absent_[pairs_.bidder[e]] -= pairs_.p[e];
    for (long double& a : absent_) a = a > kRoundedMass ? a : 0.0L;  // rows summing to 1
  }

  Expected<RankingMixture> run() {
    initial_chain(z_, kTight);  // the weight left is 1: y = z
    const std::size_t max_rankings = support_.size() + 1;
    const std::size_t max_steps = 4 * max_rankings + 16;
    for (std::size_t step = 0; step < max_steps; ++step) {
      if (advance()) return std::move(out_);
      if (out_.weights.size() > max_rankings) break;
    }
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("the decomposition into priority rankings did not close within {} "
                            "rankings (rounding); X is too close to infeasible",
                            max_rankings));
  }

 private:
  // The current point y = z / left, as the oracle's allocations X = y / p.
  std::vector<std::vector<double>> allocations(const std::vector<long double>& y) const {
    std::vector<std::vector<double>> x(n_);
    for (std::size_t i = 0; i < n_; ++i) x[i].assign(bidders_[i].size(), 0.0);
    for (std::size_t e : support_) {
      x[pairs_.bidder[e]][e - pairs_.offsets[pairs_.bidder[e]]] =
          static_cast<double>(std::max(0.0L, y[e] / pairs_.p[e]));
    }
    return x;
  }

  std::vector<char> members(const BorderPrefixes& found, const std::vector<std::size_t>& prefix) {
    std::vector<char> in(pairs_.size(), 0);
    const auto sets = found.sets(prefix);
    for (std::size_t i = 0; i < n_; ++i) {
      for (std::size_t t : sets[i]) in[pairs_.offsets[i] + t] = 1;
    }
    return in;
  }

  // The first chain: the oracle's tight candidates at y (a gap >= -tight) sorted by size, each
  // kept when it contains the last one kept. block_[e] = the first chain family holding e.
  void initial_chain(const std::vector<long double>& y, long double tight) {
    const BorderPrefixes found = border_prefix_candidates(bidders_, allocations(y));
    constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
    std::vector<std::size_t> group_of(pairs_.size(), kNone);
    std::vector<std::vector<std::size_t>> group_size(n_);
    for (std::size_t i = 0; i < n_; ++i) {
      group_size[i].push_back(0);
      for (std::size_t g = 0; g < found.groups[i].size(); ++g) {
        for (std::size_t t : found.groups[i][g]) group_of[pairs_.offsets[i] + t] = g;
        group_size[i].push_back(group_size[i].back() + found.groups[i][g].size());
      }
    }
    std::vector<std::pair<std::size_t, const std::vector<std::size_t>*>> tight_families;
    for (const auto& f : found.families) {
      if (f.gap < -tight) continue;
      std::size_t size = 0;
      for (std::size_t i = 0; i < n_; ++i) size += group_size[i][f.prefix[i]];
      tight_families.push_back({size, &f.prefix});
    }
    std::stable_sort(tight_families.begin(), tight_families.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<const std::vector<std::size_t>*> chain;
    std::size_t top_size = 0;
    const std::vector<std::size_t> empty(n_, 0);
    const std::vector<std::size_t>* top = &empty;
    for (const auto& [size, prefix] : tight_families) {
      bool above = size > top_size;
      for (std::size_t i = 0; i < n_ && above; ++i) above = (*prefix)[i] >= (*top)[i];
      if (!above) continue;
      chain.push_back(prefix);
      top = prefix;
      top_size = size;
    }
    block_.assign(pairs_.size(), 0);
    for (std::size_t e : support_) {
      std::size_t j = 0;  // chain prefixes only grow: the first holding e, by bisection
      for (std::size_t hi = chain.size(); j < hi;) {
        const std::size_t mid = (j + hi) / 2;
        if (group_of[e] < (*chain[mid])[pairs_.bidder[e]]) {
          hi = mid;
        } else {
          j = mid + 1;
        }
      }
      block_[e] = j;
      rest_ = rest_ || j == chain.size();
    }
    rest_block_ = chain.size();
  }

  // Adds the tight family `in` to the chain: every block B_j splits into B_j n S and B_j \ S
  // (T_(j-1) u (S n T_j) is tight with S, T_(j-1) and T_j). Returns whether a block split.
  bool refine(const std::vector<char>& in) {
    std::vector<std::pair<std::size_t, bool>> keys;
    for (std::size_t e : support_) keys.push_back({block_[e], in[e] == 0});
    std::vector<std::pair<std::size_t, bool>> sorted = keys;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    std::size_t blocks_before = 0;
    for (std::size_t k = 0; k < sorted.size(); ++k) {
      blocks_before += k == 0 || sorted[k].first != sorted[k - 1].first;
    }
    for (std::size_t k = 0; k < support_.size(); ++k) {
      block_[support_[k]] = static_cast<std::size_t>(
          std::lower_bound(sorted.begin(), sorted.end(), keys[k]) - sorted.begin());
    }
    // The pairs of the rest (after the chain's top) that S holds join the chain.
    const std::pair<std::size_t, bool> rest{rest_block_, true};
    rest_ = rest_ && std::binary_search(sorted.begin(), sorted.end(), rest);
    if (rest_) {
      rest_block_ = static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), rest) -
                                             sorted.begin());
    }
    return sorted.size() > blocks_before;
  }

  // Rounding lets y drift off the chain's sets, which would make a union of blocks look violated
  // while V is tight on it: y is rescaled on every block of the chain so that y(B_j) = V(B_j) =
  // f(T_j) - f(T_(j-1)) (the rule's reduced form is measured afterwards, so a wrong chain could
  // not hide here).
  void snap(std::vector<long double>& y, const std::vector<long double>& v) {
    std::size_t blocks = 0;
    for (std::size_t e : support_) blocks = std::max(blocks, block_[e] + 1);
    std::vector<long double> sy(blocks, 0), sv(blocks, 0);
    for (std::size_t e : support_) sy[block_[e]] += y[e], sv[block_[e]] += v[e];
    for (std::size_t e : support_) {
      const std::size_t b = block_[e];
      if ((rest_ && b == rest_block_) || !(sy[b] > 0)) continue;
      y[e] *= sv[b] / sy[b];
      z_[e] = y[e] * left_;
    }
  }

  // The support in ranking order: block by block, each by value (highest first).
  std::vector<std::size_t> ranking_order() const {
    std::vector<std::size_t> order = support_;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      if (block_[a] != block_[b]) return block_[a] < block_[b];
      if (pairs_.value[a] != pairs_.value[b]) return pairs_.value[a] > pairs_.value[b];
      return a < b;
    });
    return order;
  }

  // The greedy vector of a ranking: V_e = p_e prod_{j != i} P(bidder j's type is not listed
  // before e), the chance that e is present and no pair before it. A bidder whose types leave
  // mass below 1 is absent with it (step_masses.hpp).
  std::vector<long double> greedy(const std::vector<std::size_t>& order) const {
    std::vector<long double> v(pairs_.size(), 0), outside(n_, 1.0L);
    std::vector<std::size_t> left(n_);
    for (std::size_t i = 0; i < n_; ++i) left[i] = bidders_[i].size();
    for (std::size_t e : order) {
      const std::size_t i = pairs_.bidder[e];
      long double others = 1;
      for (std::size_t j = 0; j < n_; ++j) {
        if (j != i) others *= outside[j];
      }
      v[e] = pairs_.p[e] * others;
      outside[i] = --left[i] == 0 ? absent_[i] : std::max(0.0L, outside[i] - pairs_.p[e]);
    }
    return v;
  }

  // One step; true when the walk is done.
  bool advance() {
    std::vector<long double> y(pairs_.size(), 0);
    for (std::size_t e : support_) y[e] = z_[e] / left_;
    const long double tight = kTight / left_;
    const std::vector<std::size_t> order = ranking_order();
    const std::vector<long double> v = greedy(order);
    snap(y, v);
    // The box 0 <= y' <= p bounds t (y'_e = p_e makes the family {e} tight); y == V (to
    // rounding) ends the walk.
    long double t = std::numeric_limits<long double>::infinity();
    std::size_t full = pairs_.size();  // the pair whose upper bound gave t, if any
    for (std::size_t e : support_) {
      const long double d = y[e] - v[e];
      if (d < -tight && y[e] / -d < t) t = y[e] / -d, full = pairs_.size();
      if (d > tight && (pairs_.p[e] - y[e]) / d < t) t = (pairs_.p[e] - y[e]) / d, full = e;
    }
    if (!std::isfinite(t) || left_ < kLeftover) {
      finish(order);
      return true;
    }
    // Newton from above on the largest gap along y + t (y - V); `crossed` is the family whose
    // line gave the last t, tight at y'.
    std::vector<char> crossed;
    if (full < pairs_.size()) {
      crossed.assign(pairs_.size(), 0);
      crossed[full] = 1;
    }
    for (int k = 0; k < kNewtonSteps; ++k) {
      std::vector<long double> moved(pairs_.size(), 0);
      for (std::size_t e : support_) moved[e] = y[e] + t * (y[e] - v[e]);
      const BorderPrefixes worst = border_prefix_candidates(bidders_, allocations(moved), 1);
      if (worst.families.empty() || worst.families.front().gap <= tight) break;
      std::vector<char> in = members(worst, worst.families.front().prefix);
      const FamilySums s = family_sums(pairs_, in, y, v, n_);
      const long double crossing = s.excess > 0 ? std::max(0.0L, s.slack / s.excess) : 0.0L;
      if (!(crossing < t)) break;
      t = crossing;
      crossed = std::move(in);
    }
    // A tight family the chain missed (V leaves the face at once): refine the chain by it, and
    // no weight moves.
    if (t * left_ <= kLeftover && !crossed.empty() && refine(crossed)) return false;
    const long double weight = left_ * t / (1 + t);
    out_.weights.push_back(static_cast<double>(weight));
    out_.orders.push_back(order);
    left_ /= 1 + t;
    std::vector<std::size_t> keep;
    for (std::size_t e : support_) {
      z_[e] -= weight * v[e];
      if (z_[e] > tight * left_) {
        keep.push_back(e);
      } else {
        z_[e] = 0;
      }
    }
    support_ = keep;  // T minus pairs of y' = 0 is still tight: the chain stays a chain
    rest_ = rest_ && std::any_of(support_.begin(), support_.end(),
                                 [&](std::size_t e) { return block_[e] == rest_block_; });
    if (!crossed.empty()) refine(crossed);
    if (!support_.empty()) return false;
    finish({});  // y' = 0: the rest of the weight sells to nobody
    return true;
  }

  void finish(const std::vector<std::size_t>& order) {
    out_.weights.push_back(static_cast<double>(left_));
    out_.orders.push_back(order);
  }

  const std::vector<DiscreteTypes>& bidders_;
  std::size_t n_;
  Pairs pairs_;
  std::vector<long double> z_;  // y0 minus the rankings so far: left_ times the current point
  long double left_ = 1;        // the weight not yet given to a ranking
  std::vector<std::size_t> support_;
  std::vector<long double> absent_;  // each bidder's mass below its grid
  std::vector<std::size_t> block_;   // per pair of the support: its block of the chain
  bool rest_ = false;                // some pairs of the support lie above the chain's top ...
  std::size_t rest_block_ = 0;       // ... in this block, the last one (not tight)
  RankingMixture out_;
};

}  // namespace

std::vector<std::size_t> pair_offsets(const std::vector<DiscreteTypes>& bidders) {
  std::vector<std::size_t> offsets = {0};
  for (const auto& b : bidders) offsets.push_back(offsets.back() + b.size());
  return offsets;
}

Expected<RankingMixture> decompose_into_rankings(
    const std::vector<DiscreteTypes>& bidders,
    const std::vector<std::vector<double>>& allocations) {
  return Walk(bidders, allocations).run();
}

}  // namespace dia::detail
