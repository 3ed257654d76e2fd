// Pieces of `dia simulate` shared by the symmetric and the asymmetric simulations (internal):
// the checks of the run's options and the JSON of a Monte Carlo run and of a strategic audit.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "dia/simulation.hpp"

namespace dia::detail {

// --auctions in 1..1e12, --audit-grid >= 2, --audit-samples >= 0, with the CLI's messages.
Expected<void> check_run_options(const SimulateRequest& request);

// --grid with inspection only, --tolerance and --epsilon with noise, with the CLI's messages.
Expected<void> check_noise_options(const SimulateRequest& request, SimulatedMechanism mechanism,
                                   const InspectionNoise& noise);

// The keys of monte_carlo_json from their values.
nlohmann::ordered_json monte_carlo_fields(const MonteCarloResult& result, double expected,
                                          double designed, const std::string& mechanism,
                                          const SamplingInfo& sampling, const std::string& values,
                                          int bidders);

// The `noise` object of a run with noisy inspection: spec, tolerance, denied_rate (simulated),
// denied_rate_expected, max_deviation_gain, sweep and with --epsilon tolerance_search.
nlohmann::ordered_json noise_json(const InspectionNoise& noise, double tolerance,
                                  double denied_rate, const NoisyPoint& here,
                                  const std::vector<NoisyPoint>& sweep,
                                  const std::optional<ToleranceSearch>& search);

// One strategic audit: values, bids, incentive_compatible, max_deviation_gain, value, bid,
// simulated_gain, simulated_stderr, simulated_samples, rows.
nlohmann::ordered_json strategic_audit_json(const StrategicAudit& audit);

}  // namespace dia::detail
