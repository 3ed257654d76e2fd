// The Border lottery as a lottery over hierarchies (see border_lottery.hpp); our own construction.
//
// Let Y_b = n sum_{i >= b} p_i X_i be the chance that the winner's type is b or above and
// B_b = 1 - F_b^n, F_b = P(type < b), Border's bound on it (docs/model.md#hierarchy-lottery).
// Against the upper mass q = 1 - F, Y is piecewise linear with slope n X_i on type i: concave
// because X is nondecreasing, and below the concave B. A hierarchy (blocks, reserve r) has the
// reduced form X_i = G(F_lo, F_hi+1) on a block [lo, hi] above r (the chance of being a uniformly
// tied highest of n when "tied" means "in the same block"), so its Y meets B at every block end
// above r and is the chord of B in between: a vertex of the polytope {Y concave, 0 <= slopes, Y <=
// B}.
//
// Carathéodory along a line: V = the hierarchy whose blocks are the current pools of Y (runs of
// equal X) and whose reserve is where X falls to 0. V = B >= Y at every block end, so Y lies
// on the segment from V to Y' = (1 + theta) Y - theta V for the largest theta that keeps Y' in the
// polytope: Y = Y' / (1 + theta) + V theta / (1 + theta). Border's rows never become tight in Y'
// (Y' <= Y where V = B); what becomes tight is two adjacent blocks' X meeting (they pool) or the
// lowest block's X reaching 0 (the reserve rises). So each step coarsens the pools, at most one
// hierarchy per block, and Y' = V ends it. Rounding in Y' grows like 1 / (the weight left), and
// is scaled back by it in the mixture, so the tolerances below are relative to that weight.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "dia/border_lottery.hpp"
#include "numeric/compensated_sum.hpp"
#include "numeric/highest_bidder.hpp"

namespace dia {
namespace {

constexpr double kReducedFormTolerance = 1e-7;  // as BorderLottery::build (ex_post.hpp)
constexpr double kInputTolerance = 1e-9;        // monotonicity and Border's rows of the input X
constexpr long double kTie = 1e-13;             // X's closer than this (times 1/weight left) pool
constexpr long double kLeftover = 1e-14;        // weight below which the last vertex takes the rest

struct Block {
  std::size_t lo, hi;  // types [lo, hi]
  long double mass;    // sum of p over the block
  long double x;       // the current Y's X on the block
  long double vertex;  // V's X on the block: G(F_lo, F_hi+1)
};

// F_b = P(type < b), b = 0..m, with F_m = 1.
std::vector<long double> lower_masses(const std::vector<double>& p) {
  std::vector<long double> f(p.size() + 1, 0);
  detail::CompensatedSum sum;
  for (std::size_t i = 0; i < p.size(); ++i) {
    sum.add(p[i]);
    f[i + 1] = std::min(1.0L, static_cast<long double>(sum.value()));
  }
  f.back() = 1;
  return f;
}

Expected<void> check_input(const std::vector<double>& p, const std::vector<double>& x,
                           const std::vector<long double>& f, int n) {
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!(x[i] >= 0 && x[i] <= 1)) {
      return fail(ErrorCode::kInvalidArgument, "the allocation X must lie in [0,1]");
    }
    if (i > 0 && x[i] < x[i - 1] - kInputTolerance) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("the allocation X must be nondecreasing: X drops from {:.9g} to "
                              "{:.9g} at type {}",
                              x[i - 1], x[i], i));
    }
  }
  long double y = 0;  // Y_b, from the top
  for (std::size_t b = x.size(); b-- > 0;) {
    y += static_cast<long double>(n) * p[b] * x[b];
    const long double bound = 1 - std::pow(f[b], static_cast<long double>(n));
    if (y > bound + kInputTolerance) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("X violates Border's condition: the types from {} up win {:.9g} > "
                              "{:.9g}, the chance one of them bids",
                              b, static_cast<double>(y), static_cast<double>(bound)));
    }
  }
  return {};
}

// Pools adjacent blocks whose X are within `tie` (pool adjacent violators), marking the
// boundaries merged at `step`.
void pool(std::vector<Block>& blocks, long double tie, std::size_t step,
          std::vector<std::size_t>& merged_at, const std::vector<long double>& f, int n) {
  std::vector<Block> pooled;
  pooled.reserve(blocks.size());
  for (const Block& b : blocks) {
    pooled.push_back(b);
    while (pooled.size() > 1 && pooled.back().x - pooled[pooled.size() - 2].x <= tie) {
      const Block top = pooled.back();
      pooled.pop_back();
      Block& below = pooled.back();
      merged_at[top.lo] = step;
      below.x = (below.mass * below.x + top.mass * top.x) / (below.mass + top.mass);
      below.mass += top.mass;
      below.hi = top.hi;
      below.vertex = detail::highest_probability(f[below.lo], f[below.hi + 1], n);
    }
  }
  blocks = std::move(pooled);
}

// Every block of the rule with the weight of the hierarchies it is a block of: visit(lo, hi, w)
// for the block [lo, hi] of m types, skipping blocks below their hierarchy's reserve.
template <class Visit>
void for_each_block(const HierarchyLottery& rule, std::size_t m, Visit visit) {
  const std::size_t hierarchies = rule.weights.size();
  std::vector<std::vector<std::size_t>> merges(hierarchies);
  for (std::size_t i = 1; i < m; ++i) {
    if (rule.merged_at[i] < hierarchies) merges[rule.merged_at[i]].push_back(i);
  }
  // Blocks as intervals keyed by their lowest type: top_of[lo] = hi; born = cumulative weight
  // when the block (with this lo and hi) appeared.
  std::vector<std::size_t> top_of(m), bottom_of(m);
  std::vector<long double> born(m, 0);
  for (std::size_t i = 0; i < m; ++i) top_of[i] = bottom_of[i] = i;
  long double cumulative = 0;
  std::size_t reserve = 0;  // a block's lowest type, never merged below (see BorderLottery)
  auto close = [&](std::size_t lo) {
    const long double w = cumulative - born[lo];
    born[lo] = cumulative;
    if (w > 0 && lo >= reserve) visit(lo, top_of[lo], w);
  };
  for (std::size_t k = 0; k < hierarchies; ++k) {
    for (std::size_t i : merges[k]) {  // types i - 1 and i join: close both, open the union
      const std::size_t below = bottom_of[i - 1], top = top_of[i];
      close(below);
      close(i);
      top_of[below] = top;
      bottom_of[top] = below;
    }
    for (std::size_t lo = reserve; lo < rule.reserves[k]; lo = top_of[lo] + 1) close(lo);
    reserve = rule.reserves[k];
    cumulative += rule.weights[k];
  }
  for (std::size_t lo = reserve; lo < m; lo = top_of[lo] + 1) close(lo);
}

// The rule's own reduced form and its sales to a lower bidder, block by block over the
// hierarchies: a block [a, b] alive for weight w adds w G(F_a, F_b+1) to X^ on it, and a bidder of
// type i in it wins while nobody of a higher type bids with chance G(F_a, F_i+1).
void measure(HierarchyLottery& rule, const DiscreteTypes& t, const std::vector<double>& x,
             const std::vector<long double>& f, int n) {
  const std::size_t m = t.size();
  const std::vector<double> reduced = hierarchy_interim(rule, f, n);
  long double top_type_wins = 0, sold = 0;
  for_each_block(rule, m, [&](std::size_t lo, std::size_t hi, long double w) {
    for (std::size_t i = lo; i <= hi; ++i) {
      top_type_wins += w * n * t.probabilities[i] * detail::highest_probability(f[lo], f[i + 1], n);
    }
  });
  rule.max_reduced_form_error = 0;
  for (std::size_t i = 0; i < m; ++i) {
    sold += n * t.probabilities[i] * static_cast<long double>(reduced[i]);
    rule.max_reduced_form_error =
        std::max(rule.max_reduced_form_error, std::fabs(reduced[i] - x[i]));
  }
  rule.lower_bidder_wins = static_cast<double>(std::max(0.0L, sold - top_type_wins));
}

}  // namespace

std::vector<double> hierarchy_interim(const HierarchyLottery& rule,
                                      std::span<const long double> below, int bidders) {
  const std::size_t m = below.size() - 1;
  std::vector<long double> delta(m + 1, 0);
  for_each_block(rule, m, [&](std::size_t lo, std::size_t hi, long double w) {
    const long double g = w * detail::highest_probability(below[lo], below[hi + 1], bidders);
    delta[lo] += g;
    delta[hi + 1] -= g;
  });
  std::vector<double> out(m);
  long double running = 0;
  for (std::size_t i = 0; i < m; ++i) out[i] = static_cast<double>(running += delta[i]);
  return out;
}

Expected<HierarchyLottery> build_hierarchy_lottery(const DiscreteTypes& t,
                                                   const std::vector<double>& x, int n) {
  const std::size_t m = t.size();
  if (m == 0 || x.size() != m || n < 2) {
    return fail(ErrorCode::kInvalidArgument,
                "the Border lottery needs n >= 2 bidders and one allocation per type");
  }
  const std::vector<long double> f = lower_masses(t.probabilities);
  if (auto ok = check_input(t.probabilities, x, f, n); !ok) return tl::unexpected(ok.error());

  HierarchyLottery rule;
  rule.merged_at.assign(m, std::numeric_limits<std::size_t>::max());
  std::vector<Block> blocks;
  for (std::size_t i = 0; i < m; ++i) {
    const long double g = detail::highest_probability(f[i], f[i + 1], n);
    blocks.push_back({i, i, t.probabilities[i], x[i], g});
  }
  pool(blocks, kTie, 0, rule.merged_at, f, n);
  std::size_t reserve = 0;
  long double left = 1;  // the weight not yet given to a hierarchy
  for (std::size_t step = 0;; ++step) {
    while (!blocks.empty() && blocks.front().x <= kTie / left) {  // no sale below here
      reserve = blocks.front().hi + 1;
      blocks.erase(blocks.begin());
    }
    rule.reserves.push_back(reserve);
    // theta: where the first pair of adjacent X meet, or the lowest X reaches 0.
    long double theta = std::numeric_limits<long double>::infinity();
    std::size_t event = blocks.size();  // a pair (event - 1, event), or 0 for the lowest block
    for (std::size_t j = 0; j < blocks.size(); ++j) {
      const long double gap = std::max(0.0L, j == 0 ? blocks[0].x : blocks[j].x - blocks[j - 1].x);
      const long double closing =
          j == 0 ? blocks[0].vertex - blocks[0].x
                 : (blocks[j].vertex - blocks[j - 1].vertex) - (blocks[j].x - blocks[j - 1].x);
      if (closing > 0 && gap / closing < theta) theta = gap / closing, event = j;
    }
    if (event == blocks.size() || left / (1 + theta) < kLeftover) {  // Y = V, up to rounding
      rule.weights.push_back(static_cast<double>(left));
      break;
    }
    rule.weights.push_back(static_cast<double>(left * theta / (1 + theta)));
    left /= 1 + theta;
    for (Block& b : blocks) b.x = (1 + theta) * b.x - theta * b.vertex;
    if (event == 0) {
      blocks[0].x = 0;
    } else {
      blocks[event].x = blocks[event - 1].x;
    }
    pool(blocks, kTie / left, step + 1, rule.merged_at, f, n);
  }
  measure(rule, t, x, f, n);
  if (rule.max_reduced_form_error > kReducedFormTolerance) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("the hierarchy lottery's reduced form misses X by {:.1e}",
                            rule.max_reduced_form_error));
  }
  return rule;
}

}  // namespace dia
