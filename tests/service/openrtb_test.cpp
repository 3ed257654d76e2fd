// OpenRTB 2.6: the BidRequest carries the terms as values, a bid's ext.dia is checked against the
// bid, and the answer to a bid carries its deposit, inspection and reward terms. A BidResponse
// must hold what the standard requires, may hold every field it defines (typed as it says), and
// may decline (a no-bid).
#include "openrtb_fixtures.hpp"
#include "service_fixture.hpp"

namespace dia::testing {
namespace {

json rtb_with_ext(std::int64_t auction, double price, const json& bid_ext, const json& ext) {
  json body = rtb_bid(auction, price);
  if (!bid_ext.is_null()) body["seatbid"][0]["bid"][0]["ext"] = bid_ext;
  if (!ext.is_null()) body["ext"] = ext;
  return body;
}

// Posts `body` as a bid and expects a 400 with `code`; returns the error.
json rejected(Client& c, const std::string& path, const json& body, const std::string& code) {
  const Answer r = c.post(path + "/bids", body, unique_key());
  EXPECT_EQ(r.status, 400) << body;
  EXPECT_EQ(r.body["error"]["code"], code) << body << " -> " << r.body;
  return r.body["error"];
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
  rejected(a, path, rtb_with_ext(id, 2.0, {{"dia", {{"deposit_micros", 1}}}}, nullptr),
           "invalid_field");
  rejected(a, path, rtb_with_ext(id, 2.0, nullptr, {{"dia", {{"deposit_micros", 1}}}}),
           "invalid_field");
  rejected(a, path, rtb_with_ext(id, 2.0, nullptr, {{"dia", {{"discount", 1}}}}), "unknown_field");
  rejected(a, path, rtb_with_ext(id, 2.0, {{"dia", {{"reward_micros", 1}}}}, nullptr),
           "unknown_field");
  rejected(a, path, rtb_with_ext(id, 2.0, json("x"), nullptr), "invalid_openrtb");
  rejected(a, path, rtb_with_ext(id, 2.0, nullptr, {{"dia", 5}}), "invalid_openrtb");
  EXPECT_EQ(a.get(path + "/bids").body["bids"].size(), 0u);

  // Agreeing terms and other parties' extensions pass; the answer carries the bid's terms.
  const Answer ok =
      a.post(path + "/bids",
             rtb_with_ext(id, 2.0, {{"dia", {{"deposit_micros", 2'000'000}}}, {"dsp", 1}},
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

// What OpenRTB 2.6 requires: BidResponse.id (the request's id), SeatBid.bid with at least one
// bid, Bid.id, Bid.impid and Bid.price; a missing one is a 400 whose hint names it.
TEST_P(ServiceTest, OpenRtbRequiresWhatTheStandardRequires) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  auto [alice, token] = bidder(5'000'000);
  const auto id = auction(two_bidder_design());
  const std::string path = "/v1/auctions/" + std::to_string(id);
  Client a(server_->port(), token);
  const auto missing = [&](json body, const std::string& field, const std::string& named) {
    const json error = rejected(a, path, body, "missing_field");
    EXPECT_NE(error["message"].get<std::string>().find("'" + field + "'"), std::string::npos)
        << error;
    EXPECT_NE(error["hint"].get<std::string>().find(named), std::string::npos) << error;
  };
  json body = rtb_bid(id, 1.5);
  body.erase("id");
  missing(body, "id", "BidResponse.id");
  body = rtb_bid(id, 1.5);
  body["seatbid"][0].erase("bid");
  missing(body, "bid", "SeatBid.bid");
  for (const char* field : {"id", "impid", "price"}) {
    body = rtb_bid(id, 1.5);
    body["seatbid"][0]["bid"][0].erase(field);
    missing(body, field, std::string("Bid.") + field);
  }
  // The example docs/api.md used to give: neither BidResponse.id nor Bid.id.
  missing(json::parse(R"({"seatbid":[{"bid":[{"impid":"1","price":2.0}]}],"cur":"USD"})"), "id",
          "BidResponse.id");
  body = rtb_bid(id, 1.5);
  body["seatbid"][0]["bid"] = json::array();
  EXPECT_NE(rejected(a, path, body, "invalid_openrtb")["message"].get<std::string>().find(
                "at least one bid"),
            std::string::npos);
  body = rtb_bid(id, 1.5);
  body["seatbid"][0]["bid"].push_back(body["seatbid"][0]["bid"][0]);
  rejected(a, path, body, "invalid_openrtb");  // one sealed bid per bidder
  body = rtb_bid(id, 1.5);
  body["seatbid"].push_back(body["seatbid"][0]);
  rejected(a, path, body, "invalid_openrtb");
  rejected(a, path, rtb_bid(id + 1, 1.5), "invalid_field");  // another request's id
  body = rtb_bid(id, 1.5);
  body["id"] = id;  // a number, not the string OpenRTB specifies
  rejected(a, path, body, "invalid_field");
  body = rtb_bid(id, 1.5);
  body["seatbid"][0]["bid"][0]["impid"] = "2";
  rejected(a, path, body, "invalid_field");
  body = rtb_bid(id, 1.5);
  body["seatbid"][0]["bid"][0]["price"] = "1.5";
  rejected(a, path, body, "invalid_amount");
  body = rtb_bid(id, 1.5);
  body["seatbid"][0] = "x";
  rejected(a, path, body, "invalid_openrtb");
  EXPECT_EQ(a.get(path + "/bids").body["bids"].size(), 0u);
  EXPECT_EQ(ledger_check()["ok"], true);
}

// Every field OpenRTB 2.6 defines for BidResponse, SeatBid and Bid is accepted (dia ignores the
// ones it does not use) and type-checked; fields it does not define stay unknown.
TEST_P(ServiceTest, OpenRtbAcceptsEveryTypedField) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const auto id = auction(two_bidder_design());
  const std::string path = "/v1/auctions/" + std::to_string(id);
  auto [alice, token] = bidder(50'000'000);  // 13 bids open at once
  Client a(server_->port(), token);
  // The 2.6 fields that were refused before, each alone, then each with a value of the wrong type
  // (a string for an integer, an integer for a string).
  const json valid = {{"dur", 30},
                      {"language", "en"},
                      {"langb", "en-US"},
                      {"cattax", 2},
                      {"apis", json::array({3, 5})},
                      {"protocol", 3},
                      {"qagmediarating", 1},
                      {"wratio", 6},
                      {"hratio", 5},
                      {"slotinpod", -1},
                      {"tactic", "t-1"},
                      {"api", 3}};
  const json wrong = {{"dur", "30"},
                      {"language", 1},
                      {"langb", 1},
                      {"cattax", "2"},
                      {"apis", json::array({"3"})},
                      {"protocol", 3.5},
                      {"qagmediarating", "1"},
                      {"wratio", "6"},
                      {"hratio", json::array({5})},
                      {"slotinpod", "last"},
                      {"tactic", 1},
                      {"api", "3"}};
  for (const auto& [field, value] : wrong.items()) {
    json body = rtb_bid(id, 1.5);
    body["seatbid"][0]["bid"][0][field] = value;
    const json error = rejected(a, path, body, "invalid_field");
    EXPECT_NE(error["message"].get<std::string>().find("bid[0]." + field), std::string::npos)
        << error;
  }
  const json more_wrong = json::object({{"adomain", json::array({1})},
                                        {"cat", "IAB1"},
                                        {"attr", json::array({1.5})},
                                        {"w", "300"},
                                        {"mtype", true}});
  for (const auto& [field, value] : more_wrong.items()) {
    json body = rtb_bid(id, 1.5);
    body["seatbid"][0]["bid"][0][field] = value;
    rejected(a, path, body, "invalid_field");
  }
  json body = rtb_bid(id, 1.5);
  body["seatbid"][0]["group"] = 2;  // a flag: 0 or 1
  rejected(a, path, body, "invalid_field");
  body = rtb_bid(id, 1.5);
  body["seatbid"][0]["seat"] = 7;
  rejected(a, path, body, "invalid_field");
  for (const char* field : {"bidid", "customdata", "cur"}) {
    body = rtb_bid(id, 1.5);
    body[field] = 1;
    rejected(a, path, body, "invalid_field");
  }
  body = rtb_bid(id, 1.5);
  body["seatbid"][0]["bid"][0]["bidfloor"] = 1;  // a BidRequest field, not a Bid's
  EXPECT_NE(rejected(a, path, body, "unknown_field")["hint"].get<std::string>().find("slotinpod"),
            std::string::npos);
  EXPECT_EQ(a.get(path + "/bids").body["bids"].size(), 0u);

  // Each valid one is accepted (a fresh auction each: one bid per bidder).
  for (const auto& [field, value] : valid.items()) {
    const auto other = auction(two_bidder_design());
    json one = rtb_bid(other, 1.5);
    one["seatbid"][0]["bid"][0][field] = value;
    const Answer r = a.post("/v1/auctions/" + std::to_string(other) + "/bids", one, unique_key());
    EXPECT_EQ(r.status, 201) << field << ": " << r.body;
  }
  // All of them at once: the price is read, the rest ignored, the bidder's Bid.id echoed.
  const Answer all = a.post(path + "/bids", rtb_every_field(id, 1.25), unique_key());
  ASSERT_EQ(all.status, 201) << all.body;
  EXPECT_EQ(all.body["amount_micros"], 1'250'000);
  EXPECT_EQ(all.body["format"], "openrtb");
  EXPECT_EQ(all.body["openrtb_bid_id"], "bid-7");
  EXPECT_EQ(ledger_check()["ok"], true);
}

// The bidder's Bid.id comes back in the answer (and its replay); a dia-form bid has none.
TEST_P(ServiceTest, OpenRtbEchoesTheBiddersBidId) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const auto id = auction(two_bidder_design());
  const std::string path = "/v1/auctions/" + std::to_string(id);
  auto [alice, alice_token] = bidder(5'000'000);
  auto [bob, bob_token] = bidder(5'000'000);
  Client a(server_->port(), alice_token), b(server_->port(), bob_token);
  const json bid = rtb_bid(id, 0.75, "dsp-bid-\u00e9-42");
  const Answer first = a.post(path + "/bids", bid, "echo-1");
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.body["openrtb_bid_id"], "dsp-bid-\u00e9-42");
  EXPECT_EQ(first.body["amount_micros"], 750'000);
  const Answer replay = a.post(path + "/bids", bid, "echo-1");
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.body, first.body);
  const Answer plain = b.post(path + "/bids", json{{"amount_micros", 1'000'000}}, unique_key());
  ASSERT_EQ(plain.status, 201) << plain.body;
  EXPECT_FALSE(plain.body.contains("openrtb_bid_id"));
}

// The example in docs/api.md is valid and accepted as written (its auction is 1).
TEST_P(ServiceTest, OpenRtbDocsExampleIsAccepted) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  auto [alice, token] = bidder(5'000'000);
  const auto id = auction(json{{"values", "discrete(1:0.5,2:0.3,3:0.2)"}, {"bidders", 1}});
  ASSERT_EQ(id, 1);  // a fresh database, as in the worked session
  const json example = docs_bid_example();
  ASSERT_TRUE(example.is_object()) << "no OpenRTB bid in docs/api.md";
  Client a(server_->port(), token);
  const Answer r = a.post("/v1/auctions/1/bids", example, unique_key());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.body["amount_micros"], 2'000'000);
  EXPECT_EQ(r.body["openrtb_bid_id"], example["seatbid"][0]["bid"][0]["id"]);
  EXPECT_EQ(r.body["ext"]["dia"]["deposit_if_won_micros"], 2'000'000);
}

// A BidResponse without a seatbid declines (OpenRTB's no-bid): 200 with no_bid and the reason,
// nothing recorded; the bidder may still bid later.
TEST_P(ServiceTest, OpenRtbNoBidIsAnsweredAndNotRecorded) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const auto id = auction(two_bidder_design());
  const std::string path = "/v1/auctions/" + std::to_string(id);
  auto [alice, token] = bidder(5'000'000);
  Client a(server_->port(), token);
  const Answer declined = a.post(path + "/bids", rtb_no_bid(id), unique_key());
  ASSERT_EQ(declined.status, 200) << declined.body;
  EXPECT_EQ(declined.body,
            (json{{"auction_id", id}, {"auction_status", "open"}, {"no_bid", true}, {"nbr", 2}}));
  json empty = rtb_no_bid(id);
  empty["seatbid"] = json::array();
  empty.erase("nbr");
  const Answer bare = a.post(path + "/bids", empty, unique_key());
  ASSERT_EQ(bare.status, 200) << bare.body;
  EXPECT_EQ(bare.body["no_bid"], true);
  EXPECT_FALSE(bare.body.contains("nbr"));
  EXPECT_EQ(a.get(path + "/bids").body["bids"].size(), 0u);
  EXPECT_EQ(a.get("/v1/bidders/" + std::to_string(alice) + "/account").body["committed_micros"], 0);
  EXPECT_EQ(op().get("/v1/auctions").body["auctions"][0]["sealed_bids"], 0);

  json bad = rtb_no_bid(id);
  bad["nbr"] = "2";
  rejected(a, path, bad, "invalid_field");
  bad = rtb_bid(id, 1.5);
  bad["nbr"] = 2;  // a reason not to bid, beside a bid
  rejected(a, path, bad, "invalid_openrtb");
  bad = rtb_no_bid(id);
  bad.erase("id");
  rejected(a, path, bad, "missing_field");
  bad = rtb_no_bid(id);
  bad["ext"] = {{"dia", {{"deposit_micros", 5}}}};  // terms of a bid that is not there
  rejected(a, path, bad, "invalid_field");
  const Answer unknown = a.post("/v1/auctions/999/bids", rtb_no_bid(999), unique_key());
  EXPECT_EQ(unknown.status, 404) << unknown.body;

  const Answer later = a.post(path + "/bids", rtb_bid(id, 1.0), unique_key());
  EXPECT_EQ(later.status, 201) << later.body;
  EXPECT_EQ(ledger_check()["ok"], true);
}

}  // namespace
}  // namespace dia::testing
