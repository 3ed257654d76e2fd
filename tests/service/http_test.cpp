// The HTTP layer of dia serve, with raw bytes: malformed requests get a JSON 4xx and the server
// goes on; a body is read or refused per HTTP/1.1, never run as a hidden second request; a
// 401/403 comes before the body; slow and idle connections delay nobody; Content-Type, names,
// WWW-Authenticate and the error shape.
#include <sys/wait.h>

#include <algorithm>
#include <fstream>

#include "service/http_server.hpp"
#include "service_fixture.hpp"
#include "support/raw_http.hpp"
#include "support/run_cli.hpp"

namespace dia::testing {
namespace {

using namespace std::chrono_literals;

std::string request(const std::string& method, const std::string& target,
                    const std::string& headers = "", const std::string& body = "") {
  std::string r = method + " " + target + " HTTP/1.1\r\nHost: t\r\n" + headers;
  if (!body.empty()) r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return r + "\r\n" + body;
}

std::string auth(const std::string& token) { return "Authorization: Bearer " + token + "\r\n"; }

std::string ask(int port, const std::string& bytes) {
  RawConnection c(port);
  EXPECT_TRUE(c.ok());
  c.send(bytes);
  return c.receive_one();
}

// A JSON error answer {"error": {"code", "message", "hint"?}}, never with an empty hint.
void expect_error(const std::string& answer, int status, const std::string& code) {
  EXPECT_EQ(status_of(answer), status) << answer;
  const json body = json::parse(body_of(answer), nullptr, false);
  ASSERT_TRUE(body.is_object()) << answer;
  EXPECT_EQ(body["error"]["code"], code) << answer;
  EXPECT_FALSE(body["error"]["message"].get<std::string>().empty()) << answer;
  if (body["error"].contains("hint")) {
    EXPECT_NE(body["error"]["hint"], "") << answer;
  }
  EXPECT_NE(answer.find("Content-Type: application/json"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("EXCEPTION_WHAT"), std::string::npos) << answer;
}

void expect_healthy(Server& server, const std::string& url) {
  EXPECT_TRUE(server.alive());
  const std::string health = ask(server.port(), request("GET", "/v1/health"));
  EXPECT_EQ(status_of(health), 200) << health;
  EXPECT_EQ(body_of(health), R"({"status":"ok","database":"ok"})");
  server.stop(SIGTERM);
  const CliRun ledger = run_cli({"ledger", "check", "--db", url});
  EXPECT_EQ(ledger.exit_code, 0) << ledger.out << ledger.err;
}

TEST_P(ServiceTest, MalformedRequestsGetJsonErrorsAndTheServerGoesOn) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const int port = server_->port();
  const std::string op = auth(kOperatorToken);
  // An invalid UTF-8 path, echoed in the 404's message (its bytes replaced by U+FFFD).
  const std::string missing = ask(port, request("GET", "/%ff%fe"));
  expect_error(missing, 404, "not_found");
  EXPECT_NE(body_of(missing).find("\xEF\xBF\xBD"), std::string::npos) << missing;
  expect_error(ask(port, request("GET", "/v1/auctions?%ff=1", op)), 400, "unknown_field");
  expect_error(ask(port, request("GET", "/v1/auctions?limit=%ff", op)), 400, "invalid_field");
  // Idempotency keys: 1-200 visible ASCII characters, checked before anything is stored.
  const std::string json_type = "Content-Type: application/json\r\n";
  for (const std::string& key : {std::string("k\xff"), std::string("a b"), std::string(201, 'k')}) {
    const std::string a =
        ask(port, request("POST", "/v1/bidders",
                          op + json_type + "Idempotency-Key: " + key + "\r\n", R"({"name":"x"})"));
    expect_error(a, 400, "idempotency_key_required");
    EXPECT_NE(body_of(a).find("visible ASCII"), std::string::npos) << a;
  }
  EXPECT_EQ(
      status_of(ask(port, request("POST", "/v1/bidders",
                                  op + json_type + "Idempotency-Key: k~!\r\n", R"({"name":"x"})"))),
      201);
  // A control character is not even a valid header value (RFC 9110).
  expect_error(ask(port, request("POST", "/v1/bidders",
                                 op + json_type + "Idempotency-Key: k\x01\r\n", R"({"name":"x"})")),
               400, "bad_request");
  // Bytes that are not HTTP, framings that cannot be followed, limits.
  expect_error(
      ask(port, std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) + "\r\n\r\n"), 400,
      "bad_request");
  expect_error(ask(port, "GET /v1/health HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n"), 400,
               "bad_request");
  expect_error(ask(port,
                   "GET /v1/health HTTP/1.1\r\nContent-Length: 99999999999999999999999"
                   "\r\n\r\n"),
               400, "bad_request");
  expect_error(ask(port,
                   "POST /v1/bidders HTTP/1.1\r\nContent-Length: 5\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
               400, "bad_request");
  expect_error(ask(port, request("GET", "/v1/health", "Transfer-Encoding: gzip\r\n")), 400,
               "bad_request");
  expect_error(
      ask(port, request("GET", "/v1/health", "X-Big: " + std::string(20000, 'a') + "\r\n")), 431,
      "headers_too_large");
  expect_error(ask(port, request("GET", "/v1/health", "Bad Header\r\n")), 400, "bad_request");
  expect_healthy(*server_, url_);
}

TEST_P(ServiceTest, ABodyIsReadOrRefusedNeverRunAsASecondRequest) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const int port = server_->port();
  const std::string hidden = "GET /hidden HTTP/1.1\r\nHost: t\r\n\r\n";
  {
    // A GET whose body (a request) arrives in a later packet: read as the body, one answer.
    RawConnection c(port);
    c.send("GET /v1/health HTTP/1.1\r\nHost: t\r\nContent-Length: " +
           std::to_string(hidden.size()) + "\r\n\r\n");
    std::this_thread::sleep_for(200ms);
    c.send(hidden);
    const std::string got = c.receive(500ms);
    EXPECT_EQ(answers_in(got), 1) << got;
    EXPECT_EQ(status_of(got), 200) << got;
    // The body was consumed: the connection goes on with the next request.
    c.send(request("GET", "/v1/health"));
    EXPECT_EQ(status_of(c.receive_one()), 200);
  }
  {
    RawConnection c(port);  // the same, chunked
    c.send("GET /v1/health HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
    std::this_thread::sleep_for(200ms);
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", hidden.size());
    c.send(size + hidden + "\r\n0\r\n\r\n");
    const std::string got = c.receive(500ms);
    EXPECT_EQ(answers_in(got), 1) << got;
  }
  for (const std::string& headers : {std::string(), auth("not-a-token")}) {
    // Refused on the headers (401): answered before any body byte is sent, then closed; what
    // follows never runs.
    RawConnection c(port);
    c.send("POST /v1/bidders HTTP/1.1\r\nHost: t\r\n" + headers +
           "Content-Type: application/json\r\nIdempotency-Key: k\r\nContent-Length: " +
           std::to_string(hidden.size()) + "\r\n\r\n");
    const std::string first = c.receive_one(2000ms);
    expect_error(first, 401, "unauthorized");
    EXPECT_NE(first.find("WWW-Authenticate: Bearer"), std::string::npos) << first;
    EXPECT_NE(first.find("Connection: close"), std::string::npos) << first;
    c.send(hidden);
    const std::string rest = c.receive(300ms, 3000ms);
    EXPECT_EQ(answers_in(rest), 0) << rest;
    EXPECT_TRUE(c.closed());
  }
  {
    // A declared body above the limit: 413 at once, closed.
    RawConnection c(port);
    c.send(
        "POST /v1/bidders HTTP/1.1\r\nHost: t\r\n" + auth(kOperatorToken) +
        "Content-Type: application/json\r\nIdempotency-Key: k\r\nContent-Length: 9000000\r\n\r\n");
    expect_error(c.receive_one(2000ms), 413, "payload_too_large");
    c.receive(300ms, 3000ms);
    EXPECT_TRUE(c.closed());
  }
  expect_healthy(*server_, url_);
}

long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

TEST_P(ServiceTest, AnonymousUploadsGetTheir401BeforeTheBodyAndCostNoMemory) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const int port = server_->port();
  const long before = rss_kib(server_->pid());
  const std::string body(8u << 20, ' ');
  std::atomic<int> refused_first{0};
  std::vector<std::thread> uploads;
  for (int i = 0; i < 16; ++i) {
    uploads.emplace_back([&, i] {
      RawConnection c(port);
      c.send("POST /v1/designs HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n" +
             std::string(i % 2 ? "Expect: 100-continue\r\n" : "") +
             "Idempotency-Key: k\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n");
      const std::string a = c.receive_one(3000ms);  // before a byte of the body
      if (status_of(a) == 401) ++refused_first;
      c.send(body);  // fails once the server has closed; either way nothing is kept
    });
  }
  for (auto& u : uploads) u.join();
  const long after = rss_kib(server_->pid());
  EXPECT_EQ(refused_first, 16);
  ASSERT_GT(before, 0);
  // 16 bodies of 8 MiB held would add 128 MiB; nothing of them may stay.
  EXPECT_LT(after - before, 16 * 1024) << before << " KiB -> " << after << " KiB";
  RecordProperty("rss_kib_before", std::to_string(before));
  RecordProperty("rss_kib_after", std::to_string(after));
  std::printf("RSS under 16 anonymous 8 MiB uploads: %ld KiB -> %ld KiB\n", before, after);
  expect_healthy(*server_, url_);
}

TEST_P(ServiceTest, SlowAndIdleConnectionsDelayNeitherHealthNorBids) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const std::string out_file = (dir_ / "slow.json").string();
  const std::string command = std::string(DIA_SLOW_CONNECTIONS_PATH) + " --port " +
                              std::to_string(server_->port()) + " --token " + kOperatorToken +
                              " --idle 500 --slow 500 --seconds 3 > " + out_file;
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(out_file);
  const json r = json::parse(in, nullptr, false);
  ASSERT_TRUE(r.is_object());
  std::printf("%s\n", r.dump().c_str());
  EXPECT_EQ(r["connected"], 1000);
  EXPECT_EQ(r["loaded"]["failures"], 0) << r;
  EXPECT_GT(r["loaded"]["health"]["n"], 10) << r;
  // "A few milliseconds": the median under 1,000 slow and idle connections within 5 ms of the
  // median without them, and no request near the server's 10 s header deadline. A bid waits for
  // its group commit's fsync, whose time varies with the disk (the other test ctest runs beside
  // this one) by more than 5 ms when it is tens of ms: for bids the margin is 5 ms or 20% of the
  // median, whichever is larger. The old server answered no request at all under this load.
  for (const char* what : {"health", "bid"}) {
    const double base = r["baseline"][what]["p50_ms"], loaded = r["loaded"][what]["p50_ms"];
    const double margin = std::string(what) == "bid" ? std::max(5.0, 0.2 * base) : 5.0;
    EXPECT_LT(loaded, base + margin) << what << ": " << r;
    EXPECT_LT(r["loaded"][what]["max_ms"].get<double>(), 1000) << what << ": " << r;
  }
  expect_healthy(*server_, url_);
}

TEST_P(ServiceTest, ContentTypeNamesAndErrorShape) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const int port = server_->port();
  const auto id = auction(two_bidder_design());
  const std::string path = "/v1/auctions/" + std::to_string(id);
  httplib::Client http("127.0.0.1", port);
  const httplib::Headers as_operator{{"Authorization", std::string("Bearer ") + kOperatorToken},
                                     {"Idempotency-Key", "ct-1"}};
  // A body must be application/json: 415 before it is read, nothing changes.
  for (const char* type : {"text/plain", "multipart/form-data; boundary=x",
                           "application/x-www-form-urlencoded", "application/jsonx"}) {
    const auto r = http.Post((path + "/close").c_str(), as_operator, "--x\r\n\r\n--x--\r\n", type);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 415) << type;
    EXPECT_EQ(json::parse(r->body)["error"]["code"], "unsupported_media_type");
  }
  expect_error(
      ask(port, request("POST", "/v1/bidders", auth(kOperatorToken) + "Idempotency-Key: ct-2\r\n",
                        R"({"name":"x"})")),
      415, "unsupported_media_type");
  EXPECT_EQ(op().get(path).body["status"], "open");
  const auto typed = http.Post("/v1/bidders", as_operator, R"({"name":"typed"})",
                               "Application/JSON; charset=utf-8");
  ASSERT_TRUE(typed);
  EXPECT_EQ(typed->status, 201) << typed->body;
  // /close without a body (no Content-Type needed) closes.
  EXPECT_EQ(status_of(ask(port, request("POST", path + "/close",
                                        auth(kOperatorToken) + "Idempotency-Key: ct-3\r\n"))),
            200);

  // Names: at most 200 characters (code points, not bytes), no control characters.
  std::string e200;
  for (int i = 0; i < 200; ++i) e200 += "\xC3\xA9";  // é, 2 bytes each
  const Answer long_ok = op().post("/v1/bidders", json{{"name", e200}}, unique_key());
  EXPECT_EQ(long_ok.status, 201) << long_ok.body;
  EXPECT_EQ(long_ok.body["name"], e200);
  const Answer too_long = op().post("/v1/bidders", json{{"name", e200 + "e"}}, unique_key());
  EXPECT_EQ(too_long.status, 400);
  EXPECT_EQ(too_long.body["error"]["code"], "invalid_field");
  for (const std::string& bad : {std::string("a\0b", 3), std::string("a\nb"), std::string("\t"),
                                 std::string("x\x7f"), std::string("x\xC2\x85")}) {
    const Answer a = op().post("/v1/inspectors", json{{"name", bad}}, unique_key());
    EXPECT_EQ(a.status, 400) << a.body;
    EXPECT_NE(a.body["error"]["message"].get<std::string>().find("control"), std::string::npos);
  }
  // An error without a hint leaves the key out.
  const Answer no_hint = op().post("/v1/bidders", json{{"name", 5}}, unique_key());
  EXPECT_EQ(no_hint.status, 400);
  EXPECT_FALSE(no_hint.body["error"].contains("hint")) << no_hint.body;
  // Every 401 says how to authenticate.
  for (const auto& r :
       {http.Get("/v1/auctions"), http.Get("/v1/auctions", {{"Authorization", "Bearer x"}}),
        http.Post("/v1/bidders", R"({})", "application/json")}) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer");
  }
  expect_healthy(*server_, url_);
}

TEST(HttpServer, AnExceptionInAHandlerBecomesAJson500) {
  const service::HttpReply r =
      service::run_safely([]() -> service::HttpReply { throw std::runtime_error("boom"); });
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "internal_error");
  const service::HttpReply odd = service::run_safely([]() -> service::HttpReply { throw 7; });
  EXPECT_EQ(odd.status, 500);
}

}  // namespace
}  // namespace dia::testing
