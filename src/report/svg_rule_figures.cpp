// The ex post rule in force and the plot of what it does: the highest-bidder lottery's q = X/G,
// or, when q exceeds 1 and a Border lottery runs the design (docs/model.md#ex-post), the chance
// that each type wins (X) against the chance that it bids highest (G).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "dia/ex_post_rule.hpp"
#include "numeric/highest_bidder.hpp"
#include "report/report_figure_parts.hpp"

namespace dia::figures {
namespace {

using report::Chart;
using report::Series;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kSureTolerance = 1e-6;  // q within this of 0 or 1 is a sure loss or win

// G(v) at every row: the interim chance of bidding highest (ties broken uniformly), on the
// design's own type grid, whose values the rows are.
std::vector<double> highest_at_rows(const InspectionDesign& design) {
  const DiscreteTypes& t = design.mechanism.types;
  const auto g = detail::highest_probabilities(t.probabilities, design.bidders);
  std::vector<double> out;
  for (const MechanismRow& r : design.rows) {
    const auto it = std::lower_bound(t.values.begin(), t.values.end(), r.value);
    const bool found = it != t.values.end() && *it == r.value;
    out.push_back(found ? static_cast<double>(g[it - t.values.begin()]) : kNaN);
  }
  return out;
}

}  // namespace

Rule rule_in_force(const InspectionDesign& design) {
  if (design.bidders == 1) return Rule::kOneBidder;
  if (design.implementation == kBorderLotteryRule) return Rule::kBorderLottery;
  if (design.implementation != kHighestBidderRule) return Rule::kNotBuilt;
  const DiscreteTypes& t = design.mechanism.types;
  const auto g = detail::highest_probabilities(t.probabilities, design.bidders);
  const std::vector<double>& x = design.mechanism.reduced.allocation;
  for (std::size_t k = 0; k < x.size() && k < g.size(); ++k) {
    const double q = g[k] > 0 ? x[k] / static_cast<double>(g[k]) : 0.0;
    if (q > kSureTolerance && q < 1 - kSureTolerance) return Rule::kHighestBidderLottery;
  }
  return Rule::kHighestBidWins;
}

std::string rule_name(Rule rule) {
  switch (rule) {
    case Rule::kOneBidder:
      return "one bidder";
    case Rule::kHighestBidWins:
      return "highest bid wins";
    case Rule::kHighestBidderLottery:
      return "highest-bidder lottery";
    case Rule::kBorderLottery:
      return "Border lottery";
    case Rule::kNotBuilt:
      break;
  }
  return "no ex post rule built";
}

std::string rule_sentence(const InspectionDesign& d) {
  const Rule rule = rule_in_force(d);
  const std::string head = fmt::format("Rule in force (n = {}): {}", d.bidders, rule_name(rule));
  switch (rule) {
    case Rule::kOneBidder:
      return head + ": the bid wins with probability X(v).";
    case Rule::kHighestBidWins:
      return head + ": the highest bid wins (ties at random) wherever the item is sold.";
    case Rule::kHighestBidderLottery:
      return head + fmt::format(
                        ": the highest bid wins and the item is delivered with probability "
                        "q = X/G <= 1 (max q {:.4g}).",
                        d.max_win_probability);
    case Rule::kBorderLottery:
      return head + fmt::format(
                        " ({}): X/G reaches {:.4g} > 1, so the item sometimes goes to a lower "
                        "bidder, with probability {:.4g} in all.",
                        d.border_lottery ? d.border_lottery->form : "", d.max_win_probability,
                        d.lower_bidder_wins.value_or(0));
    case Rule::kNotBuilt:
      break;
  }
  return head +
         fmt::format(" ({}): X/G reaches {:.4g} > 1.", d.implementation, d.max_win_probability);
}

Figure win_probability_figure(const Context& c) {
  const InspectionDesign& d = c.design;
  const Rule rule = rule_in_force(d);
  if (rule != Rule::kBorderLottery && rule != Rule::kNotBuilt) {
    const bool several = rule != Rule::kOneBidder;
    Chart chart = value_chart(c.report, "win_probability",
                              "Ex post win probability q(v)" + c.n_text, "probability");
    chart.series.push_back(inspection_series(
        d, c.discrete, several ? "q(v) = X(v)/G(v)" : "q(v) = X(v)",
        [&](auto& r) { return several ? r.win_probability.value_or(kNaN) : r.allocation; }));
    chart.y_min = 0, chart.y_max = 1.05;
    return figure(c.report, std::move(chart), rule_sentence(d));
  }
  // q = X/G > 1 somewhere: plot probabilities that stay in [0, 1] and say who gets the item.
  Chart chart = value_chart(c.report, "win_probability",
                            "Who gets the item: X(v) vs G(v)" + c.n_text, "probability");
  const std::vector<double> g = highest_at_rows(d);
  Series x =
      inspection_series(d, c.discrete, "X(v): type v wins", [](auto& r) { return r.allocation; });
  Series highest{.name = "G(v): type v bids highest",
                 .x = x.x,
                 .y = g,
                 .color = kReference,
                 .dashed = true,
                 .markers = c.discrete};
  std::vector<double> share;
  for (std::size_t i = 0; i < g.size(); ++i) {
    const double won = x.y[i];
    share.push_back(won > 0 && std::isfinite(g[i]) ? std::max(0.0, won - g[i]) / won : kNaN);
  }
  Series from_below{
      .name = "share of v's wins that the\nhighest bid would not give:\nat least (X-G)/X",
      .x = x.x,
      .y = share,
      .color = "#ff7f0e",
      .markers = c.discrete,
      .dash = "2 3"};
  chart.series = {highest, from_below, x};
  chart.y_min = 0, chart.y_max = 1.05;
  return figure(
      c.report, std::move(chart),
      rule_sentence(d) +
          " X(v) is the chance that type v gets the item, G(v) the chance that it bids highest "
          "(ties at random); where X > G it wins more often than the highest bid would let it, so "
          "at least (X - G)/X of its wins come from profiles where the highest bid (ties at "
          "random) would not give it the item. q = X/G is not a "
          "probability here and is not drawn.");
}

}  // namespace dia::figures
