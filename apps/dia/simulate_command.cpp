// `dia simulate`: Monte Carlo auctions at scale, the strategic audit and noisy inspection.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <optional>
#include <string>

#include "commands.hpp"
#include "dia/simulation.hpp"
#include "simulate_table.hpp"
#include "status_line.hpp"
#include "whole_number.hpp"

namespace dia::cli {
namespace {

// The options of `dia simulate` (validated by dia::plan_simulation) and the output format.
struct SimulateArgs : SimulateRequest {
  std::string format = "table";
  bool quiet = false;
};

template <class T>
T or_user_error(Expected<T> result) {
  if (!result) throw UserError{result.error()};
  return std::move(*result);
}

int run_simulate(const SimulateArgs& args) {
  const auto start = std::chrono::steady_clock::now();
  const bool table = args.format == "table";
  StatusLine status(args.quiet);
  status.phase(args.mechanism == "inspection" ? "designing the mechanism" : "preparing");
  const SimulatePlan plan = or_user_error(plan_simulation(args));
  const Simulator& sim = plan.simulator;
  const SimulationConfig& config = sim.config();
  const DistributionPtr& d = plan.distribution;
  status.phase("simulating");
  const SimulateOutcome outcome = run_simulation(
      plan, [&](double f, std::uint64_t done) { status.progress(f, done); },
      [&](const char* phase) { status.phase(phase); });
  status.clear();  // before the result
  const double total =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const MonteCarloResult& r = outcome.result;
  const std::optional<StrategicAudit>& audit = outcome.audit;
  const std::optional<NoisyPoint>& here = outcome.noisy;
  const std::vector<NoisyPoint>& sweep = outcome.sweep;
  const std::optional<ToleranceSearch>& search = outcome.search;
  const bool noisy = here.has_value();
  // A strategic audit that finds a profitable lie fails like any audit (exit 3).
  const int exit = outcome.audit && !outcome.audit->incentive_compatible ? kExitAuditFailed : 0;
  if (!table) {
    std::cout << simulate_json(plan, outcome).dump(2) << "\n";
    return exit;
  }
  std::string t;
  t += fmt::format("dia simulate: {} with {} bidder{}, values {}\n", to_string(config.mechanism),
                   args.bidders, args.bidders == 1 ? "" : "s", d->spec());
  t += fmt::format("  {:<26}{}\n", "auctions", r.auctions);
  t += seed_line(r);
  t += revenue_lines(r, sim.expected_revenue());
  t += fmt::format("  {:<26}{:.6f}\n", "mean reward paid", r.reward_mean);
  t += fmt::format("  {:<26}{:.6f}\n", "sale rate", r.sale_rate);
  t += fmt::format("  {:<26}{:.3f} s, {:.4g} auctions/s (the whole command: {:.3f} s)\n",
                   "wall time of the auctions", r.seconds, r.auctions_per_second, total);
  t += fmt::format("  {:<26}{}", "sampling", sim.sampling().method);
  if (sim.sampling().table_cells) {
    t += fmt::format(" ({} cells, max error {:.2g})", sim.sampling().table_cells,
                     sim.sampling().max_quantile_error);
  }
  t += "\n";
  if (noisy) {
    t += noisy_text(config.noise, config.tolerance, sim.designed_revenue(), r.denied_rate, *here,
                    sweep, search);
  }
  if (audit) {
    t += fmt::format(
        "\nstrategic audit ({} values, {} bids): max deviation gain {:.3g} at value "
        "{:.6g}, bid {:.6g}\n  verdict: {}\n",
        audit->values, audit->bids, audit->max_deviation_gain, audit->max_deviation_value,
        audit->max_deviation_bid,
        audit->incentive_compatible
            ? "truthful bidding is a best response (no lie gains beyond rounding)"
            : "NOT incentive compatible: the lie above gains");
    t += fmt::format("  {:>12} {:>12} {:>14} {:>12} {:>22}\n", "value", "best lie", "truthful U",
                     "exact gain", "simulated gain +- se");
    for (const DeviationRow& row : audit->rows) {
      t += fmt::format("  {:>12.6g} {:>12.6g} {:>14.6g} {:>12.3g}", row.value, row.best_bid,
                       row.truthful_utility, row.gain);
      if (row.simulated_gain) {
        t += fmt::format(" {:>12.3g} +- {:.2g}", *row.simulated_gain, *row.simulated_stderr);
      }
      t += "\n";
    }
  }
  for (const std::string& n : sim.notes()) t += "note: " + n + "\n";
  std::cout << t;
  return exit;
}

}  // namespace

std::string noisy_text(const InspectionNoise& noise, double tolerance, double designed_revenue,
                       double denied_rate, const NoisyPoint& here,
                       const std::vector<NoisyPoint>& sweep,
                       const std::optional<ToleranceSearch>& search) {
  std::string out;
  out += fmt::format("\nnoisy inspection: {}, tolerance {}\n", noise.spec(), tolerance);
  out += fmt::format("  {:<26}{:.6f}\n", "noise-free design revenue", designed_revenue);
  out += fmt::format("  {:<26}{:.6f} (simulated), {:.6f} (exact)\n", "truthful winners denied",
                     denied_rate, here.denied_rate);
  out += fmt::format("  {:<26}{:.3g}\n", "best deviation gain", here.max_deviation_gain);
  out += fmt::format("  {:>12} {:>12} {:>14} {:>12}\n", "noise scale", "revenue", "max gain",
                     "denied");
  for (const NoisyPoint& p : sweep) {
    out += fmt::format("  {:>12.4g} {:>12.6f} {:>14.3g} {:>12.4f}\n", p.noise_scale, p.revenue,
                       p.max_deviation_gain, p.denied_rate);
  }
  if (search) {
    if (search->found) {
      out += fmt::format(
          "  tolerance search (gain <= {}): t = {:.6g}, revenue {:.6f}, gain {:.3g}, denied "
          "{:.4f}, revenue loss vs the noise-free design: {:.6f}\n",
          search->epsilon, search->best.tolerance, search->best.revenue,
          search->best.max_deviation_gain, search->best.denied_rate, search->revenue_loss);
    } else {
      out +=
          fmt::format("  tolerance search: no tolerance keeps the gain <= {}\n", search->epsilon);
    }
  }
  return out;
}

void register_simulate(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SimulateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "simulate",
      "Run the auctions: Monte Carlo revenue with a 95% CI, a strategic audit of every lie, "
      "and noisy inspection");
  auto* values =
      cmd->add_option("--values", args->values, "value distribution SPEC (see docs/spec.md)")
          ->capture_default_str();
  auto* count = cmd->add_option("--bidders", args->bidders, "number of i.i.d. bidders, 1..50")
                    ->transform(whole_number(1, 50))
                    ->capture_default_str();
  cmd->add_option("--bidder", args->bidder_classes,
                  "one bidder (class) with its own value distribution: SPEC, or K*SPEC for K "
                  "identical bidders; repeat for each (as dia design --bidder; see "
                  "docs/asymmetric.md)")
      ->allow_extra_args(false);
  cmd->add_option("--mechanism", args->mechanism,
                  "inspection | myerson | second-price | second-price-reserve | (with --bidder) "
                  "second-price-myerson-reserves")
      ->capture_default_str();
  cmd->add_option("--auctions", args->auctions, "auctions to run (K >= 1; 1e6 style allowed)")
      ->transform(whole_number(-9223372036854775807.0L, 9223372036854775807.0L))
      ->capture_default_str();
  cmd->add_option("--seed", args->seed, "random seed (same seed, same result)")
      ->transform(whole_number(0, 18446744073709551615.0L))
      ->capture_default_str();
  cmd->add_option("--threads", args->threads, "worker threads (0: all cores)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  cmd->add_option("--format", args->format, "output format")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  cmd->add_flag("--audit", args->audit,
                "strategic audit: exact interim utility of every bid on a grid, simulated gains "
                "(exit 3 when a lie gains: not incentive compatible)");
  cmd->add_flag("--quiet", args->quiet, "no status line on stderr");
  cmd->add_option("--audit-grid", args->audit_grid, "values (and bids) on the audit grid")
      ->check(CLI::Range(std::size_t{2}, std::size_t{100000}))
      ->capture_default_str();
  cmd->add_option("--audit-samples", args->audit_samples,
                  "paired auctions per simulated gain (0: none)")
      ->transform(whole_number(0, 1099511627776.0L))
      ->capture_default_str();
  cmd->add_option("--inspection-noise", args->noise,
                  "inspection observes value + noise: normal(sigma) | uniform(h)")
      ->capture_default_str();
  cmd->add_option("--tolerance", args->tolerance,
                  "with noise: the reward is paid when |bid - observed| <= tolerance")
      ->capture_default_str();
  cmd->add_option("--epsilon", args->epsilon,
                  "with noise: find the tolerance keeping the deviation gain <= epsilon at the "
                  "least revenue loss");
  cmd->add_option("--grid", args->grid,
                  "quantile cells of the inspection design for a continuous distribution")
      ->check(CLI::Range(std::size_t{2}, std::size_t{1} << 24));
  cmd->add_option("--reward-scale", args->reward_scale,
                  "scale every inspection reward by s in [0, 1]; s < 1 is a deliberately broken, "
                  "not incentive compatible mechanism, for the audit to flag")
      ->capture_default_str();
  cmd->callback([args, values, count, &exit_code] {
    if (args->bidder_classes.empty()) {
      exit_code = run_simulate(*args);
      return;
    }
    if (values->count() > 0 || count->count() > 0) {
      throw UserError{Error{ErrorCode::kInvalidArgument,
                            "--bidder cannot be combined with --values or --bidders",
                            "list every bidder with --bidder SPEC or K*SPEC"}};
    }
    exit_code = run_asymmetric_simulate(*args, args->format == "json", args->quiet);
  });
}

}  // namespace dia::cli
