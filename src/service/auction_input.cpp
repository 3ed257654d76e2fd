// The protocol and terms of a new auction (see auction_input.hpp).
#include "service/auction_input.hpp"

namespace dia::service {

AuctionTerms auction_terms(const json& body) {
  AuctionTerms t;
  t.tolerance = get_micros(body, "tolerance_micros", false);
  t.protocol = get_string(body, "protocol", false, kLotteryV1);
  const bool v2_fields = body.contains("max_bid_micros") || body.contains("penalty_micros") ||
                         body.contains("reveal_seconds");
  if (t.protocol == kLotteryV1) {
    if (v2_fields) {
      bad_input("invalid_field",
                "max_bid_micros, penalty_micros and reveal_seconds are terms of dia-lottery-v2",
                "add \"protocol\": \"dia-lottery-v2\"");
    }
    return t;
  }
  if (t.protocol != kLotteryV2) {
    bad_input("invalid_field", "protocol must be dia-lottery-v1 or dia-lottery-v2",
              "dia-lottery-v2 seals bids as commitments (docs/api.md)");
  }
  t.max_bid = *get_micros(body, "max_bid_micros", true, 1);
  if (t.max_bid > kMaxFundedMicros) {
    bad_input("invalid_amount", "max_bid_micros may be at most 2^62");
  }
  t.penalty = get_micros(body, "penalty_micros", false, 1).value_or(t.max_bid);
  if (t.penalty > t.max_bid) {
    bad_input("invalid_amount", "penalty_micros may not exceed max_bid_micros",
              "the penalty is paid from the hold, which is max_bid_micros");
  }
  t.reveal_seconds = get_micros(body, "reveal_seconds", false, 1).value_or(3600);
  if (t.reveal_seconds > 7 * 86400) {
    bad_input("invalid_field", "reveal_seconds must be in 1..604800 (a week)");
  }
  return t;
}

}  // namespace dia::service
