// kill -9 during concurrent load, restart: every acknowledged request is there, nothing is
// half-applied, the ledger invariants hold. Also a short smoke of the load client.
#include "crash_support.hpp"

namespace dia::testing {
namespace {

TEST_P(ServiceTest, KillDuringLoadLosesNothingAcknowledged) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  constexpr int kClients = 8;
  std::vector<std::pair<std::int64_t, std::string>> bidders;
  for (int b = 0; b < kClients; ++b) bidders.push_back(bidder(1'000'000'000));
  json design = two_bidder_design();
  design["bidders"] = 1;
  design["reduced_form"]["allocation"] = {0.5, 1.0};
  design["values"] = "discrete(1:0.5,2:0.5)";
  std::vector<std::int64_t> auctions;
  for (int i = 0; i < 400; ++i) auctions.push_back(auction(design));

  // Each client bids (one auction each, 1 seat) and funds; acknowledged ids are recorded.
  std::vector<std::vector<std::pair<std::int64_t, Micros>>> acked_bids(kClients);
  std::vector<Micros> acked_funds(kClients, 0);
  std::atomic<int> next_auction{0};
  kill_under_load(
      *server_, url_, kClients, std::chrono::milliseconds(400),
      [&](int t, const std::atomic<bool>& stop) {
        Client c(server_->port(), bidders[t].second), o(server_->port());
        while (!stop) {
          const int i = next_auction++;
          if (i >= static_cast<int>(auctions.size())) break;
          const Answer a = c.post("/v1/auctions/" + std::to_string(auctions[i]) + "/bids",
                                  json{{"amount_micros", 1'000 + i}}, unique_key());
          if (a.status == 201) acked_bids[t].push_back({auctions[i], 1'000 + i});
          const Answer f = o.post("/v1/bidders/" + std::to_string(bidders[t].first) + "/funds",
                                  json{{"amount_micros", 7}}, unique_key());
          if (f.status == 201) acked_funds[t] += 7;
        }
      });
  start_server();
  std::size_t total = 0;
  for (int t = 0; t < kClients; ++t) {
    Client c(server_->port(), bidders[t].second);
    total += acked_bids[t].size();
    for (const auto& [auction_id, amount] : acked_bids[t]) {
      const Answer a = c.get("/v1/auctions/" + std::to_string(auction_id) + "/bids");
      ASSERT_EQ(a.body["bids"].size(), 1u) << "acknowledged bid lost in auction " << auction_id;
      EXPECT_EQ(a.body["bids"][0]["amount_micros"], amount);
    }
    const json account = c.get("/v1/bidders/" + std::to_string(bidders[t].first) + "/account").body;
    // Unacknowledged requests may or may not have committed, but only whole.
    EXPECT_GE(account["cash_micros"].get<Micros>(), 1'000'000'000 + acked_funds[t]);
    EXPECT_EQ(account["cash_micros"].get<Micros>() % 7, 1'000'000'000 % 7);
  }
  EXPECT_GT(total, 0u);
  // Every bid row has its idempotency row: a request is committed whole or not at all.
  const auto n = counts_of(url_,
                           "SELECT (SELECT COUNT(*) FROM bids), (SELECT COUNT(*) FROM idempotency"
                           " WHERE response LIKE '%\"bid_id\"%')");
  ASSERT_EQ(n.size(), 2u);
  EXPECT_EQ(n[0], n[1]);
  EXPECT_EQ(ledger_check()["ok"], true);
}

TEST_P(ServiceTest, LoadClientSmoke) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const CliRun run = [&] {
    CliRun r;
    const std::string cmd = std::string(DIA_LOAD_PATH) + " --port " +
                            std::to_string(server_->port()) + " --token " + kOperatorToken +
                            " --seconds 1 --connections 16 --rate-guess 3000";
    FILE* p = popen(cmd.c_str(), "r");
    char buf[4096];
    while (fgets(buf, sizeof buf, p)) r.out += buf;
    r.exit_code = WEXITSTATUS(pclose(p));
    return r;
  }();
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const json out = run.json();
  EXPECT_GT(out["bids"].get<long>(), 100) << out;
  EXPECT_EQ(out["errors"], 0);
  EXPECT_EQ(ledger_check()["ok"], true);
}

}  // namespace
}  // namespace dia::testing
