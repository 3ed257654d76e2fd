// dia-decision-v1: the verifiable lottery of a one-shot decision (POST /v1/decisions; docs/api.md,
// "One-shot decisions"). The house commits in advance to a hash chain of secrets; each decision
// consumes the chain's next secret, the exchange supplies the bids and a nonce, and the draws hash
// all three, so neither the house (committed before the bids) nor the exchange (cannot predict
// the secret) can steer them. Anyone can recompute a decision from its record:
//   chain       s_L = 32 random bytes (the house's, secret), s_(j-1) = SHA-256(s_j) for j = L..1;
//               anchor = s_0 is published before any decision uses the chain;
//   decision k  of a chain uses s_k (k = 1, 2, ... in order), revealed in its answer; it verifies
//               as SHA-256 applied k times to s_k = anchor (and SHA-256(s_k) = s_(k-1));
//   bids_sha256 = hex(SHA-256("<bidder_id>:<amount_micros>\n" for each bid, canonical order:
//               amount descending, then bidder id ascending)), as dia-lottery-v1;
//   inputs_sha256 = hex(SHA-256(decision_inputs_text));
//   u(i)        = the first 8 bytes of SHA-256("dia-decision-v1|<s_k hex>|<inputs_sha256>|<i>"),
//               big-endian, >> 11, times 2^-53; the winner and delivery follow from u(0) and u(1)
//               exactly as in dia-lottery-v1 (dia/lottery.hpp).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dia/lottery.hpp"

namespace dia {

inline constexpr const char* kDecisionV1 = "dia-decision-v1";

// What a decision's draw hashes besides the secret and the bids.
struct DecisionInputs {
  std::int64_t exchange_id = 0;  // the principal that submitted it
  std::string request_id;        // the exchange's id of the auction (OpenRTB BidRequest.id)
  std::string currency;
  std::string design_sha256;  // dia::design_digest_text's SHA-256
  Micros tolerance = 0;       // the inspection's tolerance
  std::int64_t chain_id = 0, chain_index = 0;
  std::string chain_anchor;  // s_0 of the chain, hex
  std::string nonce;         // the exchange's, 64 lowercase hex digits
};

// "dia-decision-v1\nexchange_id=..\nrequest_id=..\ncurrency=..\ndesign_sha256=..\n
// tolerance_micros=..\nchain_id=..\nchain_index=..\nchain_anchor=..\nbids_sha256=..\nnonce=..\n".
std::string decision_inputs_text(const DecisionInputs& in, const std::string& bids_sha256);

// SHA-256 of the secret's bytes: the chain's previous link (hex in, hex out).
std::string chain_link(const std::string& secret_hex);

// The draw of a decision with the chain secret s_k (hex); the outcome's bids in canonical order.
// `inputs_sha256` receives the digest the draws hash.
LotteryOutcome draw_decision(const std::string& secret_hex, const DecisionInputs& in,
                             std::vector<SealedBid> bids, const ExPostRule& rule,
                             std::string& inputs_sha256);

// outcome_json of a decision's outcome with "protocol": "dia-decision-v1" and inputs_sha256.
nlohmann::json decision_outcome_json(const LotteryOutcome& outcome,
                                     const std::string& inputs_sha256);

}  // namespace dia
