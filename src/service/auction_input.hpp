// The protocol and terms in the body of POST /v1/auctions: "protocol" (dia-lottery-v1, the
// default, or dia-lottery-v2), "tolerance_micros", and for v2 "max_bid_micros" (required),
// "penalty_micros" (1..max_bid, default max_bid) and "reveal_seconds" (1..604800, default 3600).
#pragma once

#include "service/house.hpp"

namespace dia::service {

// Throws BadInput on a value out of range or a v2 term on a v1 auction.
AuctionTerms auction_terms(const json& body);

}  // namespace dia::service
