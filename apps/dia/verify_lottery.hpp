// The checks of `dia verify-lottery` (verify_lottery_command.cpp), shared by the export formats:
// dia-auction-export-v1 (dia-lottery-v1) and dia-auction-export-v2 (verify_lottery_v2.cpp).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "dia/class_lottery.hpp"
#include "dia/ex_post_rule.hpp"
#include "dia/lottery.hpp"
#include "dia/micros.hpp"

namespace dia::cli {

using Failures = std::vector<std::string>;

// The ex post rule of an exported design (values SPEC, bidders, reduced_form), built from the
// export alone.
ExPostRule exported_rule(const nlohmann::json& design);

// An exported design rebuilt from the export alone: a design with bidder classes its classes and
// priority rankings, any other its values, allocation and ex post rule; its digest.
struct ExportedDesign {
  bool with_classes = false;
  std::vector<ClassDesign> classes;
  std::optional<PriorityRankings> rankings;
  std::optional<ExPostRule> rule;
  std::vector<double> values, allocation;
  std::string digest;  // design_sha256

  // check_inspection with the winner's schedule (its class's, for a design with classes).
  Micros check_reward(const nlohmann::json& inspection, const LotteryOutcome& o, Micros tolerance,
                      Failures& failures) const;
  // The winner's reward_if_truthful_micros (0 without delivery).
  Micros reward_if_truthful(const LotteryOutcome& o) const;
};
ExportedDesign exported_design(const nlohmann::json& design);

// Every claimed field of the outcome is recomputed, and every recomputed one must be claimed: the
// draws and bids exactly, q(w) (floating point from the design) within 1e-12.
void compare_outcome(const nlohmann::json& expected, const nlohmann::json& claimed,
                     Failures& failures);

// Checks a dia-auction-export-v2 (the terms digest against the design, the seed, every commitment
// against its opening, the outcome, the deposit, forfeits and reward); returns the recomputed
// values to print. `expected_terms_digest` (when not empty) is what the bidder saw at open.
nlohmann::json verify_v2(const nlohmann::json& e, const std::string& expected_terms_digest,
                         Failures& failures);

// A claimed inspection {observed_micros, truthful, reward_micros} against the design's reward
// for the deposit (truthful iff delivered and |observed - deposit| <= tolerance); the reward.
Micros check_inspection(const nlohmann::json& inspection, bool delivered, Micros deposit,
                        Micros tolerance, const std::vector<double>& values,
                        const std::vector<double>& allocation, Failures& failures);

// Checks a dia-decision-export-v1 (GET /v1/decisions/{id}; verify_decision.cpp); returns the
// recomputed values to print. `expected_anchor` (when not empty) is the chain's published anchor.
nlohmann::json verify_decision(const nlohmann::json& e, const std::string& expected_anchor,
                               Failures& failures);

}  // namespace dia::cli
