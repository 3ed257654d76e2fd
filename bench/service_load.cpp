// Load test of `dia serve` (loopback only, bounded in time): many clients submit durable sealed
// bids over keep-alive connections; prints sustained bids/s and p50/p99 latency as JSON.
//   dia_service_load --port P[,P2,...] --token OPERATOR_TOKEN [--seconds 10] [--connections 64]
//                    [--protocol dia-lottery-v2] [--decisions BIDS_PER_DECISION]
// Several ports (servers sharing one PostgreSQL database): the setup goes to the first, and the
// timed connections are spread over all of them in turn.
// Setup (not timed): 50 funded bidders and enough auctions of a 50-bidder saved design
// (uniform(0,1), X = G = v^49 on a 1000-point grid, q = 1) for every (auction, bidder) pair.
// With --protocol dia-lottery-v2 the auctions are v2 and a bid is two requests: the commitments
// are timed (SECONDS), then the auctions bid on are closed (not timed), then the reveals are timed
// (at most SECONDS; each auction's last reveal also draws it); both phases are reported.
// With --decisions K no auction is made: an enrolled exchange sends one-shot decisions
// (POST /v1/decisions, each K bids of the 50 bidders with its own request id and nonce; q = 1,
// so each takes its winner's deposit), timed for SECONDS and reported as decisions/s.
#include <httplib.h>
#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kBidders = 50;

struct Options {
  std::vector<int> ports;
  std::string token;
  double seconds = 10;
  int connections = 64;
  double rate_guess = 8000;  // bids/s used to size the setup
  bool sealed = false;       // --protocol dia-lottery-v2
  int decision_bids = 0;     // --decisions K: one-shot decisions of K bids each
};

// Hex SHA-256, as a v2 bidder computes its commitment.
std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  char byte[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(byte, sizeof byte, "%02x", digest[i]);
    hex += byte;
  }
  return hex;
}

// One timed phase: `connections` clients send request(p) for p = 0, 1, ... below `count` until
// `seconds` pass; returns the JSON summary and how many requests succeeded.
struct Phase {
  std::string path, token;
  json body;
};
json timed(const Options& o, long count, double seconds, const std::function<Phase(long)>& request,
           long& done, long& errors_out) {
  std::atomic<long> next{0}, errors{0};
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(o.connections));
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  const std::string run = std::to_string(start.time_since_epoch().count());
  std::vector<std::thread> clients;
  for (int t = 0; t < o.connections; ++t) {
    clients.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", o.ports[static_cast<std::size_t>(t) % o.ports.size()]);
      c.set_keep_alive(true);
      c.set_tcp_nodelay(true);
      c.set_read_timeout(30, 0);
      auto& lat = latencies[static_cast<std::size_t>(t)];
      for (long p; Clock::now() < deadline && (p = next++) < count;) {
        const Phase r = request(p);
        httplib::Headers h{{"Authorization", "Bearer " + r.token},
                           {"Idempotency-Key", run + "-" + std::to_string(p)}};
        const auto t0 = Clock::now();
        auto res = c.Post(r.path.c_str(), h, r.body.dump(), "application/json");
        const auto t1 = Clock::now();
        if (!res || res->status != 201) {
          if (errors++ < 5) {  // say why, so a failed run can be diagnosed
            std::fprintf(stderr, "request %ld failed: %s\n", p,
                         res ? (std::to_string(res->status) + " " + res->body).c_str()
                             : httplib::to_string(res.error()).c_str());
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
  done = static_cast<long>(all.size());
  errors_out = errors.load();
  return {{"requests", all.size()},
          {"errors", errors.load()},
          {"seconds", elapsed},
          {"connections", o.connections},
          {"per_second", double(all.size()) / elapsed},
          {"p50_ms", pct(0.50)},
          {"p99_ms", pct(0.99)},
          {"max_ms", all.empty() ? 0.0 : all.back()},
          {"exhausted", next.load() >= count}};
}

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

// The --decisions phase: an exchange registers and enrolls, then decides for o.seconds.
int decisions(const Options& o, httplib::Client& setup, const std::string& run,
              const json& design_id, const std::vector<std::pair<long, std::string>>& bidders) {
  const json r = post(setup, o.token, "/v1/exchanges", {{"name", "load"}}, run + "-x", 201);
  const std::string exchange =
      post(setup, "", "/v1/enroll", {{"enrollment_code", r["enrollment_code"]}}, run + "-xe", 201)
          .at("token");
  long done = 0, errors = 0;
  json out = timed(
      o, 1L << 40, o.seconds,
      [&](long p) -> Phase {
        json bids = json::array();
        for (int k = 0; k < o.decision_bids; ++k) {
          const long n = p * o.decision_bids + k;
          bids.push_back({{"bidder_id", bidders[static_cast<std::size_t>(n % kBidders)].first},
                          {"amount_micros", 1 + (n * 7919) % 999'999}});
        }
        return {"/v1/decisions",
                exchange,
                {{"design_id", design_id},
                 {"request_id", run + "-" + std::to_string(p)},
                 {"bids", bids},
                 {"nonce", sha256_hex(run + "-nonce-" + std::to_string(p))}}};
      },
      done, errors);
  out["decisions"] = out["requests"];
  out["decisions_per_second"] = out["per_second"];
  out["bids_per_decision"] = o.decision_bids;
  std::printf("%s\n", out.dump().c_str());
  return errors == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--port") {
      std::stringstream list(argv[i + 1]);
      for (std::string port; std::getline(list, port, ',');)
        o.ports.push_back(std::atoi(port.c_str()));
    } else if (a == "--token")
      o.token = argv[i + 1];
    else if (a == "--seconds")
      o.seconds = std::atof(argv[i + 1]);
    else if (a == "--connections")
      o.connections = std::atoi(argv[i + 1]);
    else if (a == "--rate-guess")
      o.rate_guess = std::atof(argv[i + 1]);
    else if (a == "--protocol")
      o.sealed = std::string(argv[i + 1]) == "dia-lottery-v2";
    else if (a == "--decisions")
      o.decision_bids = std::min(kBidders, std::max(1, std::atoi(argv[i + 1])));
  }
  if (o.ports.empty() || std::count(o.ports.begin(), o.ports.end(), 0) || o.token.empty()) {
    std::fprintf(stderr,
                 "usage: dia_service_load --port P[,P2,...] --token T [--seconds S] "
                 "[--connections C]\n");
    return 2;
  }
  const std::string run = std::to_string(Clock::now().time_since_epoch().count());
  httplib::Client setup("127.0.0.1", o.ports.front());
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
  if (o.decision_bids > 0) return decisions(o, setup, run, design["design_id"], bidders);
  const long auctions_needed = static_cast<long>(o.rate_guess * o.seconds / kBidders) + 10;
  std::vector<long> auctions(static_cast<std::size_t>(auctions_needed));
  std::vector<std::string> digests(auctions.size());  // v2: each auction's terms_digest
  json auction_body{{"design_id", design["design_id"]}};
  if (o.sealed) {
    auction_body.update({{"protocol", "dia-lottery-v2"},
                         {"max_bid_micros", 1'000'000},
                         {"penalty_micros", 1},
                         {"reveal_seconds", 3600}});
  }
  {
    std::atomic<long> next{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < 16; ++t) {
      workers.emplace_back([&] {
        httplib::Client c("127.0.0.1", o.ports.front());
        c.set_read_timeout(60, 0);
        for (long i; (i = next++) < auctions_needed;) {
          const json a =
              post(c, o.token, "/v1/auctions", auction_body, run + "-a" + std::to_string(i), 201);
          auctions[static_cast<std::size_t>(i)] = a["auction_id"].get<long>();
          digests[static_cast<std::size_t>(i)] = a.value("terms_digest", "");
        }
      });
    }
    for (auto& w : workers) w.join();
  }
  // Timed phase: each (auction, bidder) pair is bid once, with a random-ish amount (v2: committed
  // with a salt derived from the pair, then revealed).
  const long pairs = auctions_needed * kBidders;
  const auto amount = [](long p) { return 1 + (p * 7919) % 999'999; };
  const auto salt = [&](long p) { return sha256_hex(run + "-salt-" + std::to_string(p)); };
  const auto path = [&](long p, const char* what) {
    return "/v1/auctions/" + std::to_string(auctions[static_cast<std::size_t>(p / kBidders)]) +
           what;
  };
  const auto bidder = [&](long p) { return bidders[static_cast<std::size_t>(p % kBidders)]; };
  long bids = 0, errors = 0;
  json out = timed(
      o, pairs, o.seconds,
      [&](long p) -> Phase {
        const auto& [id, token] = bidder(p);
        if (!o.sealed) return {path(p, "/bids"), token, {{"amount_micros", amount(p)}}};
        const long auction = auctions[static_cast<std::size_t>(p / kBidders)];
        const std::string commitment =
            sha256_hex("dia-bid-v2|" + digests[static_cast<std::size_t>(p / kBidders)] + "|" +
                       std::to_string(auction) + "|" + std::to_string(id) + "|" +
                       std::to_string(amount(p)) + "|" + salt(p));
        return {path(p, "/bids"), token, {{"commitment", commitment}}};
      },
      bids, errors);
  // Keys of the single-request form, as before.
  out["bids"] = out["requests"];
  out["bids_per_second"] = out["per_second"];
  out["exhausted_pairs"] = out["exhausted"];
  if (o.sealed && errors == 0) {
    // Close every auction bid on (whole auctions only: the pairs are auction-major).
    const long used = (bids + kBidders - 1) / kBidders;
    for (long i = 0; i < used; ++i) {
      post(setup, o.token, path(i * kBidders, "/close"), json::object(),
           run + "-close-" + std::to_string(i), 200);
    }
    long revealed = 0;
    out["reveal"] = timed(
        o, bids, o.seconds,
        [&](long p) -> Phase {
          return {path(p, "/reveal"),
                  bidder(p).second,
                  {{"amount_micros", amount(p)}, {"salt", salt(p)}}};
        },
        revealed, errors);
    out["protocol"] = "dia-lottery-v2";
  }
  std::printf("%s\n", out.dump().c_str());
  return errors == 0 ? 0 : 1;
}
