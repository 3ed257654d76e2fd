// A saved one-bidder design evaluated under another value distribution (`dia evaluate`): the
// bidder best-responds to the saved menu, extended off the grid by the step extension the
// service runs (ex_post.hpp), and truth-telling is a best response at every value whatever the
// distribution (docs/model.md#evaluate), so the outcome is exact expectations under it.
#pragma once

#include <span>
#include <vector>

#include "dia/border_lottery.hpp"
#include "dia/distribution.hpp"
#include "dia/error.hpp"
#include "dia/ex_post_rule.hpp"
#include "dia/priority_rankings.hpp"

namespace dia {

struct MenuEvaluation {
  double revenue = 0;           // E[V X(V) - R(V)]
  double sale_probability = 0;  // E[X(V)]
  double expected_reward = 0;   // E[R(V)]: paid back to truthful winners
};

// X on the grid values v_0 < ... < v_{m-1} (nondecreasing, in [0, 1]) as the step X(w) = X_i on
// [v_i, v_{i+1}), 0 below v_0, with the rent R(w) = max_{v_i <= w} (w - v_i) X_i; the
// expectations under `actual` integrate these piecewise linear functions exactly (partial means
// between the breakpoints). Errors: an empty, unsorted or non-monotone menu, X outside [0, 1].
Expected<MenuEvaluation> evaluate_menu(std::span<const double> values,
                                       std::span<const double> allocation,
                                       const Distribution& actual);

// A saved n-bidder rule (n >= 2) run when the values are i.i.d. from `actual` instead of the
// design's F (docs/model.md#evaluate-n). The rule is the one dia simulate and dia serve run:
// a bid's interim allocation under `actual` is computed exactly from the ex post rule (the
// highest-bidder lottery's q(w) G_H(w), or the 2-bidder Border lottery's profile matrix against
// the step masses of `actual`), the winner pays its bid and a confirmed winner gets rho(w) back.
struct RuleEvaluation {
  MenuEvaluation outcome;    // totals over the bidders: revenue, sale probability, rewards paid
  std::size_t atoms = 0;     // the atoms of `actual` used: its own, or its equal-mass cells
  bool discretized = false;  // `actual` is continuous: run on `atoms` equal-mass cells (means)
  // Truth-telling under `actual`: the largest sup_{w < v} (v - w) X_H(w) - X_H(v) rho(v) over the
  // atoms v (0 when truthful bidding is a best response for every type), and where.
  double max_lie_gain = 0;
  double lie_value = 0;
  double lie_bid = 0;
  bool truthful = true;        // max_lie_gain <= 1e-9 max(1, lie_value): rounding, not a lie
  const char* rule = nullptr;  // rule_name of the rule run (null for one bidder's menu)
};

inline constexpr std::size_t kEvaluationCells = 20000;

// The lottery a Border lottery was built from (build_border_lottery): its transfers for the
// transfer form, its hierarchies for the hierarchy form; the profile form needs neither.
struct BorderSource {
  const TransferLottery* transfers = nullptr;
  const HierarchyLottery* hierarchies = nullptr;
};

// `grid` is the rule's grid v_0 < ... < v_{m-1} (the values it was built on). Errors: fewer than
// 2 bidders, a transfer or hierarchy form without its source.
Expected<RuleEvaluation> evaluate_rule(const ExPostRule& rule, std::span<const double> grid,
                                       int bidders, const Distribution& actual,
                                       const BorderSource& source = {},
                                       std::size_t cells = kEvaluationCells);

// A saved reduced form (values, probabilities, allocation on the design's grid, for `bidders`
// i.i.d. bidders whose values the design took from `design_values`) run under `actual`: for one
// bidder evaluate_menu (exact for any `actual`, `atoms` 0; `design_values` unused), else the rule
// build_ex_post_rule builds (the one dia simulate and dia serve run) through evaluate_rule. Errors:
// theirs.
Expected<RuleEvaluation> evaluate_saved(const DistributionPtr& design_values, int bidders,
                                        const DiscreteTypes& types,
                                        const std::vector<double>& allocation,
                                        const Distribution& actual);

// A saved design of independent bidders of several classes (dia design --bidder) run under the
// rule dia serve runs for it, the lottery over priority rankings `rule` (class_rule in
// class_lottery.hpp), when bidder i's values follow actual[i] instead of its class's F
// (docs/model.md#evaluate-classes). grids[i] and allocations[i] are bidder i's grid and X (its
// class's rows); a bid plays as its grid step (below the grid it never wins) and a confirmed
// winner gets rho_i(w) = R_i(w) / X_i(w) back (the step extension of ex_post.hpp). Bidder i's
// interim chance under the actual values is computed exactly from the rankings; a continuous
// actual[i] runs on `cells` equal-mass cells. One RuleEvaluation per bidder: its own revenue,
// sale probability and rewards with everyone truthful, and its best lie against truthful
// others. Errors: shapes that do not match the rule.
Expected<std::vector<RuleEvaluation>> evaluate_rankings(
    const PriorityRankings& rule, const std::vector<DiscreteTypes>& grids,
    const std::vector<std::vector<double>>& allocations,
    const std::vector<const Distribution*>& actual, std::size_t cells = kEvaluationCells);

}  // namespace dia
