// dia-lottery-v2 in the house: sealed commitments while open, the freeze (close), reveals within
// the window, and the draw (docs/api.md, "dia-lottery-v2"). Each operation validates everything
// before it changes anything.
#include <algorithm>

#include "service/house.hpp"

namespace dia::service {
namespace {

Reply not_sealed(std::int64_t auction_id) {
  return error_reply(
      409, "not_sealed",
      "auction " + std::to_string(auction_id) + " runs " + kLotteryV1 +
          ": its bids are plain, there is nothing to commit or reveal",
      "send {\"amount_micros\": N} to POST /v1/auctions/" + std::to_string(auction_id) + "/bids");
}

}  // namespace

Reply House::commit_bid(Batch& b, const Principal& who, std::int64_t auction_id,
                        const std::string& commitment, const std::string& format,
                        std::optional<Micros> price) {
  Auction& a = find_auction(auction_id);
  if (!sealed(a)) return not_sealed(auction_id);
  if (a.status != "open") {
    return error_reply(409, "auction_closed",
                       "auction " + std::to_string(auction_id) + " is " + a.status +
                           ": commitments are accepted only while it is open");
  }
  if (auto refused = admission_error(a, who)) return *refused;
  if (a.commitments.count(who.id)) {
    return error_reply(409, "duplicate_bid", "this bidder already has a commitment in this auction",
                       "one sealed bid per bidder and auction");
  }
  const int seats = designs_.at(a.design_id).prepared.bidders;
  if (static_cast<int>(a.commitments.size()) >= seats) {
    return error_reply(409, "auction_full",
                       "the auction's design is for " + std::to_string(seats) +
                           " bidder(s) and all seats have committed");
  }
  if (price && *price != a.max_bid) {
    return error_reply(422, "invalid_field",
                       "the price of a sealed OpenRTB bid is the amount held, the auction's "
                       "max_bid_micros " +
                           std::to_string(a.max_bid) + ", got " + std::to_string(*price) +
                           " micros",
                       "the bid itself stays in the commitment until the reveal");
  }
  for (const auto& [bidder, c] : a.commitments) {
    if (c.commitment == commitment) {
      return error_reply(409, "duplicate_commitment",
                         "this commitment was already submitted to this auction",
                         "a commitment names its bidder: compute your own with a fresh salt");
    }
  }
  const Micros cash = accounts_.at(account_id("cash", who.id)).balance;
  Micros& committed = committed_[who.id];
  if (a.max_bid > cash - committed) {
    return error_reply(422, "insufficient_funds",
                       "a commitment holds the auction's max_bid " + std::to_string(a.max_bid) +
                           " micros, above the available balance " +
                           std::to_string(cash - committed),
                       "the hold is released at the draw (less the penalty if not revealed)");
  }
  committed += a.max_bid;
  const Commitment c{commitment, format, "", now_ms()};
  b.push_back(
      {"INSERT INTO bid_commitments (auction_id, bidder_id, commitment, format, created_at)"
       " VALUES (?, ?, ?, ?, ?)",
       {a.id, who.id, commitment, format, c.created_at}});
  a.commitments[who.id] = c;
  return {201, commitment_view(who.id, a)};
}

Reply House::freeze(Batch& b, Auction& a) {
  a.status = "revealing";
  a.reveal_deadline = now_ms() + a.reveal_seconds * 1000;
  b.push_back({"UPDATE auctions SET status = 'revealing', reveal_deadline = ? WHERE id = ?",
               {a.reveal_deadline, a.id}});
  // Nothing to reveal: draw at once (no bids).
  if (a.commitments.empty()) return draw(b, a.id);
  return {200, auction_view(a, true)};
}

Reply House::reveal_bid(Batch& b, const Principal& who, std::int64_t auction_id, Micros amount,
                        const std::string& salt, const std::string& format) {
  Auction& a = find_auction(auction_id);
  if (!sealed(a)) return not_sealed(auction_id);
  if (a.status == "open") {
    return error_reply(
        409, "not_frozen",
        "auction " + std::to_string(auction_id) +
            " is still open: bids are revealed after the operator closes it",
        "wait for status 'revealing' (GET /v1/auctions/" + std::to_string(auction_id) + ")");
  }
  const auto it = a.commitments.find(who.id);
  if (it == a.commitments.end()) {
    return error_reply(409, "no_commitment",
                       "this bidder has no commitment in auction " + std::to_string(auction_id));
  }
  if (a.bids.count(who.id)) {
    return error_reply(409, "already_revealed", "this bidder's bid is already revealed");
  }
  if (a.status != "revealing" || now_ms() > a.reveal_deadline) {
    return error_reply(409, "reveal_closed",
                       "the reveal window of auction " + std::to_string(auction_id) +
                           " has ended: the commitment counts as no bid and its penalty of " +
                           std::to_string(a.penalty) + " micros is forfeited",
                       "reveal within reveal_seconds of the close");
  }
  if (bid_commitment(a.terms_digest, a.id, who.id, amount, salt) != it->second.commitment) {
    return error_reply(422, "commitment_mismatch",
                       "SHA-256(\"dia-bid-v2|<terms_digest>|" + std::to_string(a.id) + "|" +
                           std::to_string(who.id) +
                           "|<amount_micros>|<salt>\") of this amount "
                           "and salt is not this bidder's commitment",
                       "reveal exactly the amount and salt that were committed");
  }
  if (amount > a.max_bid) {
    return error_reply(422, "above_max_bid",
                       "the committed bid " + std::to_string(amount) +
                           " exceeds the auction's max_bid_micros " + std::to_string(a.max_bid) +
                           ": it cannot be revealed and counts as no bid",
                       "commit to bids of at most max_bid_micros");
  }
  it->second.salt = salt;
  Bid bid{next_bid_++, auction_id, who.id, amount, format, now_ms()};
  b.push_back(
      {"INSERT INTO bids (id, auction_id, bidder_id, amount_micros, format, created_at)"
       " VALUES (?, ?, ?, ?, ?, ?)",
       {bid.id, auction_id, who.id, amount, format, bid.created_at}});
  b.push_back({"UPDATE bid_commitments SET salt = ? WHERE auction_id = ? AND bidder_id = ?",
               {salt, a.id, who.id}});
  a.bids[who.id] = bid;
  // The last reveal draws at once: nothing is left to wait for.
  if (a.bids.size() == a.commitments.size()) draw(b, a.id);
  return {201, bid_view(a.bids.at(who.id), a)};
}

Reply House::draw(Batch& b, std::int64_t auction_id) {
  Auction& a = find_auction(auction_id);
  if (!sealed(a)) return not_sealed(auction_id);
  if (a.status == "open") {
    return error_reply(409, "not_frozen",
                       "auction " + std::to_string(auction_id) + " is still open",
                       "the operator closes it first; the draw follows the reveal window");
  }
  if (a.status != "revealing") {
    return error_reply(409, "already_drawn",
                       "auction " + std::to_string(auction_id) + " is already " + a.status);
  }
  if (a.bids.size() < a.commitments.size() && now_ms() <= a.reveal_deadline) {
    return error_reply(409, "reveal_window_open",
                       std::to_string(a.commitments.size() - a.bids.size()) +
                           " commitment(s) may still be revealed until " +
                           std::to_string(a.reveal_deadline) + " (ms since 1970)",
                       "the draw happens at the last reveal, or on request after the deadline");
  }
  std::vector<BidCommitment> frozen;
  for (const auto& [bidder, c] : a.commitments) {
    BidCommitment f{bidder, c.commitment, std::nullopt, c.salt};
    if (const auto it = a.bids.find(bidder); it != a.bids.end()) f.amount = it->second.amount;
    frozen.push_back(std::move(f));
  }
  settle_draw(b, a, draw_outcome(a, frozen));
  return {200, auction_view(a, true)};
}

}  // namespace dia::service
