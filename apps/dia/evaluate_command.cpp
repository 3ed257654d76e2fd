// `dia evaluate --design FILE --values SPEC` (or `--bidder SPEC ...` for a design of classes):
// a saved design (the JSON of `dia design --format json`) when values follow other
// distributions: exact revenue, sale probability and rewards, beside the design's own claim and
// the optimum for them (docs/evaluate.md; the work is evaluate_design in dia/evaluate_report.hpp).
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "commands.hpp"
#include "dia/evaluate_report.hpp"
#include "status_line.hpp"

namespace dia::cli {
namespace {

struct EvaluateArgs {
  std::string design;
  std::string values;
  std::vector<std::string> bidders;  // a design of classes: one SPEC per class
  std::string format = "table";
  std::optional<double> holdout;
  std::uint64_t seed = 1;
  std::string train_out;
  bool quiet = false;
};

int run_evaluate(const EvaluateArgs& args) {
  std::ifstream in(args.design);
  if (!in) {
    throw UserError{Error{ErrorCode::kIo, fmt::format("cannot open design file '{}'", args.design),
                          "check the path"}};
  }
  std::ostringstream text;
  text << in.rdbuf();
  EvaluateRequest request{args.design,  text.str(), args.values,   args.bidders,
                          args.holdout, args.seed,  args.train_out};
  StatusLine status(args.quiet);
  auto result = evaluate_design(request, [&](const char* phase) { status.phase(phase); });
  status.clear();
  if (!result) throw UserError{result.error()};
  std::cout << (args.format == "json" ? result->dump(2) + "\n" : evaluate_table(*result));
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
  cmd->add_option("--values", args->values,
                  "the actual value distribution SPEC (docs/spec.md) of a design of identical "
                  "bidders");
  cmd->add_option("--bidder", args->bidders,
                  "a design of bidder classes: the actual SPEC of each class, repeated in the "
                  "design's class order (docs/evaluate.md#classes)");
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
