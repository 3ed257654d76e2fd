// The house's whole state as canonical text: what a caught-up house and a freshly loaded one
// must agree on (tests of several nodes).
#include <map>

#include "service/house.hpp"

namespace dia::service {

std::string House::state_text() const {
  const auto sorted = [](const auto& map, const auto& view) {
    std::map<std::string, json> out;
    for (const auto& [key, value] : map) {
      json k = key;
      out.emplace(k.dump(), view(value));
    }
    return out;
  };
  json s;
  s["tokens"] = tokens_.ids();
  s["principals"] = sorted(principals_, [](const Principal& p) { return json{p.role, p.name}; });
  s["designs"] = sorted(designs_, [](const Design& d) {
    return json{d.prepared.spec,         d.prepared.bidders, d.prepared.source,
                d.prepared.reduced_form, d.sha256,           d.terms_sha256};
  });
  s["auctions"] = sorted(auctions_, [](const Auction& a) {
    json bids = json::object(), commitments = json::object(), seats = json::object();
    for (const auto& [bidder, b] : a.bids) {
      bids[std::to_string(bidder)] = {b.id,     b.auction_id, b.amount,
                                      b.format, b.created_at, b.openrtb_bid_id,
                                      b.nurl,   b.burl,       b.lurl};
    }
    for (const auto& [bidder, c] : a.commitments) {
      commitments[std::to_string(bidder)] = {c.commitment, c.format, c.salt, c.created_at};
    }
    for (const auto& [bidder, seat] : a.seats) {
      seats[std::to_string(bidder)] = {seat.bidder_id, seat.bidder_class, seat.seat};
    }
    json inspection = nullptr;
    if (a.inspection) {
      const Inspection& i = *a.inspection;
      inspection = {i.inspector_id, i.observed, i.reward, i.truthful, i.created_at};
    }
    return json{
        a.id,        a.design_id,    a.status,  a.commitment, a.seed,           a.tolerance,
        a.protocol,  a.terms_digest, a.max_bid, a.penalty,    a.reveal_seconds, a.reveal_deadline,
        a.winner_id, a.deposit,      a.outcome, a.created_at, a.closed_at,      bids,
        commitments, seats,          inspection};
  });
  s["accounts"] = sorted(accounts_, [](const Account& a) {
    return json{a.id, a.kind, a.owner, a.balance};
  });
  s["account_index"] = sorted(account_index_, [](std::int64_t id) { return json(id); });
  std::map<std::int64_t, Micros> held;  // a bidder holding nothing may be absent or 0
  for (const auto& [bidder, amount] : committed_) {
    if (amount != 0) held.emplace(bidder, amount);
  }
  s["committed"] = sorted(held, [](Micros m) { return json(m); });
  s["remembered"] = sorted(remembered_, [](const Remembered& m) {
    return json{m.request_sha256, m.status, m.response};
  });
  s["enrollments"] = sorted(enrollments_, [](const Enrollment& e) {
    return json{e.principal_id, e.expires_at, e.used_at};
  });
  s["decisions"] = sorted(decisions_, [](const Decision& d) {
    return json{d.exchange_id,   d.chain_id, d.chain_index,  d.request_id,     d.nonce,
                d.inputs_sha256, d.format,   d.chain_anchor, d.openrtb_bid_ids};
  });
  s["decision_requests"] = sorted(decision_requests_, [](std::int64_t id) { return json(id); });
  s["chains"] = sorted(chains_, [](const Chain& c) {
    return json{c.id, c.length, c.used, c.created_at, c.anchor, c.top_secret};
  });
  s["next"] = {next_principal_, next_design_,      next_auction_, next_bid_,
               next_account_,   next_transaction_, next_entry_};
  return s.dump();
}

}  // namespace dia::service
