// Enrollment: the operator registers a bidder or inspector and gets a one-time code; only the
// principal that exchanges it sees its token, which the database keeps only hashed.
#include "dia/lottery.hpp"
#include "service_fixture.hpp"

namespace dia::testing {
namespace {

std::int64_t count(const std::string& url, const std::string& sql, const std::string& param) {
  auto db = ledger::open_database(url);
  EXPECT_TRUE(db);
  auto rows = (*db)->query({sql, {param}});
  EXPECT_TRUE(rows) << rows.error().line();
  return ledger::as_int(rows->at(0).at(0));
}

TEST_P(ServiceTest, OnlyTheEnrolledPrincipalEverHoldsItsToken) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  for (const std::string role : {"bidder", "inspector"}) {
    const Answer reg = op().post("/v1/" + role + "s", json{{"name", "alice"}}, unique_key());
    ASSERT_EQ(reg.status, 201) << reg.body;
    EXPECT_FALSE(reg.body.contains("token")) << reg.body;
    const std::string code = reg.body["enrollment_code"].get<std::string>();
    const std::int64_t id = reg.body[role + "_id"].get<std::int64_t>();
    const std::string account = "/v1/bidders/" + std::to_string(id) + "/account";
    // The code is no bearer token.
    EXPECT_EQ(Client(server_->port(), code).get("/v1/auctions/1").status, 401);
    Client anonymous(server_->port(), "");
    const Answer first = anonymous.post_anonymous("/v1/enroll", json{{"enrollment_code", code}});
    ASSERT_EQ(first.status, 201) << first.body;
    EXPECT_EQ(first.body[role + "_id"], id);
    const std::string token = first.body["token"].get<std::string>();
    // A second exchange is refused, and the token works.
    const Answer second = anonymous.post_anonymous("/v1/enroll", json{{"enrollment_code", code}});
    EXPECT_EQ(second.status, 409) << second.body;
    EXPECT_FALSE(second.body.contains("token"));
    if (role == "bidder") {
      EXPECT_EQ(Client(server_->port(), token).get(account).status, 200);
    }
    // The database holds neither the code nor the token, only their hashes.
    EXPECT_EQ(count(url_, "SELECT COUNT(*) FROM principals WHERE token_sha256 = ?", token), 0);
    EXPECT_EQ(
        count(url_, "SELECT COUNT(*) FROM principals WHERE token_sha256 = ?", sha256_hex(token)),
        1);
    EXPECT_EQ(count(url_, "SELECT COUNT(*) FROM enrollments WHERE code_sha256 = ?", code), 0);
    EXPECT_EQ(
        count(url_, "SELECT COUNT(*) FROM enrollments WHERE code_sha256 = ?", sha256_hex(code)), 1);
  }
  Client anonymous(server_->port(), "");
  EXPECT_EQ(
      anonymous.post_anonymous("/v1/enroll", json{{"enrollment_code", "dia_enroll_guess"}}).status,
      404);
  EXPECT_EQ(anonymous.post_anonymous("/v1/enroll", json::object()).status, 400);
  EXPECT_EQ(anonymous.post_anonymous("/v1/enroll", json{{"enrollment_code", 1}}).status, 400);

  // A code past its expiry (moved into the past behind the server's back) is refused.
  const Answer late = op().post("/v1/bidders", json{{"name", "late"}}, unique_key());
  ASSERT_EQ(late.status, 201);
  server_->stop(SIGTERM);
  {
    auto db = ledger::open_database(url_);
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->execute_batch({{"UPDATE enrollments SET expires_at = 1", {}}}));
  }
  start_server();
  EXPECT_EQ(
      Client(server_->port(), "")
          .post_anonymous("/v1/enroll", json{{"enrollment_code", late.body["enrollment_code"]}})
          .status,
      410);
  EXPECT_EQ(ledger_check()["ok"], true);
}

TEST_P(ServiceTest, NamesAreCountedInCharactersAndHoldNoControlCharacters) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  std::string two_hundred;
  for (int i = 0; i < 200; ++i) two_hundred += "\xC3\xA9";  // é: 2 bytes, 1 character
  EXPECT_EQ(op().post("/v1/bidders", json{{"name", two_hundred}}, unique_key()).status, 201);
  EXPECT_EQ(op().post("/v1/bidders", json{{"name", two_hundred + "x"}}, unique_key()).status, 400);
  for (const std::string& bad : {std::string("a\0b", 3), std::string("a\nb"), std::string()}) {
    const Answer a = op().post("/v1/bidders", json{{"name", bad}}, unique_key());
    EXPECT_EQ(a.status, 400) << a.body;
  }
  EXPECT_EQ(ledger_check()["ok"], true);
}

// A bidder (or inspector) cannot tell bidder ids from other ids: another bidder's account, an
// inspector's id, the operator's and an id that does not exist answer alike.
TEST_P(ServiceTest, AccountsOfOthersAnswerLikeMissingOnes) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const auto [alice, alice_token] = bidder(1'000'000);
  const auto [bob, bob_token] = bidder(0);
  const std::string inspector_token = inspector();
  const std::int64_t inspector_id = bob + 1;  // registered right after bob
  for (const std::string& token : {alice_token, inspector_token}) {
    Client c(server_->port(), token);
    std::vector<Answer> answers;
    for (std::int64_t id : {bob, inspector_id, std::int64_t{1}, std::int64_t{999999}}) {
      if (token == inspector_token && id == inspector_id) continue;
      answers.push_back(c.get("/v1/bidders/" + std::to_string(id) + "/account"));
    }
    for (const Answer& a : answers) {
      EXPECT_EQ(a.status, 404) << a.body;
      EXPECT_EQ(a.body["error"]["code"], answers.front().body["error"]["code"]);
      EXPECT_EQ(a.body["error"]["hint"], answers.front().body["error"]["hint"]);
      EXPECT_EQ(a.body.size(), answers.front().body.size());
    }
  }
  EXPECT_EQ(Client(server_->port(), alice_token)
                .get("/v1/bidders/" + std::to_string(alice) + "/account")
                .status,
            200);
  EXPECT_EQ(op().get("/v1/bidders/" + std::to_string(bob) + "/account").status, 200);
}

}  // namespace
}  // namespace dia::testing
