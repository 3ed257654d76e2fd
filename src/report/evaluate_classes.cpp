// evaluate_design for a saved design of bidder classes (dia design --bidder ... --format json)
// when class c's values follow the c-th actual SPEC: exact revenue, sale probability, rewards and
// every bidder's best response (docs/evaluate.md#classes).
#include <fmt/format.h>

#include <algorithm>

#include "dia/asymmetric_design.hpp"
#include "dia/distribution.hpp"
#include "dia/evaluate.hpp"
#include "dia/step_masses.hpp"
#include "dia/version.hpp"
#include "report/evaluate_detail.hpp"

namespace dia::detail {
namespace {

using ordered = nlohmann::ordered_json;

constexpr const char* kHint = "give the JSON written by dia design --bidder ... --format json";

// A class of the design JSON's `bidders` list: its SPEC, count and rows.
struct SavedClass {
  std::string values;
  int count = 1;
  DiscreteTypes types;
  std::vector<double> allocation;
};

std::vector<SavedClass> read_classes(const nlohmann::json& j, const std::string& path) {
  std::vector<SavedClass> out;
  int seats = 0;
  for (const auto& c : j["bidders"]) {
    const std::string where = fmt::format("bidder class {}", out.size() + 1);
    if (!c.is_object() || !c.contains("values") || !c["values"].is_string() ||
        !c.contains("count") || !c["count"].is_number_integer() || !c.contains("mechanism") ||
        !c["mechanism"].is_array() || c["mechanism"].empty()) {
      bad_design(path, where + " needs 'values', an integer 'count' and 'mechanism' rows", kHint);
    }
    SavedClass d;
    d.values = c["values"];
    d.count = c["count"];
    if (d.count < 1 || (seats += d.count) > kMaxBidders) {
      bad_design(
          path,
          fmt::format("{}: 'count' must be >= 1, {} bidders in all at most", where, kMaxBidders),
          kHint);
    }
    for (const auto& row : c["mechanism"]) {
      for (const char* key : {"value", "probability", "allocation"}) {
        if (!row.is_object() || !row.contains(key) || !row[key].is_number()) {
          bad_design(path, fmt::format("{}: a mechanism row without a numeric '{}'", where, key),
                     kHint);
        }
      }
      d.types.values.push_back(row["value"]);
      d.types.probabilities.push_back(row["probability"]);
      d.allocation.push_back(row["allocation"]);
    }
    if (!std::is_sorted(d.types.values.begin(), d.types.values.end(), std::less_equal<>())) {
      bad_design(path, where + ": the rows' values must increase", kHint);
    }
    out.push_back(std::move(d));
  }
  if (out.empty()) bad_design(path, "an empty list of bidder classes", kHint);
  return out;
}

// The actual classes, one entry per design class: SPEC (for all the class's bidders) or K*SPEC
// with the design's K.
std::vector<BidderClass> actual_classes(const std::vector<std::string>& entries,
                                        const std::vector<SavedClass>& design) {
  if (entries.size() != design.size()) {
    refuse(ErrorCode::kInvalidArgument,
           fmt::format("the design has {} bidder classes but {} --bidder given", design.size(),
                       entries.size()),
           "give one --bidder SPEC per class, in the design's order");
  }
  auto parsed = parse_bidder_classes(entries);
  if (!parsed) throw EvaluateRefused{parsed.error()};
  for (std::size_t c = 0; c < design.size(); ++c) {
    BidderClass& k = (*parsed)[c];
    if (k.count != 1 && k.count != design[c].count) {
      refuse(ErrorCode::kInvalidArgument,
             fmt::format("bidder {}: the design has {} bidder(s) of this class, not {}", c + 1,
                         design[c].count, k.count),
             fmt::format("give '{}' or '{}*{}'", k.values, design[c].count, k.values));
    }
    k.count = design[c].count;
  }
  return std::move(*parsed);
}

ordered seat_json(const RuleEvaluation& e) {
  return {{"revenue", e.outcome.revenue},
          {"sale_probability", e.outcome.sale_probability},
          {"expected_reward", e.outcome.expected_reward},
          {"truthful", e.truthful},
          {"max_lie_gain", e.max_lie_gain},
          {"lie", lie_json(e)}};
}

}  // namespace

ordered evaluate_classes(const nlohmann::json& j, const std::string& path,
                         const std::vector<std::string>& bidders,
                         const std::function<void(const char*)>& phase) {
  const std::vector<SavedClass> design = read_classes(j, path);
  const std::vector<BidderClass> actual = actual_classes(bidders, design);
  // Every seat with its class's rows: the lottery over priority rankings dia serve runs.
  ClassSeats rule_seats;
  std::vector<const Distribution*> distributions;
  for (std::size_t c = 0; c < design.size(); ++c) {
    auto f = parse_stored_spec(design[c].values, design[c].types);
    if (!f) bad_design(path, fmt::format("bidder class {}: {}", c + 1, f.error().message), kHint);
    add_class_seats(rule_seats, **f, design[c].count, design[c].types, design[c].allocation);
    distributions.insert(distributions.end(), static_cast<std::size_t>(design[c].count),
                         actual[c].distribution.get());
  }
  auto rule = PriorityRankings::build(rule_seats.grids, rule_seats.allocations);
  if (!rule) bad_design(path, "its rule cannot be rebuilt: " + rule.error().message, kHint);
  auto run = evaluate_rankings(*rule, rule_seats.grids, rule_seats.allocations, distributions);
  if (!run) bad_design(path, run.error().message, kHint);
  if (phase) phase("designing for the actual values");
  const AsymmetricDesign optimum = design_asymmetric(actual, {});
  const bool solved = optimum.status != SolveStatus::kFailed;

  MenuEvaluation total;
  RuleEvaluation worst;  // the largest lie over every bidder
  ordered classes = ordered::array();
  std::size_t seat = 0;
  for (std::size_t c = 0; c < design.size(); ++c) {
    MenuEvaluation sum;
    RuleEvaluation class_worst;
    ordered seats = ordered::array();
    for (int s = 0; s < design[c].count; ++s, ++seat) {
      const RuleEvaluation& e = (*run)[seat];
      sum.revenue += e.outcome.revenue;
      sum.sale_probability += e.outcome.sale_probability;
      sum.expected_reward += e.outcome.expected_reward;
      if (e.max_lie_gain > class_worst.max_lie_gain) class_worst = e;
      seats.push_back(seat_json(e));
    }
    total.revenue += sum.revenue;
    total.sale_probability += sum.sale_probability;
    total.expected_reward += sum.expected_reward;
    if (class_worst.max_lie_gain > worst.max_lie_gain) worst = class_worst;
    const RuleEvaluation& last = (*run)[seat - 1];
    classes.push_back({{"design_values", design[c].values},
                       {"values", actual[c].distribution->spec()},
                       {"count", design[c].count},
                       {"revenue", sum.revenue},
                       {"sale_probability", sum.sale_probability},
                       {"expected_reward", sum.expected_reward},
                       {"truthful", class_worst.truthful},
                       {"max_lie_gain", class_worst.max_lie_gain},
                       {"lie", lie_json(class_worst)},
                       {"atoms", last.atoms},
                       {"discretized", last.discretized},
                       {"seats", seats}});
  }
  const double best = solved ? optimum.revenue : 0.0;
  double design_revenue = 0;
  if (j.contains("revenue") && j["revenue"].is_object() && j["revenue"].contains("inspection") &&
      j["revenue"]["inspection"].is_number()) {
    design_revenue = j["revenue"]["inspection"];
  }
  return {{"design", path},
          {"design_values", j.contains("values") && j["values"].is_string()
                                ? j["values"].get<std::string>()
                                : std::string()},
          {"design_revenue", design_revenue},
          {"bidder_count", seat},
          {"values", bidder_classes_text(actual)},
          {"rule", "priority_rankings"},
          {"revenue", total.revenue},
          {"sale_probability", total.sale_probability},
          {"expected_reward", total.expected_reward},
          {"optimal_revenue", solved ? ordered(best) : ordered(nullptr)},
          {"share_of_optimal", best > 0 ? ordered(total.revenue / best) : ordered(nullptr)},
          {"truthful", worst.truthful},
          {"max_lie_gain", worst.max_lie_gain},
          {"lie", lie_json(worst)},
          {"bidders", classes},
          {"dia_version", kVersion}};
}

std::string evaluate_classes_table(const ordered& j) {
  const auto& classes = j["bidders"];
  std::string text = fmt::format(
      "dia evaluate: the design for {} ({} bidders in {} classes, its revenue {:.10g}, rule "
      "priority_rankings)\nvalues actually {}\n",
      j["design_values"].get<std::string>(), j["bidder_count"].get<std::size_t>(), classes.size(),
      j["design_revenue"].get<double>(), j["values"].get<std::string>());
  text += fmt::format("\n  {:<6} {:<34} {:>14} {:>16} {:>15}  {}\n", "class", "values", "revenue",
                      "sale_probability", "expected_reward", "best response");
  for (std::size_t c = 0; c < classes.size(); ++c) {
    const auto& k = classes[c];
    text += fmt::format("  {:<6} {:<34} {:>14.10g} {:>16.6g} {:>15.10g}  {}\n", c + 1,
                        k["values"].get<std::string>(), k["revenue"].get<double>(),
                        k["sale_probability"].get<double>(), k["expected_reward"].get<double>(),
                        k["truthful"].get<bool>() ? "truthful" : "a lie pays");
  }
  text += evaluate_outcome_text(j);
  return text;
}

}  // namespace dia::detail
