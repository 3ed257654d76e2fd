// Row generation for the asymmetric (LP) (docs/asymmetric.md section 4): start from the families
// cut by a common value threshold and the IC rows near the best alternative bids of guesses, then
// alternate the dual simplex with adding the violated IC rows and the oracle's most violated
// families. Staged (the default): the guess is the optimum of a coarse problem (adjacent types
// merged) carried to these types, and the first phase adds the rows X_i nondecreasing, removed
// once nothing is violated, before the row generation goes on without them (section 4, speed).
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

#include "dia/asymmetric.hpp"
#include "dia/cancel.hpp"
#include "dia/one_bidder.hpp"
#include "numeric/deviation_hull.hpp"
#include "solvers/lp/asymmetric_model.hpp"

namespace dia {
namespace {

constexpr int kMaxRounds = 300;
constexpr double kViolation = 1e-12;  // rows violated by more are added
constexpr std::size_t kFamiliesPerRound = 20;
constexpr std::size_t kSeedWidth = 2;      // IC rows this far around a guessed alternative
constexpr std::size_t kCoarsening = 4;     // types merged into one of the coarse problem
constexpr std::size_t kCoarseAbove = 200;  // types in all above which a coarse problem seeds rows
constexpr double kCertificateGap = 1e-9;   // relative: a wider one is re-solved by the primal

using Known = std::set<std::tuple<std::size_t, std::size_t, std::size_t>>;

void add_near(std::size_t i, std::size_t k, std::size_t centre, Known& known,
              std::vector<detail::IcRow>& out) {
  const std::size_t from = centre >= kSeedWidth ? centre - kSeedWidth : 0;
  for (std::size_t j = from; j <= std::min(centre + kSeedWidth, k - 1); ++j) {
    if (known.insert({i, k, j}).second) out.push_back({i, k, j});
  }
}

// IC rows near the best alternative bids of a nondecreasing guess for bidder i.
void seed_ic(std::size_t i, const DiscreteTypes& t, const std::vector<double>& guess, Known& known,
             std::vector<detail::IcRow>& out) {
  const detail::DeviationHull hull(t.values, guess);
  for (std::size_t k = 1; k < t.size(); ++k) {
    const std::size_t best = hull.best(t.values[k], k - 1).second;
    add_near(i, k, best == detail::DeviationHull::kNone ? k - 1 : best, known, out);
  }
}

// H_i(v) = prod_{j != i} P(v_j <= v), the efficient allocation's X_i (ties favouring i).
std::vector<double> weakly_highest(const std::vector<DiscreteTypes>& bidders, std::size_t i) {
  std::vector<double> out;
  for (double v : bidders[i].values) {
    long double product = 1;
    for (std::size_t j = 0; j < bidders.size(); ++j) {
      if (j == i) continue;
      const auto& other = bidders[j];
      const auto end = std::upper_bound(other.values.begin(), other.values.end(), v);
      long double below = 0;
      for (auto it = other.values.begin(); it != end; ++it) {
        below += other.probabilities[static_cast<std::size_t>(it - other.values.begin())];
      }
      product *= below;
    }
    out.push_back(static_cast<double>(product));
  }
  return out;
}

// The families S_i = {v_i >= threshold} for every value of every bidder.
std::vector<std::vector<std::vector<std::size_t>>> threshold_families(
    const std::vector<DiscreteTypes>& bidders) {
  std::vector<double> thresholds;
  for (const auto& b : bidders)
    thresholds.insert(thresholds.end(), b.values.begin(), b.values.end());
  std::sort(thresholds.begin(), thresholds.end());
  thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
  std::vector<std::vector<std::vector<std::size_t>>> out;
  for (double threshold : thresholds) {
    std::vector<std::vector<std::size_t>> sets(bidders.size());
    for (std::size_t i = 0; i < bidders.size(); ++i) {
      for (std::size_t k = 0; k < bidders[i].size(); ++k) {
        if (bidders[i].values[k] >= threshold) sets[i].push_back(k);
      }
    }
    out.push_back(std::move(sets));
  }
  return out;
}

// Every family of value-upper sets S_i = {k >= first_i}, first_i = 0..m_i (empty), all bidders
// at once: the full LP's Border rows. Empty when there are more than kMaxPrefixFamilies.
std::vector<std::vector<std::vector<std::size_t>>> all_prefix_families(
    const std::vector<DiscreteTypes>& bidders) {
  std::size_t count = 1;
  for (const auto& b : bidders) {
    count *= b.size() + 1;
    if (count > kMaxPrefixFamilies) return {};
  }
  std::vector<std::vector<std::vector<std::size_t>>> out;
  std::vector<std::size_t> first(bidders.size(), 0);
  for (std::size_t f = 0; f < count; ++f) {
    std::vector<std::vector<std::size_t>> sets(bidders.size());
    for (std::size_t i = 0; i < bidders.size(); ++i) {
      for (std::size_t k = first[i]; k < bidders[i].size(); ++k) sets[i].push_back(k);
    }
    out.push_back(std::move(sets));
    for (std::size_t i = 0; i < bidders.size() && ++first[i] > bidders[i].size(); ++i) first[i] = 0;
  }
  return out;
}

// Bidders with identical type spaces may get different X from CLP; their average is as good (the
// constraints are symmetric under swapping them and the smallest rents are convex in X) and
// gives one mechanism per bidder class.
std::vector<std::vector<double>> average_identical(const std::vector<DiscreteTypes>& bidders,
                                                   std::vector<std::vector<double>> x) {
  std::vector<char> done(bidders.size(), 0);
  for (std::size_t i = 0; i < bidders.size(); ++i) {
    if (done[i]) continue;
    std::vector<std::size_t> same;
    for (std::size_t j = i; j < bidders.size(); ++j) {
      if (bidders[j].values == bidders[i].values &&
          bidders[j].probabilities == bidders[i].probabilities) {
        same.push_back(j);
        done[j] = 1;
      }
    }
    for (std::size_t k = 0; k < bidders[i].size(); ++k) {
      long double sum = 0;
      for (std::size_t j : same) sum += x[j][k];
      for (std::size_t j : same) x[j][k] = static_cast<double>(sum / same.size());
    }
  }
  return x;
}

// Adjacent types merged in runs of kCoarsening (mass-weighted mean value, summed mass): the
// coarse problem whose optimum seeds the rows of the fine one.
std::vector<DiscreteTypes> coarsen(const std::vector<DiscreteTypes>& bidders) {
  std::vector<DiscreteTypes> out;
  for (const auto& b : bidders) {
    DiscreteTypes c;
    for (std::size_t k = 0; k < b.size(); k += kCoarsening) {
      long double mass = 0, moment = 0;
      for (std::size_t l = k; l < std::min(b.size(), k + kCoarsening); ++l) {
        mass += b.probabilities[l];
        moment += (long double)b.probabilities[l] * b.values[l];
      }
      c.values.push_back(static_cast<double>(moment / mass));
      c.probabilities.push_back(static_cast<double>(mass));
    }
    out.push_back(std::move(c));
  }
  return out;
}

// The coarse allocation carried to the fine types: linear in the value between coarse types,
// constant beyond the ends.
std::vector<double> interpolate(const DiscreteTypes& coarse, const std::vector<double>& x,
                                const DiscreteTypes& fine) {
  std::vector<double> out;
  for (double v : fine.values) {
    const auto& c = coarse.values;
    const auto above = std::upper_bound(c.begin(), c.end(), v);
    if (above == c.begin()) {
      out.push_back(x.front());
    } else if (above == c.end()) {
      out.push_back(x.back());
    } else {
      const std::size_t k = static_cast<std::size_t>(above - c.begin());
      const double t = (v - c[k - 1]) / (c[k] - c[k - 1]);
      out.push_back(x[k - 1] + t * (x[k] - x[k - 1]));
    }
  }
  return out;
}

// The running maximum: the deviation hull needs a nondecreasing allocation.
std::vector<double> monotone(std::vector<double> x) {
  for (std::size_t k = 1; k < x.size(); ++k) x[k] = std::max(x[k], x[k - 1]);
  return x;
}

Expected<AsymmetricSolution> attempt(const std::vector<DiscreteTypes>& bidders, bool primal,
                                     const AsymmetricOptions& options,
                                     const std::vector<std::vector<double>>* guess) {
  const std::size_t n = bidders.size();
  detail::AsymmetricLp lp(bidders);
  const bool all_ic_rows = options.all_ic_rows || options.all_prefix_rows;
  bool restricted = options.staged && !all_ic_rows;  // first phase: X monotone
  if (restricted) lp.add_monotonicity_rows();
  if (options.all_prefix_rows) {
    auto families = all_prefix_families(bidders);
    if (families.empty()) {
      return fail(ErrorCode::kTooLarge,
                  fmt::format("the full LP takes at most {} families", kMaxPrefixFamilies));
    }
    lp.add_families(families);
  } else {
    lp.add_families(threshold_families(bidders));
  }
  Known known;
  std::vector<detail::IcRow> ic;
  if (guess) {
    std::vector<std::vector<std::vector<std::size_t>>> families;
    for (auto& family : border_candidates(bidders, *guess))
      families.push_back(std::move(family.sets));
    lp.add_families(families);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (guess) {
      seed_ic(i, bidders[i], monotone((*guess)[i]), known, ic);
    } else {
      seed_ic(i, bidders[i], solve_one_bidder_sweep(bidders[i]).mechanism.allocation, known, ic);
      seed_ic(i, bidders[i], weakly_highest(bidders, i), known, ic);
    }
    for (std::size_t k = 1; all_ic_rows && k < bidders[i].size(); ++k) {
      for (std::size_t j = 0; j < k; ++j) {
        if (known.insert({i, k, j}).second) ic.push_back({i, k, j});
      }
    }
  }
  lp.add_ic_rows(ic);
  int rounds = 0;
  bool just_relaxed = false;  // the optimum with X monotone is still feasible: primal goes on
  while (true) {
    throw_if_cancelled();
    if (auto solved = lp.solve(primal || just_relaxed); !solved) {
      return tl::unexpected(solved.error());
    }
    just_relaxed = false;
    ++rounds;
    const auto x = lp.allocation();
    const auto u = lp.rents();
    std::vector<detail::IcRow> violated;
    for (std::size_t i = 0; i < n; ++i) {
      const auto best = detail::smallest_rents(bidders[i], x[i]);
      for (std::size_t k = 1; k < bidders[i].size(); ++k) {
        const double slack = kViolation * std::max(1.0, bidders[i].values[k]);
        if (best[k].second != k && u[i][k] < best[k].first - slack) {
          add_near(i, k, best[k].second, known, violated);
        }
      }
    }
    std::vector<std::vector<std::vector<std::size_t>>> families;
    for (auto& family : border_candidates(bidders, x, kFamiliesPerRound)) {
      if (family.gap > kViolation) families.push_back(std::move(family.sets));
    }
    if (violated.empty() && families.empty()) {
      if (!restricted) break;
      lp.relax_monotonicity_rows();
      restricted = false;
      just_relaxed = true;
      continue;
    }
    if (rounds >= kMaxRounds) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("asymmetric row generation did not settle in {} rounds", rounds));
    }
    lp.add_ic_rows(violated);
    lp.add_families(families);
  }
  AsymmetricSolution out =
      detail::finish_asymmetric(bidders, average_identical(bidders, lp.allocation()), true);
  out.dual_bound = lp.dual_bound();
  out.dual_gap = (out.dual_bound - out.revenue) / std::max(1.0, std::fabs(out.dual_bound));
  out.rounds = rounds;
  out.iterations = lp.iterations;
  out.border_rows = lp.border_rows;
  out.ic_rows = lp.ic_rows;
  return out;
}

}  // namespace

Expected<AsymmetricSolution> solve_asymmetric(const std::vector<DiscreteTypes>& bidders,
                                              const AsymmetricOptions& options) {
  if (bidders.empty()) return fail(ErrorCode::kInvalidArgument, "no bidders");
  std::optional<std::vector<std::vector<double>>> guess;
  std::size_t total = 0, smallest = bidders.front().size();
  for (const auto& b : bidders) total += b.size(), smallest = std::min(smallest, b.size());
  if (options.staged && !options.all_ic_rows && !options.all_prefix_rows && total > kCoarseAbove &&
      smallest >= 2 * kCoarsening) {
    const auto coarse = coarsen(bidders);
    if (auto solved = solve_asymmetric(coarse, options)) {
      guess.emplace();
      for (std::size_t i = 0; i < bidders.size(); ++i) {
        guess->push_back(interpolate(coarse[i], solved->mechanism[i].allocation, bidders[i]));
      }
    }
  }
  const auto* seed = guess ? &*guess : nullptr;
  auto dual = attempt(bidders, false, options, seed);
  if (dual && dual->dual_gap <= kCertificateGap) return dual;
  auto primal = attempt(bidders, true, options, seed);
  if (!primal) return dual ? dual : primal;
  if (!dual || primal->dual_gap < dual->dual_gap) return primal;
  return dual;
}

}  // namespace dia
