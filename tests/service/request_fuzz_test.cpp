// A request fuzzer against a live `dia serve`: random bytes and mutations of valid requests
// (authenticated, so that they reach the house and the database), bounded by a count and a
// time; then the server must still run, answer /v1/health and pass `dia ledger check`.
// DIA_FUZZ_REQUESTS (20000), DIA_FUZZ_SECONDS (30) and DIA_FUZZ_SEED (1) change the run.
#include <sys/socket.h>

#include <random>

#include "service_fixture.hpp"
#include "support/raw_http.hpp"
#include "support/run_cli.hpp"

namespace dia::testing {
namespace {

using namespace std::chrono_literals;

long env_or(const char* name, long fallback) {
  const char* v = std::getenv(name);
  return v ? std::atol(v) : fallback;
}

std::string raw_request(const std::string& method, const std::string& target,
                        const std::string& token, const std::string& body, const std::string& key) {
  std::string r = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!token.empty()) r += "Authorization: Bearer " + token + "\r\n";
  if (!key.empty()) r += "Idempotency-Key: " + key + "\r\n";
  if (method == "POST") {
    r +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  return r + "\r\n" + body;
}

class Mutator {
 public:
  explicit Mutator(std::uint64_t seed) : rng_(seed) {}
  std::size_t below(std::size_t n) { return n ? rng_() % n : 0; }
  char byte() {
    static constexpr char kBytes[] = "\r\n:%?&=/{}[]\",0123456789-+.e \x00\xff\x7f\xc2\x80";
    static const std::string kInteresting(kBytes, sizeof kBytes - 1);
    return below(2) ? static_cast<char>(rng_()) : kInteresting[below(kInteresting.size())];
  }
  std::string random_bytes() {
    std::string s(below(600), '\0');
    for (char& c : s) c = byte();
    return s;
  }
  std::string mutate(std::string s, const std::vector<std::string>& seeds) {
    const std::size_t rounds = 1 + below(6);
    for (std::size_t r = 0; r < rounds; ++r) {
      const std::size_t at = below(s.size() + 1);
      switch (below(7)) {
        case 0:  // flip a byte
          if (!s.empty()) s[below(s.size())] = byte();
          break;
        case 1:  // insert bytes
          s.insert(at, std::string(1 + below(8), byte()));
          break;
        case 2:  // delete a run
          s.erase(at, below(16));
          break;
        case 3:  // truncate
          s.resize(at);
          break;
        case 4: {  // splice another seed in
          const std::string& other = seeds[below(seeds.size())];
          const std::size_t from = below(other.size() + 1);
          s.insert(at, other.substr(from, below(64)));
          break;
        }
        case 5:  // a digit run made huge or negative
          s.insert(at, below(2) ? "99999999999999999999" : "-1");
          break;
        default:  // duplicate a run (repeated headers, keys)
          s.insert(at, s.substr(below(s.size() + 1), below(48)));
      }
    }
    return s;
  }

 private:
  std::mt19937_64 rng_;
};

TEST_P(ServiceTest, RandomAndMutatedRequestsNeverStopTheServer) {
  DIA_REQUIRE_BACKEND(url_);
  start_server({"--max-body-bytes", "65536"});
  const int port = server_->port();
  auto [alice, alice_token] = bidder(1'000'000'000);
  const std::string inspector_token = inspector();
  const std::string exchange_token =
      enroll(op().post("/v1/exchanges", json{{"name", "x"}}, unique_key()));
  const auto id = auction(two_bidder_design());
  const std::string a = "/v1/auctions/" + std::to_string(id), b = std::to_string(alice);
  const std::string op = kOperatorToken;
  const std::vector<std::string> seeds = {
      raw_request("GET", "/v1/health", "", "", ""),
      raw_request("GET", "/v1/auctions?before=0&limit=5", op, "", ""),
      raw_request("GET", "/v1/bidders?limit=2", op, "", ""),
      raw_request("GET", a, alice_token, "", ""),
      raw_request("GET", a + "/bids", op, "", ""),
      raw_request("GET", a + "/openrtb", inspector_token, "", ""),
      raw_request("GET", a + "/export", op, "", ""),
      raw_request("GET", "/v1/bidders/" + b + "/account", alice_token, "", ""),
      raw_request("GET", "/v1/ledger/check", op, "", ""),
      raw_request("GET", "/operator", "", "", ""),
      raw_request("POST", "/v1/bidders", op, R"({"name":"fuzz"})", "f1"),
      raw_request("POST", "/v1/inspectors", op, R"({"name":"i"})", "f2"),
      raw_request("POST", "/v1/bidders/" + b + "/funds", op, R"({"amount_micros":1000})", "f3"),
      raw_request("POST", "/v1/designs", op, two_bidder_design().dump(), "f4"),
      raw_request("POST", "/v1/auctions", op, two_bidder_design().dump(), "f5"),
      raw_request("POST", a + "/bids", alice_token, R"({"amount_micros":1500000})", "f6"),
      raw_request(
          "POST", a + "/bids", alice_token,
          R"({"id":"r","seatbid":[{"bid":[{"id":"1","impid":"1","price":1.5}]}],"cur":"USD"})",
          "f7"),
      raw_request("POST", "/v1/decisions", exchange_token,
                  R"({"design_id":1,"request_id":"r1","nonce":")" + std::string(64, 'a') +
                      R"(","bids":[{"bidder_id":)" + b + R"(,"amount_micros":2000000}]})",
                  "f10"),
      raw_request("GET", "/v1/decisions/" + std::to_string(id + 1), op, "", ""),
      raw_request("POST", "/v1/decisions/" + std::to_string(id + 1) + "/inspection",
                  inspector_token, R"({"observed_micros":2000000})", "f11"),
      raw_request("POST", a + "/close", op, "{}", "f8"),
      raw_request("POST", a + "/inspection", inspector_token, R"({"observed_micros":1500000})",
                  "f9"),
      "GET /v1/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
      "chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
  };
  const auto seed = static_cast<std::uint64_t>(env_or("DIA_FUZZ_SEED", 1));
  const long requests = env_or("DIA_FUZZ_REQUESTS", 20000);
  const auto end =
      std::chrono::steady_clock::now() + std::chrono::seconds(env_or("DIA_FUZZ_SECONDS", 30));
  Mutator m(seed);
  long sent = 0, answered = 0, server_errors = 0;
  std::map<int, long> statuses;
  for (; sent < requests && std::chrono::steady_clock::now() < end; ++sent) {
    std::string bytes;
    switch (m.below(5)) {
      case 0:
        bytes = m.random_bytes();
        break;
      case 1:  // two requests on one connection (pipelined), one of them mutated
        bytes = seeds[m.below(seeds.size())] + m.mutate(seeds[m.below(seeds.size())], seeds);
        break;
      default:
        bytes = m.mutate(seeds[m.below(seeds.size())], seeds);
    }
    RawConnection c(port);
    ASSERT_TRUE(c.ok()) << "cannot connect after " << sent << " requests (seed " << seed << ")";
    // In one piece or split in two packets; then end the request side so that an incomplete
    // request ends at once instead of at the header deadline.
    const std::size_t split = m.below(2) ? m.below(bytes.size() + 1) : bytes.size();
    c.send(std::string_view(bytes).substr(0, split));
    if (split < bytes.size()) {
      std::this_thread::sleep_for(1ms);
      c.send(std::string_view(bytes).substr(split));
    }
    ::shutdown(c.fd(), SHUT_WR);
    const std::string got = c.receive(2000ms, 5000ms);
    for (std::size_t at = 0; (at = got.find("HTTP/1.1 ", at)) != std::string::npos; ++at) {
      if (at != 0 && got[at - 1] != '\n') continue;
      const int status = std::atoi(got.c_str() + at + 9);
      ++statuses[status];
      ++answered;
      if (status >= 500 && got.find("ledger") == std::string::npos) {
        ++server_errors;
        ADD_FAILURE() << "5xx for " << json(bytes).dump() << ":\n" << got.substr(at, 400);
      }
    }
    ASSERT_TRUE(server_->alive()) << "the server stopped on request " << sent << " (seed " << seed
                                  << "): " << json(bytes).dump();
  }
  std::string summary;
  for (const auto& [status, n] : statuses)
    summary += std::to_string(status) + ":" + std::to_string(n) + " ";
  std::printf("%ld requests (seed %lu), %ld answers: %s\n", sent, static_cast<unsigned long>(seed),
              answered, summary.c_str());
  EXPECT_EQ(server_errors, 0);
  EXPECT_GT(sent, 1000);
  EXPECT_TRUE(server_->alive());
  RawConnection last(port);
  last.send(raw_request("GET", "/v1/health", "", "", ""));
  const std::string health = last.receive_one();
  EXPECT_EQ(status_of(health), 200) << health;
  EXPECT_EQ(ledger_check()["ok"], true);
  server_->stop(SIGTERM);
  const CliRun ledger = run_cli({"ledger", "check", "--db", url_});
  EXPECT_EQ(ledger.exit_code, 0) << ledger.out << ledger.err;
}

}  // namespace
}  // namespace dia::testing
