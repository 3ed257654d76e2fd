// OpenRTB 2.6: the BidRequest carries the terms as values, a bid's ext.dia is checked against the
// bid, and the answer to a bid carries its deposit, inspection and reward terms.
#include "service_fixture.hpp"

namespace dia::testing {
namespace {

json rtb_bid(double price, const json& bid_ext, const json& ext) {
  json bid{{"impid", "1"}, {"price", price}};
  if (!bid_ext.is_null()) bid["ext"] = bid_ext;
  json body{{"cur", "USD"}, {"seatbid", {{{"bid", {bid}}}}}};
  if (!ext.is_null()) body["ext"] = ext;
  return body;
}

TEST_P(ServiceTest, OpenRtbExtCarriesTheTermsBothWays) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  auto [alice, token] = bidder(5'000'000);
  json design = two_bidder_design();
  design["tolerance_micros"] = 10;
  const auto id = auction(design);
  const std::string path = "/v1/auctions/" + std::to_string(id);
  const json request = op().get(path + "/openrtb").body;
  const json& dia = request["ext"]["dia"];
  EXPECT_TRUE(dia["deposit"].is_string());  // the prose keys stay
  EXPECT_EQ(dia["terms"]["deposit"]["basis"], "bid");
  EXPECT_EQ(dia["terms"]["deposit"]["fraction"], 1);
  EXPECT_EQ(dia["terms"]["inspection"]["tolerance_micros"], 10);
  EXPECT_EQ(dia["terms"]["reward"]["rounding"], "floor_micros");
  EXPECT_EQ(dia["terms"]["reward"]["values"], json({1.0, 2.0}));
  EXPECT_EQ(dia["terms"]["reward"]["allocation"], json({0.25, 0.75}));

  Client a(server_->port(), token);
  const auto rejected = [&](const json& body, const std::string& code) {
    const Answer r = a.post(path + "/bids", body, unique_key());
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(r.body["error"]["code"], code) << r.body;
  };
  rejected(rtb_bid(2.0, {{"dia", {{"deposit_micros", 1}}}}, nullptr), "invalid_field");
  rejected(rtb_bid(2.0, nullptr, {{"dia", {{"deposit_micros", 1}}}}), "invalid_field");
  rejected(rtb_bid(2.0, nullptr, {{"dia", {{"discount", 1}}}}), "unknown_field");
  rejected(rtb_bid(2.0, {{"dia", {{"reward_micros", 1}}}}, nullptr), "unknown_field");
  rejected(rtb_bid(2.0, json("x"), nullptr), "invalid_openrtb");
  rejected(rtb_bid(2.0, nullptr, {{"dia", 5}}), "invalid_openrtb");
  EXPECT_EQ(a.get(path + "/bids").body["bids"].size(), 0u);

  // Agreeing terms and other parties' extensions pass; the answer carries the bid's terms.
  const Answer ok = a.post(path + "/bids",
                           rtb_bid(2.0, {{"dia", {{"deposit_micros", 2'000'000}}}, {"dsp", 1}},
                                   {{"dia", {{"deposit_micros", 2'000'000}}}}),
                           unique_key());
  ASSERT_EQ(ok.status, 201) << ok.body;
  const json& terms = ok.body["ext"]["dia"];
  EXPECT_EQ(terms["deposit_if_won_micros"], 2'000'000);
  EXPECT_EQ(terms["tolerance_micros"], 10);
  EXPECT_EQ(terms["reward_if_truthful_micros"], 333'333);  // (2 - 1)(1/4)/(3/4)
  EXPECT_FALSE(terms.contains("won"));                     // not decided while open
  EXPECT_EQ(a.get(path + "/bids").body["bids"][0]["ext"]["dia"], terms);
}

}  // namespace
}  // namespace dia::testing
