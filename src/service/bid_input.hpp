// The body of POST /v1/auctions/{id}/bids: {"amount_micros": N} or an OpenRTB 2.6 bid response
// with one seatbid[].bid[] (docs/api.md, "OpenRTB 2.6").
#pragma once

#include <cstdint>
#include <string>

#include "service/api_error.hpp"

namespace dia::service {

struct BidInput {
  Micros amount = 0;
  std::string format;  // "dia" or "openrtb"
};

// Throws BadInput on anything malformed, unknown or contradictory.
BidInput parse_bid(const json& body, std::int64_t auction_id, const std::string& currency);

}  // namespace dia::service
