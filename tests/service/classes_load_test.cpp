// Admissions to bidder classes under concurrency, on SQLite and PostgreSQL: two admissions racing
// for the last seat of a class (exactly one wins), and kill -9 while the operator admits and the
// admitted bidders commit (after the restart every acknowledged seat and commitment is there,
// none twice, every class within its count, and `dia ledger check` passes).
#include <latch>
#include <map>
#include <mutex>
#include <set>
#include <tuple>

#include "classes_support.hpp"
#include "crash_support.hpp"

namespace dia::testing {
namespace {

class ClassesLoadTest : public ClassesTest {
 protected:
  Answer admit_with_key(std::int64_t auction_id, std::int64_t bidder, int cls,
                        const std::string& key) {
    return op().post("/v1/auctions/" + std::to_string(auction_id) + "/bidders",
                     json{{"bidder_id", bidder}, {"class", cls}}, key);
  }
  // auction_seats as (auction, bidder) -> (class, seat).
  std::map<std::pair<std::int64_t, std::int64_t>, std::pair<int, int>> seats_in_database() {
    auto db = ledger::open_database(url_);
    EXPECT_TRUE(db);
    auto rows =
        (*db)->query({"SELECT auction_id, bidder_id, bidder_class, seat FROM auction_seats", {}});
    EXPECT_TRUE(rows);
    std::map<std::pair<std::int64_t, std::int64_t>, std::pair<int, int>> seats;
    for (const auto& r : *rows) {
      seats[{ledger::as_int(r[0]), ledger::as_int(r[1])}] = {int(ledger::as_int(r[2])),
                                                             int(ledger::as_int(r[3]))};
    }
    return seats;
  }
};

// Both requests are sent at once (a latch releases the two threads together), DIA_RACE_ROUNDS
// times (default 25): two bidders for class 1's only seat, and one bidder for class 0 under two
// idempotency keys. Exactly one of each pair wins; the loser is 409 class_full or already_admitted.
TEST_P(ClassesLoadTest, TwoAdmissionsRaceForTheLastSeat) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const auto design_id = design()["design_id"].get<std::int64_t>();
  const std::int64_t b[3] = {bidder(0).first, bidder(0).first, bidder(0).first};
  const char* env = std::getenv("DIA_RACE_ROUNDS");
  const int rounds = env ? std::atoi(env) : 25;
  for (int round = 0; round < rounds; ++round) {
    const auto id = class_auction(design_id);
    Answer r[4];
    std::latch go(4);
    const std::pair<std::int64_t, int> who[4] = {{b[0], 1}, {b[1], 1}, {b[2], 0}, {b[2], 0}};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([&, i] {
        Client c(server_->port());
        const std::string key = unique_key();
        go.arrive_and_wait();
        r[i] = c.post("/v1/auctions/" + std::to_string(id) + "/bidders",
                      json{{"bidder_id", who[i].first}, {"class", who[i].second}}, key);
      });
    }
    for (auto& t : threads) t.join();
    // The last seat of class 1: one winner at seat 0, the other class_full.
    ASSERT_TRUE((r[0].status == 201) != (r[1].status == 201)) << r[0].body << r[1].body;
    const int win = r[0].status == 201 ? 0 : 1;
    EXPECT_EQ(r[win].body["seat"], 0);
    EXPECT_EQ(r[1 - win].status, 409) << r[1 - win].body;
    EXPECT_EQ(r[1 - win].body["error"]["code"], "class_full");
    // The same bidder twice: one seat, the other already_admitted.
    ASSERT_TRUE((r[2].status == 201) != (r[3].status == 201)) << r[2].body << r[3].body;
    const Answer& again = r[2].status == 201 ? r[3] : r[2];
    EXPECT_EQ(again.status, 409) << again.body;
    EXPECT_EQ(again.body["error"]["code"], "already_admitted");
    const json a = op().get("/v1/auctions/" + std::to_string(id)).body;
    EXPECT_EQ(a["classes"][1]["bidder_ids"], json::array({who[win].first}));
    EXPECT_EQ(a["classes"][0]["bidder_ids"], json::array({b[2]}));
  }
  EXPECT_EQ(seats_in_database().size(), std::size_t(2 * rounds));
  EXPECT_EQ(ledger_check()["ok"], true);
}

// Two operator clients create auctions and admit three bidders to each (seats planned so that
// every admission can succeed: bidders i, i+1 to class 0 and i+2 to class 1, of six); six bidder
// clients commit wherever they are admitted. kill -9 mid-load, restart, then each admission left
// unanswered is retried under its own idempotency key, as a client would.
TEST_P(ClassesLoadTest, KillDuringAdmissionsLosesNoSeat) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const auto design_id = design()["design_id"].get<std::int64_t>();
  constexpr int kOperators = 2, kBidders = 6;
  std::vector<std::pair<std::int64_t, std::string>> bidders;
  for (int i = 0; i < kBidders; ++i) bidders.push_back(bidder(1'000'000'000'000));
  struct Admission {
    std::int64_t auction, bidder;
    int cls;
    std::string key;
    Answer answer;
  };
  std::vector<std::vector<Admission>> admissions(kOperators);
  std::vector<std::vector<std::int64_t>> committed(kBidders);  // acknowledged commitments
  std::mutex mutex;                                            // guards the bidders' work queues
  std::vector<std::vector<std::pair<std::int64_t, std::string>>> queue(kBidders);
  const json create{{"design_id", design_id},
                    {"protocol", "dia-lottery-v2"},
                    {"max_bid_micros", 5'000'000},
                    {"penalty_micros", 100'000},
                    {"reveal_seconds", 600}};
  kill_under_load(
      *server_, url_, kOperators + kBidders, std::chrono::milliseconds(700),
      [&](int t, const std::atomic<bool>& stop) {
        if (t < kOperators) {
          Client o(server_->port());
          for (int n = 0; !stop && n < 100000; ++n) {
            const Answer created = o.post("/v1/auctions", create, unique_key());
            if (created.status != 201) continue;
            const auto id = created.body["auction_id"].get<std::int64_t>();
            const std::string digest = terms_digest_of(created.body);
            for (int k = 0; k < 3; ++k) {
              const int who = (n * kOperators + t + k) % kBidders;
              Admission a{id, bidders[std::size_t(who)].first, k < 2 ? 0 : 1, unique_key(), {}};
              a.answer = admit_with_key(a.auction, a.bidder, a.cls, a.key);
              if (a.answer.status == 201) {
                std::lock_guard lock(mutex);
                queue[std::size_t(who)].push_back({id, digest});
              }
              admissions[std::size_t(t)].push_back(std::move(a));
            }
          }
          return;
        }
        const std::size_t me = std::size_t(t - kOperators);
        SealedBidder s(bidders[me].first, server_->port(), bidders[me].second);
        std::mt19937_64 rng(7 + me);
        while (!stop) {
          std::pair<std::int64_t, std::string> job;
          {
            std::lock_guard lock(mutex);
            if (!queue[me].empty()) {
              job = queue[me].back();
              queue[me].pop_back();
            }
          }
          if (job.first == 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            continue;
          }
          if (s.commit(job.first, 3'000'000, job.second, rng).status == 201) {
            committed[me].push_back(job.first);
          }
        }
      });

  start_server();
  // Every acknowledged admission is there at the seat it was answered; retried under its key it
  // answers the same. Unanswered ones, retried, end with one seat each.
  auto seats = seats_in_database();
  std::size_t acknowledged = 0, unanswered = 0;
  std::set<std::int64_t> touched;
  for (auto& list : admissions) {
    for (auto& a : list) {
      touched.insert(a.auction);
      if (a.answer.status == 201) {
        ++acknowledged;
        const auto it = seats.find({a.auction, a.bidder});
        ASSERT_NE(it, seats.end()) << "acknowledged seat lost: auction " << a.auction;
        EXPECT_EQ(it->second, std::make_pair(a.cls, a.answer.body["seat"].get<int>()));
        const Answer replay = admit_with_key(a.auction, a.bidder, a.cls, a.key);
        EXPECT_EQ(replay.status, 201);
        EXPECT_EQ(replay.body, a.answer.body);
      } else {
        ASSERT_EQ(a.answer.status, 0) << a.answer.body;  // the plan never refuses
        ++unanswered;
        const Answer retry = admit_with_key(a.auction, a.bidder, a.cls, a.key);
        EXPECT_EQ(retry.status, 201) << retry.body;
      }
    }
  }
  EXPECT_GT(acknowledged, 0u);
  // No seat twice: per auction and class, seats 0..k-1 with k within the class's count, and the
  // plan's three seats in every auction an operator reached.
  seats = seats_in_database();
  std::map<std::tuple<std::int64_t, int>, std::set<int>> by_class;
  for (const auto& [key, seat] : seats) {
    EXPECT_TRUE(touched.count(key.first));
    const auto inserted = by_class[{key.first, seat.first}].insert(seat.second).second;
    EXPECT_TRUE(inserted) << "seat " << seat.second << " twice in auction " << key.first;
  }
  for (const auto& [key, list] : by_class) {
    const int count = std::get<1>(key) == 0 ? 2 : 1;
    EXPECT_LE(int(list.size()), count);
    EXPECT_EQ(*list.rbegin(), int(list.size()) - 1);
  }
  std::map<std::int64_t, std::size_t> attempts, held;
  for (const auto& list : admissions) {
    for (const auto& a : list) ++attempts[a.auction];
  }
  for (const auto& [key, seat] : seats) ++held[key.first];
  EXPECT_EQ(held, attempts);
  // Every acknowledged commitment is there, from an admitted bidder.
  auto db = ledger::open_database(url_);
  ASSERT_TRUE(db);
  auto rows = (*db)->query({"SELECT auction_id, bidder_id FROM bid_commitments", {}});
  ASSERT_TRUE(rows);
  std::set<std::pair<std::int64_t, std::int64_t>> commitments;
  for (const auto& r : *rows) {
    commitments.insert({ledger::as_int(r[0]), ledger::as_int(r[1])});
    EXPECT_TRUE((seats.count({ledger::as_int(r[0]), ledger::as_int(r[1])})))
        << "a commitment without a seat";
  }
  std::size_t acked_commitments = 0;
  for (int i = 0; i < kBidders; ++i) {
    for (const auto id : committed[std::size_t(i)]) {
      ++acked_commitments;
      EXPECT_TRUE((commitments.count({id, bidders[std::size_t(i)].first})))
          << "acknowledged commitment lost: auction " << id;
    }
  }
  EXPECT_GT(acked_commitments, 0u);
  // Every seat row beside its idempotency row (the admission's answer starts with "admitted").
  const auto n = counts_of(url_,
                           "SELECT (SELECT COUNT(*) FROM auction_seats), (SELECT COUNT(*) FROM"
                           " idempotency WHERE response LIKE '{\"admitted\":%')");
  ASSERT_EQ(n.size(), 2u);
  EXPECT_EQ(n[0], n[1]);
  EXPECT_EQ(ledger_check()["ok"], true);
  server_->stop(SIGTERM);
  const CliRun ledger = run_cli({"ledger", "check", "--db", url_});
  EXPECT_EQ(ledger.exit_code, 0) << ledger.out << ledger.err;
}

INSTANTIATE_TEST_SUITE_P(Backends, ClassesLoadTest, ::testing::Values("sqlite", "postgresql"),
                         backend_name);

}  // namespace
}  // namespace dia::testing
