// Many clients bidding, closing and inspecting at once: no lost update, no double payout.
#include <map>
#include <mutex>
#include <set>

#include "service_fixture.hpp"

namespace dia::testing {
namespace {

// X = G for 8 bidders on discrete(1:.5,2:.5): G_1 = .5^8 / 4, G_2 = (1 - .5^8) / (8 * .5).
json eight_bidder_design() {
  json design = two_bidder_design();
  design["bidders"] = 8;
  design["reduced_form"]["allocation"] = {std::pow(0.5, 8) / 4, (1 - std::pow(0.5, 8)) / 4};
  return design;
}

TEST_P(ServiceTest, ConcurrentBidsClosesAndInspections) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  constexpr int kAuctions = 24, kBidders = 8;
  std::vector<std::pair<std::int64_t, std::string>> bidders;
  for (int b = 0; b < kBidders; ++b) bidders.push_back(bidder(100'000'000));
  const std::string inspector_token = inspector();
  std::vector<std::int64_t> auctions;
  for (int i = 0; i < kAuctions; ++i) auctions.push_back(auction(eight_bidder_design()));

  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int b = 0; b < kBidders; ++b) {
    threads.emplace_back([&, b] {
      Client c(server_->port(), bidders[b].second);
      for (int i = 0; i < kAuctions; ++i) {
        const std::string key = unique_key();
        const json body{{"amount_micros", (b % 2 + 1) * 1'000'000}};
        const std::string path = "/v1/auctions/" + std::to_string(auctions[i]) + "/bids";
        if (c.post(path, body, key).status == 201) ++accepted;
        EXPECT_EQ(c.post(path, body, key).status, 201);  // a retry replays, never bids twice
      }
    });
  }
  for (auto& t : threads) t.join();
  threads.clear();
  EXPECT_EQ(accepted, kAuctions * kBidders);

  // Every auction closed by 3 operators and inspected by 3 inspectors at once.
  std::atomic<int> closes{0}, inspections{0};
  std::atomic<long> rewards{0};
  for (int k = 0; k < 3; ++k) {
    threads.emplace_back([&] {
      Client c(server_->port());
      Client ins(server_->port(), inspector_token);
      for (auto id : auctions) {
        const std::string path = "/v1/auctions/" + std::to_string(id);
        const Answer a = c.post(path + "/close", json::object(), unique_key());
        if (a.status == 200)
          ++closes;
        else
          EXPECT_EQ(a.status, 409);
        const Answer r =
            ins.post(path + "/inspection", json{{"observed_micros", 2'000'000}}, unique_key());
        if (r.status == 200) {
          ++inspections;
          rewards += r.body["reward_micros"].get<long>();
        } else {
          EXPECT_EQ(r.status, 409) << r.body;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(closes, kAuctions);
  const json check = ledger_check();
  EXPECT_EQ(check["ok"], true) << check;
  EXPECT_EQ(check["escrow_micros"], 0);
  // Money: what the winners got back plus revenue is exactly the deposits taken.
  long deposits = 0, cash = 0;
  for (auto id : auctions)
    deposits += op().get("/v1/auctions/" + std::to_string(id))
                    .body["outcome"]["deposit_micros"]
                    .get<long>();
  for (auto& [bid, token] : bidders) {
    cash += Client(server_->port(), token)
                .get("/v1/bidders/" + std::to_string(bid) + "/account")
                .body["cash_micros"]
                .get<long>();
  }
  EXPECT_EQ(check["revenue_micros"].get<long>(), deposits - rewards);
  EXPECT_EQ(cash, kBidders * 100'000'000L - deposits + rewards);
  EXPECT_LE(inspections, kAuctions);
}

// Bids race closes and inspections of the same auctions: every acknowledged bid is in the sealed
// set its close drew from (no lost update), a bid answered 201 never arrives after the close, each
// auction closes once and pays out at most once.
TEST_P(ServiceTest, BidsRaceClosesAndInspections) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  constexpr int kAuctions = 30, kBidders = 8;
  constexpr Micros kFunds = 100'000'000;
  std::vector<std::pair<std::int64_t, std::string>> bidders;
  for (int b = 0; b < kBidders; ++b) bidders.push_back(bidder(kFunds));
  const std::string inspector_token = inspector();
  std::vector<std::int64_t> auctions;
  for (int i = 0; i < kAuctions; ++i) auctions.push_back(auction(eight_bidder_design()));

  std::mutex mutex;
  std::map<std::int64_t, std::set<std::pair<std::int64_t, Micros>>> acked;  // auction -> bids
  std::map<std::int64_t, int> closes, payouts;
  std::atomic<long> rewards{0};
  std::vector<std::atomic<bool>> resolved(kAuctions);
  std::vector<std::thread> threads;
  for (int b = 0; b < kBidders; ++b) {
    threads.emplace_back([&, b] {
      Client c(server_->port(), bidders[b].second);
      for (int k = 0; k < kAuctions; ++k) {
        const int i = (k * 7 + b * 5) % kAuctions;  // each bidder in its own order
        const Micros amount = (b % 2 + 1) * 1'000'000;
        const Answer a = c.post("/v1/auctions/" + std::to_string(auctions[i]) + "/bids",
                                json{{"amount_micros", amount}}, unique_key());
        if (a.status == 201) {
          std::lock_guard lock(mutex);
          acked[auctions[i]].insert({bidders[b].first, amount});
        } else {
          EXPECT_EQ(a.body["error"]["code"], "auction_closed") << a.body;
        }
      }
    });
  }
  for (int k = 0; k < 3; ++k) {
    threads.emplace_back([&, k] {
      Client c(server_->port());
      for (int j = 0; j < kAuctions; ++j) {
        const int i = (j * 11 + k * 3) % kAuctions;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        const Answer a = c.post("/v1/auctions/" + std::to_string(auctions[i]) + "/close",
                                json::object(), unique_key());
        if (a.status == 200) {
          std::lock_guard lock(mutex);
          ++closes[auctions[i]];
        } else {
          EXPECT_EQ(a.body["error"]["code"], "already_closed") << a.body;
        }
      }
    });
    threads.emplace_back([&] {
      Client c(server_->port(), inspector_token);
      for (int left = kAuctions; left > 0;) {
        left = 0;
        for (int i = 0; i < kAuctions; ++i) {
          if (resolved[i]) continue;
          const Answer a = c.post("/v1/auctions/" + std::to_string(auctions[i]) + "/inspection",
                                  json{{"observed_micros", 2'000'000}}, unique_key());
          const std::string code = a.status == 200 ? "" : a.body["error"]["code"];
          if (a.status == 200) {
            std::lock_guard lock(mutex);
            ++payouts[auctions[i]];
            rewards += a.body["reward_micros"].get<long>();
          }
          if (a.status == 200 || code == "already_inspected" || code == "no_winner") {
            resolved[i] = true;
          } else {
            EXPECT_EQ(code, "not_closed") << a.body;
            ++left;
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();

  long deposits = 0;
  for (auto id : auctions) {
    EXPECT_EQ(closes[id], 1) << "auction " << id;
    EXPECT_LE(payouts[id], 1) << "auction " << id;
    const json e = op().get("/v1/auctions/" + std::to_string(id) + "/export").body;
    std::set<std::pair<std::int64_t, Micros>> sealed;
    for (const auto& b : e["bids"]) {
      sealed.insert({b["bidder_id"].get<std::int64_t>(), b["amount_micros"].get<Micros>()});
    }
    EXPECT_EQ(sealed, acked[id]) << "auction " << id;
    deposits += e["outcome"]["deposit_micros"].get<long>();
    if (e["outcome"]["delivered"] == true) {
      EXPECT_EQ(payouts[id], 1) << "auction " << id;
    }
  }
  const json check = ledger_check();
  EXPECT_EQ(check["ok"], true) << check;
  EXPECT_EQ(check["escrow_micros"], 0);
  EXPECT_EQ(check["revenue_micros"].get<long>(), deposits - rewards);
  EXPECT_EQ(check["cash_micros"].get<long>(), kBidders * kFunds - deposits + rewards);
}

}  // namespace
}  // namespace dia::testing
