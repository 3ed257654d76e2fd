// Monte Carlo auctions at scale, the strategic audit, and noisy inspection
// (docs/model.md#simulation): `dia simulate`. Public header of the dia_simulation target.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dia/design.hpp"
#include "dia/distribution.hpp"
#include "dia/error.hpp"

namespace dia {

// kSecondPriceMyersonReserves (second price, each bidder its own Myerson reserve) is for
// asymmetric bidders only (asymmetric_simulation.hpp).
enum class SimulatedMechanism {
  kInspection,
  kMyerson,
  kSecondPrice,
  kSecondPriceReserve,
  kSecondPriceMyersonReserves
};
Expected<SimulatedMechanism> parse_simulated_mechanism(std::string_view name);
std::string to_string(SimulatedMechanism mechanism);

// The inspection observes value + noise (docs/model.md#noisy).
struct InspectionNoise {
  enum class Kind { kNone, kNormal, kUniform } kind = Kind::kNone;
  double scale = 0;  // normal: sigma; uniform: h (noise uniform on [-h, h])

  // A noise model was given (scale 0 included): inspections then pay within --tolerance.
  bool active() const { return kind != Kind::kNone; }
  // P(lo <= noise <= hi), exactly.
  double probability_between(double lo, double hi) const;
  std::string spec() const;
};
// "normal(sigma)" or "uniform(h)", sigma, h >= 0; "none".
Expected<InspectionNoise> parse_inspection_noise(std::string_view text);

struct SimulationConfig {
  SimulatedMechanism mechanism = SimulatedMechanism::kSecondPrice;
  int bidders = 1;
  // Scales every inspection reward (1 = the design). A test knob: below 1 the mechanism is no
  // longer incentive compatible (truthful winners are underpaid), which the audit must flag.
  double reward_scale = 1.0;
  InspectionNoise noise;  // inspection only
  double tolerance = 0;   // reward paid when |bid - observed| <= tolerance (with noise)
  DesignOptions design;   // forwarded to design_mechanism (inspection only)
};

// How values are drawn, and the error of that sampler against the exact quantile function.
struct SamplingInfo {
  std::string method;  // "exact uniform", "exact exponential", "alias table", "quantile table"
  std::size_t table_cells = 0;
  double max_quantile_error = 0;  // measured at cell midpoints, in value units
};

struct MonteCarloResult {
  std::uint64_t auctions = 0;
  std::uint64_t seed = 0;
  int threads = 0;
  std::uint64_t blocks = 0;
  double revenue_mean = 0;    // net payment (deposit - reward) per auction
  double revenue_stderr = 0;  // standard error of revenue_mean
  double reward_mean = 0;     // rewards paid per auction
  double sale_rate = 0;       // share of auctions with a sale
  double denied_rate = 0;     // share of truthful winners denied their reward (noisy inspection)
  double seconds = 0;
  double auctions_per_second = 0;
};

// One row of the strategic audit: the value's best lie on the bid grid.
struct DeviationRow {
  double value = 0;
  double best_bid = 0;          // the best bid other than the value itself
  double truthful_utility = 0;  // interim, exact
  double gain = 0;              // exact interim utility of best_bid minus truthful utility
  std::optional<double> simulated_gain, simulated_stderr;
};

struct StrategicAudit {
  std::size_t values = 0, bids = 0;  // grid sizes
  double max_deviation_gain = 0;
  double max_deviation_value = 0;
  double max_deviation_bid = 0;
  // No lie gains more than 1e-9 of the expected revenue (at least 1e-9): truthful is a best
  // response up to rounding.
  bool incentive_compatible = false;
  std::optional<double> simulated_gain, simulated_stderr;  // at the maximum
  std::uint64_t simulated_samples = 0;                     // per simulated (value, bid) pair
  std::vector<DeviationRow> rows;                          // a few values, for people
};

struct AuditOptions {
  std::size_t grid = 201;          // values (and bids) on the grid
  std::uint64_t samples = 100000;  // paired auctions per simulated gain (0: none)
  std::uint64_t seed = 1;
  std::size_t rows = 11;
};

// Exact quantities of noisy inspection at one tolerance, for truthful bidders.
struct NoisyPoint {
  double noise_scale = 0;
  double tolerance = 0;
  double revenue = 0;             // expected revenue
  double max_deviation_gain = 0;  // on the audit grid
  double denied_rate = 0;         // P(|noise| > tolerance)
};

struct ToleranceSearch {
  double epsilon = 0;
  bool found = false;
  NoisyPoint best;                  // the feasible tolerance with the largest revenue
  double revenue_loss = 0;          // the noise-free design's revenue minus the revenue at best
  std::vector<NoisyPoint> scanned;  // every tolerance tried
};

using ProgressFn = std::function<void(double fraction, std::uint64_t done)>;
// Told the name of each phase after the auctions ("strategic audit", ...) as it starts.
using PhaseFn = std::function<void(const char* phase)>;

namespace detail {
class SimulationModel;
}

// A mechanism compiled for fast ex post play. Cheap to copy (shared, immutable).
class Simulator {
 public:
  // Fails (kInvalidArgument) on a bad configuration, or with design_mechanism's own error.
  static Expected<Simulator> create(DistributionPtr distribution, const SimulationConfig& config);

  // Expected revenue per auction with truthful bidders: the design's sum over types of
  // n p_k (v_k X_k - R_k) (inspection; with noise, rewards paid with probability
  // P(|noise| <= tolerance)), or the closed forms of classic_revenues.
  double expected_revenue() const;
  double designed_revenue() const;  // the same without noise
  const SamplingInfo& sampling() const;
  const SimulationConfig& config() const;
  std::vector<std::string> notes() const;

  // K auctions in fixed blocks of kBlockAuctions, each with its own PCG64 stream derived from
  // (seed, block index), reduced in block order: identical results for every thread count.
  MonteCarloResult run(std::uint64_t auctions, std::uint64_t seed, int threads,
                       const ProgressFn& progress = {}) const;

  StrategicAudit audit(const AuditOptions& options) const;

  // Inspection with noise: the exact point at this configuration's tolerance, a sweep of noise
  // scales, and the search for the tolerance keeping the deviation gain <= epsilon.
  NoisyPoint noisy_point(double noise_scale, double tolerance, std::size_t grid) const;
  ToleranceSearch search_tolerance(double epsilon, std::size_t grid) const;

  static constexpr std::uint64_t kBlockAuctions = std::uint64_t{1} << 16;

 private:
  explicit Simulator(std::shared_ptr<const detail::SimulationModel> model)
      : model_(std::move(model)) {}
  std::shared_ptr<const detail::SimulationModel> model_;
};

// The Monte Carlo part of `dia simulate --format json` (the contract keys revenue.mean,
// revenue.stderr, revenue.expected, reward.mean, sale_rate, auctions, seconds,
// auctions_per_second), shared by the CLI and the Python module.
nlohmann::ordered_json monte_carlo_json(const Simulator& simulator, const MonteCarloResult& result,
                                        const std::string& values, int bidders);

// The most auctions one run takes (hours at 10^8 per second).
inline constexpr std::int64_t kMaxAuctions = 1'000'000'000'000;

// What `dia simulate` was asked, option by option (the CLI's defaults). Python's dia.simulate fills
// the same request, so both validate, run and report through one definition.
struct SimulateRequest {
  std::string values = "uniform(0,1)";
  int bidders = 1;
  std::string mechanism = "inspection";
  std::int64_t auctions = 1000000;  // signed: "-5" must be rejected, not wrapped
  std::uint64_t seed = 1;
  int threads = 0;
  bool audit = false;                   // --audit: the strategic audit
  std::size_t audit_grid = 201;         // --audit-grid: values (and bids) on the audit grid
  std::int64_t audit_samples = 100000;  // --audit-samples: paired auctions per simulated gain
  std::string noise = "none";           // --inspection-noise normal(sigma) | uniform(h) | none
  double tolerance = 0;                 // --tolerance (with noise)
  std::optional<double> epsilon;        // --epsilon: the tolerance search (with noise)
  std::size_t grid = 0;                 // --grid (0: the design's default)
  double reward_scale = 1.0;            // the hidden test knob --reward-scale
  // --bidder SPEC or K*SPEC, repeated: asymmetric bidders (asymmetric_simulation.hpp), instead of
  // `values` and `bidders`.
  std::vector<std::string> bidder_classes;
};

// A validated request and its compiled simulator.
struct SimulatePlan {
  SimulateRequest request;
  DistributionPtr distribution;
  Simulator simulator;
};

// Parses and validates every option with the CLI's error messages (e.g. "--tolerance needs
// --inspection-noise"), then builds the simulator (the inspection design included).
Expected<SimulatePlan> plan_simulation(const SimulateRequest& request);

// What `dia simulate` computes: the Monte Carlo run, the strategic audit (--audit) and with noise
// the exact point at the configured scale and tolerance, a sweep of noise scales (x 0.25 .. 4)
// and the tolerance search (--epsilon).
struct SimulateOutcome {
  MonteCarloResult result;
  std::optional<StrategicAudit> audit;
  std::optional<NoisyPoint> noisy;  // with noise: at the configured scale and tolerance
  std::vector<NoisyPoint> sweep;    // with noise
  std::optional<ToleranceSearch> search;
};
SimulateOutcome run_simulation(const SimulatePlan& plan, const ProgressFn& progress = {},
                               const PhaseFn& phase = {});

// `dia simulate --format json` in full: monte_carlo_json, then `noise` (with noise: spec,
// tolerance, denied_rate, denied_rate_expected, max_deviation_gain, sweep, tolerance_search),
// the audit's max_deviation_gain / max_deviation_value / max_deviation_bid and `audit` object, and
// `notes`.
nlohmann::ordered_json simulate_json(const SimulatePlan& plan, const SimulateOutcome& outcome);

}  // namespace dia
