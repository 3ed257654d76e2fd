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

}  // namespace
}  // namespace dia::testing
