// Observability of dia serve: GET /metrics (who may read it; its text parsed by
// prometheus_client, an independent parser; figures worked out from the requests the test made),
// the access log (one JSON line per request, never a secret) and /v1/health's database probe.
#include <random>

#include "sealed_support.hpp"
#include "service_fixture.hpp"

namespace dia::testing {
namespace {

// GET /metrics parsed by tests/service/prometheus_check.py: {"name{k=v,...}": value}.
json scrape(int port, const std::string& token, const fs::path& dir) {
  httplib::Client http("127.0.0.1", port);
  const auto r = http.Get("/metrics", httplib::Headers{{"Authorization", "Bearer " + token}});
  EXPECT_TRUE(r);
  if (!r) return {};
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const fs::path text = dir / "metrics.txt", parsed = dir / "metrics.json";
  std::ofstream(text) << r->body;
  const std::string command = "/usr/bin/python3 " DIA_SOURCE_DIR
                              "/tests/service/prometheus_check.py " +
                              text.string() + " > " + parsed.string();
  const int status = std::system(command.c_str());
  if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
    const char* ci = std::getenv("CI");
    EXPECT_FALSE(ci && std::string(ci) == "true") << "python3-prometheus-client is missing";
    return {};
  }
  EXPECT_EQ(status, 0) << "the exposition did not parse; see " << text;
  std::ifstream in(parsed);
  return json::parse(in, nullptr, false);
}

class ObserveTest : public ServiceTest {};

double sample(const json& samples, const std::string& key) {
  return samples.contains(key) ? samples[key].get<double>() : -1;
}

std::string requests(const char* method, const std::string& path, int status) {
  return "dia_http_requests_total{method=" + std::string(method) + ",path=" + path +
         ",status=" + std::to_string(status) + "}";
}

TEST_P(ObserveTest, MetricsCountRequestsCommitsAuctionsAndLedgerForTheOperatorOrTheScraper) {
  const std::string scraper = "metrics-scraper-token-0123456789";
  setenv("DIA_METRICS_TOKEN", scraper.c_str(), 1);
  start_server();
  unsetenv("DIA_METRICS_TOKEN");
  const int port = server_->port();
  // Nine writes, one at a time (so each is a group commit of its own): two registrations, two
  // enrollments, two fundings, the auction, two bids.
  const auto [alice, alice_token] = bidder(5'000'000);
  const auto [bob, bob_token] = bidder(7'000'000);
  const std::int64_t id = auction(two_bidder_design());
  const std::string bids = "/v1/auctions/" + std::to_string(id) + "/bids";
  EXPECT_EQ(
      Client(port, alice_token).post(bids, json{{"amount_micros", 1'000'000}}, unique_key()).status,
      201);
  EXPECT_EQ(
      Client(port, bob_token).post(bids, json{{"amount_micros", 2'000'000}}, unique_key()).status,
      201);
  // Who may read: nobody anonymous (401), no bidder (403); the scraper's token reads /metrics and
  // nothing else (401 elsewhere).
  EXPECT_EQ(Client(port, "").get("/metrics").status, 401);
  EXPECT_EQ(Client(port, alice_token).get("/metrics").status, 403);
  EXPECT_EQ(Client(port, scraper).get("/v1/auctions").status, 401);
  EXPECT_EQ(Client(port, "").get("/v1/no-such-thing/7").status, 404);

  const json m = scrape(port, scraper, dir_);
  if (m.is_null()) GTEST_SKIP() << "python3-prometheus-client is not installed";
  ASSERT_TRUE(m.is_object());
  EXPECT_EQ(sample(m, requests("POST", "/v1/bidders", 201)), 2);
  EXPECT_EQ(sample(m, requests("POST", "/v1/enroll", 201)), 2);
  EXPECT_EQ(sample(m, requests("POST", "/v1/bidders/{id}/funds", 201)), 2);
  EXPECT_EQ(sample(m, requests("POST", "/v1/auctions", 201)), 1);
  EXPECT_EQ(sample(m, requests("POST", "/v1/auctions/{id}/bids", 201)), 2);
  EXPECT_EQ(sample(m, requests("GET", "/metrics", 401)), 1);
  EXPECT_EQ(sample(m, requests("GET", "/metrics", 403)), 1);
  EXPECT_EQ(sample(m, requests("GET", "/v1/auctions", 401)), 1);
  EXPECT_EQ(sample(m, requests("GET", "unmatched", 404)), 1);  // never the raw path
  EXPECT_EQ(sample(m,
                   "dia_http_request_duration_seconds_count{method=POST,path=/v1/auctions/{id}/"
                   "bids,status=201}"),
            2);
  EXPECT_EQ(sample(m, "dia_group_commit_requests_count{}"), 9);
  EXPECT_EQ(sample(m, "dia_group_commit_requests_sum{}"), 9);
  EXPECT_EQ(sample(m, "dia_group_commit_requests_bucket{le=1}"), 9);
  EXPECT_EQ(sample(m, "dia_group_commit_duration_seconds_count{}"), 9);
  EXPECT_EQ(sample(m, "dia_auctions{status=open}"), 1);
  EXPECT_EQ(sample(m, "dia_ledger_balance_micros{kind=external}"), -12'000'000);
  EXPECT_EQ(sample(m, "dia_ledger_balance_micros{kind=cash}"), 12'000'000);
  EXPECT_EQ(sample(m, "dia_ledger_transactions_total{kind=fund}"), 2);

  // After the draw: no auction open, one draw, delivered exactly when a deposit was taken.
  ASSERT_EQ(op().post("/v1/auctions/" + std::to_string(id) + "/close", json::object(), unique_key())
                .status,
            200);
  const json after = scrape(port, kOperatorToken, dir_);
  EXPECT_EQ(sample(after, "dia_auctions{status=open}"), -1);
  const double delivered = std::max(0.0, sample(after, "dia_lottery_draws_total{delivered=true}"));
  const double not_delivered =
      std::max(0.0, sample(after, "dia_lottery_draws_total{delivered=false}"));
  EXPECT_EQ(delivered + not_delivered, 1);
  EXPECT_EQ(delivered, std::max(0.0, sample(after, "dia_ledger_transactions_total{kind=deposit}")));
  EXPECT_EQ(sample(after, requests("GET", "/metrics", 200)), 1);  // the first scrape
}

TEST_P(ObserveTest, AccessLogHasOneLinePerRequestAndNeverATokenOrASealedBid) {
  start_server();
  const int port = server_->port();
  const auto [alice, alice_token] = bidder(10'000'000);
  const std::int64_t id = auction(sealed_auction(two_bidder_design(), 3'000'000, 1'000'000, 600));
  const json a = op().get("/v1/auctions/" + std::to_string(id)).body;
  std::mt19937_64 rng(15);
  SealedBidder sealed(alice, port, alice_token);
  ASSERT_EQ(sealed.commit(id, 1'234'567, terms_digest_of(a), rng).status, 201);
  const std::string commitment =
      bid_commitment_of(terms_digest_of(a), id, alice, sealed.amount, sealed.salt);
  ASSERT_EQ(op().post("/v1/auctions/" + std::to_string(id) + "/close", json::object(), unique_key())
                .status,
            200);
  ASSERT_EQ(sealed.reveal(id).status, 201);
  EXPECT_EQ(Client(port, "wrong-token-but-a-secret-0123").get("/v1/auctions").status, 401);
  server_->stop(SIGTERM);

  std::ifstream in(dir_ / "server.log");
  const std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const std::string& secret :
       {std::string(kOperatorToken), alice_token, std::string("wrong-token-but-a-secret-0123"),
        sealed.salt, commitment, std::string("1234567"),
        "/v1/auctions/" + std::to_string(id) + "/"}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret << " is in the log:\n" << log;
  }
  std::istringstream lines(log);
  std::map<std::string, int> by_route;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] != '{') continue;  // the server's own messages
    const json e = json::parse(line, nullptr, false);
    ASSERT_TRUE(e.is_object()) << line;
    EXPECT_EQ(e.size(), 6u) << line;
    for (const char* k : {"time", "method", "path", "status", "micros", "principal"}) {
      EXPECT_TRUE(e.contains(k)) << line;
    }
    EXPECT_GE(e.value("micros", -1), 0) << line;
    const std::string route = e["path"].is_string() ? e["path"].get<std::string>() : "null";
    by_route[e["method"].get<std::string>() + " " + route + " " + e["status"].dump()] += 1;
    if (route == "/v1/auctions/{id}/bids" || route == "/v1/auctions/{id}/reveal") {
      EXPECT_EQ(e["principal"], alice) << line;
    }
    if (e["status"] == 401) {
      EXPECT_TRUE(e["principal"].is_null()) << line;
    }
  }
  EXPECT_EQ(by_route["POST /v1/auctions/{id}/bids 201"], 1);
  EXPECT_EQ(by_route["POST /v1/auctions/{id}/reveal 201"], 1);
  EXPECT_EQ(by_route["POST /v1/auctions/{id}/close 200"], 1);
  EXPECT_EQ(by_route["GET /v1/auctions 401"], 1);
  EXPECT_EQ(by_route["POST /v1/enroll 201"], 1);
}

TEST_P(ObserveTest, HealthSaysWhetherTheDatabaseAnswers) {
  start_server();
  const Answer up = Client(server_->port(), "").get("/v1/health");
  EXPECT_EQ(up.status, 200);
  EXPECT_EQ(up.body, (json{{"status", "ok"}, {"database", "ok"}}));
  if (GetParam() != "postgresql") return;  // an open SQLite file cannot be made to fail
  // The database server ends the server's sessions: the probe fails, the answer says so.
  {
    pqxx::connection c(std::getenv("DIA_TEST_POSTGRES_URL"));
    pqxx::nontransaction tx(c);
    tx.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = " +
            tx.quote(pg_database_));
  }
  // The answer above is reused for a second (docs/api.md#observability): past it, a new probe.
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  const Answer down = Client(server_->port(), "").get("/v1/health");
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_EQ(down.body["status"], "unavailable") << down.body;
  EXPECT_EQ(down.body["database"], "unavailable") << down.body;
  EXPECT_EQ(down.body["error"]["code"], "database_unavailable") << down.body;
  EXPECT_TRUE(server_->alive());
}

INSTANTIATE_TEST_SUITE_P(Backends, ObserveTest, ::testing::Values("sqlite", "postgresql"),
                         backend_name);

}  // namespace
}  // namespace dia::testing
