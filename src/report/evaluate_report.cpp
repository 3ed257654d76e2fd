// evaluate_design: a saved design of identical bidders under another distribution, and the
// dispatch to designs of classes (dia/evaluate_report.hpp, docs/evaluate.md).
#include "dia/evaluate_report.hpp"

#include <fmt/format.h>

#include <fstream>

#include "dia/holdout.hpp"
#include "dia/report.hpp"
#include "dia/version.hpp"
#include "report/evaluate_detail.hpp"

namespace dia {
namespace {

using ordered = nlohmann::ordered_json;
using detail::bad_design;
using detail::refuse;

struct SavedDesign {
  std::string values;
  int bidders = 1;
  double revenue = 0;
  std::vector<double> grid, allocation, probability;
};

SavedDesign read_design(const nlohmann::json& j, const std::string& path) {
  if (!j.contains("bidders") || !j["bidders"].is_number_integer()) {
    bad_design(path, "no integer 'bidders' nor a list of bidder classes");
  }
  SavedDesign out;
  out.bidders = j["bidders"].get<int>();
  if (out.bidders < 1 || out.bidders > 50) {
    bad_design(path, fmt::format("'bidders' must be 1..50, got {}", out.bidders));
  }
  if (j.contains("values") && j["values"].is_string()) out.values = j["values"];
  if (j.contains("revenue") && j["revenue"].is_object() && j["revenue"].contains("inspection") &&
      j["revenue"]["inspection"].is_number()) {
    out.revenue = j["revenue"]["inspection"];
  }
  if (!j.contains("mechanism") || !j["mechanism"].is_array() || j["mechanism"].empty()) {
    bad_design(path, "no 'mechanism' rows");
  }
  const bool several = out.bidders > 1;
  for (const auto& row : j["mechanism"]) {
    if (!row.is_object() || !row.contains("value") || !row["value"].is_number() ||
        !row.contains("allocation") || !row["allocation"].is_number()) {
      bad_design(path, "a mechanism row without numeric 'value' and 'allocation'");
    }
    if (several && (!row.contains("probability") || !row["probability"].is_number())) {
      bad_design(path, "a mechanism row without a numeric 'probability' (needed for n bidders)");
    }
    out.grid.push_back(row["value"]);
    out.allocation.push_back(row["allocation"]);
    if (several) out.probability.push_back(row["probability"]);
  }
  return out;
}

// The saved rows run under `actual`: for n bidders as the rule dia simulate and dia serve build,
// with the design's own F read as a stored design is (no file named in its SPEC is opened).
RuleEvaluation run_saved(const SavedDesign& saved, const Distribution& actual,
                         const std::string& path) {
  const DiscreteTypes grid{saved.grid, saved.probability};
  DistributionPtr f;
  if (saved.bidders > 1) {
    auto parsed = parse_stored_spec(saved.values, grid);
    if (!parsed) bad_design(path, "its 'values' SPEC: " + parsed.error().message);
    f = std::move(*parsed);
  }
  auto e = evaluate_saved(f, saved.bidders, grid, saved.allocation, actual);
  if (!e) bad_design(path, e.error().message);
  return *e;
}

ordered outcome_json(const RuleEvaluation& e) {
  return {{"revenue", e.outcome.revenue},
          {"sale_probability", e.outcome.sale_probability},
          {"expected_reward", e.outcome.expected_reward}};
}

[[noreturn]] void rethrow(const Error& e) { throw detail::EvaluateRefused{e}; }

ordered evaluate_identical(const nlohmann::json& j, const EvaluateRequest& request,
                           const std::function<void(const char*)>& phase) {
  const std::string& path = request.design_name;
  const SavedDesign saved = read_design(j, path);
  DistributionPtr actual;
  std::optional<HoldoutSplit> split;
  std::optional<RuleEvaluation> train;
  if (request.holdout) {
    auto s = split_empirical(request.values, *request.holdout, request.seed);
    if (!s) rethrow(s.error());
    split = std::move(*s);
    actual = split->test;
    train = run_saved(saved, *split->train, path);
    if (!request.train_out.empty()) {
      std::ofstream out(request.train_out);
      if (!(out << split->train_csv) || !out.flush()) {
        refuse(ErrorCode::kIo, fmt::format("cannot write '{}'", request.train_out),
               "check the directory exists and is writable");
      }
    }
  } else {
    if (!request.train_out.empty()) {
      refuse(ErrorCode::kInvalidArgument, "--train-out needs --holdout",
             "e.g. --holdout 0.3 --train-out train.csv");
    }
    auto parsed = parse_distribution(request.values);
    if (!parsed) rethrow(parsed.error());
    actual = std::move(*parsed);
  }
  const RuleEvaluation run = run_saved(saved, *actual, path);
  if (phase) phase("designing for the actual values");
  double best = 0;
  if (split) {
    if (auto valid = validate_design_request(*actual, saved.bidders, {}); !valid) {
      rethrow(valid.error());
    }
    best = design_inspection(*actual, saved.bidders, {}).revenue;
  } else {
    DesignRequest design;
    design.values = request.values;
    design.bidders = saved.bidders;
    auto optimum = build_design_report(design);
    if (!optimum) rethrow(optimum.error());
    best = optimum->inspection ? optimum->inspection->revenue : 0.0;
  }
  const double share = best > 0 ? run.outcome.revenue / best : 0.0;
  ordered out = {{"design", path},
                 {"design_values", saved.values},
                 {"design_revenue", saved.revenue},
                 {"bidders", saved.bidders},
                 {"rows", saved.grid.size()},
                 {"values", actual->spec()}};
  if (run.rule) out["rule"] = run.rule;
  out.update(outcome_json(run));
  out["optimal_revenue"] = best;
  out["share_of_optimal"] = best > 0 ? ordered(share) : nullptr;
  out["truthful"] = run.truthful;
  if (run.rule) {
    out["max_lie_gain"] = run.max_lie_gain;
    out["lie"] = detail::lie_json(run);
    out["atoms"] = run.atoms;
    out["discretized"] = run.discretized;
  }
  if (split) {
    out["holdout"] = {{"fraction", *request.holdout},        {"seed", request.seed},
                      {"observations", split->observations}, {"train_rows", split->train_rows},
                      {"test_rows", split->test_rows},       {"train", outcome_json(*train)}};
    if (!request.train_out.empty()) out["holdout"]["train_out"] = request.train_out;
  }
  out["dia_version"] = kVersion;
  return out;
}

}  // namespace

Expected<nlohmann::ordered_json> evaluate_design(const EvaluateRequest& request,
                                                 const std::function<void(const char*)>& phase) {
  try {
    if (phase) phase("evaluating");
    const auto j = nlohmann::json::parse(request.design_text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) bad_design(request.design_name, "not a JSON object");
    if (j.contains("bidders") && j["bidders"].is_array()) {  // a design of classes
      if (!request.values.empty() || request.holdout) {
        refuse(ErrorCode::kInvalidArgument,
               "a design of bidder classes takes --bidder SPEC per class, not --values or "
               "--holdout",
               "e.g. dia evaluate --design FILE --bidder 'uniform(0,1)' --bidder 'uniform(0,2)'");
      }
      return detail::evaluate_classes(j, request.design_name, request.bidders, phase);
    }
    if (!request.bidders.empty() || request.values.empty()) {
      refuse(ErrorCode::kInvalidArgument,
             "a design of identical bidders takes --values SPEC, not --bidder",
             "--bidder is for designs of bidder classes (dia design --bidder ...)");
    }
    return evaluate_identical(j, request, phase);
  } catch (const detail::EvaluateRefused& refused) {
    return tl::unexpected(refused.error);
  }
}

namespace detail {

std::string evaluate_outcome_text(const nlohmann::ordered_json& j) {
  std::string text =
      j["truthful"].get<bool>()
          ? "the bidders best-respond to the saved rule by bidding truthfully\n"
          : fmt::format(
                "WARNING: truthful bidding is NOT a best response under these values: a bidder "
                "of value {:.10g} gains {:.6g} by bidding {:.10g}; the numbers below assume "
                "truthful bids\n",
                j["lie"]["value"].get<double>(), j["max_lie_gain"].get<double>(),
                j["lie"]["bid"].get<double>());
  const auto& best = j["optimal_revenue"];
  const auto& share = j["share_of_optimal"];
  text += fmt::format(
      "\n  revenue            {:.10g}\n"
      "  sale_probability   {:.6g}\n"
      "  expected_reward    {:.10g}\n"
      "  optimal_revenue    {}  (the design for {})\n"
      "  share_of_optimal   {}\n",
      j["revenue"].get<double>(), j["sale_probability"].get<double>(),
      j["expected_reward"].get<double>(),
      best.is_number() ? fmt::format("{:.10g}", best.get<double>())
                       : std::string("- (the design failed)"),
      j["values"].get<std::string>(),
      share.is_number() ? fmt::format("{:.2f}%", 100 * share.get<double>()) : std::string("-"));
  return text;
}

}  // namespace detail

std::string evaluate_table(const nlohmann::ordered_json& j) {
  if (j.contains("rule") && j["rule"] == "priority_rankings") {
    return detail::evaluate_classes_table(j);
  }
  const int bidders = j["bidders"];
  const bool several = j.contains("atoms");
  const bool discretized = several && j["discretized"].get<bool>();
  std::string out =
      fmt::format("dia evaluate: the design for {} ({} bidder{}, {} rows, its revenue {:.10g}{})\n",
                  j["design_values"].get<std::string>(), bidders, bidders == 1 ? "" : "s",
                  j["rows"].get<std::size_t>(), j["design_revenue"].get<double>(),
                  j.contains("rule") ? ", rule " + j["rule"].get<std::string>() : std::string());
  out += fmt::format(
      "values actually {}{}\n", j["values"].get<std::string>(),
      discretized ? fmt::format(" (run on {} equal-mass cells)", j["atoms"].get<std::size_t>())
                  : "");
  if (j.contains("holdout")) {
    const auto& h = j["holdout"];
    out += fmt::format("holdout: {} of {} rows (fraction {}, seed {}); training part {} rows{}\n",
                       h["test_rows"].get<std::size_t>(), h["observations"].get<std::size_t>(),
                       h["fraction"].get<double>(), h["seed"].get<std::uint64_t>(),
                       h["train_rows"].get<std::size_t>(),
                       h.contains("train_out") ? " written to " + h["train_out"].get<std::string>()
                                               : std::string());
  }
  out += detail::evaluate_outcome_text(j);
  if (j.contains("holdout")) {
    out += fmt::format(
        "  train_revenue      {:.10g}  (in sample: the same design on the training part)\n",
        j["holdout"]["train"]["revenue"].get<double>());
  }
  return out;
}

}  // namespace dia
