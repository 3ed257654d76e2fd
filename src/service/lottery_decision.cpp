// dia-decision-v1: the draw of a one-shot decision (see dia/decision_lottery.hpp).
#include "dia/decision_lottery.hpp"
#include "service/lottery_detail.hpp"

namespace dia {

std::string decision_inputs_text(const DecisionInputs& in, const std::string& bids_sha256) {
  return "dia-decision-v1\nexchange_id=" + std::to_string(in.exchange_id) +
         "\nrequest_id=" + in.request_id + "\ncurrency=" + in.currency +
         "\ndesign_sha256=" + in.design_sha256 +
         "\ntolerance_micros=" + std::to_string(in.tolerance) +
         "\nchain_id=" + std::to_string(in.chain_id) +
         "\nchain_index=" + std::to_string(in.chain_index) + "\nchain_anchor=" + in.chain_anchor +
         "\nbids_sha256=" + bids_sha256 + "\nnonce=" + in.nonce + "\n";
}

std::string chain_link(const std::string& secret_hex) { return lottery_commitment(secret_hex); }

LotteryOutcome draw_decision(const std::string& secret_hex, const DecisionInputs& in,
                             std::vector<SealedBid> bids, const ExPostRule& rule,
                             std::string& inputs_sha256) {
  detail::sort_canonical(bids);
  LotteryOutcome out;
  out.protocol = kDecisionV1;
  std::string canonical;
  for (const auto& b : bids) {
    canonical += std::to_string(b.bidder_id) + ":" + std::to_string(b.amount) + "\n";
  }
  out.bids_sha256 = sha256_hex(canonical);
  out.bids = std::move(bids);
  inputs_sha256 = sha256_hex(decision_inputs_text(in, out.bids_sha256));
  const std::string prefix =
      std::string(kDecisionV1) + "|" + secret_hex + "|" + inputs_sha256 + "|";
  out.tie_draw = detail::uniform_of(prefix + "0");
  out.delivery_draw = detail::uniform_of(prefix + "1");
  detail::decide(out, rule);
  return out;
}

nlohmann::json decision_outcome_json(const LotteryOutcome& outcome,
                                     const std::string& inputs_sha256) {
  nlohmann::json j = outcome_json(outcome);
  j["protocol"] = kDecisionV1;
  j["inputs_sha256"] = inputs_sha256;
  return j;
}

}  // namespace dia
