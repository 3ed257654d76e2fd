// Sealed bids stay sealed: until close nobody but the bidder sees an amount or anything derived
// from one; after close each role sees what it needs.
#include "service_fixture.hpp"

namespace dia::testing {
namespace {

TEST_P(ServiceTest, OpenBidsShowToNobodyButTheirBidder) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  auto [alice, token] = bidder(5'000'000);
  const auto id = auction(two_bidder_design());
  Client a(server_->port(), token);
  ASSERT_EQ(a.post("/v1/auctions/" + std::to_string(id) + "/bids",
                   json{{"amount_micros", 1'234'567}}, unique_key())
                .status,
            201);
  const std::string account = "/v1/bidders/" + std::to_string(alice) + "/account";
  // The bidder sees its own commitment.
  const json own = a.get(account).body;
  EXPECT_EQ(own["committed_micros"], 1'234'567);
  EXPECT_EQ(own["available_micros"], 5'000'000 - 1'234'567);
  // The operator sees cash and escrow only: in the account, the listing and a funding's answer.
  const auto no_bid_in = [](const json& v) {
    const std::string text = v.dump();
    EXPECT_EQ(text.find("1234567"), std::string::npos) << text;
    EXPECT_EQ(text.find("3765433"), std::string::npos) << text;  // available = cash - bid
    EXPECT_FALSE(v.contains("committed_micros")) << v;
    EXPECT_FALSE(v.contains("available_micros")) << v;
  };
  const json seen = op().get(account).body;
  EXPECT_EQ(seen["cash_micros"], 5'000'000);
  no_bid_in(seen);
  const json listed = op().get("/v1/bidders").body;
  ASSERT_EQ(listed["bidders"].size(), 1u);
  no_bid_in(listed["bidders"][0]);
  no_bid_in(op().get("/v1/auctions").body["auctions"][0]);
  const Answer funded = op().post("/v1/bidders/" + std::to_string(alice) + "/funds",
                                  json{{"amount_micros", 1}}, unique_key());
  ASSERT_EQ(funded.status, 201);
  EXPECT_FALSE(funded.body.contains("committed_micros")) << funded.body;
}

TEST_P(ServiceTest, AfterCloseTheInspectorSeesTheWinningBidOnly) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  auto [alice, alice_token] = bidder(5'000'000);
  auto [bob, bob_token] = bidder(5'000'000);
  Client ins(server_->port(), inspector());
  const auto id = auction(two_bidder_design());
  const std::string path = "/v1/auctions/" + std::to_string(id);
  ASSERT_EQ(Client(server_->port(), alice_token)
                .post(path + "/bids", json{{"amount_micros", 2'000'000}}, unique_key())
                .status,
            201);
  ASSERT_EQ(Client(server_->port(), bob_token)
                .post(path + "/bids", json{{"amount_micros", 1'000'000}}, unique_key())
                .status,
            201);
  EXPECT_EQ(ins.get(path + "/bids").status, 403);  // sealed
  const Answer closed = op().post(path + "/close", json::object(), unique_key());
  ASSERT_EQ(closed.body["status"], "awarded");  // q(2) = 1: alice wins
  const json seen = ins.get(path + "/bids").body["bids"];
  ASSERT_EQ(seen.size(), 1u) << seen;
  EXPECT_EQ(seen[0]["bidder_id"], alice);
  EXPECT_EQ(seen[0]["amount_micros"], 2'000'000);
  EXPECT_EQ(op().get(path + "/bids").body["bids"].size(), 2u);
  EXPECT_EQ(Client(server_->port(), bob_token).get(path + "/bids").body["bids"].size(), 1u);
}

}  // namespace
}  // namespace dia::testing
