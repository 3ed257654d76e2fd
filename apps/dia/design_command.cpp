// `dia design`: the optimal inspection mechanism beside the classic auctions.
#include <iostream>

#include "commands.hpp"
#include "dia/bootstrap.hpp"
#include "dia/report.hpp"
#include "status_line.hpp"
#include "whole_number.hpp"

namespace dia::cli {
namespace {

constexpr const char* kSpecHelp = R"(value distribution SPEC (see docs/spec.md):
  uniform(a,b)              uniform on [a,b], 0 <= a < b; also uniform(low=,high=)
  exponential(rate)         also exponential(mean=) or exponential(scale=); low= shifts it
  lognormal(mu,sigma)       mu, sigma of the underlying normal
  beta(a,b)                 on [0,1]; beta(a,b,low=,high=) on [low,high]
  pareto(scale,shape)       shape > 1 (finite mean)
  truncnormal(mu,sigma,lo,hi)  parent normal's mean and sd, bounds in value units
  gamma(shape,scale)        weibull(shape,scale)
  scipy.stats names with scipy's parameters: norm, truncnorm, lognorm, expon,
  uniform(loc=,scale=), pareto(b,scale=), gamma(a,scale=), weibull_min(c,scale=),
  beta(a,b,loc=,scale=)
  discrete(v1:p1,v2:p2,...) atoms, probabilities summing to 1
  mixture(w1:SPEC,w2:SPEC,...)  all components continuous or all discrete
  empirical(path)           CSV: one value per line, optional second column = weight
  empirical(path, column=NAME|INDEX[, weight=NAME|INDEX])  a column of a CSV with a header)";

struct DesignArgs {
  std::string values = "uniform(0,1)";
  int bidders = 1;
  std::size_t grid = 0;
  std::size_t rows = 0;
  std::string format = "table";
  std::string check;
  std::string ic = "bayesian";
  std::vector<std::string> bidder_classes;  // --bidder, repeated
  std::string by;                           // --by COLUMN
  int bootstrap = 0;                        // --bootstrap B
  std::uint64_t seed = 1;                   // --seed
  bool symmetric_given = false;             // --values or --bidders was given
  bool quiet = false;
};

int run_design(const DesignArgs& args) {
  if (!args.by.empty()) {
    if (!args.bidder_classes.empty() || args.bidders != 1 || !args.check.empty() ||
        args.ic != "bayesian") {
      throw UserError{Error{ErrorCode::kInvalidArgument,
                            "--by cannot be combined with --bidder, --bidders, --check or --ic",
                            "--by makes one bidder per value of the column (docs/asymmetric.md)"}};
    }
    DesignOptions options;
    if (args.grid) options.grid = args.grid;
    if (args.rows) options.rows = args.rows;
    return run_design_by(args.values, args.by, options, args.format == "json", args.quiet,
                         args.bootstrap, args.seed);
  }
  if (!args.bidder_classes.empty()) {
    if (args.symmetric_given || !args.check.empty() || args.ic != "bayesian") {
      throw UserError{Error{ErrorCode::kInvalidArgument,
                            "--bidder cannot be combined with --values, --bidders, --check or --ic",
                            "list every bidder with --bidder SPEC or K*SPEC"}};
    }
    DesignOptions options;
    if (args.grid) options.grid = args.grid;
    if (args.rows) options.rows = args.rows;
    return run_asymmetric_design(args.bidder_classes, options, args.format == "json", args.quiet);
  }
  DesignRequest request;
  request.values = args.values;
  request.bidders = args.bidders;
  if (args.grid) request.options.grid = args.grid;
  if (args.rows) request.options.rows = args.rows;
  request.check_lp = args.check == "lp";
  request.dominant = args.ic == "dominant";
  StatusLine status(args.quiet);
  std::optional<DesignBootstrap> bootstrap;
  if (args.bootstrap > 0) {
    auto b = bootstrap_design(args.values, args.bidders, args.bootstrap, args.seed, request.options,
                              status.steps("bootstrap designs"));
    if (!b) throw UserError{b.error()};
    bootstrap = std::move(*b);
  }
  status.phase("designing");
  auto report = build_design_report(request);
  status.clear();
  if (!report) throw UserError{report.error()};
  if (args.format == "json") {
    auto j = to_json(*report);
    if (bootstrap) j["bootstrap"] = to_json(*bootstrap);
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << to_table(*report) << (bootstrap ? to_table(*bootstrap) : std::string());
  }
  const bool failed = report->inspection && report->inspection->status == SolveStatus::kFailed;
  return failed ? kExitAuditFailed : 0;
}

}  // namespace

void register_design(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<DesignArgs>();
  CLI::App* cmd = app.add_subcommand(
      "design",
      "Design the revenue-optimal inspection mechanism and compare it with the classic "
      "auctions (Myerson, second price with and without reserve, posted price)");
  auto* values = cmd->add_option("--values", args->values, kSpecHelp)->capture_default_str();
  auto* count = cmd->add_option("--bidders", args->bidders, "number of i.i.d. bidders, 1..50")
                    ->transform(whole_number(1, 50))
                    ->capture_default_str();
  cmd->add_option("--bidder", args->bidder_classes,
                  "one bidder (class) with its own value distribution: SPEC, or K*SPEC for K "
                  "identical bidders; repeat for each (at most 50 bidders in all; see "
                  "docs/asymmetric.md)")
      ->allow_extra_args(false);
  cmd->add_option("--by", args->by,
                  "with --values 'empirical(FILE, column=...)': one bidder per value of this "
                  "column (a header name or 1-based index), each with the values of its own rows, "
                  "designed for independent bidders (docs/asymmetric.md)");
  cmd->add_option("--bootstrap", args->bootstrap,
                  "with --values 'empirical(...)': B resamples of the rows (with --by, within each "
                  "class), each redesigned: 95% intervals for the revenue and the gain over "
                  "Myerson, and the revenue of a half-data design, raw and smoothed, on the other "
                  "half (docs/bootstrap.md)")
      ->check(CLI::Range(10, 10000));
  cmd->add_option("--seed", args->seed, "random seed of --bootstrap (same seed, same result)")
      ->capture_default_str();
  cmd->add_option("--grid", args->grid,
                  "equal-mass quantile cells for a continuous distribution (overrides the "
                  "default: one bidder, the (ODE) checked on tail-refined grids of 2^15 and 2^17 "
                  "cells, refined to 2^19 when needed; the answer is then grid_limited)")
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
  cmd->add_flag("--quiet", args->quiet, "no status line on stderr");
  cmd->callback([args, values, count, &exit_code] {
    args->symmetric_given = values->count() > 0 || count->count() > 0;
    exit_code = run_design(*args);
  });
}

}  // namespace dia::cli
