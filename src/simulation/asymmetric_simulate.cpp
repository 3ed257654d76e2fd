// `dia simulate --bidder ...` from request to JSON (see asymmetric_simulation.hpp): the options'
// checks, the design and its rule (inspection) or the classic rule, the run with the per-bidder
// audit and noisy inspection, and the JSON.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "dia/asymmetric_simulation.hpp"
#include "dia/version.hpp"
#include "simulation/simulate_fields.hpp"
#include "simulation/tolerance_search.hpp"

namespace dia {
namespace {

using json = nlohmann::ordered_json;

// The classic mechanism's bidders: each class's baseline types (atoms, or kClassicCells cells).
AsymmetricMechanism classic_mechanism(const std::vector<BidderClass>& classes,
                                      SimulatedMechanism kind) {
  AsymmetricMechanism m;
  m.kind = kind;
  m.bidders = classic_types(classes);
  for (const auto& c : classes) {
    for (int k = 0; k < c.count; ++k) m.labels.push_back(c.values);
  }
  return m;
}

json ex_post_rule_json(const AsymmetricSimulator& sim, const AsymmetricMonteCarloResult& r) {
  if (!sim.inspection()) {
    const bool myerson = sim.mechanism().kind == SimulatedMechanism::kMyerson;
    json reserves = json::array();
    for (double x : sim.reserves()) reserves.push_back(std::isfinite(x) ? json(x) : json(nullptr));
    return {{"form", myerson ? "highest_ironed_virtual_value" : "second_price"},
            {"reserves", reserves},
            {"lower_bidder_wins_simulated", r.lower_bidder_wins}};
  }
  const PriorityRankings& rule = sim.rule();
  return {{"form", "priority_rankings"},
          {"rankings", rule.rankings()},
          {"pairs", rule.pairs()},
          {"lower_bidder_wins", rule.lower_bidder_wins()},
          {"lower_bidder_wins_simulated", r.lower_bidder_wins}};
}

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
  // The simulation draws each bidder's type from its grid at the cells' masses, so the rule it
  // runs is built on those masses (AsymmetricSimulator::create), not the served rule on the
  // step masses a continuous value plays at (dia/step_masses.hpp).
  return m;
}

Expected<AsymmetricSimulatePlan> plan_asymmetric_simulation(const SimulateRequest& request) {
  auto classes = parse_bidder_classes(request.bidder_classes);
  if (!classes) return tl::unexpected(classes.error());
  auto kind = parse_simulated_mechanism(request.mechanism);
  if (!kind) return tl::unexpected(kind.error());
  auto noise = parse_inspection_noise(request.noise);
  if (!noise) return tl::unexpected(noise.error());
  if (auto ok = detail::check_run_options(request); !ok) return tl::unexpected(ok.error());
  if (auto ok = detail::check_noise_options(request, *kind, *noise); !ok) {
    return tl::unexpected(ok.error());
  }
  std::optional<AsymmetricDesign> design;
  AsymmetricMechanism mechanism;
  if (*kind == SimulatedMechanism::kInspection) {
    DesignOptions options;
    if (request.grid) options.grid = request.grid;
    design = design_asymmetric(*classes, options);
    if (design->status == SolveStatus::kFailed) {
      std::string why;
      for (const auto& note : design->notes) why += (why.empty() ? "" : "; ") + note;
      return fail(ErrorCode::kAuditFailed, "the asymmetric design failed: " + why,
                  "see dia design --bidder ... for the audit");
    }
    auto designed = asymmetric_mechanism(*design);
    if (!designed) return tl::unexpected(designed.error());
    mechanism = std::move(*designed);
  } else {
    mechanism = classic_mechanism(*classes, *kind);
  }
  mechanism.reward_scale = request.reward_scale;
  mechanism.noise = *noise;
  mechanism.tolerance = request.tolerance;
  auto simulator = AsymmetricSimulator::create(std::move(mechanism));
  if (!simulator) return tl::unexpected(simulator.error());
  return AsymmetricSimulatePlan{request, std::move(*classes), std::move(design),
                                std::move(*simulator)};
}

AsymmetricSimulateOutcome run_asymmetric_simulation(const AsymmetricSimulatePlan& plan,
                                                    const ProgressFn& progress,
                                                    const PhaseFn& phase) {
  auto starting = [&](const char* name) {
    if (phase) phase(name);
  };
  const SimulateRequest& request = plan.request;
  const AsymmetricSimulator& sim = plan.simulator;
  AsymmetricSimulateOutcome out;
  out.result = sim.run(static_cast<std::uint64_t>(request.auctions), request.seed, request.threads,
                       progress);
  if (request.audit) {
    starting("strategic audit");
    out.audits = sim.audit(
        {request.audit_grid, static_cast<std::uint64_t>(request.audit_samples), request.seed, 11});
  }
  const AsymmetricMechanism& m = sim.mechanism();
  if (m.noise.active()) {
    detail::run_noisy_inspection(sim, m.noise.scale, m.tolerance, request, out, starting);
  }
  return out;
}

std::vector<std::string> asymmetric_simulate_notes(const AsymmetricSimulatePlan& plan) {
  std::vector<std::string> notes;
  const bool continuous = std::any_of(plan.classes.begin(), plan.classes.end(),
                                      [](const auto& c) { return !c.distribution->is_discrete(); });
  if (!plan.design) {
    if (continuous) {
      notes.push_back(fmt::format(
          "the classic mechanism plays each continuous bidder on {} equal-mass quantile cells "
          "(each valued at its conditional mean), the grid of dia design's baselines, so "
          "revenue.expected is that grid's revenue",
          kClassicCells));
    }
    return notes;
  }
  notes = plan.design->notes;
  const double grid = plan.design->solution.revenue;  // the finest grid's, which the auctions play
  if (std::fabs(plan.design->revenue - grid) > 1e-12 * std::max(1.0, std::fabs(grid))) {
    notes.push_back(fmt::format(
        "the auctions play the design's type spaces ({} types in all: atoms, or quantile cells "
        "valued at their conditional means), so revenue.expected is that grid's revenue; "
        "revenue.design is the design's reported (extrapolated) revenue",
        plan.design->types));
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
  const SamplingInfo sampling{
      sim.inspection() ? "alias table over each bidder's design types"
                       : "alias table over each bidder's atoms or baseline quantile cells",
      0, 0.0};
  json out = detail::monte_carlo_fields(
      r.total, sim.expected_revenue(), sim.designed_revenue(), to_string(sim.mechanism().kind),
      sampling, bidder_classes_text(plan.classes), static_cast<int>(sim.bidders()));
  out["revenue"]["design"] = plan.design ? plan.design->revenue : sim.designed_revenue();
  out["ex_post_rule"] = ex_post_rule_json(sim, r);
  if (outcome.noisy) {
    const AsymmetricMechanism& m = sim.mechanism();
    out["noise"] = detail::noise_json(m.noise, m.tolerance, r.total.denied_rate, *outcome.noisy,
                                      outcome.sweep, outcome.search);
  }
  json per_bidder = json::array();
  std::size_t bidder = 0;
  for (std::size_t c = 0; c < plan.classes.size(); ++c) {
    for (int k = 0; k < plan.classes[c].count; ++k, ++bidder) {
      const BidderMonteCarlo& b = r.bidders[bidder];
      json entry = {
          {"bidder", bidder},
          {"class", c},
          {"values", plan.classes[c].values},
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
