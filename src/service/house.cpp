// The auction house's operations (see house.hpp). Each validates everything before it changes
// anything, so a rejected request leaves no trace in memory or in the batch.
#include "service/house.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>

#include "service/grid_values.hpp"
#include "service/openrtb_terms.hpp"

namespace dia::service {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

constexpr const char* kSecretKeys[] = {"token", "enrollment_code"};

bool secret_at(const json& answer, const char* key) {
  return answer.is_object() && answer.contains(key) && answer[key].is_string();
}

}  // namespace

bool holds_secret(const json& answer) {
  return std::any_of(std::begin(kSecretKeys), std::end(kSecretKeys),
                     [&](const char* key) { return secret_at(answer, key); });
}

json redact_token(json answer) {
  for (const char* key : kSecretKeys) {
    if (secret_at(answer, key)) {
      answer[key] = nullptr;
      answer[std::string(key) + "_note"] =
          std::string("a repeated request: the ") + key +
          " was shown once, in the first answer, and is stored only as a hash; if it was lost, "
          "register again with a new Idempotency-Key";
    }
  }
  return answer;
}

std::string random_hex(int bytes) {
  std::string raw(static_cast<std::size_t>(bytes), '\0');
  DIA_CHECK(RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), bytes) == 1);
  return hex_encode(raw);
}

namespace {

Reply not_found(const std::string& what, std::int64_t id) {
  return error_reply(404, "not_found", what + " " + std::to_string(id) + " does not exist");
}

// OpenRTB's auction type `at` (above 500: exchange-specific) of a design's rule, and what it
// means.
int openrtb_at(const PreparedDesign& d) {
  if (d.rankings) return 503;
  return std::holds_alternative<BorderLottery>(*d.rule) ? 502 : 501;
}
const char* auction_type(const PreparedDesign& d) {
  if (d.rankings) {
    return "priority rankings of bidder classes (a lower bid may win) with deferred inspection "
           "and reward";
  }
  return std::holds_alternative<BorderLottery>(*d.rule)
             ? "Border lottery (a lower bid may win) with deferred inspection and reward"
             : "highest-bidder lottery with deferred inspection and reward";
}

}  // namespace

void build_rule(PreparedDesign& d, const json& reduced_form) {
  auto distribution = parse_distribution(d.spec, SpecFiles::kRefuse);
  if (!distribution) {
    bad_input("invalid_spec", distribution.error().message, distribution.error().hint);
  }
  if (!reduced_form.is_object() || !reduced_form.contains("values") ||
      !reduced_form.contains("allocation")) {
    bad_input("invalid_reduced_form", "reduced_form needs arrays 'values' and 'allocation'");
  }
  only_keys(reduced_form, {"values", "allocation", "probabilities"}, "reduced_form");
  auto numbers = [&](const char* key) {
    std::vector<double> out;
    if (!reduced_form.contains(key)) return out;
    if (!reduced_form.at(key).is_array()) {
      bad_input("invalid_reduced_form", std::string(key) + " must be an array of numbers");
    }
    for (const auto& x : reduced_form.at(key)) {
      if (!x.is_number()) bad_input("invalid_reduced_form", std::string(key) + " must be numbers");
      out.push_back(x.get<double>());
    }
    return out;
  };
  auto values = numbers("values"), allocation = numbers("allocation");
  check_grid_values(values, "reduced_form.values");
  auto rule =
      build_ex_post_rule(*distribution, d.bidders, {values, numbers("probabilities")}, allocation);
  if (!rule) bad_input("invalid_reduced_form", rule.error().message, rule.error().hint);
  d.rule = std::make_shared<const ExPostRule>(std::move(*rule));
  d.values = std::move(values);
  d.allocation = std::move(allocation);
}

Reply House::unauthorized() {
  return error_reply(401, "unauthorized", "missing or unknown bearer token",
                     "send -H 'Authorization: Bearer TOKEN' with a token the operator issued");
}

std::int64_t House::account_id(const std::string& kind, std::int64_t owner) const {
  return account_index_.at({kind, owner});
}

std::int64_t House::open_account(Batch& b, const std::string& kind, std::int64_t owner) {
  const std::int64_t id = next_account_++;
  accounts_[id] = {id, kind, owner, 0};
  account_index_[{kind, owner}] = id;
  b.push_back({"INSERT INTO accounts (id, kind, owner_id, balance_micros) VALUES (?, ?, ?, 0)",
               {id, kind, owner}});
  return id;
}

// One double-entry transaction: the legs sum to zero and leave no balance but the external one
// negative (callers check the balances first; a violation here is a bug).
void House::post(Batch& b, const std::string& kind, std::int64_t auction_id,
                 const std::vector<std::pair<std::int64_t, Micros>>& legs) {
  Micros sum = 0;
  for (const auto& [account, amount] : legs) {
    sum += amount;
    const Account& a = accounts_.at(account);
    DIA_CHECK(a.kind == "external" || a.balance + amount >= 0);
  }
  DIA_CHECK(sum == 0 && legs.size() >= 2);
  const std::int64_t tx = next_transaction_++;
  b.push_back({"INSERT INTO transactions (id, kind, auction_id, created_at) VALUES (?, ?, ?, ?)",
               {tx, kind, auction_id, now_ms()}});
  for (const auto& [account, amount] : legs) {
    accounts_.at(account).balance += amount;
    b.push_back(
        {"INSERT INTO entries (id, transaction_id, account_id, amount_micros) VALUES (?,"
         " ?, ?, ?)",
         {next_entry_++, tx, account, amount}});
    b.push_back({"UPDATE accounts SET balance_micros = balance_micros + ? WHERE id = ?",
                 {amount, account}});
  }
}

std::optional<std::int64_t> House::find_design(const std::string& spec, int bidders,
                                               const std::string& reduced_form) const {
  for (const auto& [id, d] : designs_) {
    if (d.prepared.spec == spec && d.prepared.bidders == bidders &&
        d.prepared.reduced_form.size() == reduced_form.size() &&
        d.prepared.reduced_form == reduced_form) {
      return id;
    }
  }
  return std::nullopt;
}

Reply House::create_design(Batch& b, const PreparedDesign& d) {
  std::int64_t id = 0;
  if (auto existing = find_design(d.spec, d.bidders, d.reduced_form)) {
    id = *existing;
  } else {
    id = next_design_++;
    designs_[id] = make_design(id, d);
    b.push_back(
        {"INSERT INTO designs (id, spec, bidders, source, reduced_form, created_at) VALUES"
         " (?, ?, ?, ?, ?, ?)",
         {id, d.spec, std::int64_t{d.bidders}, d.source, d.reduced_form, now_ms()}});
  }
  json v{{"design_id", id},    {"values", d.spec}, {"bidders", d.bidders},
         {"source", d.source}, {"types", nullptr}, {"rule", design_rule_name(d)}};
  if (!d.classes.empty()) v["classes"] = json::parse(d.reduced_form).at("classes");
  return {201, v};
}

std::string design_sha256(const PreparedDesign& d) {
  if (!d.classes.empty()) return sha256_hex(class_design_digest_text(d.classes));
  const json reduced = json::parse(d.reduced_form);
  return sha256_hex(design_digest_text(d.spec, d.bidders, d.values, d.allocation,
                                       reduced.value("probabilities", std::vector<double>{})));
}

Reply House::create_auction(Batch& b, const Principal&, std::optional<std::int64_t> design_id,
                            const PreparedDesign* design, const AuctionTerms& terms) {
  std::int64_t did = 0;
  if (design_id) {
    if (!designs_.count(*design_id)) return not_found("design", *design_id);
    did = *design_id;
  } else {
    did = create_design(b, *design).body.at("design_id").get<std::int64_t>();
  }
  if (!designs_.at(did).prepared.classes.empty() && terms.protocol != kLotteryV2) {
    return error_reply(
        422, "protocol_required",
        "design " + std::to_string(did) + " has bidder classes: its auctions run dia-lottery-v2",
        "add \"protocol\": \"dia-lottery-v2\" and \"max_bid_micros\"");
  }
  Auction a;
  a.id = next_auction_++;
  a.design_id = did;
  a.status = "open";
  a.seed = random_hex(32);
  a.commitment = lottery_commitment(a.seed);
  a.tolerance = terms.tolerance.value_or(default_tolerance_);
  a.created_at = now_ms();
  a.protocol = terms.protocol;
  if (sealed(a)) {
    a.max_bid = terms.max_bid;
    a.penalty = terms.penalty;
    a.reveal_seconds = terms.reveal_seconds;
    a.terms_digest = terms_digest(lottery_terms(a));
  }
  b.push_back(
      {"INSERT INTO auctions (id, design_id, status, commitment, seed, tolerance_micros,"
       " created_at, protocol, max_bid_micros, penalty_micros, reveal_seconds, terms_digest)"
       " VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
       {a.id, did, a.commitment, a.seed, a.tolerance, a.created_at, a.protocol, a.max_bid,
        a.penalty, a.reveal_seconds, a.terms_digest}});
  auto& stored = auctions_[a.id] = std::move(a);
  return {201, auction_view(stored, false)};
}

LotteryTerms House::lottery_terms(const Auction& a) const {
  return {a.id,
          currency_,
          designs_.at(a.design_id).sha256,
          a.tolerance,
          a.max_bid,
          a.penalty,
          a.reveal_seconds,
          a.commitment};
}

const Principal& House::add_principal(Batch& b, const std::string& role, const std::string& name,
                                      const std::string& token_sha256) {
  const std::int64_t id = next_principal_++;
  const Principal& p = principals_[id] = {id, role, name};
  tokens_.add(token_sha256, p);
  b.push_back(
      {"INSERT INTO principals (id, role, name, token_sha256, created_at) VALUES (?, ?, ?,"
       " ?, ?)",
       {id, role, name, token_sha256, now_ms()}});
  if (role == "bidder") {
    open_account(b, "cash", id);
    open_account(b, "escrow", id);
  }
  return p;
}

Reply House::register_principal(Batch& b, const std::string& role, const std::string& name) {
  // No token yet: a placeholder no bearer token hashes to (the column is unique and not null).
  const std::int64_t id = next_principal_;
  add_principal(b, role, name, "pending:" + std::to_string(id));
  const std::string code = "dia_enroll_" + random_hex(24);
  const std::string code_sha256 = sha256_hex(code);
  const Enrollment e{id, now_ms() + kEnrollmentMs, 0};
  enrollments_[code_sha256] = e;
  b.push_back({"INSERT INTO enrollments (code_sha256, principal_id, expires_at) VALUES (?, ?, ?)",
               {code_sha256, id, e.expires_at}});
  return {201, json{{role + "_id", id},
                    {"name", name},
                    {"role", role},
                    {"enrollment_code", code},
                    {"enrollment_expires_at", e.expires_at},
                    {"enroll", "the " + role +
                                   " itself sends POST /v1/enroll {\"enrollment_code\": ...} "
                                   "(no token) and receives its token; the code works once"}}};
}

Reply House::enroll(Batch& b, const std::string& code_sha256) {
  const auto it = enrollments_.find(code_sha256);
  if (it == enrollments_.end()) {
    return error_reply(404, "unknown_enrollment_code", "no registration has this enrollment code",
                       "use the enrollment_code of POST /v1/bidders or /v1/inspectors, as given");
  }
  Enrollment& e = it->second;
  if (e.used_at > 0) {
    return error_reply(409, "enrollment_code_used", "this enrollment code was already exchanged",
                       "a code gives its token once; ask the operator for a new registration");
  }
  const std::int64_t now = now_ms();
  if (now > e.expires_at) {
    return error_reply(410, "enrollment_code_expired", "this enrollment code has expired",
                       "ask the operator for a new registration");
  }
  const Principal& p = principals_.at(e.principal_id);
  const std::string token = "dia_" + random_hex(24);
  const std::string token_sha256 = sha256_hex(token);
  e.used_at = now;
  tokens_.remove("pending:" + std::to_string(p.id));
  tokens_.add(token_sha256, p);
  b.push_back({"UPDATE principals SET token_sha256 = ? WHERE id = ?", {token_sha256, p.id}});
  b.push_back({"UPDATE enrollments SET used_at = ? WHERE code_sha256 = ?", {now, code_sha256}});
  return {201, json{{p.role + "_id", p.id}, {"name", p.name}, {"role", p.role}, {"token", token}}};
}

Reply House::fund(Batch& b, std::int64_t bidder_id, Micros amount) {
  const auto it = principals_.find(bidder_id);
  if (it == principals_.end() || it->second.role != "bidder") return not_found("bidder", bidder_id);
  // Every balance but the external one is >= 0 and they sum to the total funded, so capping the
  // total caps each balance (and every sum the ledger check takes) far below int64 overflow.
  const Micros funded = -accounts_.at(account_id("external", 0)).balance;
  if (amount > kMaxFundedMicros - funded) {
    return error_reply(
        422, "funding_cap_exceeded",
        "this funding would bring the money in the house to more than 2^62 micros (" +
            std::to_string(kMaxFundedMicros) + "); " + std::to_string(funded) + " are funded",
        "fund at most " + std::to_string(kMaxFundedMicros - funded) + " micros");
  }
  post(b, "fund", 0,
       {{account_id("external", 0), -amount}, {account_id("cash", bidder_id), amount}});
  Reply r = account(Principal{0, "operator", ""}, bidder_id);  // the operator's view
  r.status = 201;
  return r;
}

Reply House::account(const Principal& who, std::int64_t bidder_id) const {
  // Another's account answers as a missing one does: which ids are bidders stays unknown to
  // everyone but the operator.
  const auto it = principals_.find(bidder_id);
  if (it == principals_.end() || it->second.role != "bidder" ||
      (who.role != "operator" && who.id != bidder_id)) {
    return error_reply(404, "not_found",
                       "bidder " + std::to_string(bidder_id) + " does not exist or is not yours",
                       "a bidder reads only its own account");
  }
  const Micros cash = accounts_.at(account_id("cash", bidder_id)).balance;
  json v{{"bidder_id", bidder_id},
         {"cash_micros", cash},
         {"escrow_micros", accounts_.at(account_id("escrow", bidder_id)).balance}};
  // Sealed bids: what the bidder has committed to open auctions (and so its available balance)
  // would reveal its bid to anyone else, the operator included.
  if (who.id == bidder_id) {
    const auto c = committed_.find(bidder_id);
    const Micros committed = c == committed_.end() ? 0 : c->second;
    v["committed_micros"] = committed;
    v["available_micros"] = cash - committed;
  }
  return {200, v};
}

const House::Auction& House::find_auction(std::int64_t id) const {
  const auto it = auctions_.find(id);
  if (it == auctions_.end()) throw BadInput{not_found("auction", id)};
  return it->second;
}

House::Auction& House::find_auction(std::int64_t id) {
  return const_cast<Auction&>(static_cast<const House*>(this)->find_auction(id));
}

Reply House::submit_bid(Batch& b, const Principal& who, std::int64_t auction_id, Micros amount,
                        const std::string& format) {
  Auction& a = find_auction(auction_id);
  if (sealed(a)) {
    return error_reply(409, "commitment_required",
                       "auction " + std::to_string(auction_id) + " runs " + kLotteryV2 +
                           ": while it is open a bid is sealed as a commitment",
                       "send {\"commitment\": hex SHA-256(\"dia-bid-v2|<terms_digest>|<auction "
                       "id>|<bidder id>|<amount_micros>|<salt>\")}, then reveal amount and salt "
                       "after close (docs/api.md, dia-lottery-v2)");
  }
  if (a.status != "open") {
    return error_reply(409, "auction_closed",
                       "auction " + std::to_string(auction_id) + " is " + a.status +
                           ": bids are accepted only while it is open");
  }
  if (a.bids.count(who.id)) {
    return error_reply(409, "duplicate_bid", "this bidder already has a sealed bid in this auction",
                       "one sealed bid per bidder and auction");
  }
  const int seats = designs_.at(a.design_id).prepared.bidders;
  if (static_cast<int>(a.bids.size()) >= seats) {
    return error_reply(409, "auction_full",
                       "the auction's design is for " + std::to_string(seats) +
                           " bidder(s) and all seats have bid");
  }
  const Micros cash = accounts_.at(account_id("cash", who.id)).balance;
  Micros& committed = committed_[who.id];
  if (amount > cash - committed) {
    return error_reply(422, "insufficient_funds",
                       "the bid " + std::to_string(amount) + " exceeds the available balance " +
                           std::to_string(cash - committed) + " (micro-units)",
                       "a winner deposits its bid: bid at most your available balance");
  }
  committed += amount;
  Bid bid{next_bid_++, auction_id, who.id, amount, format, now_ms()};
  b.push_back(
      {"INSERT INTO bids (id, auction_id, bidder_id, amount_micros, format, created_at)"
       " VALUES (?, ?, ?, ?, ?, ?)",
       {bid.id, auction_id, who.id, amount, format, bid.created_at}});
  auto& stored = a.bids[who.id] = bid;
  return {201, bid_view(stored, a)};
}

json House::bid_view(const Bid& bid, const Auction& a) const {
  json v{{"bid_id", bid.id},           {"auction_id", bid.auction_id},
         {"bidder_id", bid.bidder_id}, {"amount_micros", bid.amount},
         {"format", bid.format},       {"auction_status", a.status}};
  // The terms of this bid, from its submission on: the deposit held if it wins, the inspection's
  // tolerance and the reward a truthful winner gets back (a liar gets 0).
  json dia{{"deposit_if_won_micros", bid.amount},
           {"tolerance_micros", a.tolerance},
           {"reward_if_truthful_micros", reward_micros(a, bid.bidder_id, bid.amount)}};
  if (a.status != "open" && a.status != "revealing") {  // decided at the draw
    const bool won = a.winner_id == bid.bidder_id && a.deposit > 0;
    dia["won"] = won;
    dia["deposit_micros"] = won ? a.deposit : 0;
    // OpenRTB's win and billing notices (a win) or loss notice, for whoever fires them (dia
    // calls no URL).
    NoticeOutcome notice{a.id, currency_, won, a.deposit, 0};
    if (won) {
      for (const auto& [key, url] : {std::pair{"nurl", &bid.nurl}, std::pair{"burl", &bid.burl}}) {
        if (!url->empty()) dia[key] = substitute_notice_macros(*url, notice);
      }
    } else if (!bid.lurl.empty()) {
      notice.loss =
          loss_reason(bid.amount, designs_.at(a.design_id).bidfloor, a.deposit > 0, a.deposit);
      dia["lurl"] = substitute_notice_macros(bid.lurl, notice);
    }
    if (won && a.inspection) {
      dia["inspection"] = {{"observed_micros", a.inspection->observed},
                           {"truthful", a.inspection->truthful}};
      dia["reward_micros"] = a.inspection->reward;
    }
  }
  if (sealed(a)) {
    v["protocol"] = kLotteryV2;
    v["commitment"] = a.commitments.at(bid.bidder_id).commitment;
    v["revealed"] = true;
  }
  if (!bid.openrtb_bid_id.empty()) v["openrtb_bid_id"] = bid.openrtb_bid_id;
  v["ext"] = {{"dia", dia}};
  return v;
}

// A v2 commitment not (yet) revealed: what the house holds and what failing to reveal costs.
json House::commitment_view(std::int64_t bidder, const Auction& a) const {
  const Commitment& c = a.commitments.at(bidder);
  json dia{{"held_micros", a.status == "open" || a.status == "revealing" ? a.max_bid : 0},
           {"penalty_if_unrevealed_micros", a.penalty},
           {"tolerance_micros", a.tolerance},
           {"terms_digest", a.terms_digest}};
  if (a.reveal_deadline > 0) dia["reveal_deadline"] = a.reveal_deadline;
  if (a.status != "open" && a.status != "revealing") dia["forfeited_micros"] = a.penalty;
  return {{"auction_id", a.id},         {"bidder_id", bidder},  {"protocol", kLotteryV2},
          {"commitment", c.commitment}, {"format", c.format},   {"revealed", false},
          {"auction_status", a.status}, {"ext", {{"dia", dia}}}};
}

Reply House::bids(const Principal& who, std::int64_t auction_id) const {
  const Auction& a = find_auction(auction_id);
  // A bidder's bid as it stands: revealed (or a v1 bid), else its sealed commitment.
  const auto view = [&](std::int64_t bidder) {
    const auto it = a.bids.find(bidder);
    return it != a.bids.end() ? bid_view(it->second, a) : commitment_view(bidder, a);
  };
  json list = json::array();
  if (who.role == "bidder") {
    if (a.bids.count(who.id) || a.commitments.count(who.id)) list.push_back(view(who.id));
  } else if (a.status == "open" || a.status == "revealing") {
    return error_reply(403, "sealed", "bids are sealed until the auction is drawn",
                       "only each bidder sees its own bid before the draw");
  } else if (who.role == "inspector") {
    // The inspector judges the winner's report against its bid and needs no other bid.
    if (auto it = a.bids.find(a.winner_id); a.deposit > 0 && it != a.bids.end()) {
      list.push_back(bid_view(it->second, a));
    }
  } else if (sealed(a)) {
    for (const auto& [bidder, c] : a.commitments) list.push_back(view(bidder));
  } else {
    for (const auto& [bidder, bid] : a.bids) list.push_back(bid_view(bid, a));
  }
  return {200, json{{"auction_id", auction_id}, {"bids", list}}};
}

json House::auction_view(const Auction& a, bool reveal) const {
  const auto& d = designs_.at(a.design_id).prepared;
  json v{{"auction_id", a.id},
         {"status", a.status},
         {"design_id", a.design_id},
         {"values", d.spec},
         {"bidders", d.bidders},
         {"commitment", a.commitment},
         {"tolerance_micros", a.tolerance},
         {"created_at", a.created_at},
         {"rule", design_rule_name(d)},
         {"at", openrtb_at(d)},
         {"cur", currency_},
         {"protocol", a.protocol}};
  if (!d.classes.empty()) v["classes"] = classes_view(a, nullptr);
  if (sealed(a)) {
    const LotteryTerms t = lottery_terms(a);
    v["terms_digest"] = a.terms_digest;
    v["terms"] = {{"design_sha256", t.design_sha256},
                  {"max_bid_micros", a.max_bid},
                  {"penalty_micros", a.penalty},
                  {"reveal_seconds", a.reveal_seconds}};
    v["commitments"] = a.commitments.size();
    if (a.reveal_deadline > 0) v["reveal_deadline"] = a.reveal_deadline;
    if (a.status == "revealing") v["revealed"] = a.bids.size();
  }
  if (a.status != "open" && a.status != "revealing" && reveal) {
    v["seed"] = a.seed;
    v["outcome"] = a.outcome;
    if (a.inspection) {
      v["inspection"] = {{"observed_micros", a.inspection->observed},
                         {"truthful", a.inspection->truthful},
                         {"reward_micros", a.inspection->reward},
                         {"revenue_micros", a.deposit - a.inspection->reward}};
    }
  }
  return v;
}

Reply House::auction(const Principal& who, std::int64_t auction_id) const {
  const Auction& a = find_auction(auction_id);
  json v = auction_view(a, true);
  // Bidder classes: the operator sees who holds which seat, a bidder its own seat.
  if (v.contains("classes")) {
    v["classes"] = classes_view(a, &who);
    if (const auto it = a.seats.find(who.id); it != a.seats.end()) {
      v["seat"] = {{"class", it->second.bidder_class}, {"seat", it->second.seat}};
    }
  }
  return {200, v};
}

namespace {

// The deposit, inspection and reward terms as values a bidder's program can act on (the prose
// keys beside them say the same for people); the grid inline when asked or small.
json terms(const PreparedDesign& d, Micros tolerance, bool with_grid) {
  return json{
      {"deposit", {{"basis", "bid"}, {"fraction", 1}}},
      {"inspection",
       {{"truthful_if", "abs_observed_minus_bid_le_tolerance"}, {"tolerance_micros", tolerance}}},
      {"reward", reward_terms(d, with_grid)}};
}

}  // namespace

Reply House::openrtb_request(std::int64_t auction_id, bool inline_terms) const {
  const Auction& a = find_auction(auction_id);
  const Design& design = designs_.at(a.design_id);
  const auto& d = design.prepared;
  // The lowest bid that can win (none: nothing is ever sold, so no price clears the floor).
  const Micros floor = design.bidfloor.value_or(kMaxFundedMicros);
  const std::string terms_url =
      public_url_ + "/v1/designs/" + std::to_string(a.design_id) + "/terms";
  json r{{"id", std::to_string(a.id)},
         {"imp", json::array({{{"id", "1"},
                               {"bidfloor", static_cast<double>(floor) / double(kMicrosPerUnit)},
                               {"bidfloorcur", currency_}}})},
         {"at", openrtb_at(d)},
         {"tmax", tmax_ms_},
         {"cur", json::array({currency_})},
         {"ext",
          {{"dia",
            {{"auction_type", auction_type(d)},
             {"rule", design_rule_name(d)},
             {"status", a.status},
             {"commitment", a.commitment},
             {"design_id", a.design_id},
             {"bidders", d.bidders},
             {"bidfloor_micros", design.bidfloor ? json(*design.bidfloor) : json(nullptr)},
             {"deposit", "the winner deposits its bid (price)"},
             {"inspection", "the platform later observes the winner's value"},
             {"reward",
              "a truthful winner (|value - bid| <= tolerance_micros) is refunded "
              "floor(rho(bid) * 1e6) micro-units"},
             {"tolerance_micros", a.tolerance},
             {"terms", terms(d, a.tolerance, inline_terms || d.values.size() <= kInlineGridPoints)},
             {"terms_url", terms_url},
             {"terms_sha256", design.terms_sha256},
             {"protocol", a.protocol}}}}}};
  if (inline_terms || d.spec.size() <= kInlineSpecBytes) r["ext"]["dia"]["values"] = d.spec;
  if (!d.classes.empty()) {
    json classes = classes_view(a, nullptr);
    // Each class's grid inline only when asked or small, as the symmetric grid (the terms
    // document, at terms_url, has them all).
    for (json& c : classes) {
      json& reward = c.at("reward");
      reward["grid_points"] = reward.at("values").size();
      if (!inline_terms && reward.at("values").size() > kInlineGridPoints) {
        reward.erase("values");
        reward.erase("allocation");
      }
    }
    r["ext"]["dia"]["classes"] = std::move(classes);
  }
  if (sealed(a)) {
    json& dia = r["ext"]["dia"];
    const json view = auction_view(a, false);
    dia["terms_digest"] = a.terms_digest;
    dia["terms"]["sealed"] = view.at("terms");
    dia["terms"]["sealed"]["hold"] = "max_bid";
    dia["terms"]["sealed"]["unrevealed"] = "no_bid_and_penalty_forfeited";
    dia["bid"] =
        "while open: seatbid[0].bid[0].ext.dia.commitment = hex "
        "SHA-256(\"dia-bid-v2|<terms_digest>|"
        "<auction id>|<bidder id>|<amount_micros>|<salt>\"), price = max_bid (the amount held); "
        "after close, within reveal_seconds: POST .../reveal with the price and ext.dia.salt";
  }
  return {200, r};
}

Reply House::close(Batch& b, std::int64_t auction_id) {
  Auction& a = find_auction(auction_id);
  if (a.status != "open") {
    return error_reply(409, "already_closed",
                       "auction " + std::to_string(auction_id) + " is already " + a.status);
  }
  if (sealed(a)) return freeze(b, a);
  std::vector<SealedBid> bids;
  for (const auto& [bidder, bid] : a.bids) bids.push_back({bidder, bid.amount});
  settle_draw(b, a, draw_lottery(a.seed, a.id, bids, *designs_.at(a.design_id).prepared.rule));
  return {200, auction_view(a, true)};
}

void House::settle_draw(Batch& b, Auction& a, const LotteryOutcome& o) {
  if (sealed(a)) {
    for (const auto& [bidder, c] : a.commitments) committed_[bidder] -= a.max_bid;
  } else {
    for (const auto& [bidder, bid] : a.bids) committed_[bidder] -= bid.amount;
  }
  // The holds are released first: each covered its bidder's penalty and deposit.
  if (!o.unrevealed.empty()) {
    std::vector<std::pair<std::int64_t, Micros>> legs;
    for (const auto bidder : o.unrevealed) legs.push_back({account_id("cash", bidder), -a.penalty});
    // The burned penalties' account opens with the first forfeit.
    if (!account_index_.count({"forfeit", 0})) open_account(b, "forfeit", 0);
    legs.push_back({account_id("forfeit", 0), a.penalty * Micros(o.unrevealed.size())});
    post(b, "forfeit", a.id, legs);
  }
  a.closed_at = now_ms();
  if (o.delivered) {
    a.winner_id = o.winner->bidder_id;
    a.deposit = o.winner->amount;
    a.status = "awarded";
    post(b, "deposit", a.id,
         {{account_id("cash", a.winner_id), -a.deposit},
          {account_id("escrow", a.winner_id), a.deposit}});
  } else {
    a.status = "closed";
  }
  a.outcome = outcome_json(o);
  b.push_back(
      {"UPDATE auctions SET status = ?, winner_id = ?, deposit_micros = ?, outcome = ?,"
       " closed_at = ? WHERE id = ?",
       {a.status, a.winner_id, a.deposit, a.outcome.dump(), a.closed_at, a.id}});
}

Reply House::inspect(Batch& b, const Principal& who, std::int64_t auction_id, Micros observed) {
  Auction& a = find_auction(auction_id);
  if (a.status == "open" || a.status == "revealing") {
    return error_reply(409, "not_closed",
                       "auction " + std::to_string(auction_id) + " is still " + a.status,
                       "inspection reports are accepted after the draw, for a sold item");
  }
  if (a.status == "settled") {
    return error_reply(
        409, "already_inspected",
        "auction " + std::to_string(auction_id) + " was already inspected and settled");
  }
  if (a.status != "awarded") {
    return error_reply(
        409, "no_winner",
        "auction " + std::to_string(auction_id) + " closed without a sale: nothing to inspect");
  }
  const bool truthful = std::llabs(observed - a.deposit) <= a.tolerance;
  const Micros reward = truthful ? reward_micros(a, a.winner_id, a.deposit) : 0;
  a.inspection = Inspection{who.id, observed, reward, truthful, now_ms()};
  a.status = "settled";
  std::vector<std::pair<std::int64_t, Micros>> legs{
      {account_id("escrow", a.winner_id), -a.deposit}};
  if (reward > 0) legs.push_back({account_id("cash", a.winner_id), reward});
  if (a.deposit - reward > 0) legs.push_back({account_id("revenue", 0), a.deposit - reward});
  post(b, "settle", a.id, legs);
  b.push_back(
      {"INSERT INTO inspections (auction_id, inspector_id, observed_micros, truthful,"
       " reward_micros, created_at) VALUES (?, ?, ?, ?, ?, ?)",
       {a.id, who.id, observed, std::int64_t{truthful}, reward, a.inspection->created_at}});
  b.push_back({"UPDATE auctions SET status = 'settled' WHERE id = ?", {a.id}});
  return {200, json{{"auction_id", a.id},
                    {"winner_id", a.winner_id},
                    {"deposit_micros", a.deposit},
                    {"observed_micros", observed},
                    {"truthful", truthful},
                    {"reward_micros", reward},
                    {"revenue_micros", a.deposit - reward},
                    {"status", a.status}}};
}

Reply House::export_auction(std::int64_t auction_id) const {
  const Auction& a = find_auction(auction_id);
  if (a.protocol == kDecisionV1) return decision(auction_id);
  if (a.status == "open" || a.status == "revealing") {
    return error_reply(409, "not_closed",
                       "auction " + std::to_string(auction_id) + " is " + a.status +
                           ": it can be exported once drawn (its bids are sealed until then)");
  }
  const auto& d = designs_.at(a.design_id).prepared;
  json e{{"format", "dia-auction-export-v1"},
         {"auction_id", a.id},
         {"commitment", a.commitment},
         {"seed", a.seed},
         {"design",
          {{"values", d.spec},
           {"bidders", d.bidders},
           {"source", d.source},
           {"reduced_form", json::parse(d.reduced_form)}}},
         {"outcome", a.outcome},
         {"status", a.status}};
  if (!sealed(a)) {
    json bids = json::array();
    for (const auto& [bidder, bid] : a.bids) {
      bids.push_back({{"bidder_id", bidder}, {"amount_micros", bid.amount}});
    }
    e["bids"] = bids;
    return {200, e};
  }
  // dia-lottery-v2: everything needed to recompute the auction from the terms on, self-contained.
  const LotteryTerms t = lottery_terms(a);
  e["format"] = "dia-auction-export-v2";
  e["protocol"] = kLotteryV2;
  e["terms"] = {{"auction_id", t.auction_id},         {"currency", t.currency},
                {"design_sha256", t.design_sha256},   {"tolerance_micros", t.tolerance},
                {"max_bid_micros", t.max_bid},        {"penalty_micros", t.penalty},
                {"reveal_seconds", t.reveal_seconds}, {"seed_commitment", t.seed_commitment}};
  e["terms_digest"] = a.terms_digest;
  json commitments = json::array();
  for (const auto& [bidder, c] : a.commitments) {
    json v{{"bidder_id", bidder}, {"commitment", c.commitment}};
    if (const auto it = a.bids.find(bidder); it != a.bids.end()) {
      v["amount_micros"] = it->second.amount;
      v["salt"] = c.salt;
    } else {
      v["revealed"] = false;
    }
    commitments.push_back(v);
  }
  e["commitments"] = commitments;
  if (!d.classes.empty()) e["seats"] = seats_json(a);
  json settlement{{"deposit_micros", a.deposit},
                  {"forfeited_micros", a.penalty * Micros(a.commitments.size() - a.bids.size())}};
  if (a.inspection) {
    settlement["inspection"] = {{"observed_micros", a.inspection->observed},
                                {"truthful", a.inspection->truthful},
                                {"reward_micros", a.inspection->reward}};
  }
  e["settlement"] = settlement;
  return {200, e};
}

namespace {

// The page of a newest-first listing over ids (ascending in `ids`).
json page_of(const std::vector<std::int64_t>& ids, std::int64_t before, int limit,
             const std::function<json(std::int64_t)>& view, const char* key) {
  json list = json::array();
  auto it = before > 0 ? std::lower_bound(ids.begin(), ids.end(), before) : ids.end();
  while (it != ids.begin() && static_cast<int>(list.size()) < limit) list.push_back(view(*--it));
  // The next page lists the ids below the last one listed.
  return json{{key, list}, {"next_before", it == ids.begin() ? json(nullptr) : json(*it)}};
}

}  // namespace

Reply House::auction_list(const Principal& who, std::int64_t before, int limit) const {
  std::vector<std::int64_t> ids;
  ids.reserve(auctions_.size());
  for (const auto& [id, a] : auctions_) ids.push_back(id);
  return {200, page_of(
                   ids, before, limit,
                   [&](std::int64_t id) {
                     const Auction& a = auctions_.at(id);
                     json v = auction_view(a, true);
                     if (v.contains("classes")) v["classes"] = classes_view(a, &who);
                     // Bids stay sealed while open (only their number shows); after close the
                     // operator's view of GET /v1/auctions/{id}/bids.
                     if (a.status == "open" || a.status == "revealing") {
                       v["sealed_bids"] = sealed(a) ? a.commitments.size() : a.bids.size();
                     } else {
                       v["bids"] = bids(who, id).body.at("bids");
                     }
                     return v;
                   },
                   "auctions")};
}

Reply House::bidder_list(const Principal& who, std::int64_t before, int limit) const {
  std::vector<std::int64_t> ids;
  for (const auto& [id, p] : principals_)
    if (p.role == "bidder") ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  return {200, page_of(
                   ids, before, limit,
                   [&](std::int64_t id) {
                     json v = account(who, id).body;
                     v["name"] = principals_.at(id).name;
                     return v;
                   },
                   "bidders")};
}

}  // namespace dia::service
