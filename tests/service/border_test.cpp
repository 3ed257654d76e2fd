// Designs whose interim allocation X exceeds the chance G of being the highest bidder (q > 1) run
// the Border lottery (docs/model.md#ex-post) end to end through real HTTP, on SQLite and
// PostgreSQL: a lower bid may win, the winner deposits its bid, a truthful one gets R(w)/X(w) back,
// and `dia verify-lottery` recomputes every draw.
#include <cmath>
#include <thread>
#include <vector>

#include "dia/lottery.hpp"
#include "service_fixture.hpp"
#include "support/run_cli.hpp"

namespace dia::testing {
namespace {

// Three types where the optimum sells to the lowest type more often than it is the highest bidder.
constexpr const char* kThreeTypes = "discrete(1:0.5,1.2:0.3,2:0.2)";

// rho(w) = R(w)/X(w) by (RENT) straight from a reduced form: X(w) = X at the largest grid value
// <= w, R(w) = max over grid values v <= w of (w - v) X(v).
double reward_of(const json& reduced, double w) {
  const auto v = reduced["values"].get<std::vector<double>>();
  const auto x = reduced["allocation"].get<std::vector<double>>();
  double rent = 0, at = 0;
  for (std::size_t i = 0; i < v.size() && v[i] <= w; ++i) {
    rent = std::max(rent, (w - v[i]) * x[i]);
    at = x[i];
  }
  return at > 0 ? rent / at : 0;
}

class BorderTest : public ServiceTest {
 protected:
  json export_of(std::int64_t id) {
    const Answer a = op().get("/v1/auctions/" + std::to_string(id) + "/export");
    EXPECT_EQ(a.status, 200) << a.body;
    return a.body;
  }
  CliRun verify(const json& exported) {
    const fs::path file = dir_ / "export.json";
    std::ofstream(file) << exported.dump();
    return run_cli({"verify-lottery", file.string()});
  }
};

TEST_P(BorderTest, ContinuousBorderDesignRunsEndToEnd) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  auto [alice, alice_token] = bidder(5'000'000);
  auto [bob, bob_token] = bidder(5'000'000);
  const std::string inspector_token = inspector();
  // uniform(1,2) with 2 bidders: X > G near the bottom, so the design needs the Border lottery.
  const Answer design =
      op().post("/v1/designs", json{{"values", "uniform(1,2)"}, {"bidders", 2}}, unique_key());
  ASSERT_EQ(design.status, 201) << design.body;
  EXPECT_EQ(design.body["rule"], "border_lottery");
  const auto id = auction(json{{"design_id", design.body["design_id"]}});
  const std::string path = "/v1/auctions/" + std::to_string(id);
  EXPECT_EQ(op().get(path).body["rule"], "border_lottery");
  const json rtb = op().get(path + "/openrtb").body;
  EXPECT_EQ(rtb["at"], 502);
  EXPECT_NE(rtb["ext"]["dia"]["auction_type"].get<std::string>().find("Border lottery"),
            std::string::npos);

  Client a(server_->port(), alice_token), b(server_->port(), bob_token);
  ASSERT_EQ(a.post(path + "/bids", json{{"amount_micros", 1'900'000}}, unique_key()).status, 201);
  ASSERT_EQ(b.post(path + "/bids", json{{"amount_micros", 1'100'000}}, unique_key()).status, 201);
  const Answer closed = op().post(path + "/close", json::object(), unique_key());
  ASSERT_EQ(closed.status, 200) << closed.body;
  const json outcome = closed.body["outcome"];
  EXPECT_EQ(outcome["rule"], "border_lottery");
  // Above the switch point X = G: nothing is given up to lower bids, the highest bid wins.
  EXPECT_EQ(closed.body["status"], "awarded") << outcome;
  EXPECT_EQ(outcome["winner_id"], alice);
  EXPECT_EQ(outcome["deposit_micros"], 1'900'000);
  EXPECT_EQ(a.get("/v1/bidders/" + std::to_string(alice) + "/account").body["escrow_micros"],
            1'900'000);

  const json exported = export_of(id);
  const CliRun ok = verify(exported);
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_EQ(ok.json()["rule"], "border_lottery");
  json tampered = exported;
  tampered["bids"][1]["amount_micros"] = 1'950'000;  // bob outbids alice after the fact
  EXPECT_EQ(verify(tampered).exit_code, 3);

  Client inspector_client(server_->port(), inspector_token);
  const Answer report = inspector_client.post(path + "/inspection",
                                              json{{"observed_micros", 1'900'000}}, unique_key());
  ASSERT_EQ(report.status, 200) << report.body;
  EXPECT_EQ(report.body["truthful"], true);
  const double rho = reward_of(exported["design"]["reduced_form"], 1.9);
  const Micros reward = report.body["reward_micros"].get<Micros>();
  EXPECT_GT(rho, 0);
  EXPECT_NEAR(static_cast<double>(reward), std::floor(rho * 1e6), 1.0);
  EXPECT_LE(reward, 1'900'000);
  EXPECT_EQ(a.get("/v1/bidders/" + std::to_string(alice) + "/account").body["cash_micros"],
            5'000'000 - 1'900'000 + reward);
  EXPECT_EQ(b.get("/v1/bidders/" + std::to_string(bob) + "/account").body["cash_micros"],
            5'000'000);
  const json check = ledger_check();
  EXPECT_EQ(check["ok"], true) << check;
  EXPECT_EQ(check["revenue_micros"], 1'900'000 - reward);

  server_->stop(SIGTERM);
  const CliRun ledger = run_cli({"ledger", "check", "--db", url_});
  EXPECT_EQ(ledger.exit_code, 0) << ledger.out << ledger.err;
  start_server();  // the stored design rebuilds the same rule
  EXPECT_EQ(op().get(path).body["status"], "settled");
  EXPECT_EQ(op().get(path).body["rule"], "border_lottery");
}

// Bids (1, 1.2) on kThreeTypes, many auctions. Border's theorem alone fixes the rule there: type
// 2 has X = G (nothing to give up), so type 0's excess X_0 - G_0 (G_0 = p_0 / 2) must come from
// profiles against type 1, where the lower bid wins with probability tau = (X_0 - G_0) / p_1;
// otherwise the higher bid wins with probability keep = X_1 / (p_0 (1 - tau) + p_1 / 2). With
// one lower bid the documented draw is: lower iff u(0) < tau, else higher iff
// (u(0) - tau) / (1 - tau) < keep, else no sale.
TEST_P(BorderTest, LowerBidWinsAtTheRateBordersTheoremFixes) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  auto [alice, alice_token] = bidder(1'000'000'000);
  auto [bob, bob_token] = bidder(1'000'000'000);
  const Answer design =
      op().post("/v1/designs", json{{"values", kThreeTypes}, {"bidders", 2}}, unique_key());
  ASSERT_EQ(design.status, 201) << design.body;
  ASSERT_EQ(design.body["rule"], "border_lottery");
  // Concurrent clients, so that group commits keep this quick on either database.
  constexpr int kAuctions = 120, kThreads = 6;
  std::vector<std::int64_t> ids(kAuctions);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Client a(server_->port(), alice_token), b(server_->port(), bob_token), o(server_->port());
      for (int i = t; i < kAuctions; i += kThreads) {
        const Answer opened =
            o.post("/v1/auctions", json{{"design_id", design.body["design_id"]}}, unique_key());
        ASSERT_EQ(opened.status, 201) << opened.body;
        ids[i] = opened.body["auction_id"].get<std::int64_t>();
        const std::string path = "/v1/auctions/" + std::to_string(ids[i]);
        EXPECT_EQ(a.post(path + "/bids", json{{"amount_micros", 1'000'000}}, unique_key()).status,
                  201);
        EXPECT_EQ(b.post(path + "/bids", json{{"amount_micros", 1'200'000}}, unique_key()).status,
                  201);
        EXPECT_EQ(o.post(path + "/close", json::object(), unique_key()).status, 200);
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_FALSE(HasFailure());
  const json reduced = export_of(ids[0])["design"]["reduced_form"];
  const auto x = reduced["allocation"].get<std::vector<double>>();
  const auto p = reduced["probabilities"].get<std::vector<double>>();
  ASSERT_EQ(x.size(), 3u);
  ASSERT_NEAR(x[2], (1 - std::pow(p[0] + p[1], 2)) / (2 * p[2]), 1e-9);  // X_2 = G_2
  const double tau = (x[0] - p[0] / 2) / p[1];
  const double keep = x[1] / (p[0] * (1 - tau) + p[1] / 2);
  ASSERT_GT(tau, 0.05);
  ASSERT_LT(tau, 0.95);

  int lower_wins = 0;
  std::int64_t first_lower = 0;
  for (const auto id : ids) {
    const json auction = op().get("/v1/auctions/" + std::to_string(id)).body;
    const json& o = auction["outcome"];
    const std::string canonical =
        std::to_string(bob) + ":1200000\n" + std::to_string(alice) + ":1000000\n";
    ASSERT_EQ(o["bids_sha256"], sha256_hex(canonical));
    const double u =
        lottery_uniform(auction["seed"].get<std::string>(), id, sha256_hex(canonical), 0);
    const json expected = u < tau                        ? json(alice)
                          : (u - tau) / (1 - tau) < keep ? json(bob)
                                                         : json(nullptr);
    EXPECT_EQ(o["winner_id"], expected) << "auction " << id << ", u(0) = " << u;
    if (o["winner_id"] == json(alice)) {
      ++lower_wins;
      if (!first_lower) first_lower = id;
    }
  }
  // The empirical rate against the profile probability (5 standard deviations).
  const double sd = std::sqrt(tau * (1 - tau) / kAuctions);
  EXPECT_NEAR(static_cast<double>(lower_wins) / kAuctions, tau, 5 * sd);
  ASSERT_GT(first_lower, 0);

  // An auction the lower bid won: verify-lottery agrees, alice deposited 1 and, truthful at the
  // lowest type (R = 0), gets nothing back.
  const json exported = export_of(first_lower);
  const CliRun ok = verify(exported);
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_EQ(ok.json()["winner_id"], alice);
  EXPECT_EQ(exported["outcome"]["highest_bidder_id"], bob);
  EXPECT_EQ(exported["outcome"]["deposit_micros"], 1'000'000);
  Client inspector_client(server_->port(), inspector());
  const Answer report =
      inspector_client.post("/v1/auctions/" + std::to_string(first_lower) + "/inspection",
                            json{{"observed_micros", 1'000'000}}, unique_key());
  ASSERT_EQ(report.status, 200) << report.body;
  EXPECT_EQ(report.body["winner_id"], alice);
  EXPECT_EQ(report.body["truthful"], true);
  EXPECT_EQ(report.body["reward_micros"], 0);
  EXPECT_EQ(ledger_check()["ok"], true);
}

// Any number of bids: pareto(1,3) with 3 bidders, a draw among all three that verifies.
TEST_P(BorderTest, ThreeBidderBorderDesignVerifies) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const auto id = auction(json{{"values", "pareto(1,3)"}, {"bidders", 3}});
  ASSERT_GT(id, 0);
  const std::string path = "/v1/auctions/" + std::to_string(id);
  ASSERT_EQ(op().get(path).body["rule"], "border_lottery");
  for (const Micros amount : {1'010'000, 1'020'000, 1'500'000}) {
    Client c(server_->port(), bidder(2'000'000).second);
    ASSERT_EQ(c.post(path + "/bids", json{{"amount_micros", amount}}, unique_key()).status, 201);
  }
  const Answer closed = op().post(path + "/close", json::object(), unique_key());
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.body["outcome"]["rule"], "border_lottery");
  const CliRun ok = verify(export_of(id));
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_EQ(ledger_check()["ok"], true);
}

TEST_P(BorderTest, SavedBorderDesignsNeedTheirProbabilities) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  // X_0 = 0.4 > G_0 = 0.25 on kThreeTypes: the probabilities come from the atoms.
  const json reduced{{"values", {1.0, 1.2, 2.0}}, {"allocation", {0.4, 0.4, 0.9}}};
  Answer a = op().post("/v1/designs",
                       json{{"values", kThreeTypes}, {"bidders", 2}, {"reduced_form", reduced}},
                       unique_key());
  EXPECT_EQ(a.status, 201) << a.body;
  EXPECT_EQ(a.body["rule"], "border_lottery");
  // On a continuous distribution the grid's probabilities must be given.
  a = op().post("/v1/designs",
                json{{"values", "uniform(0.5,2.5)"}, {"bidders", 2}, {"reduced_form", reduced}},
                unique_key());
  EXPECT_EQ(a.status, 400) << a.body;
  EXPECT_EQ(a.body["error"]["code"], "invalid_reduced_form");
  EXPECT_NE(a.body["error"]["hint"].get<std::string>().find("probabilities"), std::string::npos);
  json with = reduced;
  with["probabilities"] = {0.5, 0.3, 0.2};
  a = op().post("/v1/designs",
                json{{"values", "uniform(0.5,2.5)"}, {"bidders", 2}, {"reduced_form", with}},
                unique_key());
  EXPECT_EQ(a.status, 201) << a.body;
  EXPECT_EQ(a.body["rule"], "border_lottery");
  with["probabilities"] = {0.5, 0.3};
  EXPECT_EQ(op().post("/v1/designs",
                      json{{"values", "uniform(0.5,2.5)"}, {"bidders", 2}, {"reduced_form", with}},
                      unique_key())
                .status,
            400);
  // A highest-bidder design keeps its rule with or without probabilities.
  json saved = two_bidder_design();
  saved["reduced_form"]["probabilities"] = {0.5, 0.5};
  a = op().post("/v1/designs", saved, unique_key());
  EXPECT_EQ(a.status, 201) << a.body;
  EXPECT_EQ(a.body["rule"], "highest_bidder_lottery");
}

INSTANTIATE_TEST_SUITE_P(Backends, BorderTest, ::testing::Values("sqlite", "postgresql"),
                         backend_name);

}  // namespace
}  // namespace dia::testing
