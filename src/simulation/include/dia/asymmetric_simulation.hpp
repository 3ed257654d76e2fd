// Monte Carlo auctions and the strategic audit for independent bidders with their own value
// distributions (docs/asymmetric.md section 8): `dia simulate --bidder SPEC ...`. Each bidder's
// type is drawn from its own type space (its atoms, or quantile cells). Inspection: the lottery
// over priority rankings is drawn per auction, the winner deposits its bid and a truthful winner
// (within the tolerance of a noisy inspection) is refunded its reward. The classic mechanisms
// (Myerson, second price without reserve, with the best anonymous reserve, with Myerson reserves)
// play on the same discrete types as dia::asymmetric_classic_revenues values them.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "dia/asymmetric_design.hpp"
#include "dia/mechanism.hpp"
#include "dia/priority_rankings.hpp"
#include "dia/simulation.hpp"

namespace dia {

// A mechanism for asymmetric bidders as the simulator plays it.
struct AsymmetricMechanism {
  SimulatedMechanism kind = SimulatedMechanism::kInspection;
  std::vector<DiscreteTypes> bidders;            // per bidder: its types (values and probabilities)
  std::vector<ReducedForm> reduced;              // inspection, per bidder: X and the rents R
  std::vector<std::string> labels;               // per bidder: its class SPEC, for people
  double reward_scale = 1.0;                     // scales every reward (below 1: not IC, for tests)
  std::shared_ptr<const PriorityRankings> rule;  // inspection: built from X when null
  InspectionNoise noise;                         // inspection observes value + noise
  double tolerance = 0;                          // ... and refunds when |bid - observed| <= it
};

struct BidderMonteCarlo {
  double revenue_mean = 0, revenue_stderr = 0;  // the bidder's net payments per auction
  double revenue_expected = 0;                  // sum_t p_t (v_t X_t - s R_t)
  double sale_rate = 0;                         // share of auctions the bidder won
  double sale_probability = 0;                  // sum_t p_t X_t
  double reward_mean = 0;                       // rewards paid to it per auction
};
// revenue_expected: inspection sum_t p_t (v_t X_t - s R_t P(|noise| <= tolerance)); classic
// mechanisms sum_t p_t P_t with P_t the exact interim expected payment.

struct AsymmetricMonteCarloResult {
  MonteCarloResult total;
  std::vector<BidderMonteCarlo> bidders;
  double lower_bidder_wins = 0;  // share of auctions won by a bidder below the highest value
};

class AsymmetricSimulator {
 public:
  // Fails (kInvalidArgument) on mismatched shapes, a reward scale outside [0, 1], noise with a
  // classic mechanism, or a reduced form no lottery over priority rankings implements.
  static Expected<AsymmetricSimulator> create(AsymmetricMechanism mechanism);

  std::size_t bidders() const;
  const AsymmetricMechanism& mechanism() const;
  bool inspection() const;
  const PriorityRankings& rule() const;  // inspection only
  double expected_revenue() const;       // sum over bidders of revenue_expected
  // Without noise: the same; with noise, the noise-free revenue. Classic: the exact revenue of
  // asymmetric_classic_revenues on the types played (a second method beside expected_revenue).
  double designed_revenue() const;
  // Classic mechanisms: each bidder's reserve (second price: r_i; Myerson: its first type with a
  // positive ironed virtual value); empty for inspection.
  std::vector<double> reserves() const;

  // Fixed blocks with their own streams (as Simulator::run): identical for every thread count.
  AsymmetricMonteCarloResult run(std::uint64_t auctions, std::uint64_t seed, int threads,
                                 const ProgressFn& progress = {}) const;

  // Per bidder, against truthful others: the exact interim utility of every value and every
  // lie (another type's bid: that type's allocation under the rule, no reward), and simulated
  // gains with paired auctions (common random numbers) on a few rows.
  std::vector<StrategicAudit> audit(const AuditOptions& options) const;

  // Noisy inspection (as Simulator's): the exact point at a noise scale and tolerance (revenue
  // with truthful bidders, every bidder's best lie on `grid` values, P(truthful winner denied)),
  // and the search for the tolerance keeping every bidder's deviation gain <= epsilon.
  NoisyPoint noisy_point(double noise_scale, double tolerance, std::size_t grid) const;
  ToleranceSearch search_tolerance(double epsilon, std::size_t grid) const;

  struct Model;  // internal (simulation/asymmetric_model.hpp)

 private:
  explicit AsymmetricSimulator(std::shared_ptr<const Model> model) : model_(std::move(model)) {}
  std::shared_ptr<const Model> model_;
};

// The bidders of a design (each class's mechanism for each of its bidders, on the types the
// design solved) with its lottery over priority rankings. Fails when the design has no rule.
Expected<AsymmetricMechanism> asymmetric_mechanism(const AsymmetricDesign& design);

// `dia simulate --bidder ...`: the request's bidder_classes designed (inspection) or their classic
// mechanism compiled, then simulated.
struct AsymmetricSimulatePlan {
  SimulateRequest request;
  std::vector<BidderClass> classes;
  std::optional<AsymmetricDesign> design;  // inspection only
  AsymmetricSimulator simulator;
};
// Fails (one line, naming the bidder for a SPEC error) as `dia design --bidder` does, and for
// the options as `dia simulate` does (noise or --grid with a classic mechanism, ...);
// kAuditFailed when the design fails its audit.
Expected<AsymmetricSimulatePlan> plan_asymmetric_simulation(const SimulateRequest& request);

struct AsymmetricSimulateOutcome {
  AsymmetricMonteCarloResult result;
  std::vector<StrategicAudit> audits;  // per bidder, with --audit
  std::optional<NoisyPoint> noisy;     // with noise: at the configured scale and tolerance
  std::vector<NoisyPoint> sweep;       // with noise: scale x 0.25 .. 4
  std::optional<ToleranceSearch> search;
};
AsymmetricSimulateOutcome run_asymmetric_simulation(const AsymmetricSimulatePlan& plan,
                                                    const ProgressFn& progress = {},
                                                    const PhaseFn& phase = {});

// The design's notes and the simulation's (the grid played, a reward scale).
std::vector<std::string> asymmetric_simulate_notes(const AsymmetricSimulatePlan& plan);

// The JSON of `dia simulate --bidder ... --format json`: the symmetric keys (values, bidders,
// mechanism, seed, threads, auctions, seconds, auctions_per_second, revenue{mean, stderr,
// ci95_low, ci95_high, expected, designed, z_score, no_variance}, reward, sale_rate, sampling,
// blocks, noise with noise, max_deviation_gain ... and audit with --audit, notes) plus
// `ex_post_rule` and `per_bidder`, one entry per bidder (class, values, revenue{mean, stderr,
// expected, z_score}, sale_rate, sale_probability, reward_mean, audit).
nlohmann::ordered_json asymmetric_simulate_json(const AsymmetricSimulatePlan& plan,
                                                const AsymmetricSimulateOutcome& outcome);

}  // namespace dia
