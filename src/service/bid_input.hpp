// The body of POST /v1/auctions/{id}/bids: {"amount_micros": N} or an OpenRTB 2.6 BidResponse
// with one seatbid[].bid[], or one with no seatbid (a no-bid) (docs/api.md, "OpenRTB 2.6"); for a
// dia-lottery-v2 auction the sealed commitment {"commitment": HEX} (OpenRTB:
// seatbid[0].bid[0].ext.dia.commitment), and at POST .../reveal the amount with its salt
// {"amount_micros", "salt"} (OpenRTB: ext.dia.salt).
#pragma once

#include <cstdint>
#include <string>

#include "service/api_error.hpp"

namespace dia::service {

struct BidInput {
  Micros amount = 0;             // 0 for a plain commitment (which has no amount)
  std::string format;            // "dia" or "openrtb"
  std::string commitment, salt;  // 64 lowercase hex digits each, when given
  std::string openrtb_bid_id;    // the bidder's Bid.id, echoed in the answer
  bool no_bid = false;           // an OpenRTB response without a bid: nothing to record
  json nbr;                      // its no-bid reason code (an integer), null when not given
  // An OpenRTB bid's win, billing and loss notice URLs ("" when absent), with the bid's own
  // macros (${AUCTION_BID_ID}, ${AUCTION_SEAT_ID}, ${AUCTION_AD_ID}) already substituted.
  std::string nurl{}, burl{}, lurl{};
};

// Throws BadInput on anything malformed, unknown or contradictory.
BidInput parse_bid(const json& body, std::int64_t auction_id, const std::string& currency);

// One OpenRTB 2.6 BidResponse to the BidRequest `request_id` with the one imp `imp_id` (a no-bid
// when it has no seatbid); `id_hint` says where the request id comes from. Throws BadInput.
BidInput parse_openrtb_response(const json& body, const std::string& request_id,
                                const std::string& imp_id, const std::string& currency,
                                const std::string& id_hint);

// The bidder class `body["class"]` names (an admission's, a decision's bid): an integer >= 0
// (whether the design has it is the house's check), capped at 1000. Throws BadInput.
int parse_class_field(const json& body);

// The answer to a submitted bid: dia's view of it plus, for an OpenRTB bid, the bidder's Bid.id.
Reply bid_answer(Reply submitted, const BidInput& bid);

// The answer to a no-bid (200, nothing recorded), given the auction's view (which names it).
Reply no_bid_answer(const json& auction, const BidInput& bid);

}  // namespace dia::service
