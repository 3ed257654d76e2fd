// The answer of POST /v1/decisions is written as text, without a JSON tree
// (src/service/house_decision_text.cpp): its bytes must be exactly those the tree gives, i.e. the
// decision as GET /v1/decisions/{id} builds it (a JSON tree, with its design) without the design,
// dumped. Checked on decisions of every shape: delivered, not delivered, the Border lottery, and
// OpenRTB bids whose Bid.ids need escaping (a quote, a backslash, UTF-8), on both backends.
#include "service/api_error.hpp"
#include "service_fixture.hpp"

namespace dia::testing {
namespace {

class DecisionTextTest : public ServiceTest {
 protected:
  // A decision's answer bytes, and the tree's bytes for the same decision.
  void expect_tree_bytes(const json& body) {
    httplib::Client http("127.0.0.1", server_->port());
    const auto posted = http.Post("/v1/decisions",
                                  httplib::Headers{{"Authorization", "Bearer " + exchange_},
                                                   {"Idempotency-Key", unique_key()}},
                                  body.dump(), "application/json");
    ASSERT_TRUE(posted);
    ASSERT_EQ(posted->status, 201) << posted->body;
    const json answer = json::parse(posted->body);
    const auto got = http.Get("/v1/decisions/" + answer["decision_id"].dump(),
                              httplib::Headers{{"Authorization", "Bearer " + exchange_}});
    ASSERT_TRUE(got);
    ASSERT_EQ(got->status, 200) << got->body;
    json tree = json::parse(got->body);
    ASSERT_TRUE(tree.contains("design"));
    tree.erase("design");
    EXPECT_EQ(posted->body, service::dump_safely(tree));
    delivered_ += answer["delivered"].get<bool>();
    ++decisions_;
  }
  std::int64_t saved(const json& design) {
    const Answer a = op().post("/v1/designs", design, unique_key());
    EXPECT_EQ(a.status, 201) << a.body;
    return a.body.value("design_id", std::int64_t{0});
  }
  std::string nonce() {
    char text[65];
    std::snprintf(text, sizeof text, "%064x", ++nonces_);
    return text;
  }
  std::string exchange_;
  int nonces_ = 0, delivered_ = 0, decisions_ = 0;
};

json plain(std::int64_t design, const std::string& request, const json& bids, std::string nonce) {
  return {{"design_id", design}, {"request_id", request}, {"bids", bids}, {"nonce", nonce}};
}

json bid(std::int64_t bidder, Micros amount) {
  return {{"bidder_id", bidder}, {"amount_micros", amount}};
}

TEST_P(DecisionTextTest, AnswerBytesEqualTheJsonTreesOnEveryShape) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  exchange_ = enroll(op().post("/v1/exchanges", json{{"name", "ex"}}, unique_key()));
  const auto alice = bidder(1'000'000'000).first;
  const auto bob = bidder(1'000'000'000).first;

  // Delivered: X = G, the highest bid always wins.
  const std::int64_t always = saved(two_bidder_design());
  expect_tree_bytes(
      plain(always, "plain-1", json::array({bid(bob, 1'000'000), bid(alice, 2'000'000)}), nonce()));
  // Not delivered: X(1) = 0, a lone bid of 1 never sells (winner_id null, deposit 0).
  json never = two_bidder_design();
  never["reduced_form"]["allocation"] = {0.0, 0.75};
  expect_tree_bytes(
      plain(saved(never), "plain-\"quoted\\", json::array({bid(alice, 1'000'000)}), nonce()));
  // The Border lottery (designed on the server): bids (1, 1.2) sell to either or to nobody.
  const std::int64_t border = saved({{"values", "discrete(1:0.5,1.2:0.3,2:0.2)"}, {"bidders", 2}});
  for (int i = 0; i < 12; ++i) {
    expect_tree_bytes(plain(border, "border-" + std::to_string(i),
                            json::array({bid(alice, 1'000'000), bid(bob, 1'200'000)}), nonce()));
  }
  // OpenRTB: Bid.ids that need escaping, the winner's echoed at the top.
  const auto response = [](std::int64_t seat, const std::string& bid_id, double price) {
    const json b{{"id", bid_id}, {"impid", "i1"}, {"price", price}};
    const json seatbid{{"seat", std::to_string(seat)}, {"bid", json::array({b})}};
    return json{{"id", "rtb-1"}, {"seatbid", json::array({seatbid})}, {"cur", "USD"}};
  };
  json rtb{{"design_id", always}, {"nonce", nonce()}};
  rtb["openrtb"] = {{"request", {{"id", "rtb-1"}, {"imp", json::array({{{"id", "i1"}}})}}},
                    {"responses", json::array({response(alice, "a\"1\\ \xc3\xa9\xe2\x82\xac", 2.0),
                                               response(bob, "b-1", 1.5)})}};
  expect_tree_bytes(rtb);

  EXPECT_EQ(decisions_, 15);
  EXPECT_GE(delivered_, 2);
  EXPECT_LT(delivered_, decisions_);
}

INSTANTIATE_TEST_SUITE_P(Backends, DecisionTextTest, ::testing::Values("sqlite", "postgresql"),
                         backend_name);

}  // namespace
}  // namespace dia::testing
