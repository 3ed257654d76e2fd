// The compact OpenRTB BidRequest (docs/api.md, "OpenRTB 2.6"): under 4 KB for a continuous, a
// discrete and a Border design (and a dia-lottery-v2 auction), the terms by reference with the
// SHA-256 of the exact bytes served, the old inline form on request, bidfloor = the lowest bid
// that can win (checked against the design's allocation and by running the lottery), tmax, and
// the bid's Bid.id and win and billing notices with their macros substituted, on both backends.
#include <httplib.h>

#include "openrtb_fixtures.hpp"
#include "sealed_support.hpp"
#include "service/openrtb_terms.hpp"
#include "support/run_cli.hpp"

namespace dia::testing {
namespace {

class OpenRtbCompactTest : public ServiceTest {
 protected:
  // The exact bytes of a GET (the terms document is checked byte for byte).
  std::string raw_get(const std::string& path, const std::string& token = kOperatorToken) {
    httplib::Client http("127.0.0.1", server_->port());
    const auto r = http.Get(path.c_str(), httplib::Headers{{"Authorization", "Bearer " + token}});
    EXPECT_TRUE(r && r->status == 200) << path << ": " << (r ? r->body : "no answer");
    return r ? r->body : "";
  }
  // The BidRequest of a new auction: checks the size bound and the terms by reference; returns
  // {request, terms document}.
  std::pair<json, json> checked_request(const json& design, const std::string& name) {
    const auto id = auction(design);
    const std::string path = "/v1/auctions/" + std::to_string(id) + "/openrtb";
    const std::string bytes = raw_get(path);
    EXPECT_LT(bytes.size(), 4096u) << name << ": " << bytes.size() << " bytes";
    const json request = json::parse(bytes);
    const json& dia = request["ext"]["dia"];
    const std::string url = dia["terms_url"].get<std::string>();
    EXPECT_EQ(url, "/v1/designs/" + dia["design_id"].dump() + "/terms") << name;
    const std::string terms = raw_get(url);
    EXPECT_EQ(sha256_of(terms), dia["terms_sha256"]) << name;
    // The SPEC as the house stores it: in the terms, and inline when short.
    const json spec = op().get("/v1/auctions/" + std::to_string(id)).body["values"];
    const json document = json::parse(terms);
    EXPECT_EQ(document["values"], spec) << name;
    EXPECT_EQ(dia.contains("values"), spec.get<std::string>().size() <= 256) << name;
    if (dia.contains("values")) {
      EXPECT_EQ(dia["values"], spec) << name;
    }
    return {request, document};
  }
};

// A one-bidder saved design on `values` (increasing) with X = `allocation`, equal weights.
json one_bidder_design(const std::vector<double>& values, const std::vector<double>& allocation) {
  std::string spec = "discrete(";
  char atom[64];
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::snprintf(atom, sizeof atom, "%s%.17g:%.17g", i ? "," : "", values[i],
                  1.0 / double(values.size()));
    spec += atom;
  }
  return {{"values", spec + ")"},
          {"bidders", 1},
          {"reduced_form", {{"values", values}, {"allocation", allocation}}}};
}

TEST_P(OpenRtbCompactTest, BidRequestIsUnder4KbForEveryDesignWithTheTermsByReference) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  // Continuous: the optimiser's grid (20,000 points, 772,905 bytes inline before).
  const json continuous{{"values", "uniform(0,1)"}, {"bidders", 2}};
  auto [request, terms] = checked_request(continuous, "continuous");
  const json& reward = request["ext"]["dia"]["terms"]["reward"];
  EXPECT_EQ(reward["formula"], "rent_over_allocation");
  EXPECT_FALSE(reward.contains("values"));  // by reference only
  const std::size_t points = terms["reward"]["values"].size();
  EXPECT_GT(points, 1000u);
  EXPECT_EQ(reward["grid_points"], points);
  EXPECT_EQ(terms["reward"]["allocation"].size(), points);
  EXPECT_EQ(terms["probabilities"].size(), points);       // the optimiser's, for the Border lottery
  EXPECT_TRUE(request["ext"]["dia"].contains("values"));  // a short SPEC stays inline
  // The old form on request: the same grid inline, the same numbers as the terms document.
  const json old =
      op().get("/v1/auctions/" + request["id"].get<std::string>() + "/openrtb?terms=inline").body;
  EXPECT_EQ(old["ext"]["dia"]["terms"]["reward"]["values"], terms["reward"]["values"]);
  EXPECT_EQ(old["ext"]["dia"]["terms"]["reward"]["allocation"], terms["reward"]["allocation"]);
  EXPECT_GT(old.dump().size(), 100'000u);
  EXPECT_EQ(op().get("/v1/auctions/1/openrtb?terms=all").body["error"]["code"], "invalid_field");

  // Discrete with 300 atoms: a SPEC of ~ 12 KB and a grid above the inline limit.
  std::vector<double> values, allocation;
  for (int i = 1; i <= 300; ++i) {
    values.push_back(i / 7.0);
    allocation.push_back(i / 300.0);
  }
  const json big = one_bidder_design(values, allocation);
  ASSERT_GT(big["values"].get<std::string>().size(), 4096u);
  auto [big_request, big_terms] = checked_request(big, "discrete");
  EXPECT_FALSE(big_request["ext"]["dia"].contains("values"));  // the long SPEC by reference
  EXPECT_EQ(big_terms["reward"]["values"], json(values));
  EXPECT_EQ(big_terms["reward"]["allocation"], json(allocation));
  // The same design sealed (dia-lottery-v2 adds its terms and instructions).
  auto [sealed_request, sealed_terms] =
      checked_request(sealed_auction(big, 5'000'000, 100'000, 600), "discrete v2");
  EXPECT_EQ(sealed_request["ext"]["dia"]["protocol"], "dia-lottery-v2");
  EXPECT_EQ(sealed_terms["design_sha256"],
            op().get("/v1/auctions/" + sealed_request["id"].get<std::string>())
                .body["terms"]["design_sha256"]);

  // Border (X_0 = 0.4 > G_0 = 0.25): small, so the grid also stays inline, exactly.
  const json border{
      {"values", "discrete(1:0.5,1.2:0.3,2:0.2)"},
      {"bidders", 2},
      {"reduced_form", {{"values", {1.0, 1.2, 2.0}}, {"allocation", {0.4, 0.4, 0.9}}}}};
  auto [border_request, border_terms] = checked_request(border, "border");
  EXPECT_EQ(border_request["at"], 502);
  EXPECT_EQ(border_request["ext"]["dia"]["terms"]["reward"]["values"], json({1.0, 1.2, 2.0}));
  EXPECT_EQ(border_terms["rule"], "border_lottery");
  EXPECT_FALSE(border_terms.contains("probabilities"));  // the saved design gave none

  EXPECT_EQ(op().get("/v1/designs/999/terms").status, 404);
}

TEST_P(OpenRtbCompactTest, BidfloorIsTheLowestBidThatCanWin) {
  DIA_REQUIRE_BACKEND(url_);
  start_server({"--openrtb-tmax-ms", "250"});
  const auto floor_of = [&](const json& design) {
    const json r = op().get("/v1/auctions/" + std::to_string(auction(design)) + "/openrtb").body;
    EXPECT_EQ(r["tmax"], 250);
    EXPECT_DOUBLE_EQ(r["imp"][0]["bidfloor"].get<double>(),
                     r["ext"]["dia"]["bidfloor_micros"].get<double>() / 1e6);
    return r["ext"]["dia"]["bidfloor_micros"].get<Micros>();
  };
  // By hand: X = (1/4, 3/4) sells from the first grid value 1; X = (0, 1) only from 2.
  EXPECT_EQ(floor_of(two_bidder_design()), 1'000'000);
  EXPECT_EQ(floor_of(one_bidder_design({1.0, 2.0}, {0.0, 1.0})), 2'000'000);
  // A grid value between two micros: 1.0000005 units = 1,000,000.5 micros, so 1,000,001.
  const json between = one_bidder_design({0.5, 1.0000005}, {0.0, 1.0});
  EXPECT_EQ(floor_of(between), 1'000'001);

  // Run it: one bidder, q = X: a bid one micro below the floor is never delivered, the floor
  // always is (X = 1 there).
  auto [alice, token] = bidder(10'000'000);
  Client a(server_->port(), token);
  for (const Micros bid : {Micros{1'000'000}, Micros{1'000'001}}) {
    const auto id = auction(between);
    const std::string path = "/v1/auctions/" + std::to_string(id);
    ASSERT_EQ(a.post(path + "/bids", json{{"amount_micros", bid}}, unique_key()).status, 201);
    const Answer closed = op().post(path + "/close", json::object(), unique_key());
    ASSERT_EQ(closed.status, 200) << closed.body;
    EXPECT_EQ(closed.body["outcome"]["delivered"], bid == 1'000'001) << closed.body;
  }

  // The optimiser's continuous design: the floor is the least micro at or above the first grid
  // value with X > 0, read from the export of an auction closed without bids.
  const json continuous{{"values", "uniform(0,1)"}, {"bidders", 2}};
  const Micros floor = floor_of(continuous);
  const auto id = auction(continuous);
  ASSERT_EQ(op().post("/v1/auctions/" + std::to_string(id) + "/close", json::object(), unique_key())
                .status,
            200);
  const json reduced =
      op().get("/v1/auctions/" + std::to_string(id) + "/export").body["design"]["reduced_form"];
  std::size_t first = 0;
  while (!(reduced["allocation"][first].get<double>() > 0)) ++first;
  const double v = reduced["values"][first].get<double>();
  EXPECT_GE(static_cast<double>(floor) / 1e6, v);
  EXPECT_LT(static_cast<double>(floor - 1) / 1e6, v);
}

TEST_P(OpenRtbCompactTest, BidIdAndNoticesAreKeptAndTheMacrosSubstitutedOnAWin) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const json design = one_bidder_design({1.0, 2.0}, {0.0, 1.0});  // q = 1 from 2 on
  auto [alice, token] = bidder(10'000'000);
  Client a(server_->port(), token);
  // The response's bidid, seat and the bid's adid feed ${AUCTION_BID_ID}, ${AUCTION_SEAT_ID} and
  // ${AUCTION_AD_ID}, percent-encoded: "resp 1/x" is resp%201%2Fx, "ad~7" stays.
  const auto bid_with = [](std::int64_t id, double price, const json& fields) {
    json body = rtb_bid(id, price, "dsp-7");
    body["bidid"] = "resp 1/x";
    body["seatbid"][0]["seat"] = "seat-9";
    body["seatbid"][0]["bid"][0]["adid"] = "ad~7";
    for (const auto& [k, v] : fields.items()) body["seatbid"][0]["bid"][0][k] = v;
    return body;
  };
  const json notices{
      {"nurl",
       "https://dsp.example/win?p=${AUCTION_PRICE}&a=${AUCTION_ID}&i=${AUCTION_IMP_ID}"
       "&c=${AUCTION_CURRENCY}&l=${AUCTION_LOSS}&q=${AUCTION_PRICE}&b=${AUCTION_BID_ID}"
       "&s=${AUCTION_SEAT_ID}&d=${AUCTION_AD_ID}&r=${AUCTION_MBR}&m=${AUCTION_MIN_TO_WIN}"
       "&x=${AUCTION_OTHER}"},
      {"burl", "http://dsp.example/bill/${AUCTION_PRICE}"},
      {"lurl",
       "https://dsp.example/loss?l=${AUCTION_LOSS}&p=${AUCTION_PRICE}&a=${AUCTION_ID}"
       "&b=${AUCTION_BID_ID}&r=${AUCTION_MBR}&m=${AUCTION_MIN_TO_WIN}"}};

  // Refused notices and ids: 400, nothing recorded.
  const auto won_id = auction(design);
  const std::string path = "/v1/auctions/" + std::to_string(won_id);
  for (const json& bad :
       {json{{"nurl", "ftp://dsp.example/win"}}, json{{"burl", "https://dsp.example/a b"}},
        json{{"lurl", "dsp.example/loss"}},
        json{{"nurl", "https://dsp.example/" + std::string(2100, 'x')}},
        json{{"id", std::string("a\nb")}}}) {
    const Answer r = a.post(path + "/bids", bid_with(won_id, 2.000001, bad), unique_key());
    EXPECT_EQ(r.status, 400) << bad << " -> " << r.body;
    EXPECT_EQ(r.body["error"]["code"], "invalid_field") << r.body;
  }
  EXPECT_EQ(a.get(path + "/bids").body["bids"].size(), 0u);

  const Answer placed = a.post(path + "/bids", bid_with(won_id, 2.000001, notices), unique_key());
  ASSERT_EQ(placed.status, 201) << placed.body;
  EXPECT_EQ(placed.body["openrtb_bid_id"], "dsp-7");
  json mine = a.get(path + "/bids").body["bids"][0];
  EXPECT_EQ(mine["openrtb_bid_id"], "dsp-7");         // kept with the bid
  EXPECT_FALSE(mine["ext"]["dia"].contains("nurl"));  // nothing before the outcome
  ASSERT_EQ(op().post(path + "/close", json::object(), unique_key()).body["outcome"]["delivered"],
            true);

  // A losing (undelivered) bid below the floor: its bid id, the loss notice only (code 100).
  const auto lost_id = auction(design);
  const std::string lost = "/v1/auctions/" + std::to_string(lost_id);
  ASSERT_EQ(a.post(lost + "/bids", bid_with(lost_id, 1.5, notices), unique_key()).status, 201);
  ASSERT_EQ(op().post(lost + "/close", json::object(), unique_key()).body["outcome"]["delivered"],
            false);

  // By hand: the win's loss code is 0 ("bid won"), its market bid ratio 1 (the deposit is the
  // bid), MIN_TO_WIN empty (a lottery has no sure-win bid), an unknown macro left as written.
  const std::string won_nurl = "https://dsp.example/win?p=2.000001&a=" + std::to_string(won_id) +
                               "&i=1&c=USD&l=0&q=2.000001&b=resp%201%2Fx&s=seat-9&d=ad~7&r=1&m="
                               "&x=${AUCTION_OTHER}";
  // The loss: below the floor 2 (code 100), no price disclosed, no ratio.
  const std::string lost_lurl =
      "https://dsp.example/loss?l=100&p=&a=" + std::to_string(lost_id) + "&b=resp%201%2Fx&r=&m=";
  const auto check = [&] {
    const json won = Client(server_->port(), token).get(path + "/bids").body["bids"][0];
    EXPECT_EQ(won["openrtb_bid_id"], "dsp-7");
    EXPECT_EQ(won["ext"]["dia"]["won"], true);
    EXPECT_EQ(won["ext"]["dia"]["nurl"], won_nurl) << won;
    EXPECT_EQ(won["ext"]["dia"]["burl"], "http://dsp.example/bill/2.000001") << won;
    // The operator sees the same; the losing bid carries no notice.
    EXPECT_EQ(op().get(path + "/bids").body["bids"][0]["ext"]["dia"]["nurl"], won_nurl);
    const json loser = op().get(lost + "/bids").body["bids"][0];
    EXPECT_EQ(loser["openrtb_bid_id"], "dsp-7");
    EXPECT_EQ(loser["ext"]["dia"]["won"], false);
    EXPECT_FALSE(loser["ext"]["dia"].contains("nurl")) << loser;
    EXPECT_FALSE(loser["ext"]["dia"].contains("burl")) << loser;
    EXPECT_EQ(loser["ext"]["dia"]["lurl"], lost_lurl) << loser;
    EXPECT_EQ(
        Client(server_->port(), token).get(lost + "/bids").body["bids"][0]["ext"]["dia"]["lurl"],
        lost_lurl);
    EXPECT_FALSE(won["ext"]["dia"].contains("lurl")) << won;  // a winner gets no loss notice
  };
  check();
  server_->stop(SIGTERM);
  start_server();  // the same database: kept durably
  check();
  EXPECT_EQ(ledger_check()["ok"], true);
}

// Two bidders on X = G (the higher bid always wins): the lower bid's loss notice says 102, "lost
// to a higher bid"; with --public-url the terms_url is absolute, and the terms are served there.
TEST_P(OpenRtbCompactTest, LossNoticeOfALowerBidAndAnAbsoluteTermsUrl) {
  DIA_REQUIRE_BACKEND(url_);
  start_server({"--public-url", "https://auctions.example/dia/"});
  const auto id = auction(two_bidder_design());
  const std::string path = "/v1/auctions/" + std::to_string(id);
  const json request = op().get(path + "/openrtb").body;
  const std::string url = request["ext"]["dia"]["terms_url"];
  const std::string relative =
      "/v1/designs/" + request["ext"]["dia"]["design_id"].dump() + "/terms";
  EXPECT_EQ(url, "https://auctions.example/dia" + relative);
  EXPECT_EQ(sha256_of(raw_get(relative)), request["ext"]["dia"]["terms_sha256"]);
  std::string tokens[2];
  const double prices[2] = {2.0, 1.5};
  for (int i = 0; i < 2; ++i) {
    tokens[i] = bidder(10'000'000).second;
    json body = rtb_bid(id, prices[i], "b" + std::to_string(i));
    body["seatbid"][0]["bid"][0]["lurl"] =
        "https://dsp.example/l?c=${AUCTION_LOSS}&p=${AUCTION_PRICE}";
    ASSERT_EQ(Client(server_->port(), tokens[i]).post(path + "/bids", body, unique_key()).status,
              201);
  }
  const json closed = op().post(path + "/close", json::object(), unique_key()).body;
  ASSERT_EQ(closed["outcome"]["deposit_micros"], 2'000'000) << closed;
  const json lower = Client(server_->port(), tokens[1]).get(path + "/bids").body["bids"][0];
  EXPECT_EQ(lower["ext"]["dia"]["lurl"], "https://dsp.example/l?c=102&p=") << lower;
  const json higher = Client(server_->port(), tokens[0]).get(path + "/bids").body["bids"][0];
  EXPECT_FALSE(higher["ext"]["dia"].contains("lurl")) << higher;
}

// The loss codes and the --public-url check by hand, without a server.
TEST(OpenRtbNotices, LossCodesAndPublicUrl) {
  using service::loss_reason;
  EXPECT_EQ(loss_reason(999'999, Micros{1'000'000}, true, 2'000'000), 100);  // below the floor
  EXPECT_EQ(loss_reason(5, std::nullopt, false, 0), 100);                    // nothing is ever sold
  EXPECT_EQ(loss_reason(1'500'000, Micros{1'000'000}, true, 2'000'000), 102);
  EXPECT_EQ(loss_reason(1'500'000, Micros{1'000'000}, true, 1'200'000), 1000);  // a lower bid
  EXPECT_EQ(loss_reason(1'500'000, Micros{1'000'000}, true, 1'500'000), 1000);  // a tie
  EXPECT_EQ(loss_reason(1'500'000, Micros{1'000'000}, false, 0), 1001);         // nobody got it
  EXPECT_EQ(service::public_base_url("http://h:8080").value(), "http://h:8080");
  EXPECT_EQ(service::public_base_url("https://h/x//").value(), "https://h/x");
  for (const char* bad : {"ftp://h", "https://", "https:///x", "https://h/?a=1", "https://h/#f",
                          "https://u:p@h", "https://h/a b", "h.example"}) {
    EXPECT_FALSE(service::public_base_url(bad).has_value()) << bad;
  }
  EXPECT_FALSE(service::public_base_url("https://h/" + std::string(1100, 'x')).has_value());
  EXPECT_EQ(
      service::substitute_bid_macros("u?b=${AUCTION_BID_ID}${AUCTION_BID_ID}", "a&b=c", "", ""),
      "u?b=a%26b%3Dca%26b%3Dc");
}

// dia serve refuses a bad --public-url with one line, exit 2, before opening the database.
TEST(OpenRtbNotices, ServeRefusesABadPublicUrl) {
  setenv("DIA_OPERATOR_TOKEN", kOperatorToken, 1);
  const CliRun run =
      run_cli({"serve", "--db", "sqlite:/nonexistent/x.db", "--public-url", "https://h/terms?x=1"});
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find("--public-url"), std::string::npos) << run.err;
}

INSTANTIATE_TEST_SUITE_P(Backends, OpenRtbCompactTest, ::testing::Values("sqlite", "postgresql"),
                         backend_name);

}  // namespace
}  // namespace dia::testing
