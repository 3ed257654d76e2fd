// evaluate_rankings: a saved design of bidder classes run under other value distributions
// (docs/model.md#evaluate-classes). Hand-written: the interim allocation of our own lottery over
// priority rankings under other distributions is our own science.
#include <algorithm>
#include <cstdint>
#include <utility>

#include "dia/cancel.hpp"
#include "dia/evaluate.hpp"
#include "dia/ex_post.hpp"
#include "implementation/evaluate_bidder.hpp"

namespace dia {

Expected<std::vector<RuleEvaluation>> evaluate_rankings(
    const PriorityRankings& rule, const std::vector<DiscreteTypes>& grids,
    const std::vector<std::vector<double>>& allocations,
    const std::vector<const Distribution*>& actual, std::size_t cells) {
  const std::size_t n = grids.size();
  if (n == 0 || rule.bidders() != n || allocations.size() != n || actual.size() != n) {
    return fail(ErrorCode::kInvalidArgument,
                "evaluate_rankings needs one grid, allocation and distribution per bidder");
  }
  std::vector<std::pair<std::size_t, std::size_t>> pair_of;  // pair index -> (bidder, type)
  std::vector<detail::StepExtension> steps;
  for (std::size_t i = 0; i < n; ++i) {
    if (rule.allocation(i).size() != grids[i].size() || allocations[i].size() != grids[i].size() ||
        !actual[i]) {
      return fail(ErrorCode::kInvalidArgument, "the grids are not the rule's");
    }
    for (std::size_t t = 0; t < grids[i].size(); ++t) pair_of.emplace_back(i, t);
    steps.emplace_back(grids[i].values, allocations[i]);
  }
  // Each bidder's values from its distribution (or its equal-mass cells), as masses of its grid
  // steps; the rest is below the grid (absent: it never wins).
  std::vector<DiscreteTypes> atoms(n);
  std::vector<std::vector<double>> mass(n);
  for (std::size_t i = 0; i < n; ++i) {
    atoms[i] = actual[i]->is_discrete() ? actual[i]->atoms() : quantile_grid(*actual[i], cells);
    mass[i].assign(grids[i].size(), 0.0);
    for (std::size_t k = 0; k < atoms[i].size(); ++k) {
      const std::size_t s = steps[i].step(atoms[i].values[k]);
      if (s != detail::StepExtension::kNone) mass[i][s] += atoms[i].probabilities[k];
    }
  }
  // X_H: in ranking k, the pair (i, t) wins when every other bidder j is absent, below the cut
  // or ranked after it: prod_{j != i} (1 - ahead_j), ahead_j = j's mass ranked before (i, t).
  double total_weight = 0;
  for (std::size_t k = 0; k < rule.rankings(); ++k) total_weight += rule.weight(k);
  std::vector<std::vector<double>> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i].assign(grids[i].size(), 0.0);
  std::vector<std::pair<std::uint32_t, std::size_t>> order;  // (place, pair)
  std::vector<double> ahead(n);
  for (std::size_t k = 0; k < rule.rankings(); ++k) {
    throw_if_cancelled();
    order.clear();
    for (std::size_t p = 0; p < pair_of.size(); ++p) {
      const std::uint32_t place = rule.priority(k, pair_of[p].first, pair_of[p].second);
      if (place != PriorityRankings::kBelowCut) order.emplace_back(place, p);
    }
    std::sort(order.begin(), order.end());
    std::fill(ahead.begin(), ahead.end(), 0.0);
    const double weight = rule.weight(k) / total_weight;
    for (const auto& [place, p] : order) {
      const auto [i, t] = pair_of[p];
      double win = weight;
      for (std::size_t j = 0; j < n; ++j) {
        if (j != i) win *= std::max(0.0, 1 - ahead[j]);
      }
      x[i][t] += win;
      ahead[i] += mass[i][t];
    }
  }
  std::vector<RuleEvaluation> out;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& step = steps[i];
    RuleEvaluation e = detail::evaluate_bidder(
        atoms[i], grids[i].values,
        [&](double w) {
          const std::size_t s = step.step(w);
          return s == detail::StepExtension::kNone ? 0.0 : x[i][s];
        },
        [&](double w) { return step.winner_reward(w); });
    e.rule = "priority_rankings";
    e.discretized = !actual[i]->is_discrete();
    out.push_back(e);
  }
  return out;
}

}  // namespace dia
