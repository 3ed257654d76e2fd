// The compact OpenRTB BidRequest's pieces (docs/api.md, "OpenRTB 2.6"): a design's full terms as
// one document served by reference (GET /v1/designs/{id}/terms, with its SHA-256 in the request),
// the bid floor the mechanism implies, and the win and billing notice URLs with their macros.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dia/error.hpp"
#include "service/api_error.hpp"

namespace dia::service {

struct PreparedDesign;

// A grid of at most this many points goes inline in ext.dia.terms.reward (exact, as before); a
// larger one only by reference. A SPEC of at most kInlineSpecBytes goes inline in ext.dia.values.
// Both bound the BidRequest below 4 KB whatever the design
// (tests/service/openrtb_compact_test.cpp).
inline constexpr std::size_t kInlineGridPoints = 32;
inline constexpr std::size_t kInlineSpecBytes = 256;

// The lowest bid in micros that can win under X on the grid (docs/model.md#ex-post): a bid plays
// as its grid step, the largest grid value v <= w (w = micros / 10^6 compared as a double, as
// the ex post rules compare it), and wins with positive probability iff X at that step is > 0.
// So it is the least m with m / 10^6 >= v*, v* the first grid value with X > 0; none if X = 0
// on the whole grid (nothing is ever sold).
std::optional<Micros> lowest_winning_bid(const std::vector<double>& values,
                                         const std::vector<double>& allocation);

// The same for a design: with bidder classes, the least over the classes (any seat may bid).
std::optional<Micros> lowest_winning_bid(const PreparedDesign& d);

// The reward terms of ext.dia.terms.reward: the formula and, when `with_grid`, the grid and X.
json reward_terms(const PreparedDesign& d, bool with_grid);

// The exact bytes of GET /v1/designs/{id}/terms: everything a bidder needs to compute its reward
// for any bid and to check the design against a dia-lottery-v2 terms digest.
std::string design_terms_text(std::int64_t design_id, const PreparedDesign& d,
                              const std::string& design_sha256, std::optional<Micros> lowest_bid);

// An amount in currency units, exactly: "2", "1.5", "0.000001".
std::string units_text(Micros amount);

// What the outcome macros of a notice stand for (docs/api.md, "Win, billing and loss notices").
struct NoticeOutcome {
  std::int64_t auction_id = 0;
  std::string currency;
  bool won = false;  // a win or billing notice; else a loss notice
  Micros price = 0;  // the clearing price (the deposit), shown in win and billing notices only
  int loss = 0;      // the loss reason code (OpenRTB 2.6 list "Loss Reason Codes"; 0 = won)
};

// The bid's own macros, substituted when the bid is accepted (its values are known then):
// ${AUCTION_BID_ID} (BidResponse.bidid), ${AUCTION_SEAT_ID} (seatbid.seat), ${AUCTION_AD_ID}
// (bid.adid), each percent-encoded (RFC 3986: all but unreserved characters), "" when absent.
std::string substitute_bid_macros(std::string url, const std::string& bid_id,
                                  const std::string& seat_id, const std::string& ad_id);

// The outcome's macros, substituted when the draw decides: ${AUCTION_ID}, ${AUCTION_IMP_ID} (1),
// ${AUCTION_CURRENCY}, ${AUCTION_PRICE} (the deposit, in units; "" in a loss notice: another
// bidder's sealed bid is not disclosed), ${AUCTION_MBR} (clearing price / bid: 1 on a win, since
// the winner deposits its bid; "" on a loss), ${AUCTION_LOSS} (the code) and
// ${AUCTION_MIN_TO_WIN} ("": under a lottery no bid wins for sure). Other text is left as it is.
std::string substitute_notice_macros(std::string url, const NoticeOutcome& outcome);

// OpenRTB 2.6 loss reason codes dia gives: 100 (bid below the auction floor: it could never
// win), 102 (lost to a higher bid), and exchange-specific 1000 (the lottery gave the item to a bid
// not higher than this one) and 1001 (the lottery delivered to nobody).
int loss_reason(Micros bid, std::optional<Micros> bidfloor, bool delivered, Micros winning_bid);

// A bid's nurl, burl or lurl as dia records it: "" when absent; else an absolute http(s) URL of
// at most 2048 printable ASCII characters without spaces (BadInput otherwise).
std::string notice_url(const json& bid, const char* key);

// `dia serve --public-url`: the house's absolute base URL, an http(s) URL with a host and no
// query, fragment or user info, at most 1024 printable ASCII characters; returned without a
// trailing '/'.
Expected<std::string> public_base_url(const std::string& url);

}  // namespace dia::service
