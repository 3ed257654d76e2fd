// Load test of `dia serve` (loopback only, bounded in time): many clients submit durable sealed
// bids over keep-alive connections; prints sustained bids/s and p50/p99 latency as JSON.
//   dia_service_load --port P --token OPERATOR_TOKEN [--seconds 10] [--connections 64]
// Setup (not timed): 50 funded bidders and enough auctions of a 50-bidder saved design
// (uniform(0,1), X = G = v^49 on a 1000-point grid, q = 1) for every (auction, bidder) pair.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kBidders = 50;

struct Options {
  int port = 0;
  std::string token;
  double seconds = 10;
  int connections = 64;
  double rate_guess = 8000;  // bids/s used to size the setup
};

json post(httplib::Client& c, const std::string& token, const std::string& path, const json& body,
          const std::string& key, int expect) {
  httplib::Headers h{{"Authorization", "Bearer " + token}, {"Idempotency-Key", key}};
  auto r = c.Post(path.c_str(), h, body.dump(), "application/json");
  if (!r || r->status != expect) {
    std::fprintf(stderr, "setup request %s failed: %s\n", path.c_str(),
                 r ? r->body.c_str() : "no answer");
    std::exit(1);
  }
  return json::parse(r->body);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--port")
      o.port = std::atoi(argv[i + 1]);
    else if (a == "--token")
      o.token = argv[i + 1];
    else if (a == "--seconds")
      o.seconds = std::atof(argv[i + 1]);
    else if (a == "--connections")
      o.connections = std::atoi(argv[i + 1]);
    else if (a == "--rate-guess")
      o.rate_guess = std::atof(argv[i + 1]);
  }
  if (!o.port || o.token.empty()) {
    std::fprintf(stderr,
                 "usage: dia_service_load --port P --token T [--seconds S] [--connections C]\n");
    return 2;
  }
  const std::string run = std::to_string(Clock::now().time_since_epoch().count());
  httplib::Client setup("127.0.0.1", o.port);
  setup.set_read_timeout(60, 0);
  json values = json::array(), allocation = json::array();
  for (int i = 1; i <= 1000; ++i) {
    values.push_back(i / 1000.0);
    allocation.push_back(std::pow(i / 1000.0, kBidders - 1));
  }
  const json design = post(setup, o.token, "/v1/designs",
                           {{"values", "uniform(0,1)"},
                            {"bidders", kBidders},
                            {"reduced_form", {{"values", values}, {"allocation", allocation}}}},
                           run + "-design", 201);
  std::vector<std::pair<long, std::string>> bidders;
  for (int b = 0; b < kBidders; ++b) {
    const json r = post(setup, o.token, "/v1/bidders", {{"name", "load"}},
                        run + "-b" + std::to_string(b), 201);
    // The bidder's own step: its enrollment code for its token (no operator token).
    const json token = post(setup, "", "/v1/enroll", {{"enrollment_code", r["enrollment_code"]}},
                            run + "-e" + std::to_string(b), 201);
    bidders.emplace_back(r["bidder_id"].get<long>(), token["token"].get<std::string>());
    post(setup, o.token, "/v1/bidders/" + std::to_string(bidders.back().first) + "/funds",
         {{"amount_micros", 1'000'000'000'000}}, run + "-f" + std::to_string(b), 201);
  }
  const long auctions_needed = static_cast<long>(o.rate_guess * o.seconds / kBidders) + 10;
  std::vector<long> auctions(static_cast<std::size_t>(auctions_needed));
  {
    std::atomic<long> next{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < 16; ++t) {
      workers.emplace_back([&] {
        httplib::Client c("127.0.0.1", o.port);
        c.set_read_timeout(60, 0);
        for (long i; (i = next++) < auctions_needed;) {
          auctions[static_cast<std::size_t>(i)] =
              post(c, o.token, "/v1/auctions", {{"design_id", design["design_id"]}},
                   run + "-a" + std::to_string(i), 201)["auction_id"]
                  .get<long>();
        }
      });
    }
    for (auto& w : workers) w.join();
  }
  // Timed phase: each (auction, bidder) pair is bid once, with a random-ish amount.
  const long pairs = auctions_needed * kBidders;
  std::atomic<long> next{0}, errors{0};
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(o.connections));
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(o.seconds);
  std::vector<std::thread> clients;
  for (int t = 0; t < o.connections; ++t) {
    clients.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", o.port);
      c.set_keep_alive(true);
      c.set_tcp_nodelay(true);
      c.set_read_timeout(30, 0);
      auto& lat = latencies[static_cast<std::size_t>(t)];
      for (long p; Clock::now() < deadline && (p = next++) < pairs;) {
        const auto& [bidder, token] = bidders[static_cast<std::size_t>(p % kBidders)];
        const long auction = auctions[static_cast<std::size_t>(p / kBidders)];
        const json body{{"amount_micros", 1 + (p * 7919) % 999'999}};
        httplib::Headers h{{"Authorization", "Bearer " + token},
                           {"Idempotency-Key", run + "-bid-" + std::to_string(p)}};
        const auto t0 = Clock::now();
        auto r = c.Post(("/v1/auctions/" + std::to_string(auction) + "/bids").c_str(), h,
                        body.dump(), "application/json");
        const auto t1 = Clock::now();
        if (!r || r->status != 201) {
          if (errors++ < 5) {  // say why, so a failed run can be diagnosed
            std::fprintf(stderr, "bid %ld failed: %s\n", p,
                         r ? (std::to_string(r->status) + " " + r->body).c_str()
                           : httplib::to_string(r.error()).c_str());
          }
          continue;
        }
        lat.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      }
    });
  }
  for (auto& c : clients) c.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double q) {
    return all.empty()
               ? 0.0
               : all[std::min(all.size() - 1, static_cast<std::size_t>(q * double(all.size())))];
  };
  const json out{{"bids", all.size()},
                 {"errors", errors.load()},
                 {"seconds", elapsed},
                 {"connections", o.connections},
                 {"bids_per_second", double(all.size()) / elapsed},
                 {"p50_ms", pct(0.50)},
                 {"p99_ms", pct(0.99)},
                 {"max_ms", all.empty() ? 0.0 : all.back()},
                 {"exhausted_pairs", next.load() >= pairs}};
  std::printf("%s\n", out.dump().c_str());
  return errors.load() == 0 ? 0 : 1;
}
