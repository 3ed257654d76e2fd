// Bearer tokens unknown to a node's memory cost a bounded number of database reads (the DoS of an
// anonymous client sending made-up tokens: docs/api.md, "Threat model"): UnknownTokens on its own
// with a clock of its own, then two real nodes on PostgreSQL flooded with unknown tokens, counted
// by the node's dia_token_lookups_total; a token issued on the other node works at once.
#include "service/unknown_tokens.hpp"

#include <cstdio>
#include <regex>

#include "service_fixture.hpp"

namespace dia::testing {
namespace {

using service::UnknownTokens;
using Verdict = UnknownTokens::Verdict;
using std::chrono::milliseconds;

std::string token(int n) {
  char text[65];
  std::snprintf(text, sizeof text, "%064x", n);
  return text;
}

TEST(UnknownTokens, ATokenFoundUnknownIsRefusedFromMemoryForASecond) {
  UnknownTokens gate;
  const auto t0 = UnknownTokens::Clock::now();
  ASSERT_EQ(gate.screen(token(1), 0, t0), Verdict::kLookUp);
  gate.remember(token(1), 0, t0);
  EXPECT_EQ(gate.screen(token(1), 0, t0 + milliseconds(999)), Verdict::kUnknown);
  EXPECT_EQ(gate.screen(token(1), 0, t0 + milliseconds(1000)), Verdict::kLookUp);
}

TEST(UnknownTokens, ANewTokenAnywhereForgetsEveryUnknownOne) {
  UnknownTokens gate;
  const auto t0 = UnknownTokens::Clock::now();
  gate.remember(token(1), 4, t0);
  EXPECT_EQ(gate.screen(token(1), 4, t0), Verdict::kUnknown);
  EXPECT_EQ(gate.screen(token(1), 5, t0), Verdict::kLookUp);  // the registry changed
  // A lookup that began before a change does not remember its token.
  gate.remember(token(2), 4, t0);
  EXPECT_EQ(gate.screen(token(2), 5, t0), Verdict::kLookUp);
}

TEST(UnknownTokens, AtMostFiftyLookupsASecondWhateverTheTokens) {
  UnknownTokens gate;
  const auto t0 = UnknownTokens::Clock::now() + std::chrono::seconds(1);  // a full budget
  int looked_up = 0;
  for (int i = 0; i < 1000; ++i) looked_up += gate.screen(token(i), 0, t0) == Verdict::kLookUp;
  EXPECT_EQ(looked_up, 50);
  EXPECT_EQ(gate.screen(token(1000), 0, t0), Verdict::kBusy);
  // 50 a second: one more every 20 ms.
  EXPECT_EQ(gate.screen(token(1001), 0, t0 + milliseconds(19)), Verdict::kBusy);
  EXPECT_EQ(gate.screen(token(1002), 0, t0 + milliseconds(21)), Verdict::kLookUp);
  EXPECT_EQ(gate.screen(token(1003), 0, t0 + milliseconds(21)), Verdict::kBusy);
}

TEST(UnknownTokens, RemembersAtMostItsCapacityTheOldestOutFirst) {
  UnknownTokens gate;
  const auto t0 = UnknownTokens::Clock::now();
  const int n = static_cast<int>(service::kUnknownTokenEntries) + 10;
  for (int i = 0; i < n; ++i) gate.remember(token(i), 0, t0);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(gate.screen(token(i), 0, t0), Verdict::kLookUp) << i;
  EXPECT_EQ(gate.screen(token(10), 0, t0), Verdict::kUnknown);
  EXPECT_EQ(gate.screen(token(n - 1), 0, t0), Verdict::kUnknown);
}

// The value of an unlabelled counter in a node's GET /metrics; -1 when absent.
double counter(int port, const std::string& name) {
  httplib::Client http("127.0.0.1", port);
  const auto r = http.Get(
      "/metrics", httplib::Headers{{"Authorization", std::string("Bearer ") + kOperatorToken}});
  if (!r || r->status != 200) return -1;
  std::smatch m;
  if (!std::regex_search(r->body, m, std::regex("\n" + name + " ([0-9]+)\n"))) return -1;
  return std::stod(m[1]);
}

class UnknownTokensTest : public ServiceTest {};

TEST_P(UnknownTokensTest, AFloodOfUnknownTokensCostsBoundedDatabaseReads) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  // PostgreSQL: a second node, flooded (SQLite: one process per file, the only node).
  const bool shared = GetParam() == "postgresql";
  std::unique_ptr<Server> second;
  if (shared) {
    fs::create_directories(dir_ / "node1");
    second = std::make_unique<Server>(url_, dir_ / "node1");
    second->start();
  }
  Server& other = shared ? *second : *server_;
  const std::string listing = "/v1/auctions";  // any page: each request is a 401 or a 429

  // 600 distinct made-up tokens, then one made-up token 400 times, on one connection.
  const auto start = std::chrono::steady_clock::now();
  int unauthorized = 0, busy = 0;
  for (int i = 0; i < 1000; ++i) {
    const int status = Client(other.port(), token(i < 600 ? i : 600)).get(listing).status;
    unauthorized += status == 401;
    busy += status == 429;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(unauthorized + busy, 1000);
  const double lookups = counter(other.port(), "dia_token_lookups_total");
  if (shared) {
    // The bucket's 50 at the start, 50 a second after: main looked up all 1000.
    EXPECT_GE(lookups, 1);
    EXPECT_LE(lookups, 50 + 50 * seconds + 1) << "in " << seconds << " s";
    EXPECT_GE(busy, 1);
  } else {
    EXPECT_EQ(lookups, 0);  // SQLite: one process per file, memory knows every token
    EXPECT_EQ(busy, 0);
  }

  // A token issued by the other node now works at once (its first use is a lookup, and the
  // budget refills by one every 20 ms: the enrollment alone takes longer).
  std::this_thread::sleep_for(milliseconds(40));
  const Answer registered = op().post("/v1/bidders", json{{"name", "fresh"}}, unique_key());
  const std::string fresh = enroll(registered);
  const std::string own = "/v1/bidders/" + registered.body["bidder_id"].dump() + "/account";
  const Answer first = Client(other.port(), fresh).get(own);
  EXPECT_EQ(first.status, 200) << first.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, UnknownTokensTest, ::testing::Values("sqlite", "postgresql"),
                         backend_name);

}  // namespace
}  // namespace dia::testing
