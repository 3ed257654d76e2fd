// The database's side of GET /metrics: gauges and counters read in one snapshot, so that every
// node on a shared database reports the same figures and nothing is kept in memory for them.
#pragma once

#include <string>

#include "dia/error.hpp"
#include "ledger/database.hpp"

namespace dia::service {

// dia_auctions{status}, dia_ledger_balance_micros{kind}, dia_ledger_transactions_total{kind} and
// dia_lottery_draws_total{delivered} in the Prometheus text format. Full scans of auctions,
// accounts and transactions: run it on a reader connection, never the writer's.
Expected<std::string> database_metrics(ledger::Database& reader);

}  // namespace dia::service
