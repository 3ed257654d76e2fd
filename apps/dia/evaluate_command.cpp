// `dia evaluate --design FILE --values SPEC`: a saved one-bidder design (the JSON of `dia design
// --format json`) when values follow SPEC: exact revenue, sale probability and rewards, beside the
// design's own claim and the optimum for SPEC (docs/evaluate.md).
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "commands.hpp"
#include "dia/evaluate.hpp"
#include "dia/holdout.hpp"
#include "dia/report.hpp"
#include "dia/version.hpp"
#include "status_line.hpp"

namespace dia::cli {
namespace {

struct EvaluateArgs {
  std::string design;
  std::string values;
  std::string format = "table";
  std::optional<double> holdout;
  std::uint64_t seed = 1;
  std::string train_out;
  bool quiet = false;
};

[[noreturn]] void bad_design(const std::string& path, const std::string& what) {
  throw UserError{Error{ErrorCode::kInvalidArgument,
                        fmt::format("design file '{}': {}", path, what),
                        "give the JSON written by dia design --format json"}};
}

struct SavedDesign {
  std::string values;
  int bidders = 1;
  double revenue = 0;
  std::vector<double> grid, allocation, probability;
};

SavedDesign read_design(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw UserError{
        Error{ErrorCode::kIo, fmt::format("cannot open design file '{}'", path), "check the path"}};
  }
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) bad_design(path, "not a JSON object");
  if (!j.contains("bidders") || !j["bidders"].is_number_integer()) {
    bad_design(path,
               "no integer 'bidders' (a design of classes of bidders cannot be evaluated yet)");
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

nlohmann::ordered_json outcome_json(const RuleEvaluation& e) {
  return {{"revenue", e.outcome.revenue},
          {"sale_probability", e.outcome.sale_probability},
          {"expected_reward", e.outcome.expected_reward}};
}

int run_evaluate(const EvaluateArgs& args) {
  StatusLine status(args.quiet);
  status.phase("evaluating");
  const SavedDesign saved = read_design(args.design);

  DistributionPtr actual;
  std::optional<HoldoutSplit> split;
  std::optional<RuleEvaluation> train;
  if (args.holdout) {
    auto s = split_empirical(args.values, *args.holdout, args.seed);
    if (!s) throw UserError{s.error()};
    split = std::move(*s);
    actual = split->test;
    train = run_saved(saved, *split->train, args.design);
    if (!args.train_out.empty()) {
      std::ofstream out(args.train_out);
      if (!(out << split->train_csv) || !out.flush()) {
        throw UserError{{ErrorCode::kIo, fmt::format("cannot write '{}'", args.train_out),
                         "check the directory exists and is writable"}};
      }
    }
  } else {
    if (!args.train_out.empty()) {
      throw UserError{{ErrorCode::kInvalidArgument, "--train-out needs --holdout",
                       "e.g. --holdout 0.3 --train-out train.csv"}};
    }
    auto parsed = parse_distribution(args.values);
    if (!parsed) throw UserError{parsed.error()};
    actual = std::move(*parsed);
  }
  const RuleEvaluation run = run_saved(saved, *actual, args.design);
  status.phase("designing for the actual values");
  DesignRequest request;
  request.values = args.values;
  request.bidders = saved.bidders;
  double best = 0;
  if (split) {
    if (auto valid = validate_design_request(*actual, saved.bidders, {}); !valid) {
      throw UserError{valid.error()};
    }
    best = design_inspection(*actual, saved.bidders, {}).revenue;
  } else {
    auto optimum = build_design_report(request);
    if (!optimum) throw UserError{optimum.error()};
    best = optimum->inspection ? optimum->inspection->revenue : 0.0;
  }
  status.clear();
  const double share = best > 0 ? run.outcome.revenue / best : 0.0;

  if (args.format == "json") {
    nlohmann::ordered_json j = {{"design", args.design},           {"design_values", saved.values},
                                {"design_revenue", saved.revenue}, {"bidders", saved.bidders},
                                {"rows", saved.grid.size()},       {"values", actual->spec()}};
    if (run.rule) j["rule"] = run.rule;
    j.update(outcome_json(run));
    j["optimal_revenue"] = best;
    j["share_of_optimal"] = best > 0 ? nlohmann::ordered_json(share) : nullptr;
    j["truthful"] = run.truthful;
    if (run.rule) {
      j["max_lie_gain"] = run.max_lie_gain;
      j["lie"] = run.max_lie_gain > 0
                     ? nlohmann::ordered_json{{"value", run.lie_value}, {"bid", run.lie_bid}}
                     : nlohmann::ordered_json(nullptr);
      j["atoms"] = run.atoms;
      j["discretized"] = run.discretized;
    }
    if (split) {
      j["holdout"] = {{"fraction", *args.holdout},           {"seed", args.seed},
                      {"observations", split->observations}, {"train_rows", split->train_rows},
                      {"test_rows", split->test_rows},       {"train", outcome_json(*train)}};
    }
    j["dia_version"] = kVersion;
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::string out =
      fmt::format("dia evaluate: the design for {} ({} bidder{}, {} rows, its revenue {:.10g}{})\n",
                  saved.values, saved.bidders, saved.bidders == 1 ? "" : "s", saved.grid.size(),
                  saved.revenue, run.rule ? std::string(", rule ") + run.rule : "");
  out +=
      fmt::format("values actually {}{}\n", actual->spec(),
                  run.discretized ? fmt::format(" (run on {} equal-mass cells)", run.atoms) : "");
  if (split) {
    out += fmt::format("holdout: {} of {} rows (fraction {}, seed {}); training part {} rows{}\n",
                       split->test_rows, split->observations, *args.holdout, args.seed,
                       split->train_rows,
                       args.train_out.empty() ? "" : " written to " + args.train_out);
  }
  out += run.truthful ? "the bidders best-respond to the saved rule by bidding truthfully\n"
                      : fmt::format(
                            "WARNING: truthful bidding is NOT a best response under these "
                            "values: a bidder of value {:.10g} gains {:.6g} by bidding {:.10g}; "
                            "the numbers below assume truthful bids\n",
                            run.lie_value, run.max_lie_gain, run.lie_bid);
  out += fmt::format(
      "\n  revenue            {:.10g}\n"
      "  sale_probability   {:.6g}\n"
      "  expected_reward    {:.10g}\n"
      "  optimal_revenue    {:.10g}  (the design for {})\n"
      "  share_of_optimal   {}\n",
      run.outcome.revenue, run.outcome.sale_probability, run.outcome.expected_reward, best,
      actual->spec(), best > 0 ? fmt::format("{:.2f}%", 100 * share) : std::string("-"));
  if (train) {
    out += fmt::format(
        "  train_revenue      {:.10g}  (in sample: the same design on the training part)\n",
        train->outcome.revenue);
  }
  std::cout << out;
  return 0;
}

}  // namespace

void register_evaluate(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<EvaluateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "evaluate",
      "Revenue, sale probability and rewards of a saved design (dia design --format json) when "
      "values follow another distribution");
  cmd->add_option("--design", args->design, "the JSON file written by dia design --format json")
      ->required();
  cmd->add_option("--values", args->values, "the actual value distribution SPEC (docs/spec.md)")
      ->required();
  cmd->add_option("--format", args->format, "output format")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  cmd->add_option("--holdout", args->holdout,
                  "with --values 'empirical(...)': evaluate on this fraction of the rows, drawn "
                  "at random (docs/evaluate.md#holdout)");
  cmd->add_option("--seed", args->seed, "seed of the --holdout split")->capture_default_str();
  cmd->add_option("--train-out", args->train_out,
                  "with --holdout: write the training rows (CSV value,weight) to FILE");
  cmd->add_flag("--quiet", args->quiet, "no status line on stderr");
  cmd->callback([args, &exit_code] { exit_code = run_evaluate(*args); });
}

}  // namespace dia::cli
