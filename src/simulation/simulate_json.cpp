// `dia simulate` from request to JSON: the options' validation (with the CLI's messages), the run
// with the strategic audit and noisy inspection, and the full JSON, one definition for the CLI and
// Python (see simulation.hpp).
#include <fmt/format.h>

#include "dia/simulation.hpp"
#include "dia/version.hpp"
#include "simulation/simulate_fields.hpp"
#include "simulation/tolerance_search.hpp"

namespace dia {
namespace {

using json = nlohmann::ordered_json;

json noisy_json(const NoisyPoint& p) {
  return {{"noise_scale", p.noise_scale},
          {"tolerance", p.tolerance},
          {"revenue", p.revenue},
          {"max_deviation_gain", p.max_deviation_gain},
          {"denied_rate", p.denied_rate}};
}

json optional_json(const std::optional<double>& x) { return x ? json(*x) : json(nullptr); }

}  // namespace

nlohmann::ordered_json detail::noise_json(const InspectionNoise& noise, double tolerance,
                                          double denied_rate, const NoisyPoint& here,
                                          const std::vector<NoisyPoint>& sweep,
                                          const std::optional<ToleranceSearch>& search) {
  json n = {{"spec", noise.spec()},
            {"tolerance", tolerance},
            {"denied_rate", denied_rate},
            {"denied_rate_expected", here.denied_rate},
            {"max_deviation_gain", here.max_deviation_gain},
            {"sweep", json::array()}};
  for (const NoisyPoint& p : sweep) n["sweep"].push_back(noisy_json(p));
  if (search) {
    n["tolerance_search"] = {
        {"epsilon", search->epsilon},
        {"found", search->found},
        {"best", search->found ? noisy_json(search->best) : json(nullptr)},
        {"revenue_loss", search->found ? json(search->revenue_loss) : json(nullptr)},
        {"scanned", json::array()}};
    for (const NoisyPoint& p : search->scanned) {
      n["tolerance_search"]["scanned"].push_back(noisy_json(p));
    }
  }
  return n;
}

Expected<void> detail::check_run_options(const SimulateRequest& request) {
  if (request.auctions < 1) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("--auctions must be at least 1, got {}", request.auctions));
  }
  if (request.auctions > kMaxAuctions) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("--auctions must be at most 1e12, got {}", request.auctions),
                "split a longer run into runs with different seeds");
  }
  if (request.audit_grid < 2) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("--audit-grid must be at least 2, got {}", request.audit_grid));
  }
  if (request.audit_samples < 0) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("--audit-samples must be at least 0, got {}", request.audit_samples));
  }
  return {};
}

nlohmann::ordered_json detail::strategic_audit_json(const StrategicAudit& audit) {
  json rows = json::array();
  for (const DeviationRow& row : audit.rows) {
    rows.push_back({{"value", row.value},
                    {"best_bid", row.best_bid},
                    {"truthful_utility", row.truthful_utility},
                    {"gain", row.gain},
                    {"simulated_gain", optional_json(row.simulated_gain)},
                    {"simulated_stderr", optional_json(row.simulated_stderr)}});
  }
  return {{"values", audit.values},
          {"bids", audit.bids},
          {"incentive_compatible", audit.incentive_compatible},
          {"max_deviation_gain", audit.max_deviation_gain},
          {"value", audit.max_deviation_value},
          {"bid", audit.max_deviation_bid},
          {"simulated_gain", optional_json(audit.simulated_gain)},
          {"simulated_stderr", optional_json(audit.simulated_stderr)},
          {"simulated_samples", audit.simulated_samples},
          {"rows", rows}};
}

Expected<void> detail::check_noise_options(const SimulateRequest& request,
                                           SimulatedMechanism mechanism,
                                           const InspectionNoise& noise) {
  if (request.grid && mechanism != SimulatedMechanism::kInspection) {
    return fail(ErrorCode::kInvalidArgument,
                "--grid applies to --mechanism inspection only (the design's quantile cells)");
  }
  if (request.tolerance > 0 && noise.kind == InspectionNoise::Kind::kNone) {
    return fail(ErrorCode::kInvalidArgument, "--tolerance needs --inspection-noise",
                "e.g. --inspection-noise normal(0.01)");
  }
  if (request.epsilon && (!(*request.epsilon >= 0) || !(noise.scale > 0))) {
    return fail(ErrorCode::kInvalidArgument,
                "--epsilon needs --inspection-noise with a positive scale and a value >= 0");
  }
  return {};
}

Expected<SimulatePlan> plan_simulation(const SimulateRequest& request) {
  auto distribution = parse_distribution(request.values);
  if (!distribution) return tl::unexpected(distribution.error());
  SimulationConfig config;
  auto mechanism = parse_simulated_mechanism(request.mechanism);
  if (!mechanism) return tl::unexpected(mechanism.error());
  config.mechanism = *mechanism;
  config.bidders = request.bidders;
  auto noise = parse_inspection_noise(request.noise);
  if (!noise) return tl::unexpected(noise.error());
  config.noise = *noise;
  config.tolerance = request.tolerance;
  config.reward_scale = request.reward_scale;
  if (request.grid) config.design.grid = request.grid;
  if (auto ok = detail::check_run_options(request); !ok) return tl::unexpected(ok.error());
  if (auto ok = detail::check_noise_options(request, config.mechanism, config.noise); !ok) {
    return tl::unexpected(ok.error());
  }
  auto simulator = Simulator::create(*distribution, config);
  if (!simulator) return tl::unexpected(simulator.error());
  return SimulatePlan{request, std::move(*distribution), std::move(*simulator)};
}

SimulateOutcome run_simulation(const SimulatePlan& plan, const ProgressFn& progress,
                               const PhaseFn& phase) {
  auto starting = [&](const char* name) {
    if (phase) phase(name);
  };
  const SimulateRequest& request = plan.request;
  const Simulator& sim = plan.simulator;
  const SimulationConfig& config = sim.config();
  SimulateOutcome out;
  out.result = sim.run(static_cast<std::uint64_t>(request.auctions), request.seed, request.threads,
                       progress);
  if (request.audit) {
    starting("strategic audit");
    out.audit = sim.audit(
        {request.audit_grid, static_cast<std::uint64_t>(request.audit_samples), request.seed, 11});
  }
  if (config.noise.kind != InspectionNoise::Kind::kNone) {
    detail::run_noisy_inspection(sim, config.noise.scale, config.tolerance, request, out, starting);
  }
  return out;
}

nlohmann::ordered_json simulate_json(const SimulatePlan& plan, const SimulateOutcome& outcome) {
  json out = monte_carlo_json(plan.simulator, outcome.result, plan.distribution->spec(),
                              plan.request.bidders);
  if (outcome.noisy) {
    const SimulationConfig& config = plan.simulator.config();
    out["noise"] = detail::noise_json(config.noise, config.tolerance, outcome.result.denied_rate,
                                      *outcome.noisy, outcome.sweep, outcome.search);
  }
  if (const auto& audit = outcome.audit) {
    out["max_deviation_gain"] = audit->max_deviation_gain;
    out["max_deviation_value"] = audit->max_deviation_value;
    out["max_deviation_bid"] = audit->max_deviation_bid;
    out["audit"] = detail::strategic_audit_json(*audit);
  }
  out["notes"] = plan.simulator.notes();
  out["dia_version"] = kVersion;
  return out;
}

}  // namespace dia
