// `dia simulate --bidder SPEC [--bidder ...]`: asymmetric bidders, each drawn from its own
// distribution, the lottery over priority rankings drawn per auction (docs/asymmetric.md
// section 8): revenue against the design, per bidder, and the strategic audit per bidder.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <optional>

#include "commands.hpp"
#include "dia/asymmetric_simulation.hpp"
#include "simulate_table.hpp"
#include "status_line.hpp"

namespace dia::cli {
namespace {

std::string audit_text(const std::vector<StrategicAudit>& audits,
                       const AsymmetricMechanism& mechanism) {
  std::string t = "\nstrategic audit per bidder (every value and every other type as a lie):\n";
  t += fmt::format("  {:>6}  {:<28} {:>14} {:>12} {:>12}  {}\n", "bidder", "values", "max gain",
                   "at value", "best lie", "verdict");
  std::size_t worst = 0;
  for (std::size_t i = 0; i < audits.size(); ++i) {
    const StrategicAudit& a = audits[i];
    t += fmt::format(
        "  {:>6}  {:<28} {:>14.3g} {:>12.6g} {:>12.6g}  {}\n", i + 1, mechanism.labels[i],
        a.max_deviation_gain, a.max_deviation_value, a.max_deviation_bid,
        a.incentive_compatible ? "truthful is a best response" : "NOT incentive compatible");
    if (a.max_deviation_gain > audits[worst].max_deviation_gain) worst = i;
  }
  t += fmt::format("  bidder {}, the largest gain:\n  {:>12} {:>12} {:>14} {:>12} {:>22}\n",
                   worst + 1, "value", "best lie", "truthful U", "exact gain",
                   "simulated gain +- se");
  for (const DeviationRow& row : audits[worst].rows) {
    t += fmt::format("  {:>12.6g} {:>12.6g} {:>14.6g} {:>12.3g}", row.value, row.best_bid,
                     row.truthful_utility, row.gain);
    if (row.simulated_gain) {
      t += fmt::format(" {:>12.3g} +- {:.2g}", *row.simulated_gain, *row.simulated_stderr);
    }
    t += "\n";
  }
  return t;
}

std::string table(const AsymmetricSimulatePlan& plan, const AsymmetricSimulateOutcome& outcome) {
  const AsymmetricSimulator& sim = plan.simulator;
  const MonteCarloResult& r = outcome.result.total;
  const double expected = sim.expected_revenue();
  std::string t =
      fmt::format("dia simulate: {} with {} bidder{}, {}\n", to_string(sim.mechanism().kind),
                  sim.bidders(), sim.bidders() == 1 ? "" : "s", bidder_classes_text(plan.classes));
  t += fmt::format("  {:<26}{}\n", "auctions", r.auctions);
  t += seed_line(r);
  t += revenue_lines(r, expected);
  if (plan.design) {
    t += fmt::format("  {:<26}{:.6f}\n", "design revenue", plan.design->revenue);
    t += fmt::format("  {:<26}{:.6f}\n", "mean reward paid", r.reward_mean);
  } else {
    t += fmt::format("  {:<26}{:.6f}  (asymmetric_classic_revenues, as dia design reports it)\n",
                     "baseline revenue", sim.designed_revenue());
  }
  t += fmt::format("  {:<26}{:.6f}\n", "sale rate", r.sale_rate);
  if (sim.inspection()) {
    const PriorityRankings& rule = sim.rule();
    t += fmt::format("  {:<26}{} priority rankings of {} (bidder, type) pairs\n", "ex post rule",
                     rule.rankings(), rule.pairs());
    t += fmt::format("  {:<26}{:.6f} (simulated), {:.6f} (exact)\n", "a lower bidder wins",
                     outcome.result.lower_bidder_wins, rule.lower_bidder_wins());
  } else {
    t += fmt::format("  {:<26}{:.6f} (simulated)\n", "a lower bidder wins",
                     outcome.result.lower_bidder_wins);
  }
  t += fmt::format("  {:<26}{:.3f} s, {:.4g} auctions/s\n", "wall time of the auctions", r.seconds,
                   r.auctions_per_second);
  t += fmt::format("\n  {:>6}  {:<28} {:>12} {:>10} {:>12} {:>7} {:>10} {:>10}\n", "bidder",
                   "values", "revenue", "+- se", "expected", "z", "sale rate", "expected");
  for (std::size_t i = 0; i < sim.bidders(); ++i) {
    const BidderMonteCarlo& b = outcome.result.bidders[i];
    const std::string z =
        b.revenue_stderr > 0
            ? fmt::format("{:+.2f}", (b.revenue_mean - b.revenue_expected) / b.revenue_stderr)
            : std::string("-");
    t += fmt::format("  {:>6}  {:<28} {:>12.6f} {:>10.6f} {:>12.6f} {:>7} {:>10.6f} {:>10.6f}\n",
                     i + 1, sim.mechanism().labels[i], b.revenue_mean, b.revenue_stderr,
                     b.revenue_expected, z, b.sale_rate, b.sale_probability);
  }
  if (outcome.noisy) {
    const AsymmetricMechanism& m = sim.mechanism();
    t += noisy_text(m.noise, m.tolerance, sim.designed_revenue(), r.denied_rate, *outcome.noisy,
                    outcome.sweep, outcome.search);
  }
  if (!outcome.audits.empty()) t += audit_text(outcome.audits, sim.mechanism());
  for (const std::string& note : asymmetric_simulate_notes(plan)) t += "note: " + note + "\n";
  return t;
}

}  // namespace

int run_asymmetric_simulate(const SimulateRequest& request, bool json, bool quiet) {
  StatusLine status(quiet);
  status.phase(request.mechanism == "inspection" ? "designing the mechanism" : "preparing");
  auto plan = plan_asymmetric_simulation(request);
  if (!plan) throw UserError{plan.error()};
  const AsymmetricSimulateOutcome outcome = run_asymmetric_simulation(
      *plan, [&](double f, std::uint64_t done) { status.progress(f, done); },
      [&](const char* phase) { status.phase(phase); });
  status.clear();  // before the output
  std::cout << (json ? asymmetric_simulate_json(*plan, outcome).dump(2) + "\n"
                     : table(*plan, outcome));
  // A strategic audit that finds a profitable lie for some bidder fails like any audit (exit 3).
  const bool lie_pays =
      std::any_of(outcome.audits.begin(), outcome.audits.end(),
                  [](const StrategicAudit& a) { return !a.incentive_compatible; });
  return lie_pays ? kExitAuditFailed : 0;
}

}  // namespace dia::cli
