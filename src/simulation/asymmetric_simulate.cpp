// `dia simulate --bidder ...` from request to JSON (see asymmetric_simulation.hpp): the options'
// checks, the design and its rule, the run with the per-bidder audit, and the JSON.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "dia/asymmetric_simulation.hpp"
#include "dia/version.hpp"
#include "simulation/simulate_fields.hpp"

namespace dia {
namespace {

using json = nlohmann::ordered_json;

}  // namespace

Expected<AsymmetricMechanism> asymmetric_mechanism(const AsymmetricDesign& design) {
  if (!design.ex_post_rule) {
    return fail(ErrorCode::kInvalidArgument, "the design has no ex post rule to simulate");
  }
  AsymmetricMechanism m;
  std::size_t bidder = 0;
  for (const auto& c : design.classes) {
    for (int k = 0; k < c.count; ++k, ++bidder) {
      m.bidders.push_back(c.types);
      m.reduced.push_back(design.solution.mechanism[bidder]);
      m.labels.push_back(c.values);
    }
  }
  m.rule = design.ex_post_rule;
  return m;
}

Expected<AsymmetricSimulatePlan> plan_asymmetric_simulation(const SimulateRequest& request) {
  auto classes = parse_bidder_classes(request.bidder_classes);
  if (!classes) return tl::unexpected(classes.error());
  if (request.mechanism != "inspection") {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("--mechanism {} is not available with --bidder", request.mechanism),
                "dia simulates the optimal inspection mechanism for asymmetric bidders");
  }
  if (request.noise != "none" || request.tolerance != 0 || request.epsilon) {
    return fail(ErrorCode::kInvalidArgument,
                "--inspection-noise, --tolerance and --epsilon are not available with --bidder",
                "simulate noisy inspection with --values SPEC --bidders N");
  }
  if (auto ok = detail::check_run_options(request); !ok) return tl::unexpected(ok.error());
  DesignOptions options;
  if (request.grid) options.grid = request.grid;
  AsymmetricDesign design = design_asymmetric(*classes, options);
  if (design.status == SolveStatus::kFailed) {
    std::string why;
    for (const auto& note : design.notes) why += (why.empty() ? "" : "; ") + note;
    return fail(ErrorCode::kAuditFailed, "the asymmetric design failed: " + why,
                "see dia design --bidder ... for the audit");
  }
  auto mechanism = asymmetric_mechanism(design);
  if (!mechanism) return tl::unexpected(mechanism.error());
  mechanism->reward_scale = request.reward_scale;
  auto simulator = AsymmetricSimulator::create(std::move(*mechanism));
  if (!simulator) return tl::unexpected(simulator.error());
  return AsymmetricSimulatePlan{request, std::move(design), std::move(*simulator)};
}

AsymmetricSimulateOutcome run_asymmetric_simulation(const AsymmetricSimulatePlan& plan,
                                                    const ProgressFn& progress,
                                                    const PhaseFn& phase) {
  const SimulateRequest& request = plan.request;
  AsymmetricSimulateOutcome out;
  out.result = plan.simulator.run(static_cast<std::uint64_t>(request.auctions), request.seed,
                                  request.threads, progress);
  if (request.audit) {
    if (phase) phase("strategic audit");
    out.audits = plan.simulator.audit(
        {request.audit_grid, static_cast<std::uint64_t>(request.audit_samples), request.seed, 11});
  }
  return out;
}

std::vector<std::string> asymmetric_simulate_notes(const AsymmetricSimulatePlan& plan) {
  std::vector<std::string> notes = plan.design.notes;
  const double grid = plan.design.solution.revenue;  // the finest grid's, which the auctions play
  if (std::fabs(plan.design.revenue - grid) > 1e-12 * std::max(1.0, std::fabs(grid))) {
    notes.push_back(fmt::format(
        "the auctions play the design's type spaces ({} types in all: atoms, or quantile cells "
        "valued at their conditional means), so revenue.expected is that grid's revenue; "
        "revenue.design is the design's reported (extrapolated) revenue",
        plan.design.types));
  }
  if (plan.request.reward_scale != 1) {
    notes.push_back(fmt::format(
        "rewards scaled by {} (a deliberately broken, not incentive compatible mechanism)",
        plan.request.reward_scale));
  }
  return notes;
}

nlohmann::ordered_json asymmetric_simulate_json(const AsymmetricSimulatePlan& plan,
                                                const AsymmetricSimulateOutcome& outcome) {
  const AsymmetricSimulator& sim = plan.simulator;
  const AsymmetricMonteCarloResult& r = outcome.result;
  const SamplingInfo sampling{"alias table over each bidder's design types", 0, 0.0};
  json out = detail::monte_carlo_fields(r.total, sim.expected_revenue(), sim.expected_revenue(),
                                        "inspection", sampling, bidder_classes_text(plan.design),
                                        static_cast<int>(sim.bidders()));
  out["revenue"]["design"] = plan.design.revenue;
  const PriorityRankings& rule = sim.rule();
  out["ex_post_rule"] = {{"form", "priority_rankings"},
                         {"rankings", rule.rankings()},
                         {"pairs", rule.pairs()},
                         {"lower_bidder_wins", rule.lower_bidder_wins()},
                         {"lower_bidder_wins_simulated", r.lower_bidder_wins}};
  json per_bidder = json::array();
  std::size_t bidder = 0;
  for (std::size_t c = 0; c < plan.design.classes.size(); ++c) {
    for (int k = 0; k < plan.design.classes[c].count; ++k, ++bidder) {
      const BidderMonteCarlo& b = r.bidders[bidder];
      json entry = {
          {"bidder", bidder},
          {"class", c},
          {"values", plan.design.classes[c].values},
          {"revenue",
           {{"mean", b.revenue_mean},
            {"stderr", b.revenue_stderr},
            {"expected", b.revenue_expected},
            {"z_score", b.revenue_stderr > 0
                            ? json((b.revenue_mean - b.revenue_expected) / b.revenue_stderr)
                            : json(nullptr)}}},
          {"sale_rate", b.sale_rate},
          {"sale_probability", b.sale_probability},
          {"reward_mean", b.reward_mean}};
      if (!outcome.audits.empty()) {
        entry["audit"] = detail::strategic_audit_json(outcome.audits[bidder]);
      }
      per_bidder.push_back(std::move(entry));
    }
  }
  if (!outcome.audits.empty()) {
    // The symmetric keys for the worst bidder; incentive compatible only if every bidder is.
    const auto worst = std::max_element(
        outcome.audits.begin(), outcome.audits.end(),
        [](const auto& a, const auto& b) { return a.max_deviation_gain < b.max_deviation_gain; });
    out["max_deviation_gain"] = worst->max_deviation_gain;
    out["max_deviation_value"] = worst->max_deviation_value;
    out["max_deviation_bid"] = worst->max_deviation_bid;
    json audit = detail::strategic_audit_json(*worst);
    audit["bidder"] = worst - outcome.audits.begin();
    audit["incentive_compatible"] =
        std::all_of(outcome.audits.begin(), outcome.audits.end(),
                    [](const StrategicAudit& a) { return a.incentive_compatible; });
    out["audit"] = audit;
  }
  out["per_bidder"] = per_bidder;
  out["notes"] = asymmetric_simulate_notes(plan);
  out["dia_version"] = kVersion;
  return out;
}

}  // namespace dia
