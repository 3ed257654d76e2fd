// Several nodes on one PostgreSQL database catch up by reading only the rows another node changed
// (docs/api.md, "Several nodes"): three nodes in this process, each its own connection, house and
// writer, under concurrent load of every kind of write; then each node's memory, caught up row by
// row, must equal a house freshly loaded from the database (House::state_text).
#include "service/decision_input.hpp"
#include "service/design_input.hpp"
#include "service/writer.hpp"
#include "service_fixture.hpp"
#include "writer_support.hpp"

namespace dia::testing {
namespace {

using service::Batch;
using service::House;
using service::Principal;
using service::Reply;

constexpr const char* kOperatorHash = "operator-hash";

struct Node {
  explicit Node(const std::string& url) {
    auto opened = ledger::open_database(url);
    EXPECT_TRUE(opened) << opened.error().line();
    db = std::move(*opened);
    // As dia serve starts (server.cpp).
    EXPECT_TRUE(db->claim());
    EXPECT_TRUE(db->lock_writes());
    EXPECT_TRUE(ledger::migrate(*db));
    auto loaded = house.load(*db, kOperatorHash);
    EXPECT_TRUE(loaded) << loaded.error().line();
    db->unlock_writes();
    writer = std::make_unique<service::Writer>(house, *db, 64, metrics);
  }
  Reply run(const std::function<Reply(House&, Batch&)>& job) {
    return answer_of(*writer, [&](House& h, Batch& b, ledger::Database&) { return job(h, b); });
  }
  std::string state() {
    return run([](House& h, Batch&) {
             return Reply{200, json(h.state_text())};
           })
        .body.get<std::string>();
  }
  std::unique_ptr<ledger::Database> db;
  House house{0, "USD"};
  service::Metrics metrics;
  std::unique_ptr<service::Writer> writer;  // last: stopped first
};

std::int64_t created(const Reply& r, const char* key) {
  EXPECT_EQ(r.status, 201) << r.body;
  return r.body.value(key, std::int64_t{0});
}

class CatchUpTest : public ServiceTest {};

TEST_P(CatchUpTest, CatchUpOfChangedRowsEqualsAFullLoadUnderThreeNodeLoad) {
  DIA_REQUIRE_BACKEND(url_);
  std::vector<std::unique_ptr<Node>> nodes;
  for (int k = 0; k < 3; ++k) nodes.push_back(std::make_unique<Node>(url_));
  const Principal op = *nodes[0]->house.authenticate(kOperatorHash);
  const auto principal = [&](Node& node, const char* role) {
    const std::int64_t id =
        created(node.run([&](House& h, Batch& b) { return h.register_principal(b, role, "p"); }),
                (std::string(role) + "_id").c_str());
    return Principal{id, role, "p"};
  };
  const Principal exchange = principal(*nodes[0], "exchange");
  const Principal inspector = principal(*nodes[1], "inspector");
  service::DesignInput designs;
  const auto design = designs.prepare(two_bidder_design());
  const std::int64_t design_id = created(
      nodes[2]->run([&](House& h, Batch& b) { return h.create_design(b, *design); }), "design_id");
  constexpr int kThreads = 6, kRounds = 20;
  std::vector<Principal> bidders;
  for (int t = 0; t < kThreads; ++t) {
    bidders.push_back(principal(*nodes[t % 3], "bidder"));
    nodes[(t + 1) % 3]->run(
        [&](House& h, Batch& b) { return h.fund(b, bidders.back().id, 1'000'000'000); });
  }

  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const Principal& me = bidders[t];
      const Principal& other = bidders[(t + 1) % kThreads];
      const auto expect = [&](const Reply& r, int status) {
        if (r.status != status) {
          ++failures;
          ADD_FAILURE() << r.status << " " << r.body;
        }
        return r;
      };
      for (int n = 0; n < kRounds; ++n) {
        Node& a = *nodes[(t + n) % 3];
        Node& b = *nodes[(t + n + 1) % 3];
        Node& c = *nodes[(t + n + 2) % 3];
        // Funding under an Idempotency-Key (a remembered answer), replayed on another node.
        const service::Request key{"", "f-" + std::to_string(t) + "-" + std::to_string(n), "h"};
        const auto fund = [&](House& h, Batch& batch) {
          return h.mutate(op, key, batch,
                          [&](const Principal&) { return h.fund(batch, me.id, 1'000 + n); });
        };
        expect(a.run(fund), 201);
        expect(b.run(fund), 201);
        // An auction made on one node, bid on by two bidders on another, closed (every other
        // round; the rest stay open, holding their bids) and inspected on a third.
        const std::int64_t auction = expect(a.run([&](House& h, Batch& batch) {
                                       return h.create_auction(batch, op, design_id, nullptr, {});
                                     }),
                                            201)
                                         .body.value("auction_id", std::int64_t{0});
        expect(b.run([&](House& h, Batch& batch) {
          return h.submit_bid(batch, me, auction, 2'000'000 + n, "dia");
        }),
               201);
        expect(c.run([&](House& h, Batch& batch) {
          return h.submit_bid(batch, other, auction, 1'000'000, "dia");
        }),
               201);
        if (n % 2 == 0) {
          expect(c.run([&](House& h, Batch& batch) { return h.close(batch, auction); }), 200);
          a.run([&](House& h, Batch& batch) {
            return h.inspect(batch, inspector, auction, 2'000'000);
          });
        }
        // A one-shot decision.
        const service::DecisionInput decision = service::parse_decision(
            json{{"design_id", design_id},
                 {"request_id", "r-" + std::to_string(t) + "-" + std::to_string(n)},
                 {"nonce", std::string(64, "0123456789abcdef"[(t * kRounds + n) % 16])},
                 {"bids",
                  {{{"bidder_id", me.id}, {"amount_micros", 2'000'000}},
                   {{"bidder_id", other.id}, {"amount_micros", 1'000'000}}}}},
            "USD");
        expect(c.run([&](House& h, Batch& batch) {
          return h.decide(batch, exchange, decision, nullptr);
        }),
               201);
        // A new principal whose token changes at enrollment on another node.
        if (n % 5 == 0) {
          const Reply r = expect(a.run([&](House& h, Batch& batch) {
            return h.register_principal(batch, "bidder", "n");
          }),
                                 201);
          const std::string code = sha256_hex(r.body["enrollment_code"].get<std::string>());
          expect(b.run([&](House& h, Batch& batch) { return h.enroll(batch, code); }), 201);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);

  // Each node's next group catches it up to the last commit; a fresh house reads everything.
  auto reader = ledger::open_database(url_);
  ASSERT_TRUE(reader);
  House fresh(0, "USD");
  ASSERT_TRUE(fresh.load(**reader, kOperatorHash));
  const std::string expected = fresh.state_text();
  EXPECT_GT(expected.size(), 50'000u);  // the load's auctions, decisions, accounts are all there
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    EXPECT_TRUE(nodes[k]->db->changed_since()) << "node " << k << " cannot read only changes";
    EXPECT_EQ(nodes[k]->state(), expected) << "node " << k;
  }
}

// The fence (docs/api.md, "The write lease"): a node whose memory is stale (another node committed
// since it last saw the write counter, as when its lease ran out while it was stopped) cannot
// commit, even on a session without the lock, and changes nothing; once it takes the lock again
// it is told to catch up, and commits.
TEST_P(CatchUpTest, AStaleNodesCommitIsFencedOff) {
  DIA_REQUIRE_BACKEND(url_);
  const auto open = [&] {
    auto db = ledger::open_database(url_);
    EXPECT_TRUE(db) << db.error().line();
    EXPECT_TRUE((*db)->claim());
    return std::move(*db);
  };
  const auto insert = [](std::int64_t n) {
    return std::vector<ledger::Statement>{{"INSERT INTO fence_probe (n) VALUES (?)", {n}}};
  };
  auto a = open(), b = open();
  ASSERT_TRUE(a->lock_writes());
  ASSERT_TRUE(a->execute_batch({{"CREATE TABLE fence_probe (n BIGINT NOT NULL)", {}}}));
  a->unlock_writes();
  auto b_stale = b->lock_writes();
  ASSERT_TRUE(b_stale);
  EXPECT_TRUE(*b_stale);  // a wrote since b's start
  ASSERT_TRUE(b->execute_batch(insert(1)));
  b->unlock_writes();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // a's kept lock, if any, is freed
  std::size_t failed = 0;
  EXPECT_FALSE(a->execute_batch(insert(2), &failed));  // a has not seen b's commit
  auto a_stale = a->lock_writes();
  ASSERT_TRUE(a_stale);
  EXPECT_TRUE(*a_stale);
  EXPECT_TRUE(a->execute_batch(insert(3)));
  a->unlock_writes();
  const auto rows = b->query({"SELECT n FROM fence_probe ORDER BY n", {}});
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(ledger::as_int(rows->at(0).at(0)), 1);
  EXPECT_EQ(ledger::as_int(rows->at(1).at(0)), 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, CatchUpTest, ::testing::Values("postgresql"), backend_name);

}  // namespace
}  // namespace dia::testing
