// `dia ledger check --db URL`: verifies the ledger's invariants from the database alone.
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "dia/ledger_check.hpp"
#include "dia/version.hpp"

namespace dia::cli {

void register_ledger(CLI::App& app, int& exit_code) {
  auto db = std::make_shared<std::string>();
  CLI::App* ledger = app.add_subcommand("ledger", "inspect the auction house's ledger");
  ledger->require_subcommand(1);
  CLI::App* check = ledger->add_subcommand(
      "check", "verify every ledger invariant (exit 0 ok, 3 violated, 2 bad input)");
  check->add_option("--db", *db, "sqlite:PATH or postgresql://...")->required();
  check->callback([db, &exit_code] {
    auto report = check_ledger(*db);
    if (!report) throw UserError{report.error()};
    nlohmann::json out = ledger_check_json(*report);
    out["dia_version"] = kVersion;
    std::cout << out.dump(2) << "\n";
    exit_code = report->ok ? 0 : kExitAuditFailed;
  });
}

}  // namespace dia::cli
