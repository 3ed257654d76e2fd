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
