// Bad input gets a 4xx JSON error and writes nothing; idempotency keys replay the first answer.
#include "service_fixture.hpp"
#include "support/run_cli.hpp"

namespace dia::testing {
namespace {

void expect_error(const Answer& a, int status, const std::string& code) {
  EXPECT_EQ(a.status, status) << a.body;
  ASSERT_TRUE(a.body.is_object()) << a.body;
  EXPECT_EQ(a.body["error"]["code"], code) << a.body;
  EXPECT_FALSE(a.body["error"]["message"].get<std::string>().empty());
}

TEST_P(ServiceTest, BadInputIsRejectedAndChangesNothing) {
  DIA_REQUIRE_BACKEND(url_);
  start_server({"--max-body-bytes", "4096"});
  auto [alice, token] = bidder(1'000'000);
  const std::string inspector_token = inspector();
  const auto id = auction(two_bidder_design());
  const std::string path = "/v1/auctions/" + std::to_string(id);
  Client a(server_->port(), token), ins(server_->port(), inspector_token);
  const json before = ledger_check();

  expect_error(a.post(path + "/bids", std::string("{\"amount_micros\": "), unique_key()), 400,
               "malformed_json");
  expect_error(a.post(path + "/bids", json{{"amount_micros", 5}, {"extra", 1}}, unique_key()), 400,
               "unknown_field");
  expect_error(a.post(path + "/bids", json{{"amount_micros", -5}}, unique_key()), 400,
               "invalid_amount");
  expect_error(a.post(path + "/bids", json{{"amount_micros", "12"}}, unique_key()), 400,
               "invalid_amount");
  expect_error(a.post(path + "/bids", json{{"amount_micros", 1.5}}, unique_key()), 400,
               "invalid_amount");
  expect_error(a.post(path + "/bids", json{{"amount_micros", 1'000'001}}, unique_key()), 422,
               "insufficient_funds");
  expect_error(a.post(path + "/bids", json{{"amount_micros", 5}}, ""), 400,
               "idempotency_key_required");
  expect_error(a.post("/v1/auctions/999999/bids", json{{"amount_micros", 5}}, unique_key()), 404,
               "not_found");
  expect_error(op().post("/v1/bidders/999999/funds", json{{"amount_micros", 5}}, unique_key()), 404,
               "not_found");
  expect_error(a.post(path + "/bids", std::string(8000, ' '), unique_key()), 413,
               "payload_too_large");
  expect_error(ins.post(path + "/inspection", json{{"observed_micros", 1}}, unique_key()), 409,
               "not_closed");
  // Roles: no token, a wrong token, the wrong role.
  expect_error(Client(server_->port(), "nonsense")
                   .post(path + "/bids", json{{"amount_micros", 5}}, unique_key()),
               401, "unauthorized");
  expect_error(a.post("/v1/bidders/" + std::to_string(alice) + "/funds", json{{"amount_micros", 5}},
                      unique_key()),
               403, "forbidden");
  expect_error(a.post(path + "/close", json::object(), unique_key()), 403, "forbidden");
  expect_error(op().post("/v1/auctions", json{{"values", "uniform(2,1)"}}, unique_key()), 400,
               "invalid_spec");
  expect_error(op().post("/v1/auctions",
                         json{{"values", "uniform(0,1)"},
                              {"reduced_form", {{"values", {0.5, 0.2}}, {"allocation", {0, 1}}}}},
                         unique_key()),
               400, "invalid_reduced_form");
  EXPECT_EQ(ledger_check(), before);
  EXPECT_EQ(a.get(path + "/bids").body["bids"].size(), 0u);

  // Lifecycle errors: bid after close, double close, inspection twice, inspection of no sale.
  ASSERT_EQ(a.post(path + "/bids", json{{"amount_micros", 1'000'000}}, unique_key()).status, 201);
  expect_error(a.post(path + "/bids", json{{"amount_micros", 1}}, unique_key()), 409,
               "duplicate_bid");
  ASSERT_EQ(op().post(path + "/close", json::object(), unique_key()).status, 200);
  expect_error(op().post(path + "/close", json::object(), unique_key()), 409, "already_closed");
  auto [bob, bob_token] = bidder(1'000'000);
  expect_error(Client(server_->port(), bob_token)
                   .post(path + "/bids", json{{"amount_micros", 1}}, unique_key()),
               409, "auction_closed");
  const json state = op().get(path).body;
  if (state["status"] == "awarded") {
    ASSERT_EQ(
        ins.post(path + "/inspection", json{{"observed_micros", 1'000'000}}, unique_key()).status,
        200);
    expect_error(ins.post(path + "/inspection", json{{"observed_micros", 1'000'000}}, unique_key()),
                 409, "already_inspected");
  } else {
    expect_error(ins.post(path + "/inspection", json{{"observed_micros", 1}}, unique_key()), 409,
                 "no_winner");
  }
  EXPECT_EQ(ledger_check()["ok"], true);
}

TEST_P(ServiceTest, IdempotencyKeysReplayTheFirstAnswer) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  auto [alice, token] = bidder(0);
  const std::string fund = "/v1/bidders/" + std::to_string(alice) + "/funds";
  const Answer first = op().post(fund, json{{"amount_micros", 700}}, "fund-once");
  ASSERT_EQ(first.status, 201);
  const Answer again = op().post(fund, json{{"amount_micros", 700}}, "fund-once");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  expect_error(op().post(fund, json{{"amount_micros", 900}}, "fund-once"), 422,
               "idempotency_key_reused");
  // Replays survive a restart (the key is stored with the answer, in the same transaction).
  server_->stop(SIGKILL);
  start_server();
  EXPECT_EQ(op().post(fund, json{{"amount_micros", 700}}, "fund-once").body, first.body);
  Client a(server_->port(), token);
  EXPECT_EQ(a.get("/v1/bidders/" + std::to_string(alice) + "/account").body["cash_micros"], 700);
  // Registering twice with one key gives the same bidder, not a second one; the enrollment code
  // shows only in the first answer and is stored nowhere in plaintext (the idempotency table
  // included), so a replay hands no usable code to whoever sends it.
  const Answer r1 = op().post("/v1/bidders", json{{"name", "x"}}, "reg");
  ASSERT_EQ(r1.status, 201);
  const std::string secret = r1.body["enrollment_code"].get<std::string>();
  for (int restart = 0; restart < 2; ++restart) {
    const Answer r2 = op().post("/v1/bidders", json{{"name", "x"}}, "reg");
    EXPECT_EQ(r2.status, 201);
    EXPECT_EQ(r2.body["bidder_id"], r1.body["bidder_id"]);
    EXPECT_TRUE(r2.body["enrollment_code"].is_null()) << r2.body;
    EXPECT_NE(r2.body["enrollment_code_note"].get<std::string>().find("shown once"),
              std::string::npos);
    server_->stop(SIGTERM);
    auto db = ledger::open_database(url_);
    ASSERT_TRUE(db);
    auto rows = (*db)->query(
        {"SELECT (SELECT COUNT(*) FROM idempotency WHERE response LIKE ? OR response LIKE ?) +"
         " (SELECT COUNT(*) FROM enrollments WHERE code_sha256 = ?)",
         {"%" + secret + "%", "%\"enrollment_code\":\"%", secret}});
    ASSERT_TRUE(rows) << rows.error().line();
    EXPECT_EQ(ledger::as_int(rows->at(0)[0]), 0);
    start_server();
  }
  const std::string x_token = enroll(r1);
  EXPECT_EQ(Client(server_->port(), x_token)
                .get("/v1/bidders/" + std::to_string(r1.body["bidder_id"].get<long>()) + "/account")
                .status,
            200);
  EXPECT_EQ(ledger_check()["accounts"], 2 + 2 * 2);
}

TEST_P(ServiceTest, IdempotencyKeysReplayFailuresTooButNotAuthErrors) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  auto [alice, token] = bidder(1'000'000);
  const auto id = auction(two_bidder_design());
  const std::string bids = "/v1/auctions/" + std::to_string(id) + "/bids";
  Client a(server_->port(), token);
  const json bid{{"amount_micros", 2'000'000}};
  expect_error(a.post(bids, bid, "bid-once"), 422, "insufficient_funds");
  ASSERT_EQ(op().post("/v1/bidders/" + std::to_string(alice) + "/funds",
                      json{{"amount_micros", 5'000'000}}, unique_key())
                .status,
            201);
  // The retry gets the first answer, also after a restart; a new key is a new attempt.
  expect_error(a.post(bids, bid, "bid-once"), 422, "insufficient_funds");
  server_->stop(SIGKILL);
  start_server();
  Client a2(server_->port(), token);
  expect_error(a2.post(bids, bid, "bid-once"), 422, "insufficient_funds");
  EXPECT_EQ(a2.get(bids).body["bids"].size(), 0u);
  // 401/403 ran nothing: the same key works once the token is right.
  expect_error(Client(server_->port(), "wrong").post(bids, bid, "bid-2"), 401, "unauthorized");
  expect_error(op().post(bids, bid, "bid-2"), 403, "forbidden");
  // A request malformed in itself is not kept either: the corrected body may reuse the key.
  expect_error(a2.post(bids, std::string("{\"amount_micros\": "), "bid-2"), 400, "malformed_json");
  EXPECT_EQ(a2.post(bids, bid, "bid-2").status, 201);
  EXPECT_EQ(a2.post(bids, bid, "bid-2").status, 201);
  EXPECT_EQ(ledger_check()["ok"], true);
}

TEST_P(ServiceTest, DuplicateKeysAndContradictoryFieldsAreRejected) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  auto [alice, token] = bidder(1'000'000);
  const auto id = auction(two_bidder_design());
  const std::string bids = "/v1/auctions/" + std::to_string(id) + "/bids";
  Client a(server_->port(), token);
  expect_error(a.post(bids, std::string(R"({"amount_micros":5,"amount_micros":6})"), unique_key()),
               400, "duplicate_key");
  expect_error(
      a.post(
          bids,
          std::string(R"({"seatbid":[{"bid":[{"impid":"1","price":1,"price":0.5}]}],"cur":"USD"})"),
          unique_key()),
      400, "duplicate_key");
  EXPECT_EQ(a.get(bids).body["bids"].size(), 0u);
  // The same key in two different objects is fine.
  EXPECT_EQ(a.post(bids,
                   R"({"id":")" + std::to_string(id) +
                       R"(","seatbid":[{"bid":[{"id":"b","impid":"1","price":0.5}]}],)"
                       R"("ext":{"dia":{"deposit_micros":500000}}})",
                   unique_key())
                .status,
            201);
  const Answer design = op().post("/v1/designs", two_bidder_design(), unique_key());
  ASSERT_EQ(design.status, 201);
  expect_error(
      op().post("/v1/auctions", json{{"design_id", design.body["design_id"]}, {"bidders", 7}},
                unique_key()),
      400, "invalid_field");
  // A saved grid must be the discrete SPEC's atoms.
  json off_grid = two_bidder_design();
  off_grid["reduced_form"]["values"] = {1, 3};
  const Answer wrong = op().post("/v1/designs", off_grid, unique_key());
  expect_error(wrong, 400, "invalid_reduced_form");
  EXPECT_NE(wrong.body["error"]["message"].get<std::string>().find("atoms"), std::string::npos);
  off_grid["reduced_form"]["values"] = {1};
  off_grid["reduced_form"]["allocation"] = {0.5};
  expect_error(op().post("/v1/auctions", off_grid, unique_key()), 400, "invalid_reduced_form");
  EXPECT_EQ(op().get("/v1/auctions").body["auctions"].size(), 1u);
}

TEST_P(ServiceTest, FundingStopsAtTheCapOfTheHouse) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  constexpr Micros kHuge = 2'305'843'009'213'690'000;  // just under 2^61
  int accepted = 0;
  for (int i = 0; i < 5; ++i) {
    const auto id = bidder(0).first;
    const Answer a = op().post("/v1/bidders/" + std::to_string(id) + "/funds",
                               json{{"amount_micros", kHuge}}, unique_key());
    if (a.status == 201) {
      ++accepted;
    } else {
      expect_error(a, 422, "funding_cap_exceeded");
    }
  }
  EXPECT_EQ(accepted, 2);  // 2 * kHuge <= 2^62 < 3 * kHuge
  // Exactly at the cap: one micro over the room left is refused, the room itself is accepted,
  // and after it not a single micro more.
  constexpr Micros kCap = Micros{1} << 62;
  const Micros room = kCap - 2 * kHuge;
  const auto fund_once = [&](Micros amount) {
    return op().post("/v1/bidders/" + std::to_string(bidder(0).first) + "/funds",
                     json{{"amount_micros", amount}}, unique_key());
  };
  expect_error(fund_once(room + 1), 422, "funding_cap_exceeded");
  EXPECT_EQ(fund_once(room).status, 201);
  expect_error(fund_once(1), 422, "funding_cap_exceeded");
  const json check = ledger_check();
  EXPECT_EQ(check["ok"], true) << check;
  EXPECT_EQ(check["funded_micros"], kCap);
  server_->stop(SIGTERM);
  const CliRun ledger = run_cli({"ledger", "check", "--db", url_});
  EXPECT_EQ(ledger.exit_code, 0) << ledger.out << ledger.err;
}

TEST_P(ServiceTest, BearerSchemeIsCaseInsensitive) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  httplib::Client http("127.0.0.1", server_->port());
  for (const char* scheme : {"Bearer ", "bearer ", "BEARER  "}) {
    const auto r =
        http.Get("/v1/auctions", {{"Authorization", scheme + std::string(kOperatorToken)}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << scheme;
  }
  const auto r =
      http.Get("/v1/auctions", {{"Authorization", std::string("Basic ") + kOperatorToken}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
}

}  // namespace
}  // namespace dia::testing
