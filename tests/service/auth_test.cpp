// Authentication and authorization come before anything else: an anonymous or wrong-role request
// gets 401/403 without its body being parsed or a design being computed.
#include "service/lru_cache.hpp"
#include "service_fixture.hpp"

namespace dia::testing {
namespace {

TEST_P(ServiceTest, AuthenticationComesBeforeParsingAndDesigning) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  auto [alice, token] = bidder(1'000'000);
  const auto id = auction(two_bidder_design());
  const std::string path = "/v1/auctions/" + std::to_string(id);
  Client anonymous(server_->port(), ""), a(server_->port(), token);
  EXPECT_EQ(anonymous.post(path + "/bids", std::string("{bad"), unique_key()).status, 401);
  EXPECT_EQ(anonymous.post(path + "/bids", std::string("{bad"), "").status, 401);
  EXPECT_EQ(a.post("/v1/bidders", std::string("{bad"), unique_key()).status, 403);
  EXPECT_EQ(anonymous.get("/v1/auctions?nonsense=1").status, 401);
  EXPECT_EQ(a.get("/v1/auctions?nonsense=1").status, 403);
  // uniform(1,2) with 2 bidders takes the optimiser seconds: a 401/403 must not wait for it.
  const json slow{{"values", "uniform(1,2)"}, {"bidders", 2}};
  for (Client* c : {&anonymous, &a}) {
    const auto start = std::chrono::steady_clock::now();
    const int status = c->post("/v1/designs", slow, unique_key()).status;
    EXPECT_TRUE(status == 401 || status == 403) << status;
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
  }
  EXPECT_EQ(ledger_check()["ok"], true);
}

TEST_P(ServiceTest, RestartWithANewOperatorTokenRetiresTheOldOne) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const Answer first = op().post("/v1/bidders", json{{"name", "a"}}, "reg-a");
  ASSERT_EQ(first.status, 201);
  server_->stop(SIGTERM);
  const std::string fresh = "a-new-operator-token-9876543210";
  std::ofstream(dir_ / "operator.token") << fresh << "\n";
  start_server({"--operator-token-file", (dir_ / "operator.token").string()});
  EXPECT_EQ(op().post("/v1/bidders", json{{"name", "b"}}, unique_key()).status, 401);
  EXPECT_EQ(op().get("/v1/auctions").status, 401);
  Client now(server_->port(), fresh);
  EXPECT_EQ(now.post("/v1/bidders", json{{"name", "b"}}, unique_key()).status, 201);
  // Still the same operator: its idempotency keys replay.
  EXPECT_EQ(now.post("/v1/bidders", json{{"name", "a"}}, "reg-a").body["bidder_id"],
            first.body["bidder_id"]);
  // And back: the old token works again and the new one is retired.
  server_->stop(SIGTERM);
  start_server();
  EXPECT_EQ(Client(server_->port(), fresh).get("/v1/auctions").status, 401);
  EXPECT_EQ(op().get("/v1/auctions").status, 200);
}

TEST(LruCache, KeepsAtMostItsCapacityDroppingTheLeastRecentlyUsed) {
  service::LruCache<int> cache(2);
  cache.put("a", 1);
  cache.put("b", 2);
  EXPECT_EQ(cache.find("a"), 1);  // a is now the most recent
  cache.put("c", 3);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_FALSE(cache.find("b"));
  EXPECT_EQ(cache.find("a"), 1);
  EXPECT_EQ(cache.find("c"), 3);
  for (int i = 0; i < 1000; ++i) cache.put(std::to_string(i), i);
  EXPECT_EQ(cache.size(), 2u);
}

}  // namespace
}  // namespace dia::testing
