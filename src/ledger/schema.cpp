// Versioned schema migrations, applied in order at start (portable SQL: SQLite and PostgreSQL).
#include <string>
#include <vector>

#include "ledger/database.hpp"

namespace dia::ledger {
namespace {

// Migration k (1-based) is kMigrations[k - 1]. Never edit a released migration: append one.
const std::vector<std::vector<std::string>> kMigrations = {
    {
        // Principals: the operator, bidders and inspectors, each with a hashed bearer token.
        "CREATE TABLE principals (id BIGINT PRIMARY KEY, role TEXT NOT NULL, name TEXT NOT NULL,"
        " token_sha256 TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL)",
        // Designs: the reduced form (JSON {values, allocation}) an auction runs.
        "CREATE TABLE designs (id BIGINT PRIMARY KEY, spec TEXT NOT NULL, bidders BIGINT NOT NULL,"
        " source TEXT NOT NULL, reduced_form TEXT NOT NULL, created_at BIGINT NOT NULL)",
        "CREATE TABLE auctions (id BIGINT PRIMARY KEY, design_id BIGINT NOT NULL REFERENCES"
        " designs(id), status TEXT NOT NULL, commitment TEXT NOT NULL, seed TEXT NOT NULL,"
        " tolerance_micros BIGINT NOT NULL, winner_id BIGINT NOT NULL DEFAULT 0,"
        " deposit_micros BIGINT NOT NULL DEFAULT 0, outcome TEXT NOT NULL DEFAULT '',"
        " created_at BIGINT NOT NULL, closed_at BIGINT NOT NULL DEFAULT 0)",
        "CREATE TABLE bids (id BIGINT PRIMARY KEY, auction_id BIGINT NOT NULL REFERENCES"
        " auctions(id), bidder_id BIGINT NOT NULL REFERENCES principals(id), amount_micros BIGINT"
        " NOT NULL CHECK (amount_micros > 0), format TEXT NOT NULL, created_at BIGINT NOT NULL,"
        " UNIQUE (auction_id, bidder_id))",
        // Accounts: kind external (the funding source, the only one allowed below zero),
        // revenue (the platform), cash and escrow (one each per bidder).
        "CREATE TABLE accounts (id BIGINT PRIMARY KEY, kind TEXT NOT NULL, owner_id BIGINT NOT"
        " NULL, balance_micros BIGINT NOT NULL, UNIQUE (kind, owner_id),"
        " CHECK (kind = 'external' OR balance_micros >= 0))",
        "CREATE TABLE transactions (id BIGINT PRIMARY KEY, kind TEXT NOT NULL, auction_id BIGINT"
        " NOT NULL, created_at BIGINT NOT NULL)",
        // The escrow of an auction is taken once (deposit) and released once (settle).
        "CREATE UNIQUE INDEX transactions_once ON transactions (auction_id, kind) WHERE"
        " auction_id > 0",
        "CREATE TABLE entries (id BIGINT PRIMARY KEY, transaction_id BIGINT NOT NULL REFERENCES"
        " transactions(id), account_id BIGINT NOT NULL REFERENCES accounts(id), amount_micros"
        " BIGINT NOT NULL)",
        "CREATE INDEX entries_by_transaction ON entries (transaction_id)",
        "CREATE TABLE inspections (auction_id BIGINT PRIMARY KEY REFERENCES auctions(id),"
        " inspector_id BIGINT NOT NULL, observed_micros BIGINT NOT NULL, truthful BIGINT NOT NULL,"
        " reward_micros BIGINT NOT NULL, created_at BIGINT NOT NULL)",
        // Idempotency keys, per principal, with the first answer.
        "CREATE TABLE idempotency (principal_id BIGINT NOT NULL, idem_key TEXT NOT NULL,"
        " request_sha256 TEXT NOT NULL, status BIGINT NOT NULL, response TEXT NOT NULL,"
        " created_at BIGINT NOT NULL, PRIMARY KEY (principal_id, idem_key))",
    },
    {
        // dia-lottery-v2 (docs/api.md): an auction's protocol and published terms (v1 auctions
        // keep the defaults), the reveal deadline set when it is frozen (close), and the sealed
        // commitments; a revealed bid's amount goes to bids (only after the freeze), its salt here.
        "ALTER TABLE auctions ADD COLUMN protocol TEXT NOT NULL DEFAULT 'dia-lottery-v1'",
        "ALTER TABLE auctions ADD COLUMN max_bid_micros BIGINT NOT NULL DEFAULT 0",
        "ALTER TABLE auctions ADD COLUMN penalty_micros BIGINT NOT NULL DEFAULT 0",
        "ALTER TABLE auctions ADD COLUMN reveal_seconds BIGINT NOT NULL DEFAULT 0",
        "ALTER TABLE auctions ADD COLUMN terms_digest TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE auctions ADD COLUMN reveal_deadline BIGINT NOT NULL DEFAULT 0",
        "CREATE TABLE bid_commitments (auction_id BIGINT NOT NULL REFERENCES auctions(id),"
        " bidder_id BIGINT NOT NULL REFERENCES principals(id), commitment TEXT NOT NULL,"
        " format TEXT NOT NULL, created_at BIGINT NOT NULL, salt TEXT NOT NULL DEFAULT '',"
        " PRIMARY KEY (auction_id, bidder_id), UNIQUE (auction_id, commitment))",
    },
    {
        // One-time enrollment codes (stored hashed): a registered bidder or inspector exchanges
        // its code once, before expires_at, for a token only it sees (used_at > 0 once used).
        "CREATE TABLE enrollments (code_sha256 TEXT PRIMARY KEY, principal_id BIGINT NOT NULL"
        " REFERENCES principals(id), expires_at BIGINT NOT NULL, used_at BIGINT NOT NULL"
        " DEFAULT 0)",
    },
    {
        // Designs with bidder classes (docs/api.md): the operator admits a bidder to a seat of
        // one class of an auction before it commits; each seat is held once.
        "CREATE TABLE auction_seats (auction_id BIGINT NOT NULL REFERENCES auctions(id),"
        " bidder_id BIGINT NOT NULL REFERENCES principals(id), bidder_class BIGINT NOT NULL,"
        " seat BIGINT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (auction_id, bidder_id),"
        " UNIQUE (auction_id, bidder_class, seat))",
    },
    {
        // One-shot decisions (docs/api.md): the house's hash chains of secrets (the anchor is
        // published; the top secret generates the chain), and each decision beside its row in
        // auctions (status, outcome, winner, deposit): its exchange, request, chain index (each
        // used once), nonce and bids (JSON, canonical order).
        "CREATE TABLE decision_chains (id BIGINT PRIMARY KEY, length BIGINT NOT NULL, anchor TEXT"
        " NOT NULL, top_secret TEXT NOT NULL, created_at BIGINT NOT NULL)",
        "CREATE TABLE decisions (auction_id BIGINT PRIMARY KEY REFERENCES auctions(id),"
        " exchange_id BIGINT NOT NULL REFERENCES principals(id), request_id TEXT NOT NULL,"
        " chain_id BIGINT NOT NULL REFERENCES decision_chains(id), chain_index BIGINT NOT NULL,"
        " nonce TEXT NOT NULL, inputs_sha256 TEXT NOT NULL, format TEXT NOT NULL, bids TEXT NOT"
        " NULL, created_at BIGINT NOT NULL, UNIQUE (exchange_id, request_id),"
        " UNIQUE (chain_id, chain_index))",
    },
    {
        // An OpenRTB bid's Bid.id and its win and billing notice URLs (docs/api.md, "OpenRTB
        // 2.6"), written with the bid (v1) or its reveal (v2).
        "CREATE TABLE openrtb_bids (auction_id BIGINT NOT NULL, bidder_id BIGINT NOT NULL,"
        " openrtb_bid_id TEXT NOT NULL, nurl TEXT NOT NULL, burl TEXT NOT NULL,"
        " PRIMARY KEY (auction_id, bidder_id), FOREIGN KEY (auction_id, bidder_id) REFERENCES"
        " bids (auction_id, bidder_id))",
    },
    {
        // An OpenRTB bid's loss notice URL (docs/api.md, "OpenRTB 2.6"), beside its others.
        "ALTER TABLE openrtb_bids ADD COLUMN lurl TEXT NOT NULL DEFAULT ''",
    },
};

// The tables whose rows a server keeps in memory (House::load): several servers on one database
// read only the rows another one changed (Database::track_changes). None is ever deleted from.
const std::vector<std::string> kTrackedTables = {
    "principals",      "designs",         "auctions",    "bids",     "openrtb_bids",
    "bid_commitments", "auction_seats",   "inspections", "accounts", "enrollments",
    "idempotency",     "decision_chains", "decisions"};

}  // namespace

Expected<int> migrate(Database& db) {
  if (auto r = db.execute_batch(
          {{"CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)", {}}});
      !r) {
    return tl::unexpected(r.error());
  }
  auto rows = db.query({"SELECT COALESCE(MAX(version), 0) FROM schema_version", {}});
  if (!rows) return tl::unexpected(rows.error());
  int version = static_cast<int>(as_int(rows->at(0).at(0)));
  if (version > static_cast<int>(kMigrations.size())) {
    return fail(
        ErrorCode::kInvalidArgument,
        "the database schema (version " + std::to_string(version) + ") is newer than this dia",
        "upgrade dia");
  }
  for (; version < static_cast<int>(kMigrations.size()); ++version) {
    std::vector<Statement> batch;
    for (const auto& sql : kMigrations[version]) batch.push_back({sql, {}});
    batch.push_back(
        {"INSERT INTO schema_version (version) VALUES (?)", {std::int64_t{version + 1}}});
    if (auto r = db.execute_batch(batch); !r) return tl::unexpected(r.error());
  }
  if (auto r = db.track_changes(kTrackedTables); !r) return tl::unexpected(r.error());
  return version;
}

}  // namespace dia::ledger
