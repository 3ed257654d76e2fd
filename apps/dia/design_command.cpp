// `dia design`: the optimal inspection mechanism beside the classic auctions.
#include <fmt/format.h>

#include <iostream>

#include "commands.hpp"
#include "dia/classic.hpp"
#include "dia/design.hpp"
#include "dia/dominant.hpp"
#include "dia/lp_check.hpp"
#include "dia/one_bidder.hpp"
#include "dia/report.hpp"
#include "dia/symmetric.hpp"

namespace dia::cli {
namespace {

constexpr std::size_t kLpCheckCells = 200;  // the LP has m^2/2 rows: keep it small
constexpr std::size_t kLpMaxTypes = 2000;
constexpr std::size_t kLpMaxSymmetricTypes = 400;

constexpr const char* kSpecHelp = R"(value distribution SPEC (see docs/spec.md):
  uniform(a,b)              uniform on [a,b], 0 <= a < b; also uniform(low=,high=)
  exponential(rate)         also exponential(mean=) or exponential(scale=)
  lognormal(mu,sigma)       mu, sigma of the underlying normal
  beta(a,b)                 on [0,1]
  pareto(scale,shape)       shape > 1 (finite mean)
  truncnormal(mu,sigma,lo,hi)  parent normal's mean and sd, bounds in value units
  discrete(v1:p1,v2:p2,...) atoms, probabilities summing to 1
  mixture(w1:SPEC,w2:SPEC,...)  all components continuous or all discrete
  empirical(path)           CSV: one value per line, optional second column = weight)";

struct DesignArgs {
  std::string values = "uniform(0,1)";
  int bidders = 1;
  std::size_t grid = 0;
  std::size_t rows = 0;
  std::string format = "table";
  std::string check;
  std::string ic = "bayesian";
};

template <class T>
T or_user_error(Expected<T> result) {
  if (!result) throw UserError{result.error()};
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

// The types --check lp solves twice; refused before any solve when the full LP would not fit.
DiscreteTypes lp_check_types(const Distribution& d, const DesignArgs& args) {
  const std::size_t limit = args.bidders == 1 ? kLpMaxTypes : kLpMaxSymmetricTypes;
  const std::size_t types =
      d.is_discrete() ? d.atoms().size() : (args.grid ? args.grid : kLpCheckCells);
  if (types > limit) {
    throw UserError{
        {ErrorCode::kTooLarge,
         fmt::format("--check lp with {} bidder{} handles at most {} types, this "
                     "problem has {}",
                     args.bidders, args.bidders == 1 ? "" : "s", limit, types),
         "the full LP has m^2/2 rows; check a smaller discrete distribution or --grid"}};
  }
  return d.is_discrete() ? d.atoms() : quantile_grid(d, types);
}

// The same discrete problem by the fast solver and by the full CLP LP.
LpComparison check_with_lp(const DiscreteTypes& types, int bidders) {
  if (bidders == 1) {
    const LpSolution lp = or_user_error(solve_one_bidder_lp(types, kLpMaxTypes));
    return {types.size(), solve_one_bidder_sweep(types).revenue, lp.revenue, lp.iterations};
  }
  const LpSolution lp = or_user_error(solve_symmetric_lp(types, bidders, kLpMaxSymmetricTypes));
  const SymmetricSolution fast = or_user_error(solve_symmetric(types, bidders));
  return {types.size(), fast.revenue, lp.revenue, lp.iterations};
}

int run_design(const DesignArgs& args) {
  const DistributionPtr d = or_user_error(parse_distribution(args.values));
  DesignReport report;
  report.values = d->spec();
  report.bidders = args.bidders;
  DesignOptions options;
  if (args.grid) options.grid = args.grid;
  if (args.rows) options.rows = args.rows;
  or_user_error(validate_design_request(*d, args.bidders, options));
  // --ic dominant: the grid and its size are checked before any solve.
  const std::optional<DiscreteTypes> dominant_types =
      args.ic == "dominant"
          ? std::optional(or_user_error(dominant_grid(
                *d, args.bidders, args.grid ? std::optional(args.grid) : std::nullopt)))
          : std::nullopt;
  const std::optional<DiscreteTypes> lp_types =
      args.check == "lp" ? std::optional(lp_check_types(*d, args)) : std::nullopt;
  report.inspection = design_inspection(*d, args.bidders, options);
  report.classic = classic_revenues(*d, args.bidders);
  if (args.bidders > 1) {
    report.notes.push_back("posted_price is defined for one bidder only");
  }
  if (dominant_types) {
    report.dominant = or_user_error(
        compare_dominant(*d, args.bidders, args.grid ? std::optional(args.grid) : std::nullopt));
  }
  if (lp_types) report.lp_check = check_with_lp(*lp_types, args.bidders);
  std::cout << (args.format == "json" ? to_json(report).dump(2) + "\n" : to_table(report));
  const bool failed = report.inspection && report.inspection->status == SolveStatus::kFailed;
  return failed ? kExitAuditFailed : 0;
}

}  // namespace

void register_design(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<DesignArgs>();
  CLI::App* cmd = app.add_subcommand(
      "design",
      "Design the revenue-optimal inspection mechanism and compare it with the classic "
      "auctions (Myerson, second price with and without reserve, posted price)");
  cmd->add_option("--values", args->values, kSpecHelp)->capture_default_str();
  cmd->add_option("--bidders", args->bidders, "number of i.i.d. bidders")
      ->check(CLI::Range(1, 50))
      ->capture_default_str();
  cmd->add_option("--grid", args->grid,
                  "equal-mass quantile cells for a continuous distribution (overrides the "
                  "adaptive default; the answer is then grid_limited)")
      ->check(CLI::Range(std::size_t{2}, std::size_t{1} << 24));
  cmd->add_option("--rows", args->rows,
                  "mechanism rows to print (default: every atom up to 1000, else 101 quantiles)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  cmd->add_option("--format", args->format, "output format")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  cmd->add_option("--check", args->check,
                  "cross-check: 'lp' solves the same discrete problem with COIN-OR CLP")
      ->check(CLI::IsMember({"lp"}));
  cmd->add_option("--ic", args->ic,
                  "incentive compatibility: 'bayesian' (BIC, default) or 'dominant', which adds "
                  "the optimal dominant-strategy mechanism for 2 bidders on a grid (--grid "
                  "cells, default 50, at most 160) and its loss against BIC on the same grid")
      ->check(CLI::IsMember({"bayesian", "dominant"}))
      ->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = run_design(*args); });
}

}  // namespace dia::cli
