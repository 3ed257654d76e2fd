// `dia evaluate --design FILE --values SPEC`: a saved one-bidder design (the JSON of `dia design
// --format json`) when values follow SPEC: exact revenue, sale probability and rewards, beside the
// design's own claim and the optimum for SPEC (docs/evaluate.md).
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "dia/evaluate.hpp"
#include "dia/report.hpp"
#include "dia/version.hpp"

namespace dia::cli {
namespace {

struct EvaluateArgs {
  std::string design;
  std::string values;
  std::string format = "table";
};

[[noreturn]] void bad_design(const std::string& path, const std::string& what) {
  throw UserError{Error{ErrorCode::kInvalidArgument,
                        fmt::format("design file '{}': {}", path, what),
                        "give the JSON written by dia design --format json (one bidder)"}};
}

struct SavedDesign {
  std::string values;
  double revenue = 0;
  std::vector<double> grid, allocation;
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
    bad_design(path, "no integer 'bidders' (a design of classes of bidders cannot be evaluated)");
  }
  if (j["bidders"].get<int>() != 1) {
    bad_design(path, fmt::format("it is a {}-bidder design; dia evaluate takes one-bidder designs",
                                 j["bidders"].get<int>()));
  }
  SavedDesign out;
  if (j.contains("values") && j["values"].is_string()) out.values = j["values"];
  if (j.contains("revenue") && j["revenue"].is_object() && j["revenue"].contains("inspection") &&
      j["revenue"]["inspection"].is_number()) {
    out.revenue = j["revenue"]["inspection"];
  }
  if (!j.contains("mechanism") || !j["mechanism"].is_array() || j["mechanism"].empty()) {
    bad_design(path, "no 'mechanism' rows");
  }
  for (const auto& row : j["mechanism"]) {
    if (!row.is_object() || !row.contains("value") || !row["value"].is_number() ||
        !row.contains("allocation") || !row["allocation"].is_number()) {
      bad_design(path, "a mechanism row without numeric 'value' and 'allocation'");
    }
    out.grid.push_back(row["value"]);
    out.allocation.push_back(row["allocation"]);
  }
  return out;
}

int run_evaluate(const EvaluateArgs& args) {
  const SavedDesign saved = read_design(args.design);
  auto actual = parse_distribution(args.values);
  if (!actual) throw UserError{actual.error()};
  auto evaluation = evaluate_menu(saved.grid, saved.allocation, **actual);
  if (!evaluation) {
    Error e = evaluation.error();
    e.message = fmt::format("design file '{}': {}", args.design, e.message);
    throw UserError{e};
  }
  DesignRequest request;
  request.values = args.values;
  auto optimum = build_design_report(request);
  if (!optimum) throw UserError{optimum.error()};
  const double best = optimum->inspection ? optimum->inspection->revenue : 0.0;
  const double share = best > 0 ? evaluation->revenue / best : 0.0;
  if (args.format == "json") {
    nlohmann::ordered_json j = {
        {"design", args.design},
        {"design_values", saved.values},
        {"design_revenue", saved.revenue},
        {"rows", saved.grid.size()},
        {"values", (*actual)->spec()},
        {"revenue", evaluation->revenue},
        {"sale_probability", evaluation->sale_probability},
        {"expected_reward", evaluation->expected_reward},
        {"optimal_revenue", best},
        {"share_of_optimal", best > 0 ? nlohmann::ordered_json(share) : nullptr},
        {"dia_version", kVersion}};
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << fmt::format(
      "dia evaluate: the design for {} ({} rows, its revenue {:.10g})\n"
      "values actually {}; the bidder best-responds to the saved menu (truthful)\n\n"
      "  revenue            {:.10g}\n"
      "  sale_probability   {:.6g}\n"
      "  expected_reward    {:.10g}\n"
      "  optimal_revenue    {:.10g}  (the design for {})\n"
      "  share_of_optimal   {}\n",
      saved.values, saved.grid.size(), saved.revenue, (*actual)->spec(), evaluation->revenue,
      evaluation->sale_probability, evaluation->expected_reward, best, (*actual)->spec(),
      best > 0 ? fmt::format("{:.2f}%", 100 * share) : std::string("-"));
  return 0;
}

}  // namespace

void register_evaluate(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<EvaluateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "evaluate",
      "Revenue, sale probability and rewards of a saved one-bidder design (dia design --format "
      "json) when values follow another distribution");
  cmd->add_option("--design", args->design, "the JSON file written by dia design --format json")
      ->required();
  cmd->add_option("--values", args->values, "the actual value distribution SPEC (docs/spec.md)")
      ->required();
  cmd->add_option("--format", args->format, "output format")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = run_evaluate(*args); });
}

}  // namespace dia::cli
