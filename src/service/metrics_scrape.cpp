#include "service/metrics_scrape.hpp"

#include "service/metrics.hpp"

namespace dia::service {
namespace {

// One family: rows of (label value, sample value).
void family(std::string& out, const char* name, const char* type, const char* help,
            const char* label, const std::vector<ledger::Row>& rows) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  for (const auto& row : rows) {
    out += std::string(name) + "{" + label + "=\"" + prometheus_label(ledger::as_text(row.at(0))) +
           "\"} " + std::to_string(ledger::as_int(row.at(1))) + "\n";
  }
}

}  // namespace

Expected<std::string> database_metrics(ledger::Database& reader) {
  auto snapshot = reader.query_snapshot({
      {"SELECT status, COUNT(*) FROM auctions GROUP BY status ORDER BY status", {}},
      {"SELECT kind, SUM(balance_micros) FROM accounts GROUP BY kind ORDER BY kind", {}},
      {"SELECT kind, COUNT(*) FROM transactions GROUP BY kind ORDER BY kind", {}},
      // A drawn auction delivered its object when the lottery picked a winner (it may pick none).
      {"SELECT CASE WHEN winner_id > 0 THEN 'true' ELSE 'false' END AS delivered, COUNT(*) FROM"
       " auctions WHERE status NOT IN ('open', 'revealing') GROUP BY delivered ORDER BY delivered",
       {}},
  });
  if (!snapshot) return tl::unexpected(snapshot.error());
  const auto& r = *snapshot;
  std::string out;
  family(out, "dia_auctions", "gauge", "Auctions by status (open, revealing, awarded, ...).",
         "status", r[0]);
  family(out, "dia_ledger_balance_micros", "gauge",
         "Sum of the balances of the ledger's accounts, by account kind, in micros.", "kind", r[1]);
  family(out, "dia_ledger_transactions_total", "counter",
         "Ledger transactions by kind (fund, deposit, settle, forfeit).", "kind", r[2]);
  family(out, "dia_lottery_draws_total", "counter",
         "Drawn auctions, by whether the lottery delivered the object to a winner.", "delivered",
         r[3]);
  return out;
}

}  // namespace dia::service
