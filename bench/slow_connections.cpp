// Slow-connection test of `dia serve` (loopback only, bounded in time): how much do many idle
// connections and many slow ones (one header byte per second) delay /v1/health and a bid?
//   dia_slow_connections --port P --token OPERATOR_TOKEN [--idle 500] [--slow 500] [--seconds 5]
// Measures health and bid latencies first with no other connection (the baseline), then with
// the idle and slow connections open; prints p50/max of each and the requests that failed (a
// 5 s timeout) as JSON.
#include <httplib.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/raw_http.hpp"

using nlohmann::json;
using Clock = std::chrono::steady_clock;
using dia::testing::RawConnection;

namespace {

struct Options {
  int port = 0;
  std::string token;
  int idle = 500, slow = 500;
  double seconds = 5;
};

struct Sampled {
  std::vector<double> health_ms, bid_ms;
  int failures = 0;
};

json summary(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  if (ms.empty()) return {{"n", 0}};
  return {{"n", ms.size()}, {"p50_ms", ms[ms.size() / 2]}, {"max_ms", ms.back()}};
}

class Bidding {
 public:
  Bidding(int port, const std::string& token) : c_("127.0.0.1", port) {
    c_.set_read_timeout(60, 0);
    const std::string run = std::to_string(Clock::now().time_since_epoch().count());
    operator_ = {{"Authorization", "Bearer " + token}};
    auto b = c_.Post("/v1/bidders", with_key(operator_, run + "-b"), R"({"name":"slow"})",
                     "application/json");
    if (!b || b->status != 201) throw std::runtime_error("cannot register a bidder");
    const json bidder = json::parse(b->body);
    // The bidder's own step: its enrollment code for its token (no operator token).
    auto e = c_.Post("/v1/enroll", json{{"enrollment_code", bidder["enrollment_code"]}}.dump(),
                     "application/json");
    if (!e || e->status != 201) throw std::runtime_error("cannot enroll the bidder");
    bidder_ = {{"Authorization", "Bearer " + json::parse(e->body)["token"].get<std::string>()}};
    c_.Post(("/v1/bidders/" + std::to_string(bidder["bidder_id"].get<long>()) + "/funds").c_str(),
            with_key(operator_, run + "-f"), R"({"amount_micros":1000000000})", "application/json");
    run_ = run;
  }
  // The bid paths of `n` fresh open auctions (set up untimed, before the connections open).
  std::vector<std::string> auctions(int n) {
    std::vector<std::string> paths;
    for (int i = 0; i < n; ++i) paths.push_back(next_auction());
    return paths;
  }
  httplib::Headers bid_headers() { return with_key(bidder_, run_ + "-bid" + std::to_string(n_++)); }

 private:
  std::string next_auction() {
    const json design{{"values", "discrete(1:0.5,2:0.5)"},
                      {"bidders", 2},
                      {"reduced_form", {{"values", {1.0, 2.0}}, {"allocation", {0.25, 0.75}}}}};
    auto a = c_.Post("/v1/auctions", with_key(operator_, run_ + "-a" + std::to_string(n_++)),
                     design.dump(), "application/json");
    if (!a || a->status != 201) throw std::runtime_error("cannot open an auction");
    return "/v1/auctions/" + std::to_string(json::parse(a->body)["auction_id"].get<long>()) +
           "/bids";
  }
  static httplib::Headers with_key(httplib::Headers h, const std::string& key) {
    h.emplace("Idempotency-Key", key);
    return h;
  }
  httplib::Client c_;
  httplib::Headers operator_, bidder_;
  std::string run_;
  int n_ = 0;
};

// Health and bid requests in turn, one pair per 50 ms, on a fresh keep-alive connection.
Sampled sample(int port, Bidding& bidding, const std::vector<std::string>& auctions,
               double seconds) {
  Sampled s;
  httplib::Client c("127.0.0.1", port);
  c.set_keep_alive(true);
  c.set_connection_timeout(5, 0);
  c.set_read_timeout(5, 0);
  const auto end = Clock::now() + std::chrono::duration<double>(seconds);
  for (std::size_t i = 0; i < auctions.size() && Clock::now() < end; ++i) {
    const std::string& bid_path = auctions[i];
    auto t0 = Clock::now();
    auto h = c.Get("/v1/health");
    auto t1 = Clock::now();
    if (h && h->status == 200) {
      s.health_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    } else {
      ++s.failures;
    }
    t0 = Clock::now();
    auto b = c.Post(bid_path.c_str(), bidding.bid_headers(), R"({"amount_micros":1500000})",
                    "application/json");
    t1 = Clock::now();
    if (b && b->status == 201) {
      s.bid_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    } else {
      ++s.failures;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--port") o.port = std::atoi(argv[i + 1]);
    if (a == "--token") o.token = argv[i + 1];
    if (a == "--idle") o.idle = std::atoi(argv[i + 1]);
    if (a == "--slow") o.slow = std::atoi(argv[i + 1]);
    if (a == "--seconds") o.seconds = std::atof(argv[i + 1]);
  }
  if (!o.port || o.token.empty()) {
    std::fprintf(stderr,
                 "usage: dia_slow_connections --port P --token T [--idle N] [--slow N]"
                 " [--seconds S]\n");
    return 2;
  }
  rlimit files{};  // one descriptor per connection
  if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  Bidding bidding(o.port, o.token);
  const int cycles = static_cast<int>(o.seconds * 20) + 2;  // at most one per 50 ms
  const auto quiet_auctions = bidding.auctions(cycles), loaded_auctions = bidding.auctions(cycles);
  const Sampled baseline = sample(o.port, bidding, quiet_auctions, o.seconds);

  std::vector<RawConnection> idle, slow;
  for (int i = 0; i < o.idle; ++i) idle.emplace_back(o.port);
  for (int i = 0; i < o.slow; ++i) slow.emplace_back(o.port);
  // One header byte per second on every slow connection, for as long as the sampling lasts.
  static const std::string kDrip = "GET /v1/health HTTP/1.1\r\nX-Slow: " + std::string(64, 'a');
  std::atomic<bool> done{false};
  std::thread drip([&] {
    for (std::size_t k = 0; !done && k < kDrip.size(); ++k) {
      for (auto& c : slow) c.send(std::string_view(&kDrip[k], 1));
      for (int t = 0; t < 10 && !done; ++t)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const Sampled loaded = sample(o.port, bidding, loaded_auctions, o.seconds);
  done = true;
  drip.join();
  int open = 0;
  for (auto& c : idle) open += c.ok();
  for (auto& c : slow) open += c.ok();
  const json out{{"idle", o.idle},
                 {"slow", o.slow},
                 {"connected", open},
                 {"baseline",
                  {{"health", summary(baseline.health_ms)},
                   {"bid", summary(baseline.bid_ms)},
                   {"failures", baseline.failures}}},
                 {"loaded",
                  {{"health", summary(loaded.health_ms)},
                   {"bid", summary(loaded.bid_ms)},
                   {"failures", loaded.failures}}}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
