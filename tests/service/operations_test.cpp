// Running the house: one server per SQLite database, the ledger check while the server writes, and
// the ledger command on a database that does not exist.
#include "service_fixture.hpp"
#include "support/run_cli.hpp"

namespace dia::testing {
namespace {

// Runs `dia serve` on `url` for at most 20 s; its exit code and stderr.
CliRun serve_briefly(const std::string& url, const fs::path& dir) {
  const std::string err = (dir / "second.err").string();
  const std::string command = "DIA_OPERATOR_TOKEN=" + std::string(kOperatorToken) + " timeout 20 " +
                              DIA_CLI_PATH + " serve --port 0 --db " + shell_quote(url) + " 2>" +
                              err + " </dev/null";
  CliRun run;
  run.exit_code = WEXITSTATUS(std::system(command.c_str()));
  std::ifstream in(err);
  run.err.assign(std::istreambuf_iterator<char>(in), {});
  return run;
}

TEST_P(ServiceTest, ASecondServerOnTheSameDatabaseIsRefused) {
  DIA_REQUIRE_BACKEND(url_);
  if (GetParam() == "postgresql") {
    // Servers of this version share a PostgreSQL database (multinode_test.cpp); one of an older
    // version, which held the advisory lock 7160101 alone, is still refused, and refuses them.
    pqxx::connection older(url_);
    pqxx::nontransaction(older).exec("SELECT pg_advisory_lock(7160101)");
    const CliRun second = serve_briefly(url_, dir_);
    EXPECT_EQ(second.exit_code, 2) << second.err;
    EXPECT_NE(second.err.find("another dia serve is already running"), std::string::npos)
        << second.err;
    return;
  }
  start_server();
  const CliRun second = serve_briefly(url_, dir_);
  EXPECT_EQ(second.exit_code, 2) << second.err;
  EXPECT_NE(second.err.find("another dia serve is already running"), std::string::npos)
      << second.err;
  // The first one is unharmed and, once it is gone, the database is free again.
  EXPECT_EQ(ledger_check()["ok"], true);
  server_->stop(SIGKILL);
  start_server();
  EXPECT_EQ(ledger_check()["ok"], true);
}

TEST_P(ServiceTest, LedgerCheckIsConsistentWhileTheServerWrites) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(bidder(0).first);
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (auto id : ids) {
    writers.emplace_back([&, id] {
      Client c(server_->port());
      while (!stop) {
        c.post("/v1/bidders/" + std::to_string(id) + "/funds", json{{"amount_micros", 3}},
               unique_key());
      }
    });
  }
  // Every check sees one snapshot: money is conserved in each, whatever the writers do meanwhile.
  for (int i = 0; i < 40; ++i) {
    const json check = ledger_check();
    ASSERT_EQ(check["ok"], true) << check;
    EXPECT_EQ(check["funded_micros"], check["cash_micros"]);
  }
  stop = true;
  for (auto& t : writers) t.join();
}

TEST(LedgerCommand, AMissingSqliteDatabaseIsAnErrorNotANewFile) {
  const fs::path missing =
      fs::temp_directory_path() / ("dia-missing-" + std::to_string(getpid()) + ".db");
  fs::remove(missing);
  const CliRun run = run_cli({"ledger", "check", "--db", "sqlite:" + missing.string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("does not exist"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(missing));
}

}  // namespace
}  // namespace dia::testing
