// The body of POST /v1/auctions/{id}/bids: {"amount_micros": N} or an OpenRTB 2.6 bid response
// with one seatbid[].bid[] (docs/api.md, "OpenRTB 2.6"); for a dia-lottery-v2 auction the sealed
// commitment {"commitment": HEX} (OpenRTB: seatbid[0].bid[0].ext.dia.commitment), and at
// POST .../reveal the amount with its salt {"amount_micros", "salt"} (OpenRTB: ext.dia.salt).
#pragma once

#include <cstdint>
#include <string>

#include "service/api_error.hpp"

namespace dia::service {

struct BidInput {
  Micros amount = 0;             // 0 for a plain commitment (which has no amount)
  std::string format;            // "dia" or "openrtb"
  std::string commitment, salt;  // 64 lowercase hex digits each, when given
};

// Throws BadInput on anything malformed, unknown or contradictory.
BidInput parse_bid(const json& body, std::int64_t auction_id, const std::string& currency);

}  // namespace dia::service
