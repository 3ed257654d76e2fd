// One-shot decisions in the house (docs/api.md, "One-shot decisions"): an exchange sends an
// auction's bids and its nonce; the house draws with the next secret of its published hash chain
// (dia/decision_lottery.hpp), takes the winner's deposit and records the decision, all in the
// request's group commit; the inspection later settles it as an auction's. Each operation
// validates everything before it changes anything.
#include <algorithm>

#include "service/decision_input.hpp"
#include "service/house.hpp"
#include "service/lottery_detail.hpp"

namespace dia::service {

using ledger::as_int;
using ledger::as_text;

namespace {

Reply no_decision(std::int64_t id) {
  return error_reply(404, "not_found", "decision " + std::to_string(id) + " does not exist");
}

std::string request_key(std::int64_t exchange, const std::string& request_id) {
  return std::to_string(exchange) + ":" + request_id;
}

}  // namespace

void House::merge_decisions(const std::vector<ledger::Row>& chains,
                            const std::vector<ledger::Row>& decisions) {
  for (const auto& r : chains) {
    Chain& c = chains_[as_int(r[0])];  // its use and secrets kept when it was known
    c.id = as_int(r[0]);
    c.length = as_int(r[1]);
    c.anchor = as_text(r[2]);
    if (c.top_secret != as_text(r[3])) c.secrets.reset();
    c.top_secret = as_text(r[3]);
    c.created_at = as_int(r[4]);
  }
  for (const auto& r : decisions) {
    const std::int64_t id = as_int(r[0]);
    Decision d{as_int(r[1]),
               as_int(r[3]),
               as_int(r[4]),
               as_text(r[2]),
               as_text(r[5]),
               as_text(r[6]),
               as_text(r[7]),
               "",
               {}};
    Chain& c = chains_.at(d.chain_id);
    c.used = std::max(c.used, d.chain_index);
    d.chain_anchor = c.anchor;
    Auction& a = auctions_.at(id);
    std::vector<std::pair<std::int64_t, int>> classes;  // a design with bidder classes
    for (const json& bid : json::parse(as_text(r[8]))) {
      const auto bidder = bid.at("bidder_id").get<std::int64_t>();
      a.bids[bidder] = {0,        id,          bidder, bid.at("amount_micros").get<Micros>(),
                        d.format, a.created_at};
      if (bid.contains("openrtb_bid_id")) d.openrtb_bid_ids[bidder] = bid.at("openrtb_bid_id");
      if (bid.contains("class")) classes.emplace_back(bidder, bid.at("class").get<int>());
    }
    for (const auto& seat : decision_seats(std::move(classes))) a.seats[seat.bidder_id] = seat;
    decision_requests_[request_key(d.exchange_id, d.request_id)] = id;
    decisions_[id] = std::move(d);
  }
}

void House::open_chain(Batch& b) {
  Chain c;
  c.id = chains_.empty() ? 1 : chains_.rbegin()->first + 1;
  c.length = DecisionChain::kLength;
  c.top_secret = random_hex(32);
  c.secrets = std::make_shared<const DecisionChain>(c.id, c.top_secret, c.length);
  c.anchor = c.secrets->anchor_hex();
  c.created_at = now_ms();
  b.push_back(
      {"INSERT INTO decision_chains (id, length, anchor, top_secret, created_at) VALUES (?, ?, ?,"
       " ?, ?)",
       {c.id, c.length, c.anchor, c.top_secret, c.created_at}});
  chains_[c.id] = std::move(c);
}

Reply House::decide(Batch& b, const Principal& exchange, const DecisionInput& in,
                    const PreparedDesign* design) {
  // Everything is checked before anything changes.
  if (in.design_id && !designs_.count(*in.design_id)) {
    return error_reply(404, "not_found",
                       "design " + std::to_string(*in.design_id) + " does not exist");
  }
  const std::string key = request_key(exchange.id, in.request_id);
  if (const auto it = decision_requests_.find(key); it != decision_requests_.end()) {
    return error_reply(409, "duplicate_request",
                       "request_id \"" + in.request_id + "\" was already decided: decision " +
                           std::to_string(it->second),
                       "one decision per auction: GET /v1/decisions/" + std::to_string(it->second) +
                           " (a retry reuses its Idempotency-Key)");
  }
  const PreparedDesign& d = in.design_id ? designs_.at(*in.design_id).prepared : *design;
  std::vector<ClassSeat> seats;  // a design with bidder classes: each bid's (house_asymmetric.cpp)
  if (d.rankings || !in.classes.empty()) {
    if (auto refused = decision_seats_error(d, in, seats)) return std::move(*refused);
  }
  if (static_cast<int>(in.bids.size()) > d.bidders) {
    return error_reply(422, "too_many_bids",
                       std::to_string(in.bids.size()) + " bids for a design of " +
                           std::to_string(d.bidders) + " bidder(s)",
                       "a design for n bidders takes at most n bids");
  }
  for (const auto& bid : in.bids) {
    const auto p = principals_.find(bid.bidder_id);
    if (p == principals_.end() || p->second.role != "bidder") {
      return error_reply(422, "unknown_bidder",
                         "bidder " + std::to_string(bid.bidder_id) + " does not exist",
                         "every bid is from an enrolled, funded bidder (POST /v1/bidders)");
    }
    const auto c = committed_.find(bid.bidder_id);
    const Micros available = accounts_.at(account_id("cash", bid.bidder_id)).balance -
                             (c == committed_.end() ? 0 : c->second);
    if (bid.amount > available) {
      return error_reply(422, "insufficient_funds",
                         "bidder " + std::to_string(bid.bidder_id) + " bids " +
                             std::to_string(bid.amount) + " micros, above its available balance",
                         "a bid must be covered by its bidder's funds: it is the deposit if it "
                         "wins");
    }
  }
  const std::int64_t design_id =
      in.design_id ? *in.design_id
                   : create_design(b, *design).body.at("design_id").get<std::int64_t>();
  // The chain in use: the oldest with an unused index (load and decide keep one open).
  auto chain = std::find_if(chains_.begin(), chains_.end(),
                            [](const auto& c) { return c.second.used < c.second.length; });
  DIA_CHECK(chain != chains_.end());
  Chain& c = chain->second;
  if (!c.secrets) c.secrets = std::make_shared<const DecisionChain>(c.id, c.top_secret, c.length);
  Decision dec{exchange.id, c.id,      ++c.used, in.request_id,     in.nonce,
               "",          in.format, c.anchor, in.openrtb_bid_ids};
  const std::string secret = c.secrets->secret_hex(dec.chain_index);
  const std::string commitment = c.secrets->secret_hex(dec.chain_index - 1);  // SHA-256(secret)
  if (c.used == c.length) c.secrets.reset();  // spent: its memory goes
  // The next chain is published half a chain ahead of its first decision.
  if (c.length - c.used < c.length / 2 && chains_.rbegin()->first == c.id) open_chain(b);

  Auction a;
  a.id = next_auction_++;
  a.design_id = design_id;
  a.protocol = kDecisionV1;
  a.tolerance = in.tolerance.value_or(default_tolerance_);
  a.seed = secret;
  a.commitment = commitment;
  a.created_at = a.closed_at = now_ms();
  const DecisionInputs inputs{
      exchange.id,     in.request_id, currency_, designs_.at(design_id).sha256, a.tolerance, c.id,
      dec.chain_index, c.anchor,      in.nonce};
  const PreparedDesign& drawn = designs_.at(design_id).prepared;
  const LotteryOutcome o =
      drawn.rankings ? draw_class_decision(secret, inputs, in.bids, seats, drawn, dec.inputs_sha256)
                     : draw_decision(secret, inputs, in.bids, *drawn.rule, dec.inputs_sha256);
  a.outcome = decision_outcome_json(o, dec.inputs_sha256);
  for (const auto& seat : seats) a.seats[seat.bidder_id] = seat;
  // Written once, stored and answered: the outcome and the bids (in canonical order, as drawn).
  const std::string outcome_text = dump_safely(a.outcome);
  const std::string bids_text = decision_bids_text(o.bids, a, dec);
  for (const auto& bid : o.bids) {
    a.bids[bid.bidder_id] = {0, a.id, bid.bidder_id, bid.amount, in.format, a.created_at};
  }
  a.status = o.delivered ? "awarded" : "closed";
  if (o.delivered) {
    a.winner_id = o.winner->bidder_id;
    a.deposit = o.winner->amount;
  }
  b.push_back(
      {"INSERT INTO auctions (id, design_id, status, commitment, seed, tolerance_micros,"
       " winner_id, deposit_micros, outcome, created_at, closed_at, protocol) VALUES (?, ?, ?, ?,"
       " ?, ?, ?, ?, ?, ?, ?, ?)",
       {a.id, a.design_id, a.status, a.commitment, a.seed, a.tolerance, a.winner_id, a.deposit,
        outcome_text, a.created_at, a.closed_at, a.protocol}});
  b.push_back(
      {"INSERT INTO decisions (auction_id, exchange_id, request_id, chain_id, chain_index, nonce,"
       " inputs_sha256, format, bids, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
       {a.id, exchange.id, in.request_id, c.id, dec.chain_index, in.nonce, dec.inputs_sha256,
        in.format, bids_text, a.created_at}});
  if (o.delivered) {
    post(b, "deposit", a.id,
         {{account_id("cash", a.winner_id), -a.deposit},
          {account_id("escrow", a.winner_id), a.deposit}});
  }
  decision_requests_[key] = a.id;
  const auto& stored = auctions_[a.id] = std::move(a);
  const auto& record = decisions_[stored.id] = std::move(dec);
  return {
      201, json(),
      std::make_shared<const std::string>(decision_text(stored, record, bids_text, outcome_text))};
}

json House::decision_view(const Auction& a, const Decision& d, bool with_design) const {
  const Design& design = designs_.at(a.design_id);
  const PreparedDesign& p = design.prepared;
  json bids = json::array();
  std::vector<SealedBid> canonical;
  for (const auto& [bidder, bid] : a.bids) canonical.push_back({bidder, bid.amount});
  detail::sort_canonical(canonical);
  for (const auto& bid : canonical) {
    json v{{"bidder_id", bid.bidder_id}, {"amount_micros", bid.amount}};
    if (!a.seats.empty()) v["class"] = a.seats.at(bid.bidder_id).bidder_class;
    if (const auto it = d.openrtb_bid_ids.find(bid.bidder_id); it != d.openrtb_bid_ids.end()) {
      v["openrtb_bid_id"] = it->second;
    }
    bids.push_back(std::move(v));
  }
  const bool delivered = a.winner_id > 0;
  json reward{
      {"design_id", a.design_id},
      {"design_sha256", design.sha256},
      {"rule", design_rule_name(p)},
      {"tolerance_micros", a.tolerance},
      {"formula", "rent_over_allocation"},
      {"rounding", "floor_micros"},
      {"max", "deposit"},
      {"untruthful_micros", 0},
      {"reward_if_truthful_micros", delivered ? reward_micros(a, a.winner_id, a.deposit) : 0}};
  json v{{"format", "dia-decision-export-v1"},
         {"decision_id", a.id},
         {"status", a.status},
         {"exchange_id", d.exchange_id},
         {"request_id", d.request_id},
         {"bid_format", d.format},
         {"cur", currency_},
         {"delivered", delivered},
         {"winner_id", delivered ? json(a.winner_id) : json(nullptr)},
         {"deposit_micros", a.deposit},
         {"reward", reward},
         {"bids", bids},
         {"lottery",
          {{"protocol", kDecisionV1},
           {"chain_id", d.chain_id},
           {"chain_index", d.chain_index},
           {"chain_anchor", d.chain_anchor},
           {"commitment", a.commitment},
           {"secret", a.seed},
           {"nonce", d.nonce},
           {"outcome", a.outcome}}},
         {"created_at", a.created_at}};
  if (delivered) {
    if (const auto it = d.openrtb_bid_ids.find(a.winner_id); it != d.openrtb_bid_ids.end()) {
      v["openrtb_bid_id"] = it->second;
    }
  }
  if (a.inspection) {
    v["inspection"] = {{"observed_micros", a.inspection->observed},
                       {"truthful", a.inspection->truthful},
                       {"reward_micros", a.inspection->reward},
                       {"revenue_micros", a.deposit - a.inspection->reward}};
  }
  if (with_design) {
    v["design"] = {{"values", p.spec},
                   {"bidders", p.bidders},
                   {"source", p.source},
                   {"reduced_form", json::parse(p.reduced_form)}};
  }
  return v;
}

Reply House::decision(std::int64_t id) const {
  const auto d = decisions_.find(id);
  if (d == decisions_.end()) return no_decision(id);
  return {200, decision_view(auctions_.at(id), d->second, true)};
}

Reply House::inspect_decision(Batch& b, const Principal& who, std::int64_t id, Micros observed) {
  if (!decisions_.count(id)) return no_decision(id);
  Reply r = inspect(b, who, id, observed);
  if (r.status < 300) r.body["decision_id"] = id;
  return r;
}

Reply House::decision_chains() const {
  json list = json::array();
  for (const auto& [id, c] : chains_) {
    list.push_back({{"chain_id", id},
                    {"anchor", c.anchor},
                    {"length", c.length},
                    {"used", c.used},
                    {"created_at", c.created_at}});
  }
  return {200, json{{"protocol", kDecisionV1}, {"chains", list}}};
}

}  // namespace dia::service
