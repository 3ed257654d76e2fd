// End to end through real HTTP: open, sealed bids, close, lottery, deposit, inspection, reward,
// on SQLite and on PostgreSQL; the export verifies with `dia verify-lottery`.
#include "service_fixture.hpp"
#include "support/run_cli.hpp"

namespace dia::testing {
namespace {

TEST_P(ServiceTest, FullLifecycleWithTruthfulAndLyingWinners) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  auto [alice, alice_token] = bidder(5'000'000);
  auto [bob, bob_token] = bidder(5'000'000);
  const std::string inspector_token = inspector();
  const auto id = auction(two_bidder_design());
  ASSERT_GT(id, 0);
  const std::string path = "/v1/auctions/" + std::to_string(id);
  Client a(server_->port(), alice_token), b(server_->port(), bob_token);
  ASSERT_EQ(a.post(path + "/bids", json{{"amount_micros", 2'000'000}}, unique_key()).status, 201);
  // OpenRTB 2.6 shape: seatbid[].bid[].price in currency units.
  const json rtb{{"id", std::to_string(id)},
                 {"cur", "USD"},
                 {"seatbid", {{{"bid", {{{"id", "b"}, {"impid", "1"}, {"price", 1.0}}}}}}}};
  const Answer bob_bid = b.post(path + "/bids", rtb, unique_key());
  ASSERT_EQ(bob_bid.status, 201) << bob_bid.body;
  EXPECT_EQ(bob_bid.body["amount_micros"], 1'000'000);
  EXPECT_EQ(bob_bid.body["format"], "openrtb");
  // Sealed: the operator and the other bidder see nothing before close.
  EXPECT_EQ(op().get(path + "/bids").status, 403);
  EXPECT_EQ(b.get(path + "/bids").body["bids"].size(), 1u);
  EXPECT_EQ(b.get(path + "/bids").body["bids"][0]["bidder_id"], bob);
  EXPECT_FALSE(op().get(path).body.contains("seed"));
  EXPECT_EQ(op().get(path + "/openrtb").body["at"], 501);

  const Answer closed = op().post(path + "/close", json::object(), unique_key());
  ASSERT_EQ(closed.status, 200) << closed.body;
  // q = X/G = 1 at the highest bid: alice (the only highest bidder) wins and deposits 2.
  EXPECT_EQ(closed.body["status"], "awarded");
  EXPECT_EQ(closed.body["outcome"]["winner_id"], alice);
  EXPECT_EQ(closed.body["outcome"]["deposit_micros"], 2'000'000);
  EXPECT_EQ(a.get("/v1/bidders/" + std::to_string(alice) + "/account").body["escrow_micros"],
            2'000'000);
  EXPECT_EQ(b.get("/v1/bidders/" + std::to_string(alice) + "/account").status, 404);

  Client inspector_client(server_->port(), inspector_token);
  const Answer report = inspector_client.post(path + "/inspection",
                                              json{{"observed_micros", 2'000'000}}, unique_key());
  ASSERT_EQ(report.status, 200) << report.body;
  // (RENT): R(2) = (2 - 1) X(1) = 1/4, rho = R/X = (1/4)/(3/4) = 1/3 -> 333333 micros.
  EXPECT_EQ(report.body["truthful"], true);
  EXPECT_EQ(report.body["reward_micros"], 333'333);
  EXPECT_EQ(report.body["revenue_micros"], 2'000'000 - 333'333);
  const json account = a.get("/v1/bidders/" + std::to_string(alice) + "/account").body;
  EXPECT_EQ(account["cash_micros"], 3'000'000 + 333'333);
  EXPECT_EQ(account["escrow_micros"], 0);
  EXPECT_EQ(b.get("/v1/bidders/" + std::to_string(bob) + "/account").body["cash_micros"],
            5'000'000);
  EXPECT_EQ(a.get(path + "/bids").body["bids"][0]["ext"]["dia"]["reward_micros"], 333'333);

  // A lying winner: the deposit goes to revenue.
  const auto id2 = auction(two_bidder_design());
  const std::string path2 = "/v1/auctions/" + std::to_string(id2);
  ASSERT_EQ(b.post(path2 + "/bids", json{{"amount_micros", 2'000'000}}, unique_key()).status, 201);
  ASSERT_EQ(op().post(path2 + "/close", json::object(), unique_key()).status, 200);
  const Answer lie = inspector_client.post(path2 + "/inspection",
                                           json{{"observed_micros", 1'000'000}}, unique_key());
  ASSERT_EQ(lie.status, 200) << lie.body;
  EXPECT_EQ(lie.body["truthful"], false);
  EXPECT_EQ(lie.body["reward_micros"], 0);

  const json check = ledger_check();
  EXPECT_EQ(check["ok"], true) << check;
  EXPECT_EQ(check["revenue_micros"], 2'000'000 - 333'333 + 2'000'000);

  // The export verifies; a tampered one does not.
  const Answer exported = op().get(path + "/export");
  ASSERT_EQ(exported.status, 200);
  const fs::path file = dir_ / "export.json";
  std::ofstream(file) << exported.body.dump();
  const CliRun ok = run_cli({"verify-lottery", file.string()});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_EQ(ok.json()["verified"], true);
  json tampered = exported.body;
  tampered["bids"][1]["amount_micros"] = 2'000'000;  // bob claims a tie after the fact
  std::ofstream(file) << tampered.dump();
  EXPECT_EQ(run_cli({"verify-lottery", file.string()}).exit_code, 3);
  // Every claimed field of the outcome is recomputed (q within 1e-12).
  const auto verdict = [&](const char* key, const json& value) {
    json edited = exported.body;
    edited["outcome"][key] = value;
    std::ofstream(file) << edited.dump();
    return run_cli({"verify-lottery", file.string()}).exit_code;
  };
  const double q = exported.body["outcome"]["win_probability"].get<double>();
  EXPECT_EQ(verdict("win_probability", 0.01), 3);
  EXPECT_EQ(verdict("win_probability", q * (1 - 1e-15)), 0);
  EXPECT_EQ(verdict("highest_bidder_id", 3), 3);
  EXPECT_EQ(verdict("highest_bid_micros", 1), 3);
  EXPECT_EQ(verdict("bids_sha256", "00"), 3);
  EXPECT_EQ(verdict("delivered", false), 3);
  EXPECT_EQ(verdict("note", "extra"), 3);

  server_->stop(SIGTERM);
  const CliRun ledger = run_cli({"ledger", "check", "--db", url_});
  EXPECT_EQ(ledger.exit_code, 0) << ledger.out << ledger.err;
  // State survives a restart.
  start_server();
  EXPECT_EQ(op().get(path).body["status"], "settled");
  Client a2(server_->port(), alice_token);
  EXPECT_EQ(a2.get("/v1/bidders/" + std::to_string(alice) + "/account").body["cash_micros"],
            3'333'333);
}

TEST_P(ServiceTest, DesignedAuctionRewardsFollowTheMechanismForEveryBid) {
  DIA_REQUIRE_BACKEND(url_);
  start_server({"--tolerance-micros", "10"});
  auto [alice, token] = bidder(10'000'000);
  const std::string inspector_token = inspector();
  // One bidder, v = (1,2,3), p = (.5,.3,.2): X = (1/2, 1, 1) (docs/model.md#example-three-types). A
  // bid of 1.5 (between grid points) gets X = 1/2 and R = (1.5 - 1) / 2 = 1/4, rho = 1/2.
  const auto id = auction(json{{"values", "discrete(1:0.5,2:0.3,3:0.2)"}, {"bidders", 1}});
  const std::string path = "/v1/auctions/" + std::to_string(id);
  Client a(server_->port(), token);
  ASSERT_EQ(a.post(path + "/bids", json{{"amount_micros", 1'500'000}}, unique_key()).status, 201);
  const Answer closed = op().post(path + "/close", json::object(), unique_key());
  ASSERT_EQ(closed.status, 200);
  EXPECT_DOUBLE_EQ(closed.body["outcome"]["win_probability"].get<double>(), 0.5);
  if (closed.body["status"] == "awarded") {
    Client inspector_client(server_->port(), inspector_token);
    const Answer r = inspector_client.post(path + "/inspection",
                                           json{{"observed_micros", 1'500'007}}, unique_key());
    EXPECT_EQ(r.body["truthful"], true);  // within the tolerance of 10 micros
    EXPECT_EQ(r.body["reward_micros"], 500'000);
  } else {
    EXPECT_EQ(closed.body["status"], "closed");
  }
  // Several bidders: the n-bidder designer's answer (or its error, as a 4xx) passes through.
  const Answer two =
      op().post("/v1/auctions", json{{"values", "uniform(0,1)"}, {"bidders", 2}}, unique_key());
  EXPECT_TRUE(two.status == 201 || (two.status >= 400 && two.status < 500)) << two.body;
  EXPECT_EQ(ledger_check()["ok"], true);
}

TEST_P(ServiceTest, RewardsAreExactInMicroUnits) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  auto [alice, token] = bidder(10'000'000);
  const std::string inspector_token = inspector();
  // One bidder, X = (1, 1) on (1, 2): rho(w) = w - 1, so a bid of 1000000 + k micros that is
  // inspected truthfully gets exactly k micros back.
  const json design{{"values", "discrete(1:0.5,2:0.5)"},
                    {"bidders", 1},
                    {"reduced_form", {{"values", {1, 2}}, {"allocation", {1, 1}}}}};
  Client a(server_->port(), token), ins(server_->port(), inspector_token);
  for (const Micros k : {1, 3, 999'999}) {
    const auto id = auction(design);
    const std::string path = "/v1/auctions/" + std::to_string(id);
    ASSERT_EQ(a.post(path + "/bids", json{{"amount_micros", 1'000'000 + k}}, unique_key()).status,
              201);
    ASSERT_EQ(op().post(path + "/close", json::object(), unique_key()).body["status"], "awarded");
    const Answer r =
        ins.post(path + "/inspection", json{{"observed_micros", 1'000'000 + k}}, unique_key());
    EXPECT_EQ(r.body["reward_micros"], k) << r.body;
    EXPECT_EQ(r.body["revenue_micros"], 1'000'000) << r.body;
  }
  EXPECT_EQ(ledger_check()["ok"], true);
}

INSTANTIATE_TEST_SUITE_P(Backends, ServiceTest, ::testing::Values("sqlite", "postgresql"),
                         backend_name);

}  // namespace
}  // namespace dia::testing
