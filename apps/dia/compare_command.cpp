// `dia compare`: the optimal inspection auction against the classic ones for several N.
#include <algorithm>
#include <cmath>
#include <iostream>

#include "commands.hpp"
#include "dia/compare.hpp"

namespace dia::cli {
namespace {

struct CompareArgs {
  std::string values = "uniform(0,1)";
  std::string bidders = "1..5";
  std::string format = "table";
  std::string ic = "bayesian";
};

int run_compare(const CompareArgs& args) {
  auto d = parse_distribution(args.values);
  if (!d) throw UserError{d.error()};
  auto counts = parse_bidder_list(args.bidders);
  if (!counts) throw UserError{counts.error()};
  for (int n : *counts) {
    if (auto valid = validate_design_request(**d, n, {}); !valid) throw UserError{valid.error()};
  }
  const bool dominant = args.ic == "dominant";
  if (dominant) {
    if (std::find(counts->begin(), counts->end(), 2) == counts->end()) {
      throw UserError{{ErrorCode::kInvalidArgument,
                       "--ic dominant is computed for 2 bidders, and --bidders does not list 2",
                       "add 2 to --bidders, e.g. --bidders 1..5"}};
    }
    if (auto grid = dominant_grid(**d, 2, std::nullopt); !grid) throw UserError{grid.error()};
  }
  Comparison comparison{(*d)->spec(), {}};
  bool failed = false;
  for (int n : *counts) {
    ComparisonRow row;
    row.bidders = n;
    row.inspection = design_inspection(**d, n, {});
    row.classic = classic_revenues(**d, n);
    const double below_reserve = row.classic.myerson_reserve > (*d)->lower()
                                     ? 1 - (*d)->survival(row.classic.myerson_reserve)
                                     : 0.0;
    row.myerson_sale_probability = 1 - std::pow(below_reserve, n);
    if (dominant && n == 2) {
      auto dsic = compare_dominant(**d, 2, std::nullopt);
      if (!dsic) throw UserError{dsic.error()};
      row.dominant = std::move(*dsic);
    }
    failed = failed || row.inspection.status == SolveStatus::kFailed;
    comparison.rows.push_back(std::move(row));
  }
  std::cout << (args.format == "json" ? to_json(comparison).dump(2) + "\n" : to_table(comparison));
  return failed ? kExitAuditFailed : 0;
}

}  // namespace

void register_compare(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* cmd = app.add_subcommand(
      "compare",
      "Revenue of the optimal inspection auction, Myerson and second price (with and "
      "without reserve) for several numbers of bidders");
  cmd->add_option("--values", args->values, "value distribution SPEC (see dia design --help)")
      ->capture_default_str();
  cmd->add_option("--bidders", args->bidders,
                  "numbers of bidders: a range and/or list, e.g. "
                  "1..10 or 1,2,5 or 1..3,8 (each 1..50)")
      ->capture_default_str();
  cmd->add_option("--format", args->format, "output format")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  cmd->add_option("--ic", args->ic,
                  "'dominant' adds the optimal dominant-strategy mechanism for 2 bidders (on a "
                  "50-point grid, with its loss against the Bayesian optimum on that grid)")
      ->check(CLI::IsMember({"bayesian", "dominant"}))
      ->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = run_compare(*args); });
}

}  // namespace dia::cli
