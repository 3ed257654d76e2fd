// One request the database refuses, or one that throws inside the writer, fails alone: the
// requests committed with it in the same group are answered and durable, memory again matches
// the database, and the server goes on.
#include <stdexcept>

#include "service/writer.hpp"
#include "service_fixture.hpp"
#include "support/run_cli.hpp"
#include "writer_support.hpp"

namespace dia::testing {
namespace {

std::int64_t scalar(ledger::Database& db, const std::string& sql) {
  auto rows = db.query({sql, {}});
  EXPECT_TRUE(rows) << (rows ? "" : rows.error().line());
  return rows ? ledger::as_int(rows->at(0).at(0)) : -1;
}

// A principal written behind the server's back takes the id the server gives next, so the next
// registration breaks the primary key at commit: a constraint violation no HTTP request can
// cause on its own (the server validates first), injected without any hook in the server.
TEST_P(ServiceTest, ARefusedRequestFailsAloneInItsGroupCommit) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  constexpr int kBidders = 6, kFundings = 8;  // per bidder, 1..8 micros-millions each
  std::vector<std::int64_t> ids;
  for (int b = 0; b < kBidders; ++b) ids.push_back(bidder(0).first);
  {
    auto db = ledger::open_database(url_);
    ASSERT_TRUE(db);
    const std::int64_t next = scalar(**db, "SELECT MAX(id) FROM principals") + 1;
    ASSERT_TRUE((*db)->execute_batch(
        {{"INSERT INTO principals (id, role, name, token_sha256, created_at) VALUES (?,"
          " 'inspector', 'intruder', 'not-a-token-hash', 0)",
          {next}}}));
  }
  // Fundings from many clients at once, the doomed registration in their midst.
  std::atomic<bool> go{false};
  std::atomic<int> funded{0};
  std::vector<std::thread> threads;
  for (int b = 0; b < kBidders; ++b) {
    threads.emplace_back([&, b] {
      Client c(server_->port());
      while (!go) std::this_thread::yield();
      for (int k = 1; k <= kFundings; ++k) {
        const Answer a = c.post("/v1/bidders/" + std::to_string(ids[b]) + "/funds",
                                json{{"amount_micros", k * 1'000'000}}, unique_key());
        EXPECT_EQ(a.status, 201) << a.body;
        if (a.status == 201) ++funded;
      }
    });
  }
  const std::string doomed_key = unique_key();
  Answer doomed;
  threads.emplace_back([&] {
    Client c(server_->port());
    while (!go) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    doomed = c.post("/v1/inspectors", json{{"name", "late"}}, doomed_key);
  });
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(funded, kBidders * kFundings);
  EXPECT_EQ(doomed.status, 500) << doomed.body;
  EXPECT_EQ(doomed.body["error"]["code"], "commit_refused") << doomed.body;

  // The server goes on; the refused request changed nothing, so its retry (same key) now runs.
  const Answer retry = op().post("/v1/inspectors", json{{"name", "late"}}, doomed_key);
  EXPECT_EQ(retry.status, 201) << retry.body;
  // Every acknowledged funding is in memory and, after a kill, in the database.
  const Micros each = Micros{1'000'000} * kFundings * (kFundings + 1) / 2;
  for (auto id : ids) {
    EXPECT_EQ(op().get("/v1/bidders/" + std::to_string(id) + "/account").body["cash_micros"], each);
  }
  server_->stop(SIGKILL);
  const CliRun check = run_cli({"ledger", "check", "--db", url_});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  start_server();
  for (auto id : ids) {
    EXPECT_EQ(op().get("/v1/bidders/" + std::to_string(id) + "/account").body["cash_micros"], each);
  }
  EXPECT_EQ(ledger_check()["ok"], true);
}

// The writer itself: a job that changes memory and then throws gets a JSON 500; the jobs of its
// group before it commit, the ones after it run again on the state reloaded from the database.
TEST_P(ServiceTest, AJobThatThrowsFailsAloneAndMemoryIsReloaded) {
  DIA_REQUIRE_BACKEND(url_);
  auto db = ledger::open_database(url_);
  ASSERT_TRUE(db);
  ASSERT_TRUE(ledger::migrate(**db));
  service::House house(0, "USD");
  ASSERT_TRUE(house.load(**db, "operator-hash"));
  std::int64_t bidder = 0;
  std::string token;
  {
    service::Metrics metrics;
    service::Writer writer(house, **db, 64, metrics);
    const service::Reply r =
        answer_of(writer, [](service::House& h, service::Batch& b, ledger::Database&) {
          return h.register_principal(b, "bidder", "b");
        });
    ASSERT_EQ(r.status, 201) << r.body;
    bidder = r.body["bidder_id"].get<std::int64_t>();
    const std::string code = sha256_hex(r.body["enrollment_code"].get<std::string>());
    const service::Reply e = answer_of(
        writer,
        [&](service::House& h, service::Batch& b, ledger::Database&) { return h.enroll(b, code); });
    ASSERT_EQ(e.status, 201) << e.body;
    token = e.body["token"].get<std::string>();
  }
  service::Metrics metrics;
  service::Writer writer(house, **db, 64, metrics);
  const auto fund = [&](Micros amount, bool then_throw) {
    return answer_of(writer, [=](service::House& h, service::Batch& b, ledger::Database&) {
      service::Reply r = h.fund(b, bidder, amount);
      if (then_throw) throw std::runtime_error("injected after funding " + std::to_string(amount));
      return r;
    });
  };
  std::vector<service::Reply> replies(9);
  std::vector<std::thread> threads;
  for (int i = 0; i < 9; ++i) {
    threads.emplace_back([&, i] { replies[i] = fund(Micros{1} << i, i == 4); });
  }
  for (auto& t : threads) t.join();
  Micros acknowledged = 0;
  for (int i = 0; i < 9; ++i) {
    if (i == 4) {
      EXPECT_EQ(replies[i].status, 500) << replies[i].body;
      EXPECT_EQ(replies[i].body["error"]["code"], "internal_error");
    } else {
      EXPECT_EQ(replies[i].status, 201) << replies[i].body;
      acknowledged += Micros{1} << i;
    }
  }
  EXPECT_EQ(acknowledged, 511 - 16);
  // Memory and database both hold exactly the acknowledged fundings.
  const service::Reply account =
      answer_of(writer, [&](service::House& h, service::Batch&, ledger::Database&) {
        return h.account(service::Principal{0, "operator", ""}, bidder);
      });
  EXPECT_EQ(account.body["cash_micros"], acknowledged) << account.body;
  EXPECT_EQ(scalar(**db, "SELECT balance_micros FROM accounts WHERE kind = 'cash'"), acknowledged);
  EXPECT_EQ(scalar(**db, "SELECT COUNT(*) FROM transactions WHERE kind = 'fund'"), 8);
  // The tokens survive the reload: the bidder still authenticates.
  EXPECT_TRUE(house.authenticate(sha256_hex(token)));
}

}  // namespace
}  // namespace dia::testing
