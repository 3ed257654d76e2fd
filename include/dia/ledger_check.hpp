// The ledger's invariants, checked from the database alone (docs/api.md, "Ledger").
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dia/error.hpp"
#include "dia/micros.hpp"

namespace dia {

struct LedgerCheck {
  bool ok = true;
  std::vector<std::string> violations;  // empty when ok
  std::int64_t accounts = 0, transactions = 0, entries = 0, auctions = 0;
  Micros funded = 0;     // money that entered (minus the external account's balance)
  Micros cash = 0;       // sum of bidder cash balances
  Micros escrow = 0;     // sum of escrow balances
  Micros revenue = 0;    // the platform's revenue balance
  Micros forfeited = 0;  // penalties of unrevealed dia-lottery-v2 bids (paid to nobody)
};

// Opens `db_url` (sqlite:PATH or postgresql://...) read-only in spirit and checks: every
// transaction has >= 2 entries summing to zero; each account's balance equals the sum of its
// entries; no balance but the external one is negative; each auction's escrow was taken at most
// once, released at most once, and holds exactly its deposit until released and nothing after;
// rewards never exceed deposits; the forfeit account is only ever paid into; money is conserved
// (funded = cash + escrow + revenue + forfeited).
Expected<LedgerCheck> check_ledger(const std::string& db_url);

// The check as `dia ledger check` and GET /v1/ledger/check print it: ok, violations, the counts
// and the *_micros totals.
nlohmann::json ledger_check_json(const LedgerCheck& check);

}  // namespace dia
