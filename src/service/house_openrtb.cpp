// The house's OpenRTB state (see house.hpp): each design's terms document and bid floor, and the
// Bid.id and notice URLs of OpenRTB bids.
#include "service/house.hpp"
#include "service/openrtb_terms.hpp"

namespace dia::service {

House::Design House::make_design(std::int64_t id, PreparedDesign d) {
  Design design{id, std::move(d), "", std::nullopt, nullptr, ""};
  design.sha256 = design_sha256(design.prepared);
  design.bidfloor = lowest_winning_bid(design.prepared);
  auto text = std::make_shared<const std::string>(
      design_terms_text(id, design.prepared, design.sha256, design.bidfloor));
  design.terms_sha256 = sha256_hex(*text);
  design.terms = std::move(text);
  return design;
}

Reply House::design_terms(std::int64_t design_id) const {
  const auto it = designs_.find(design_id);
  if (it == designs_.end()) {
    return error_reply(404, "not_found", "design " + std::to_string(design_id) + " does not exist");
  }
  return {200, nullptr, it->second.terms};
}

void House::record_openrtb(Batch& b, std::int64_t auction_id, std::int64_t bidder_id,
                           const std::string& bid_id, const std::string& nurl,
                           const std::string& burl, const std::string& lurl) {
  Bid& bid = find_auction(auction_id).bids.at(bidder_id);
  bid.openrtb_bid_id = bid_id;
  bid.nurl = nurl;
  bid.burl = burl;
  bid.lurl = lurl;
  b.push_back(
      {"INSERT INTO openrtb_bids (auction_id, bidder_id, openrtb_bid_id, nurl, burl, lurl)"
       " VALUES (?, ?, ?, ?, ?, ?)",
       {auction_id, bidder_id, bid_id, nurl, burl, lurl}});
}

}  // namespace dia::service
