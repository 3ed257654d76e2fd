// The body of POST /v1/decisions (docs/api.md, "One-shot decisions"): the design (design_id or
// inline), the auction's bids (a plain list, or an OpenRTB 2.6 BidRequest with its
// BidResponses), the exchange's request id and its nonce.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dia/lottery.hpp"
#include "service/api_error.hpp"

namespace dia::service {

struct DecisionInput {
  std::optional<std::int64_t> design_id;  // else the body's inline design (routes prepare it)
  std::optional<Micros> tolerance;
  std::string request_id, nonce;
  std::string format;  // "dia" (a plain list) or "openrtb"
  std::vector<SealedBid> bids;
  std::map<std::int64_t, std::string> openrtb_bid_ids;  // by bidder: each Bid.id, echoed
  std::map<std::int64_t, int> classes;  // by bidder: the bidder class a bid names (class designs)
  int no_bids = 0;                      // OpenRTB responses that declined
};

// Throws BadInput (400) on anything malformed, unknown or contradictory; the checks against the
// house's state (the design, the bidders, their funds) are the house's.
DecisionInput parse_decision(const json& body, const std::string& currency);

}  // namespace dia::service
