// kill -9 while bids, closes (deposits) and inspections (settlements) run at once, several times:
// after each restart every acknowledged request is there with the answer it got, nothing is
// half-applied, and the ledger invariants hold.
#include <map>
#include <mutex>

#include "service_fixture.hpp"
#include "support/run_cli.hpp"

namespace dia::testing {
namespace {

struct Acked {
  std::mutex mutex;
  std::map<std::int64_t, std::map<std::int64_t, Micros>> bids;  // auction -> bidder -> amount
  std::map<std::int64_t, json> closes;                          // auction -> outcome
  std::map<std::int64_t, Micros> rewards;                       // auction -> reward
  std::vector<std::pair<std::int64_t, Micros>> to_inspect;      // awarded: auction, deposit
  int closes_in_flight = 0, inspections_in_flight = 0;          // unanswered at the kill
};

std::int64_t count(ledger::Database& db, const std::string& sql) {
  auto rows = db.query({sql, {}});
  EXPECT_TRUE(rows) << sql;
  return rows ? ledger::as_int(rows->at(0)[0]) : -1;
}

TEST_P(ServiceTest, KillDuringClosesAndInspectionsLosesNothingAcknowledged) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  constexpr int kBidders = 4, kAuctions = 600, kRounds = 3;
  std::vector<std::pair<std::int64_t, std::string>> bidders;
  for (int b = 0; b < kBidders; ++b) bidders.push_back(bidder(1'000'000'000));
  const std::string inspector_token = inspector();
  std::vector<std::int64_t> auctions;
  for (int i = 0; i < kAuctions; ++i) auctions.push_back(auction(two_bidder_design()));

  Acked acked;
  std::atomic<int> next_close{0};
  std::vector<std::atomic<int>> next_bid(kBidders);
  for (int round = 0; round < kRounds; ++round) {
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    // Bidders b and b + 2 bid in the auctions of b's parity (two seats each).
    for (int b = 0; b < kBidders; ++b) {
      threads.emplace_back([&, b] {
        Client c(server_->port(), bidders[b].second);
        while (!stop) {
          const int i = 2 * next_bid[b]++ + b % 2;
          if (i >= kAuctions) break;
          const Micros amount = 1'000'000 + 1'000 * b + i;
          const Answer a = c.post("/v1/auctions/" + std::to_string(auctions[i]) + "/bids",
                                  json{{"amount_micros", amount}}, unique_key());
          if (a.status == 0) break;  // the server is gone
          if (a.status == 201) {
            std::lock_guard lock(acked.mutex);
            acked.bids[auctions[i]][bidders[b].first] = amount;
          }
        }
      });
    }
    // Closers follow the bidders; inspectors settle what they close (every other one a lie).
    for (int k = 0; k < 2; ++k) {
      threads.emplace_back([&] {
        Client c(server_->port());
        while (!stop) {
          const int i = next_close++;
          if (i >= kAuctions) break;
          const Answer a = c.post("/v1/auctions/" + std::to_string(auctions[i]) + "/close",
                                  json::object(), unique_key());
          std::lock_guard lock(acked.mutex);
          if (a.status == 0) {  // unanswered: sent before or at the kill
            ++acked.closes_in_flight;
            break;
          }
          if (a.status != 200) continue;
          acked.closes[auctions[i]] = a.body["outcome"];
          if (a.body["status"] == "awarded") {
            acked.to_inspect.emplace_back(auctions[i], a.body["outcome"]["deposit_micros"]);
          }
        }
      });
      threads.emplace_back([&] {
        Client c(server_->port(), inspector_token);
        while (!stop) {
          std::pair<std::int64_t, Micros> job{0, 0};
          {
            std::lock_guard lock(acked.mutex);
            if (!acked.to_inspect.empty()) {
              job = acked.to_inspect.back();
              acked.to_inspect.pop_back();
            }
          }
          if (job.first == 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            continue;
          }
          const Micros observed = job.second + (job.first % 2);
          const Answer a = c.post("/v1/auctions/" + std::to_string(job.first) + "/inspection",
                                  json{{"observed_micros", observed}}, unique_key());
          std::lock_guard lock(acked.mutex);
          if (a.status == 0) {
            ++acked.inspections_in_flight;
            break;
          }
          if (a.status == 200) acked.rewards[job.first] = a.body["reward_micros"];
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300 + 150 * round));
    server_->stop(SIGKILL);
    stop = true;
    for (auto& t : threads) t.join();
    {
      std::lock_guard lock(acked.mutex);
      acked.to_inspect.clear();  // unanswered inspections may or may not have happened
    }

    // The database alone passes the ledger check, and every request is whole or absent.
    const CliRun check = run_cli({"ledger", "check", "--db", url_});
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
    {
      auto db = ledger::open_database(url_);
      ASSERT_TRUE(db);
      EXPECT_EQ(count(**db, "SELECT COUNT(*) FROM auctions WHERE status <> 'open'"),
                count(**db,
                      "SELECT COUNT(*) FROM idempotency WHERE status = 200 AND response LIKE"
                      " '%\"seed\"%'"));
      EXPECT_EQ(count(**db, "SELECT COUNT(*) FROM inspections"),
                count(**db,
                      "SELECT COUNT(*) FROM idempotency WHERE status = 200 AND response LIKE"
                      " '%\"truthful\"%'"));
      EXPECT_EQ(count(**db, "SELECT COUNT(*) FROM bids"),
                count(**db,
                      "SELECT COUNT(*) FROM idempotency WHERE status = 201 AND response LIKE"
                      " '%\"bid_id\"%'"));
    }
    start_server();
    std::lock_guard lock(acked.mutex);
    for (const auto& [id, outcome] : acked.closes) {
      const json a = op().get("/v1/auctions/" + std::to_string(id)).body;
      EXPECT_NE(a["status"], "open") << "acknowledged close lost in auction " << id;
      EXPECT_EQ(a["outcome"], outcome) << id;
    }
    for (const auto& [id, reward] : acked.rewards) {
      const json a = op().get("/v1/auctions/" + std::to_string(id)).body;
      EXPECT_EQ(a["status"], "settled") << "acknowledged inspection lost in auction " << id;
      EXPECT_EQ(a["inspection"]["reward_micros"], reward) << id;
    }
    for (const auto& [id, by_bidder] : acked.bids) {
      for (const auto& [bidder_id, amount] : by_bidder) {
        const auto& token = std::find_if(bidders.begin(), bidders.end(), [&](const auto& b) {
                              return b.first == bidder_id;
                            })->second;
        const json bids = Client(server_->port(), token)
                              .get("/v1/auctions/" + std::to_string(id) + "/bids")
                              .body["bids"];
        ASSERT_EQ(bids.size(), 1u) << "acknowledged bid lost in auction " << id;
        EXPECT_EQ(bids[0]["amount_micros"], amount);
      }
    }
    const json check_now = ledger_check();
    EXPECT_EQ(check_now["ok"], true) << check_now;
  }
  std::lock_guard lock(acked.mutex);
  std::printf(
      "acknowledged: %zu closes, %zu inspections; in flight at the kills: %d closes, %d "
      "inspections\n",
      acked.closes.size(), acked.rewards.size(), acked.closes_in_flight,
      acked.inspections_in_flight);
  EXPECT_GT(acked.closes.size(), 0u);
  EXPECT_GT(acked.rewards.size(), 0u);
  // The kills landed while closes or inspections were being processed.
  EXPECT_GT(acked.closes_in_flight + acked.inspections_in_flight, 0)
      << "no kill hit a close or an inspection in flight";
}

}  // namespace
}  // namespace dia::testing
