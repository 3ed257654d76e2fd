// The house the service fuzzers run requests against: a real house over a SQLite database in
// /dev/shm (the writer, group commits and all) with its routes, set up as a long-lived server
// would be. Registered at start: a funded bidder (id 2), an inspector (id 3) and an exchange
// (id 4), whose tokens are bidder, inspector and exchange_token; the operator's token is
// kOperatorToken; auction 1 (design 1: discrete(1:0.5,2:0.5), 2 bidders, a reduced form) is open,
// and so is auction 2, a dia-lottery-v2 auction on design 2 with bidder classes (class 0: two
// seats, class 1: one; docs/api.md "Bidder classes").
#pragma once

#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "dia/service.hpp"
#include "service/house.hpp"
#include "service/http_server.hpp"
#include "service/routes.hpp"

namespace dia::fuzz {

using namespace dia::service;
namespace fs = std::filesystem;

inline constexpr const char* kOperatorToken = "fuzz-operator-token-0123456789";

// Every request the bytes hold (pipelined), answered as a session would answer them; stops at
// the first answer that ends the connection or at an incomplete request (the server would wait
// for the rest until its deadline).
inline std::vector<HttpReply> exchange(HttpApplication& app, const HttpLimits& limits,
                                       std::string_view bytes) {
  std::vector<HttpReply> replies;
  for (int n = 0; n < 8 && !bytes.empty(); ++n) {
    HttpParser parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    HttpApplication::Plan plan;
    bool screened = false;
    boost::beast::error_code ec;
    while (!parser.is_done()) {
      const std::size_t used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
      bytes.remove_prefix(used);
      if (ec == boost::beast::http::error::need_more) return replies;
      if (ec) {
        if (auto reply = read_failure(ec, limits)) replies.push_back(*reply);
        return replies;
      }
      if (parser.is_header_done() && !screened) {
        screened = true;
        if (auto now = screen_header(app, limits, parser, plan)) {
          replies.push_back(*now);
          if (!parser.is_done()) return replies;  // answered before the body: closed
          break;
        }
      }
      if (used == 0 && !parser.is_done()) return replies;
    }
    if (plan.run) {
      const HttpRequest request = parser.release();
      // Answered on this thread, a task's or the writer's: wait for it, as a session does.
      std::promise<HttpReply> answer;
      const Respond respond{[&answer](HttpReply reply) { answer.set_value(std::move(reply)); },
                            [](std::function<void()> task) { task(); }};
      answer_safely(respond, [&](const Respond& r) { plan.run(request, r); });
      replies.push_back(answer.get_future().get());
      if (!request.keep_alive()) return replies;
    } else if (!parser.get().keep_alive()) {
      return replies;
    }
  }
  return replies;
}

inline std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size()) {
    s.replace(at, from.size(), to);
  }
  return s;
}

// A POST of `body` (JSON) to `path` with `token` and the Idempotency-Key `key`.
inline std::string post(const std::string& path, const std::string& token, const std::string& key,
                        const std::string& body) {
  return "POST " + path + " HTTP/1.1\r\nAuthorization: Bearer " + token +
         "\r\nIdempotency-Key: " + key +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

// A finding: an answer outside 200-499 (a 5xx is a server error) or a JSON answer that is not JSON.
inline void check_replies(const std::vector<HttpReply>& replies) {
  for (const HttpReply& reply : replies) {
    if (reply.status < 200 || reply.status >= 500) std::abort();
    if (reply.content_type == "application/json" &&
        nlohmann::json::parse(reply.body, nullptr, false).is_discarded()) {
      std::abort();
    }
  }
}

struct FuzzHouse {
  FuzzHouse() {
    const fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    dir = base / ("dia-http-fuzz-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    options.db_url = "sqlite:" + (dir / "fuzz.db").string();
    options.operator_token = kOperatorToken;
    options.max_body_bytes = 65536;
    limits.max_body_bytes = options.max_body_bytes;
    db = std::move(*ledger::open_database(options.db_url));
    reader = std::move(*ledger::open_database(options.db_url));
    if (!ledger::migrate(*db) || !house.load(*db, sha256_hex(kOperatorToken))) std::abort();
    routes = make_routes(options, house, *db, *reader);
    bidder = enroll(setup("/v1/bidders", R"({"name":"fuzz bidder"})"));
    setup("/v1/bidders/2/funds", R"({"amount_micros":1000000000000})");
    inspector = enroll(setup("/v1/inspectors", R"({"name":"fuzz inspector"})"));
    exchange_token = enroll(setup("/v1/exchanges", R"({"name":"fuzz exchange"})"));
    setup("/v1/auctions", R"j({"values":"discrete(1:0.5,2:0.5)","bidders":2,"reduced_form":)j"
                          R"j({"values":[1,2],"allocation":[0.25,0.75]}})j");
    setup("/v1/auctions", R"j({"bidders":["2*discrete(1:0.5,3:0.5)","discrete(2:0.6,4:0.4)"],)j"
                          R"j("protocol":"dia-lottery-v2","max_bid_micros":5000000,)j"
                          R"j("penalty_micros":100000,"reveal_seconds":600})j");
  }
  ~FuzzHouse() {
    routes.reset();
    fs::remove_all(dir);
  }
  nlohmann::json setup(const std::string& path, const std::string& body) {
    const auto replies = exchange(
        *routes, limits, post(path, kOperatorToken, "setup-" + std::to_string(setups++), body));
    if (replies.size() != 1 || replies[0].status >= 300) std::abort();
    return nlohmann::json::parse(replies[0].body);
  }

  // The principal's own step: its enrollment code for its token (POST /v1/enroll needs no token;
  // the operator's, sent by setup, is ignored there).
  std::string enroll(const nlohmann::json& registered) {
    const nlohmann::json code{{"enrollment_code", registered.at("enrollment_code")}};
    return setup("/v1/enroll", code.dump()).at("token").get<std::string>();
  }

  fs::path dir;
  ServeOptions options;
  HttpLimits limits;
  std::unique_ptr<ledger::Database> db, reader;
  House house{0, "USD"};
  std::unique_ptr<HttpApplication> routes;
  std::string bidder, inspector, exchange_token;
  int setups = 0;  // each setup request's own Idempotency-Key
};

}  // namespace dia::fuzz
