// Ledger invariants, each one SQL query whose rows are violations.
#include "ledger/ledger_check.hpp"

#include <string>
#include <vector>

namespace dia::ledger {
namespace {

struct Rule {
  const char* name;
  const char* sql;  // each row is one violation; columns are printed
};

const Rule kRules[] = {
    {"transaction does not sum to zero",
     "SELECT transaction_id, SUM(amount_micros) FROM entries GROUP BY transaction_id"
     " HAVING SUM(amount_micros) <> 0"},
    {"transaction with fewer than two entries",
     "SELECT t.id, COUNT(e.id) FROM transactions t LEFT JOIN entries e ON e.transaction_id = t.id"
     " GROUP BY t.id HAVING COUNT(e.id) < 2"},
    {"account balance differs from the sum of its entries",
     "SELECT a.id, a.balance_micros, COALESCE(SUM(e.amount_micros), 0) FROM accounts a LEFT JOIN"
     " entries e ON e.account_id = a.id GROUP BY a.id, a.balance_micros"
     " HAVING a.balance_micros <> COALESCE(SUM(e.amount_micros), 0)"},
    {"negative balance",
     "SELECT id, kind, balance_micros FROM accounts WHERE kind <> 'external' AND balance_micros < "
     "0"},
    {"escrow of an awarded auction differs from its deposit",
     "SELECT au.id, au.deposit_micros, COALESCE(SUM(e.amount_micros), 0) FROM auctions au LEFT JOIN"
     " transactions t ON t.auction_id = au.id LEFT JOIN entries e ON e.transaction_id = t.id AND"
     " e.account_id IN (SELECT id FROM accounts WHERE kind = 'escrow') WHERE au.status ="
     " 'awarded' GROUP BY au.id, au.deposit_micros HAVING COALESCE(SUM(e.amount_micros), 0) <>"
     " au.deposit_micros"},
    {"escrow of an auction not fully released",
     "SELECT au.id, au.status, SUM(e.amount_micros) FROM auctions au JOIN transactions t ON"
     " t.auction_id = au.id JOIN entries e ON e.transaction_id = t.id JOIN accounts a ON a.id ="
     " e.account_id AND a.kind = 'escrow' WHERE au.status <> 'awarded' GROUP BY au.id, au.status"
     " HAVING SUM(e.amount_micros) <> 0"},
    {"escrow taken or released more than once",
     "SELECT auction_id, kind, COUNT(*) FROM transactions WHERE auction_id > 0 GROUP BY"
     " auction_id, kind HAVING COUNT(*) > 1"},
    {"deposit missing or misplaced",
     "SELECT au.id, au.status FROM auctions au WHERE (au.status IN ('awarded', 'settled')) <>"
     " EXISTS (SELECT 1 FROM transactions t WHERE t.auction_id = au.id AND t.kind = 'deposit')"},
    {"settlement missing or misplaced",
     "SELECT au.id, au.status FROM auctions au WHERE (au.status = 'settled') <> EXISTS (SELECT 1"
     " FROM transactions t WHERE t.auction_id = au.id AND t.kind = 'settle')"},
    {"forfeit account paid out",
     "SELECT e.id, e.amount_micros FROM entries e JOIN accounts a ON a.id = e.account_id WHERE"
     " a.kind = 'forfeit' AND e.amount_micros < 0"},
    {"reward above the deposit",
     "SELECT i.auction_id, i.reward_micros, au.deposit_micros FROM inspections i JOIN auctions au"
     " ON au.id = i.auction_id WHERE i.reward_micros > au.deposit_micros OR i.reward_micros < 0"},
};

}  // namespace

Expected<LedgerCheck> check_ledger(Database& db) {
  LedgerCheck report;
  struct Target {
    const char* sql;
    std::int64_t* out;
  };
  const Target targets[] = {
      {"SELECT COUNT(*) FROM accounts", &report.accounts},
      {"SELECT COUNT(*) FROM transactions", &report.transactions},
      {"SELECT COUNT(*) FROM entries", &report.entries},
      {"SELECT COUNT(*) FROM auctions", &report.auctions},
      {"SELECT -COALESCE(SUM(balance_micros), 0) FROM accounts WHERE kind = 'external'",
       &report.funded},
      {"SELECT COALESCE(SUM(balance_micros), 0) FROM accounts WHERE kind = 'cash'", &report.cash},
      {"SELECT COALESCE(SUM(balance_micros), 0) FROM accounts WHERE kind = 'escrow'",
       &report.escrow},
      {"SELECT COALESCE(SUM(balance_micros), 0) FROM accounts WHERE kind = 'revenue'",
       &report.revenue},
      {"SELECT COALESCE(SUM(balance_micros), 0) FROM accounts WHERE kind = 'forfeit'",
       &report.forfeited},
  };
  // One snapshot for every query, so the check is consistent while the server keeps writing.
  std::vector<Statement> queries;
  for (const auto& rule : kRules) queries.push_back({rule.sql, {}});
  for (const auto& t : targets) queries.push_back({t.sql, {}});
  auto results = db.query_snapshot(queries);
  if (!results) return tl::unexpected(results.error());
  std::size_t next = 0;
  for (const auto& rule : kRules) {
    for (const auto& row : (*results)[next]) {
      std::string line = std::string(rule.name) + ":";
      for (const auto& cell : row) line += " " + (cell ? *cell : std::string("NULL"));
      report.violations.push_back(std::move(line));
    }
    ++next;
  }
  for (const auto& t : targets) *t.out = as_int((*results)[next++].at(0).at(0));
  const Micros held = report.cash + report.escrow + report.revenue + report.forfeited;
  if (report.funded != held) {
    report.violations.push_back("money not conserved: funded " + std::to_string(report.funded) +
                                " != cash + escrow + revenue + forfeited " + std::to_string(held));
  }
  report.ok = report.violations.empty();
  return report;
}

}  // namespace dia::ledger

namespace dia {

Expected<LedgerCheck> check_ledger(const std::string& db_url) {
  auto db = ledger::open_database(db_url, /*create=*/false);
  if (!db) return tl::unexpected(db.error());
  auto tables = (*db)->query({"SELECT COUNT(*) FROM schema_version", {}});
  if (!tables) {
    return fail(ErrorCode::kInvalidArgument, "'" + db_url + "' is not a dia database",
                "pass the --db a `dia serve` ran on");
  }
  return ledger::check_ledger(**db);
}

nlohmann::json ledger_check_json(const LedgerCheck& check) {
  return {{"ok", check.ok},
          {"violations", check.violations},
          {"accounts", check.accounts},
          {"transactions", check.transactions},
          {"entries", check.entries},
          {"auctions", check.auctions},
          {"funded_micros", check.funded},
          {"cash_micros", check.cash},
          {"escrow_micros", check.escrow},
          {"revenue_micros", check.revenue},
          {"forfeited_micros", check.forfeited}};
}

}  // namespace dia
