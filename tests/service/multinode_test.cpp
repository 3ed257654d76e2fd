// Several `dia serve` processes on one PostgreSQL database (docs/api.md, "Several nodes"): the
// invariants hold across nodes (closes and inspections racing on two nodes, bids that would
// overspend if two nodes each saw the old balance, an Idempotency-Key replayed on another node,
// reads after another node's write), and under load on three nodes with kill -9 of one, whose
// clients fail over: every acknowledged request is there, decisions' chain indices are distinct
// and without gap, `dia ledger check` passes.
#include <cstdio>
#include <functional>
#include <set>

#include "service_fixture.hpp"
#include "support/run_cli.hpp"

namespace dia::testing {
namespace {

class MultiNodeTest : public ServiceTest {
 protected:
  // Node 0 is the fixture's server (op(), bidder(), ... talk to it); each node logs in its own
  // directory.
  void start_nodes(int n) {
    start_server();
    for (int k = 1; k < n; ++k) {
      const fs::path dir = dir_ / ("node" + std::to_string(k));
      fs::create_directories(dir);
      extra_.push_back(std::make_unique<Server>(url_, dir));
      extra_.back()->start();
    }
  }
  Server& node(int k) { return k == 0 ? *server_ : *extra_.at(k - 1); }
  // The other nodes run a group (a read), so that they know the principals node 0 just made
  // (a token unknown to memory is also looked up in the database: docs/api.md, "Several nodes").
  void catch_up() {
    for (std::size_t k = 1; k <= extra_.size(); ++k) {
      ASSERT_EQ(Client(port(static_cast<int>(k))).get("/v1/decisions/chains").status, 200);
    }
  }
  int port(int k) { return node(k).port(); }
  void TearDown() override {
    extra_.clear();
    ServiceTest::TearDown();
  }
  std::vector<std::unique_ptr<Server>> extra_;
};

// A one-seat design on discrete(1:0.5,2:0.5): a bid of 2,000,000 always wins (X(2) = 1).
json one_seat_design() {
  json design = two_bidder_design();
  design["bidders"] = 1;
  design["reduced_form"]["allocation"] = {0.5, 1.0};
  return design;
}

std::string nonce(long n) {
  char text[65];
  std::snprintf(text, sizeof text, "%064lx", n);
  return text;
}

// Runs f on two threads released together; their answers.
std::pair<Answer, Answer> race(const std::function<Answer()>& a, const std::function<Answer()>& b) {
  std::atomic<int> ready{0};
  Answer first, second;
  auto run = [&](const std::function<Answer()>& f, Answer& out) {
    ++ready;
    while (ready < 2) std::this_thread::yield();
    out = f();
  };
  std::thread t([&] { run(a, first); });
  run(b, second);
  t.join();
  return {first, second};
}

std::string path(std::int64_t auction, const char* what = "") {
  return "/v1/auctions/" + std::to_string(auction) + what;
}

TEST_P(MultiNodeTest, InvariantsHoldAcrossNodes) {
  DIA_REQUIRE_BACKEND(url_);
  start_nodes(3);
  const json design = one_seat_design();

  // Reads see another node's write at once; an Idempotency-Key replays on another node, also
  // when sent to all three at the same time, and applies once.
  const auto [rich, rich_token] = bidder(1'000'000'000);
  Client on1(port(1)), on2(port(2));
  // A token enrolled on node 0 is known at once on node 2, which has run no group since: it is
  // found in the database.
  const std::string rich_account = "/v1/bidders/" + std::to_string(rich) + "/account";
  EXPECT_EQ(Client(port(2), rich_token).get(rich_account).status, 200);
  EXPECT_EQ(Client(port(2), std::string(64, 'f')).get(rich_account).status, 401);
  const std::string funds = "/v1/bidders/" + std::to_string(rich) + "/funds";
  const std::string account = "/v1/bidders/" + std::to_string(rich) + "/account";
  const Answer funded = op().post(funds, json{{"amount_micros", 5}}, "fund-once");
  ASSERT_EQ(funded.status, 201) << funded.body;
  EXPECT_EQ(on2.get(account).body["cash_micros"], 1'000'000'005);
  const Answer replayed = on1.post(funds, json{{"amount_micros", 5}}, "fund-once");
  EXPECT_EQ(replayed.status, 201);
  EXPECT_EQ(replayed.body, funded.body);
  EXPECT_EQ(on2.post(funds, json{{"amount_micros", 6}}, "fund-once").body["error"]["code"],
            "idempotency_key_reused");
  {
    std::vector<Answer> answers(3);
    std::vector<std::thread> threads;
    for (int k = 0; k < 3; ++k) {
      threads.emplace_back([&, k] {
        answers[k] = Client(port(k)).post(funds, json{{"amount_micros", 11}}, "fund-all");
      });
    }
    for (auto& t : threads) t.join();
    for (const Answer& a : answers) {
      EXPECT_EQ(a.status, 201);
      EXPECT_EQ(a.body, answers[0].body);
    }
  }
  EXPECT_EQ(on1.get(account).body["cash_micros"], 1'000'000'016);

  // A bidder registered on one node and enrolled on another is known to the third once that
  // one has caught up (any request through its writer; an unknown token is refused on the
  // headers, before the database is asked).
  {
    const Answer registered = on1.post("/v1/bidders", json{{"name", "x"}}, unique_key());
    ASSERT_EQ(registered.status, 201);
    const Answer enrolled = Client(port(2)).post_anonymous(
        "/v1/enroll", json{{"enrollment_code", registered.body["enrollment_code"]}});
    ASSERT_EQ(enrolled.status, 201);
    ASSERT_EQ(op().get(account).status, 200);  // node 0 catches up
    const Answer own = Client(port(0), enrolled.body["token"].get<std::string>())
                           .get("/v1/bidders/" + registered.body["bidder_id"].dump() + "/account");
    EXPECT_EQ(own.status, 200) << own.body;
    EXPECT_EQ(own.body["cash_micros"], 0);
    EXPECT_EQ(Client(port(0), "unknown-token-0123456789").get(account).status, 401);
  }

  // Funds never double-spent: a bidder holding 1,000,000 bids 600,000 in two auctions at once,
  // on two nodes: exactly one bid is taken.
  for (int i = 0; i < 8; ++i) {
    const auto [id, token] = bidder(1'000'000);
    const std::int64_t x = auction(design), y = auction(design);
    catch_up();
    Client c0(port(0), token), c1(port(1), token);
    const auto [a, b] = race(
        [&] {
          return c0.post(path(x, "/bids"), json{{"amount_micros", 600'000}}, unique_key());
        },
        [&] {
          return c1.post(path(y, "/bids"), json{{"amount_micros", 600'000}}, unique_key());
        });
    EXPECT_EQ((a.status == 201) + (b.status == 201), 1) << a.body << b.body;
    EXPECT_EQ((a.status == 422) + (b.status == 422), 1) << a.body << b.body;
    EXPECT_EQ(Client(port(2), token)
                  .get("/v1/bidders/" + std::to_string(id) + "/account")
                  .body["available_micros"],
              400'000);
  }

  // One close and one payout per auction: two nodes close, then inspect, each auction at once.
  const std::string inspector_token = inspector();
  catch_up();
  for (int i = 0; i < 8; ++i) {
    const std::int64_t id = auction(design);
    ASSERT_EQ(Client(port(i % 3), rich_token)
                  .post(path(id, "/bids"), json{{"amount_micros", 2'000'000}}, unique_key())
                  .status,
              201);
    const auto [a, b] =
        race([&] { return on1.post(path(id, "/close"), json::object(), unique_key()); },
             [&] { return on2.post(path(id, "/close"), json::object(), unique_key()); });
    EXPECT_EQ((a.status == 200) + (b.status == 200), 1) << a.body << b.body;
    EXPECT_EQ((a.status == 409) + (b.status == 409), 1) << a.body << b.body;
    EXPECT_EQ((a.status == 200 ? a : b).body["status"], "awarded");
    Client i0(port(0), inspector_token), i2(port(2), inspector_token);
    const json observed{{"observed_micros", 2'000'000}};
    const auto [c, d] =
        race([&] { return i0.post(path(id, "/inspection"), observed, unique_key()); },
             [&] { return i2.post(path(id, "/inspection"), observed, unique_key()); });
    EXPECT_EQ((c.status == 200) + (d.status == 200), 1) << c.body << d.body;
    EXPECT_EQ((c.status == 409) + (d.status == 409), 1) << c.body << d.body;
  }
  EXPECT_EQ(ledger_check()["ok"], true);
}

// What one load client acknowledged.
struct Acked {
  std::vector<std::pair<std::int64_t, Micros>> bids;  // auction, amount
  Micros funds = 0;
  std::vector<json> decisions;
  std::vector<std::int64_t> closes;
  int failovers = 0, unacknowledged = 0, server_errors = 0;
};

TEST_P(MultiNodeTest, KillOfOneNodeUnderLoadLosesNothingAcknowledged) {
  DIA_REQUIRE_BACKEND(url_);
  start_nodes(3);
  constexpr int kClients = 6;
  const json design = one_seat_design();
  const std::string ex =
      enroll(op().post("/v1/exchanges", json{{"name", "exchange"}}, unique_key()));
  const std::int64_t decided = op().post("/v1/designs", two_bidder_design(), unique_key())
                                   .body.value("design_id", std::int64_t{0});
  // Not structured bindings: the threads capture them (clang 14 cannot).
  const std::int64_t alice = bidder(1'000'000'000'000).first;
  const std::int64_t bob = bidder(1'000'000'000'000).first;
  std::vector<std::pair<std::int64_t, std::string>> bidders;
  for (int t = 0; t < kClients; ++t) bidders.push_back(bidder(1'000'000'000));
  std::vector<std::int64_t> auctions, to_close;
  for (int i = 0; i < 120; ++i) auctions.push_back(auction(design));
  const std::pair<std::int64_t, std::string> closing = bidder(1'000'000'000);
  catch_up();
  for (int i = 0; i < 12; ++i) {
    to_close.push_back(auction(design));
    ASSERT_EQ(
        Client(port(i % 3), closing.second)
            .post(path(to_close.back(), "/bids"), json{{"amount_micros", 2'000'000}}, unique_key())
            .status,
        201);
  }

  // Each request goes to the client's node; when that node does not answer it goes, with the
  // same Idempotency-Key, to the next one, until it is acknowledged (or 20 s have passed).
  std::atomic<bool> stop{false};
  auto send = [&](int& home, Acked& acked, const std::string& token,
                  const std::function<Answer(Client&, const std::string&)>& request) {
    const std::string key = unique_key();
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
      Client c(port(home), token);
      const Answer a = request(c, key);
      if (a.status != 0 && a.status != 503) {
        if (a.status >= 500) ++acked.server_errors;
        return a;
      }
      if (std::chrono::steady_clock::now() > give_up) {
        ++acked.unacknowledged;
        return a;
      }
      home = (home + 1) % 3;
      ++acked.failovers;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  };
  std::vector<Acked> acked(kClients + 2);
  std::vector<std::thread> threads;
  std::atomic<int> next_auction{0};
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&, t] {
      int home = t % 3;
      Acked& mine = acked[t];
      const std::string funds = "/v1/bidders/" + std::to_string(bidders[t].first) + "/funds";
      for (int n = 0; !stop; ++n) {
        const int i = next_auction++;
        if (i >= static_cast<int>(auctions.size())) break;
        const json bid{{"amount_micros", 1'000 + i}};
        if (send(home, mine, bidders[t].second, [&](Client& c, const std::string& key) {
              return c.post(path(auctions[i], "/bids"), bid, key);
            }).status == 201) {
          mine.bids.push_back({auctions[i], 1'000 + i});
        }
        if (send(home, mine, kOperatorToken, [&](Client& c, const std::string& key) {
              return c.post(funds, json{{"amount_micros", 7}}, key);
            }).status == 201) {
          mine.funds += 7;
        }
        const json decision{
            {"design_id", decided},
            {"request_id", "c" + std::to_string(t) + "-" + std::to_string(n)},
            {"bids", json::array({{{"bidder_id", alice}, {"amount_micros", 1'000'000 + n}},
                                  {{"bidder_id", bob}, {"amount_micros", 2'000'000 + t}}})},
            {"nonce", nonce(t * 100000L + n)}};
        const Answer d = send(home, mine, ex, [&](Client& c, const std::string& key) {
          return c.post("/v1/decisions", decision, key);
        });
        if (d.status == 201) mine.decisions.push_back(d.body);
      }
    });
  }
  // Two operators close the same auctions in the same order, one on node 1, one on node 2 (the
  // node killed below): each auction is closed once.
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      int home = 1 + t;
      Acked& mine = acked[kClients + t];
      for (const std::int64_t id : to_close) {
        const Answer a = send(home, mine, kOperatorToken, [&](Client& c, const std::string& key) {
          return c.post(path(id, "/close"), json::object(), key);
        });
        if (a.status == 200) mine.closes.push_back(id);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  node(2).stop(SIGKILL);
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  stop = true;
  for (auto& t : threads) t.join();

  const CliRun check = run_cli({"ledger", "check", "--db", url_});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  int failovers = 0;
  for (const Acked& a : acked) {
    EXPECT_EQ(a.unacknowledged, 0);
    EXPECT_EQ(a.server_errors, 0);  // no commit refused: no node worked from a stale state
    failovers += a.failovers;
  }
  EXPECT_GT(failovers, 0) << "the killed node's clients did not fail over";

  // Every acknowledged request is there, read from both surviving nodes.
  std::size_t bids = 0, decisions = 0;
  std::set<std::int64_t> indices;
  for (int t = 0; t < kClients; ++t) {
    Client c(port(t % 2), bidders[t].second);
    for (const auto& [auction_id, amount] : acked[t].bids) {
      ++bids;
      const Answer a = c.get(path(auction_id, "/bids"));
      ASSERT_EQ(a.body["bids"].size(), 1u) << "acknowledged bid lost in auction " << auction_id;
      EXPECT_EQ(a.body["bids"][0]["amount_micros"], amount);
    }
    // Every fund was acknowledged (with fail-over), so the balance is exact.
    EXPECT_EQ(
        c.get("/v1/bidders/" + std::to_string(bidders[t].first) + "/account").body["cash_micros"],
        1'000'000'000 + acked[t].funds);
    for (const json& d : acked[t].decisions) {
      ++decisions;
      const Answer g = Client(port(1 - t % 2)).get("/v1/decisions/" + d["decision_id"].dump());
      ASSERT_EQ(g.status, 200) << "acknowledged decision lost: " << d;
      for (const char* key : {"winner_id", "deposit_micros", "delivered", "lottery"}) {
        EXPECT_EQ(g.body[key], d[key]) << key;
      }
      EXPECT_TRUE(indices.insert(d["lottery"]["chain_index"].get<std::int64_t>()).second)
          << "chain index used twice: " << d;
    }
  }
  EXPECT_GT(bids, 0u);
  EXPECT_GT(decisions, 0u);
  // Each auction closed once: one 200 between the two operators, every one closed.
  std::multiset<std::int64_t> closed;
  for (int t = 0; t < 2; ++t)
    closed.insert(acked[kClients + t].closes.begin(), acked[kClients + t].closes.end());
  EXPECT_EQ(closed.size(), to_close.size());
  EXPECT_EQ(std::set<std::int64_t>(closed.begin(), closed.end()).size(), to_close.size());

  auto db = ledger::open_database(url_);
  ASSERT_TRUE(db);
  auto rows = (*db)->query(
      {"SELECT (SELECT COUNT(*) FROM decisions), (SELECT MAX(chain_index) FROM decisions),"
       " (SELECT COUNT(*) FROM bids), (SELECT COUNT(*) FROM idempotency WHERE response LIKE"
       " '%\"bid_id\"%'), (SELECT COUNT(*) FROM transactions WHERE kind = 'deposit' AND"
       " auction_id IN (SELECT id FROM auctions WHERE protocol <> 'dia-decision-v1'))",
       {}});
  ASSERT_TRUE(rows);
  const auto& r = rows->at(0);
  EXPECT_EQ(ledger::as_int(r[0]), ledger::as_int(r[1]));  // indices 1..N: no gap, none twice
  EXPECT_EQ(ledger::as_int(r[2]), ledger::as_int(r[3]));  // every bid whole
  EXPECT_EQ(ledger::as_int(r[4]), static_cast<std::int64_t>(to_close.size()));  // one deposit each
  EXPECT_EQ(ledger_check()["ok"], true);

  // The killed node comes back and sees everything the others did meanwhile.
  node(2).start();
  EXPECT_EQ(Client(port(2)).get("/v1/decisions/chains").body["chains"][0]["used"],
            ledger::as_int(r[1]));
}

// A node that hangs while holding the write lock (here another session takes it and keeps it)
// makes the other nodes' groups answer 503 write_lock_timeout after the lock wait, not hang; the
// same request retried once the lock is free is applied once.
TEST_P(MultiNodeTest, AHungLockHolderMakesWritesFailFastNotHang) {
  DIA_REQUIRE_BACKEND(url_);
  url_ += "?options=-c%20lock_timeout%3D1s";  // the lock wait, set by the URL (default 10 s)
  start_server();
  const std::int64_t id = bidder(1'000).first;
  const std::string funds = "/v1/bidders/" + std::to_string(id) + "/funds";
  auto hung = ledger::open_database(url_);
  ASSERT_TRUE(hung);
  ASSERT_TRUE((*hung)->query({"SELECT pg_advisory_lock(7160102)", {}}));
  const auto start = std::chrono::steady_clock::now();
  const Answer refused = op().post(funds, json{{"amount_micros", 5}}, "during-the-hang");
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.body["error"]["code"], "write_lock_timeout") << refused.body;
  EXPECT_GE(waited, std::chrono::milliseconds(900));
  EXPECT_LT(waited, std::chrono::seconds(8));
  ASSERT_TRUE((*hung)->query({"SELECT pg_advisory_unlock(7160102)", {}}));
  const Answer retried = op().post(funds, json{{"amount_micros", 5}}, "during-the-hang");
  EXPECT_EQ(retried.status, 201) << retried.body;
  EXPECT_EQ(retried.body["cash_micros"], 1'005);
  EXPECT_EQ(ledger_check()["ok"], true);
}

// A node that stops (SIGSTOP) while it holds the write lock loses it when its write lease runs
// out (the database ends its idle session): another node's write then goes through after about
// the lease, not after the lock wait (10 s). The stopped node, resumed, cannot commit the group
// it held (its session is gone and its fence is stale: another node wrote since); it serves again
// on a new session. Every acknowledged funds request is in the balance and no refused one is.
TEST_P(MultiNodeTest, AStoppedLockHolderLosesTheLockAfterItsLease) {
  DIA_REQUIRE_BACKEND(url_);
  url_ += "?options=-c%20dia.write_lease%3D1s";  // the lease, set by the URL (default 5 s)
  start_nodes(2);
  const std::int64_t id = bidder(1'000).first;
  const std::string funds = "/v1/bidders/" + std::to_string(id) + "/funds";
  catch_up();
  // Node 1 busy with funds requests: it keeps the lock between them.
  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> acked{0};
  std::thread busy([&] {
    for (int n = 0; !stop && n < 100'000; ++n) {
      const Answer a =
          Client(port(1), kOperatorToken).post(funds, json{{"amount_micros", 1}}, unique_key());
      if (a.status == 201) {
        ++acked;
      } else {
        EXPECT_EQ(a.status, 503) << a.body;  // the group the stopped node held
      }
    }
  });
  // Stopped, until it is stopped holding the lock (node 0 is idle: the holder is node 1).
  auto probe = ledger::open_database(url_);
  ASSERT_TRUE(probe);
  bool holding = false;
  for (int attempt = 0; attempt < 300 && !holding; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    kill(node(1).pid(), SIGSTOP);
    const auto held = (*probe)->query(
        {"SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 0"
         " AND objid = 7160102 AND objsubid = 1",
         {}});
    ASSERT_TRUE(held);
    holding = ledger::as_int(held->at(0).at(0)) == 1;
    if (!holding) kill(node(1).pid(), SIGCONT);
  }
  ASSERT_TRUE(holding) << "node 1 was never stopped while holding the write lock";
  const auto start = std::chrono::steady_clock::now();
  const Answer during = op().post(funds, json{{"amount_micros", 1'000'000}}, unique_key());
  const auto waited = std::chrono::steady_clock::now() - start;
  kill(node(1).pid(), SIGCONT);
  EXPECT_EQ(during.status, 201) << during.body;
  EXPECT_LT(waited, std::chrono::seconds(5));  // the lease (1 s) and slack, not the lock wait
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  busy.join();
  const Answer after =
      Client(port(1), kOperatorToken).post(funds, json{{"amount_micros", 1}}, unique_key());
  ASSERT_EQ(after.status, 201) << after.body;
  EXPECT_EQ(after.body["cash_micros"], 1'000 + 1'000'000 + acked + 1);
  EXPECT_EQ(ledger_check()["ok"], true);
  const CliRun check = run_cli({"ledger", "check", "--db", url_});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

INSTANTIATE_TEST_SUITE_P(Backends, MultiNodeTest, ::testing::Values("postgresql"), backend_name);

}  // namespace
}  // namespace dia::testing
