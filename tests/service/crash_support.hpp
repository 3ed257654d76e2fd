// kill -9 under concurrent clients, shared by the crash tests: runs the clients, kills the server
// mid-load, waits for them, and checks the ledger offline with `dia ledger check` before any
// restart; and the counts that show each request committed whole or not at all.
#pragma once

#include <functional>
#include <vector>

#include "service_fixture.hpp"
#include "support/run_cli.hpp"

namespace dia::testing {

// `client(t, stop)` runs on thread t of `clients` until `stop` (or until it is done); the server
// is killed with SIGKILL after `load_for`. The caller restarts it and checks what was answered.
inline void kill_under_load(Server& server, const std::string& db_url, int clients,
                            std::chrono::milliseconds load_for,
                            const std::function<void(int, const std::atomic<bool>&)>& client) {
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) threads.emplace_back([&, t] { client(t, stop); });
  std::this_thread::sleep_for(load_for);
  server.stop(SIGKILL);
  stop = true;
  for (auto& t : threads) t.join();
  const CliRun check = run_cli({"ledger", "check", "--db", db_url});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

// The first row of a query of counts (e.g. rows of a table beside their idempotency rows).
inline std::vector<std::int64_t> counts_of(const std::string& db_url, const std::string& sql) {
  auto db = ledger::open_database(db_url);
  EXPECT_TRUE(db);
  if (!db) return {};
  auto rows = (*db)->query({sql, {}});
  EXPECT_TRUE(rows);
  std::vector<std::int64_t> out;
  if (rows && !rows->empty()) {
    for (const auto& cell : rows->at(0)) out.push_back(ledger::as_int(cell));
  }
  return out;
}

}  // namespace dia::testing
