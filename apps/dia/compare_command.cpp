// `dia compare`: the optimal inspection auction against the classic ones for several N, or for
// several asymmetric bidder sets (--set, docs/asymmetric.md).
#include <algorithm>
#include <iostream>

#include "commands.hpp"
#include "dia/asymmetric_compare.hpp"
#include "dia/compare.hpp"
#include "dia/comparison_rows.hpp"
#include "status_line.hpp"

namespace dia::cli {
namespace {

struct CompareArgs {
  std::string values = "uniform(0,1)";
  std::string bidders = "1..5";
  std::string format = "table";
  std::string ic = "bayesian";
  std::vector<std::string> sets;  // --set, repeated
  bool symmetric_given = false;   // --values, --bidders or --ic was given
  bool quiet = false;
};

int run_set_compare(const CompareArgs& args) {
  if (args.symmetric_given) {
    throw UserError{Error{ErrorCode::kInvalidArgument,
                          "--set cannot be combined with --values, --bidders or --ic",
                          "list every bidder of each set in --set, e.g. --set "
                          "'2*lognormal(0,0.5),lognormal(1,0.5)'"}};
  }
  StatusLine status(args.quiet);
  status.phase("designing each set");
  auto comparison = compare_bidder_sets(args.sets);
  status.clear();
  if (!comparison) throw UserError{comparison.error()};
  std::cout << (args.format == "json" ? to_json(*comparison).dump(2) + "\n"
                                      : to_table(*comparison));
  const bool failed =
      std::any_of(comparison->sets.begin(), comparison->sets.end(),
                  [](const AsymmetricDesign& d) { return d.status == SolveStatus::kFailed; });
  return failed ? kExitAuditFailed : 0;
}

int run_compare(const CompareArgs& args) {
  if (!args.sets.empty()) return run_set_compare(args);
  auto d = parse_distribution(args.values);
  if (!d) throw UserError{d.error()};
  auto counts = parse_bidder_list(args.bidders);
  if (!counts) throw UserError{counts.error()};
  StatusLine status(args.quiet);
  auto comparison = compare_mechanisms(
      **d, *counts, {}, args.ic == "dominant",
      status.steps(counts->size() == 1 ? "designing" : "designing for each number of bidders"));
  status.clear();
  if (!comparison) throw UserError{comparison.error()};
  std::cout << (args.format == "json" ? to_json(*comparison).dump(2) + "\n"
                                      : to_table(*comparison));
  const bool failed = std::any_of(
      comparison->rows.begin(), comparison->rows.end(),
      [](const ComparisonRow& r) { return r.inspection.status == SolveStatus::kFailed; });
  return failed ? kExitAuditFailed : 0;
}

}  // namespace

void register_compare(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* cmd = app.add_subcommand(
      "compare",
      "Revenue of the optimal inspection auction, Myerson and second price (with and "
      "without reserve) for several numbers of bidders");
  auto* values =
      cmd->add_option("--values", args->values, "value distribution SPEC (see dia design --help)")
          ->capture_default_str();
  auto* counts = cmd->add_option("--bidders", args->bidders,
                                 "numbers of bidders: a range and/or list, e.g. "
                                 "1..10 or 1,2,5 or 1..3,8 (each 1..50)")
                     ->capture_default_str();
  cmd->add_option("--format", args->format, "output format")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  auto* ic =
      cmd->add_option("--ic", args->ic,
                      "'dominant' adds the optimal dominant-strategy mechanism for 2 bidders (on a "
                      "50-point grid, with its loss against the Bayesian optimum on that grid)")
          ->check(CLI::IsMember({"bayesian", "dominant"}))
          ->capture_default_str();
  cmd->add_option("--set", args->sets,
                  "a set of independent bidders with their own distributions, instead of "
                  "--values/--bidders: bidder entries SPEC or K*SPEC separated by commas, e.g. "
                  "'2*lognormal(0,0.5),lognormal(1,0.5)'; repeat for each set (see "
                  "docs/asymmetric.md)")
      ->allow_extra_args(false);
  cmd->add_flag("--quiet", args->quiet, "no status line on stderr");
  cmd->callback([args, values, counts, ic, &exit_code] {
    args->symmetric_given = values->count() + counts->count() + ic->count() > 0;
    exit_code = run_compare(*args);
  });
}

}  // namespace dia::cli
