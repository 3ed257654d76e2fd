// Rebuilds the house's state from the database (at start, and after a crash).
#include <algorithm>

#include "service/house.hpp"

namespace dia::service {

using ledger::as_int;
using ledger::as_text;

namespace {

std::vector<double> numbers(const json& reduced_form, const char* key) {
  return reduced_form.is_object() && reduced_form.contains(key)
             ? reduced_form.at(key).get<std::vector<double>>()
             : std::vector<double>{};
}

// The SPEC of stored design `id` as one that names no file. Designs are stored so; one stored
// before that may name a file (empirical(FILE)): it becomes the atoms it stood for, stored back
// by the caller, so that no start reads FILE again. An optimiser's design lists them with their
// probabilities in its reduced form; a saved one lists only the values, and FILE is read this
// one last time (its atoms must still be those values).
Expected<std::string> self_contained_spec(std::int64_t id, const std::string& spec,
                                          const json& reduced_form) {
  auto plain = parse_distribution(spec, SpecFiles::kRefuse);
  if (plain || plain.error().code != ErrorCode::kFileNotAllowed) return spec;  // build_rule checks
  const std::vector<double> values = numbers(reduced_form, "values");
  auto stored = parse_stored_spec(spec, {values, numbers(reduced_form, "probabilities")});
  if (stored) return (*stored)->spec();
  const std::string where = "stored design " + std::to_string(id) + " (" + spec + ")";
  const std::string hint =
      "restore the file as it was for one start: dia serve then stores its atoms in the design "
      "and never reads it again";
  auto read = parse_distribution(spec, SpecFiles::kInline);
  if (!read) {
    return fail(ErrorCode::kInvalidArgument, where + " names a file: " + read.error().message,
                hint);
  }
  if ((*read)->atoms().values != values) {
    return fail(ErrorCode::kInvalidArgument,
                where + " names a file whose values are no longer the design's", hint);
  }
  return (*read)->spec();
}

}  // namespace

Expected<void> House::reload(ledger::Database& db) {
  House fresh(default_tolerance_, currency_);
  fresh.tmax_ms_ = tmax_ms_;
  fresh.public_url_ = public_url_;
  // What a row determines is kept rather than built again: read reuses each design still stored
  // as it was, and a chain keeps its secrets, which its stored top secret determines.
  fresh.designs_.swap(designs_);
  if (auto r = fresh.load(db, operator_token_sha256_); !r) return r;
  for (auto& [id, chain] : fresh.chains_) {
    if (auto it = chains_.find(id);
        it != chains_.end() && it->second.top_secret == chain.top_secret)
      chain.secrets = it->second.secrets;
  }
  *this = std::move(fresh);
  return {};
}

Expected<void> House::catch_up(ledger::Database& db) {
  const auto since = db.changed_since();
  if (!since) return reload(db);
  // Rows are merged in place: a failure part way leaves memory half merged, and the caller
  // reloads it whole.
  try {
    Batch ignored;  // a merge writes nothing: fix-ups concern rows older than any catch-up
    return read(db, since, ignored, nullptr);
  } catch (const std::exception& e) {
    return fail(ErrorCode::kIo, std::string("cannot merge the changed rows: ") + e.what());
  }
}

std::optional<Principal> House::principal_of(ledger::Database& db,
                                             const std::string& token_sha256) {
  auto rows =
      db.query({"SELECT id, role, name FROM principals WHERE token_sha256 = ?", {token_sha256}});
  if (!rows || rows->empty()) return std::nullopt;
  const ledger::Row& r = rows->front();
  return Principal{as_int(r[0]), as_text(r[1]), as_text(r[2])};
}

Expected<void> House::load(ledger::Database& db, const std::string& operator_token_sha256) {
  operator_token_sha256_ = operator_token_sha256;
  Batch batch;
  std::vector<std::pair<std::int64_t, std::string>> operators;  // id, token hash
  if (auto r = read(db, std::nullopt, batch, &operators); !r) return r;
  // A chain is published (stored) before any decision uses it: the first one at the first start.
  if (std::none_of(chains_.begin(), chains_.end(),
                   [](const auto& c) { return c.second.used < c.second.length; })) {
    open_chain(batch);
  }
  // The platform's accounts and the operator's token.
  for (const auto* kind : {"external", "revenue"}) {
    if (!account_index_.count({kind, 0})) open_account(batch, kind, 0);
  }
  set_operator_token(batch, operators, operator_token_sha256);
  if (!batch.empty()) {
    if (auto r = db.execute_batch(batch); !r) return r;
  }
  return {};
}

void House::hold(const Auction& a, Micros sign) {
  const auto add = [&](std::int64_t bidder, Micros amount) {
    Micros& held = committed_[bidder];
    held += sign * amount;
    if (held == 0) committed_.erase(bidder);
  };
  if (a.status == "open") {
    for (const auto& [bidder, bid] : a.bids) add(bidder, bid.amount);
  }
  // Until the draw each commitment holds the cap (open: not yet revealed; revealing: either).
  if (a.status == "open" || a.status == "revealing") {
    for (const auto& [bidder, c] : a.commitments) add(bidder, a.max_bid);
  }
}

Expected<void> House::read(ledger::Database& db, std::optional<std::int64_t> since, Batch& batch,
                           std::vector<std::pair<std::int64_t, std::string>>* operators) {
  // Every table in one read-only snapshot, its queries sent at once where the backend pipelines
  // them: all rows, or (several nodes, PostgreSQL) those another node changed since this one
  // last wrote (Database::changed_since). Each row is merged into memory as it reads, so the
  // same code loads and catches up. Rows are never deleted.
  enum Table {
    kPrincipals,
    kDesigns,
    kAuctions,
    kBids,
    kOpenrtbBids,
    kCommitments,
    kSeats,
    kInspections,
    kAccounts,
    kLastTransaction,
    kLastEntry,
    kEnrollments,
    kIdempotency,
    kChains,
    kDecisions
  };
  const std::string changed = since ? " WHERE row_version > " + std::to_string(*since) : "";
  const auto all = [&](const std::string& select, const char* order = "") {
    return ledger::Statement{select + changed + order, {}};
  };
  auto tables = db.query_snapshot(
      {all("SELECT id, role, name, token_sha256 FROM principals", " ORDER BY id"),
       all("SELECT id, spec, bidders, source, reduced_form FROM designs"),
       all("SELECT id, design_id, status, commitment, seed, tolerance_micros, winner_id,"
           " deposit_micros, outcome, created_at, closed_at, protocol, max_bid_micros,"
           " penalty_micros, reveal_seconds, terms_digest, reveal_deadline FROM auctions"),
       all("SELECT id, auction_id, bidder_id, amount_micros, format, created_at FROM bids"),
       all("SELECT auction_id, bidder_id, openrtb_bid_id, nurl, burl, lurl FROM openrtb_bids"),
       all("SELECT auction_id, bidder_id, commitment, format, salt, created_at FROM"
           " bid_commitments"),
       all("SELECT auction_id, bidder_id, bidder_class, seat FROM auction_seats"),
       all("SELECT auction_id, inspector_id, observed_micros, truthful, reward_micros, created_at"
           " FROM inspections"),
       all("SELECT id, kind, owner_id, balance_micros FROM accounts"),
       {"SELECT COALESCE(MAX(id), 0) FROM transactions", {}},
       {"SELECT COALESCE(MAX(id), 0) FROM entries", {}},
       all("SELECT code_sha256, principal_id, expires_at, used_at FROM enrollments"),
       all("SELECT principal_id, idem_key, request_sha256, status, response FROM idempotency"),
       all("SELECT id, length, anchor, top_secret, created_at FROM decision_chains",
           " ORDER BY id"),
       all("SELECT auction_id, exchange_id, request_id, chain_id, chain_index, nonce,"
           " inputs_sha256, format, bids FROM decisions")});
  if (!tables) return tl::unexpected(tables.error());
  const auto table = [&](Table t) -> const std::vector<ledger::Row>& { return (*tables)[t]; };
  for (const auto& r : table(kPrincipals)) {
    const auto id = as_int(r[0]);
    principals_[id] = {id, as_text(r[1]), as_text(r[2])};
    tokens_.add(as_text(r[3]), principals_[id]);  // replaces the principal's former token
    next_principal_ = std::max(next_principal_, id + 1);
    if (operators && principals_[id].role == "operator") operators->emplace_back(id, as_text(r[3]));
    if (as_text(r[3]) == operator_token_sha256_ && principals_[id].role != "operator") {
      return fail(
          ErrorCode::kInvalidArgument,
          "the operator token is the token of " + principals_[id].role + " " + std::to_string(id),
          "choose a new random operator token");
    }
  }
  // A reload's designs (designs_ on entry) are kept where the row is unchanged; a full read
  // drops the others (a design whose commit failed).
  std::unordered_map<std::int64_t, Design> kept;
  if (!since) kept.swap(designs_);
  for (const auto& r : table(kDesigns)) {
    const auto id = as_int(r[0]);
    PreparedDesign d;
    d.spec = as_text(r[1]);
    d.bidders = static_cast<int>(as_int(r[2]));
    d.source = as_text(r[3]);
    d.reduced_form = as_text(r[4]);
    next_design_ = std::max(next_design_, id + 1);
    auto& previous = since ? designs_ : kept;
    if (auto it = previous.find(id); it != previous.end() && it->second.prepared.spec == d.spec &&
                                     it->second.prepared.bidders == d.bidders &&
                                     it->second.prepared.source == d.source &&
                                     it->second.prepared.reduced_form == d.reduced_form) {
      if (!since) designs_.emplace(id, std::move(it->second));
      continue;
    }
    try {
      const json reduced = json::parse(d.reduced_form);
      if (reduced.contains("classes")) {
        build_class_rule(d, reduced);  // stored by this dia: its class SPECs name no file
        designs_.insert_or_assign(id, make_design(id, std::move(d)));
        continue;
      }
      auto spec = self_contained_spec(id, d.spec, reduced);
      if (!spec) return tl::unexpected(spec.error());
      if (*spec != d.spec) {
        d.spec = std::move(*spec);
        batch.push_back({"UPDATE designs SET spec = ? WHERE id = ?", {d.spec, id}});
      }
      build_rule(d, reduced);
    } catch (const BadInput& e) {
      return fail(ErrorCode::kInvalidArgument,
                  "stored design " + std::to_string(id) +
                      " is invalid: " + e.reply.body["error"]["message"].get<std::string>());
    }
    designs_.insert_or_assign(id, make_design(id, std::move(d)));
  }
  // What bids hold of their bidders' cash follows the auctions they are in: the auctions any
  // changed row touches give back their holds, are merged, and take them again.
  std::vector<std::int64_t> touched;
  for (const Table t : {kAuctions, kBids, kCommitments}) {
    const std::size_t column = t == kBids ? 1 : 0;  // the auction's id
    for (const auto& r : table(t)) touched.push_back(as_int(r[column]));
  }
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  for (const auto id : touched) {
    if (const auto it = auctions_.find(id); it != auctions_.end()) hold(it->second, -1);
  }
  for (const auto& r : table(kAuctions)) {
    Auction& a = auctions_[as_int(r[0])];
    a.id = as_int(r[0]);
    a.design_id = as_int(r[1]);
    a.status = as_text(r[2]);
    a.commitment = as_text(r[3]);
    a.seed = as_text(r[4]);
    a.tolerance = as_int(r[5]);
    a.winner_id = as_int(r[6]);
    a.deposit = as_int(r[7]);
    const std::string outcome = as_text(r[8]);
    a.outcome = outcome.empty() ? json(nullptr) : json::parse(outcome);
    a.created_at = as_int(r[9]);
    a.closed_at = as_int(r[10]);
    a.protocol = as_text(r[11]);
    a.max_bid = as_int(r[12]);
    a.penalty = as_int(r[13]);
    a.reveal_seconds = as_int(r[14]);
    a.terms_digest = as_text(r[15]);
    a.reveal_deadline = as_int(r[16]);
    next_auction_ = std::max(next_auction_, a.id + 1);
  }
  for (const auto& r : table(kBids)) {
    Bid& b = auctions_.at(as_int(r[1])).bids[as_int(r[2])];  // its OpenRTB fields kept
    b.id = as_int(r[0]);
    b.auction_id = as_int(r[1]);
    b.bidder_id = as_int(r[2]);
    b.amount = as_int(r[3]);
    b.format = as_text(r[4]);
    b.created_at = as_int(r[5]);
    next_bid_ = std::max(next_bid_, b.id + 1);
  }
  // OpenRTB bids' Bid.id and notice URLs (record_openrtb), kept in the bid's transaction.
  for (const auto& r : table(kOpenrtbBids)) {
    Bid& b = auctions_.at(as_int(r[0])).bids.at(as_int(r[1]));
    b.openrtb_bid_id = as_text(r[2]);
    b.nurl = as_text(r[3]);
    b.burl = as_text(r[4]);
    b.lurl = as_text(r[5]);
  }
  for (const auto& r : table(kCommitments)) {
    auctions_.at(as_int(r[0])).commitments[as_int(r[1])] = {as_text(r[2]), as_text(r[3]),
                                                            as_text(r[4]), as_int(r[5])};
  }
  for (const auto id : touched) hold(auctions_.at(id), 1);
  for (const auto& r : table(kSeats)) {
    const ClassSeat seat{as_int(r[1]), static_cast<int>(as_int(r[2])),
                         static_cast<int>(as_int(r[3]))};
    auctions_.at(as_int(r[0])).seats[seat.bidder_id] = seat;
  }
  for (const auto& r : table(kInspections)) {
    auctions_.at(as_int(r[0])).inspection =
        Inspection{as_int(r[1]), as_int(r[2]), as_int(r[4]), as_int(r[3]) != 0, as_int(r[5])};
  }
  for (const auto& r : table(kAccounts)) {
    Account a{as_int(r[0]), as_text(r[1]), as_int(r[2]), as_int(r[3])};
    next_account_ = std::max(next_account_, a.id + 1);
    account_index_[{a.kind, a.owner}] = a.id;
    accounts_[a.id] = std::move(a);
  }
  next_transaction_ = as_int(table(kLastTransaction).at(0)[0]) + 1;
  next_entry_ = as_int(table(kLastEntry).at(0)[0]) + 1;
  for (const auto& r : table(kEnrollments)) {
    enrollments_[as_text(r[0])] = {as_int(r[1]), as_int(r[2]), as_int(r[3])};
  }
  for (const auto& r : table(kIdempotency)) {
    std::string response = as_text(r[4]);
    // Databases from before tokens were redacted kept a registration's token: redact it now.
    if (response.find("\"token\":\"") != std::string::npos) {
      response = redact_token(json::parse(response)).dump();
      batch.push_back(
          {"UPDATE idempotency SET response = ? WHERE principal_id = ? AND idem_key = ?",
           {response, as_int(r[0]), as_text(r[1])}});
    }
    remembered_[std::to_string(as_int(r[0])) + ":" + as_text(r[1])] = {
        as_text(r[2]), static_cast<int>(as_int(r[3])), std::move(response)};
  }
  merge_decisions(table(kChains), table(kDecisions));
  return {};
}

// The configured token becomes the only operator token: the operator (the first one; it keeps its
// id and so its idempotency keys) takes it, and every other operator token is revoked.
void House::set_operator_token(Batch& batch,
                               const std::vector<std::pair<std::int64_t, std::string>>& operators,
                               const std::string& token_sha256) {
  if (operators.empty()) {
    add_principal(batch, "operator", "operator", token_sha256);
    return;
  }
  for (std::size_t i = 1; i < operators.size(); ++i) {
    const std::string revoked = "revoked:" + std::to_string(operators[i].first);  // no hash
    tokens_.add(revoked, principals_.at(operators[i].first));
    batch.push_back(
        {"UPDATE principals SET token_sha256 = ? WHERE id = ?", {revoked, operators[i].first}});
  }
  const auto& [id, hash] = operators.front();
  if (hash == token_sha256) return;
  tokens_.add(token_sha256, principals_.at(id));
  batch.push_back({"UPDATE principals SET token_sha256 = ? WHERE id = ?", {token_sha256, id}});
}

}  // namespace dia::service
