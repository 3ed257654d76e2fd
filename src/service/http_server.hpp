// The event-driven HTTP/1.1 front of dia serve (Boost.Beast on Boost.Asio): one IO thread owns
// every connection and never runs application code beyond a decision on the headers; the slow
// work (parsing, designing, waiting for the group commit) runs on a bounded worker pool.
#pragma once

#include <boost/beast/http.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dia/error.hpp"

namespace dia::service {

namespace http = boost::beast::http;
using HttpHeader = http::request_header<>;
using HttpRequest = http::request<http::string_body>;

// Beast 1.74 speaks boost::string_view.
inline std::string_view view(boost::beast::string_view s) { return {s.data(), s.size()}; }

struct HttpReply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// One answered request as the server reports it (for the metrics and the access log).
struct Exchange {
  std::string_view method;  // a static string (boost::beast::http::to_string of the verb)
  std::string_view route;   // the plan's route; empty when the request got no plan
  int status = 0;
  std::int64_t micros = 0;     // from the end of the headers to the answer (a request that could
                               // not be parsed: from the start of its read)
  std::int64_t principal = 0;  // the plan's authenticated principal, 0 for none
};

// How a plan answers its request: exactly once, from any thread. A request handed to the writer
// is answered by the writer itself right after its group commit (no thread waits for it).
struct Respond {
  std::function<void(HttpReply)> send;              // hands the answer to the connection
  std::function<void(std::function<void()>)> work;  // runs a task on the worker pool
  void operator()(HttpReply reply) const { send(std::move(reply)); }
  // Runs `step` on the worker pool (slow work kept off the calling thread); it answers, and if it
  // throws before answering, the answer is a JSON 500.
  void defer(std::function<void(const Respond&)> step) const;
};

// What the server asks of the application for each request.
class HttpApplication {
 public:
  struct Plan {
    std::optional<HttpReply> answer;  // answer now, on the headers alone: the body is never read
    // Else, once the body is in: runs and answers through Respond (an exception it throws before
    // answering becomes a JSON 500).
    std::function<void(const HttpRequest&, const Respond&)> run;
    // Run on the IO thread (constant answers, small bodies parsed quickly), else on the worker
    // pool; a body over HttpLimits::quick_body_bytes always goes to the worker pool.
    bool quick = false;
    std::string_view route;      // the route template (must outlive the application's requests)
    std::int64_t principal = 0;  // who asks, once authenticated
  };
  virtual ~HttpApplication() = default;
  // On the IO thread, right after the headers: must be quick (a hash and a lookup at most).
  virtual Plan plan(const HttpHeader& header) = 0;
  // On the IO thread, as each answer is handed to the socket: must be quick.
  virtual void answered(const Exchange&) {}
};

struct HttpLimits {
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 8u << 20;
  // The whole header (an idle keep-alive connection included), the whole body, the whole answer.
  std::chrono::milliseconds header_deadline{10'000}, body_deadline{30'000}, write_deadline{30'000};
  std::size_t max_connections = 10'000;      // beyond: accepted and closed at once
  std::size_t quick_body_bytes = 16 * 1024;  // the largest body a quick plan runs on the IO thread
};

using HttpParser = http::request_parser<http::string_body>;

// The steps of one request, shared by the server's sessions and the request fuzzer:
// on the headers, the answer to give at once (the body unread: the connection closes if one
// follows) or none, and then `plan` runs once the body is in (within the body limit, set here);
std::optional<HttpReply> screen_header(HttpApplication& app, const HttpLimits& limits,
                                       HttpParser& parser, HttpApplication::Plan& plan);
// a read that failed: the answer to give before closing (400, 413, 431), or none (just close).
std::optional<HttpReply> read_failure(boost::beast::error_code ec, const HttpLimits& limits);

// The JSON error answers of the HTTP layer itself (malformed requests, limits, internal errors).
HttpReply json_error(int status, const std::string& code, const std::string& message,
                     const std::string& hint = {});
// Runs a plan's step, turning any exception into a JSON 500 (the server goes on).
HttpReply run_safely(const std::function<HttpReply()>& step);
// Runs a step that answers through `respond`; if it throws before answering, answers the JSON
// 500 instead (a step must not throw after answering).
void answer_safely(const Respond& respond, const std::function<void(const Respond&)>& step);

class HttpServer {
 public:
  HttpServer(HttpApplication& app, HttpLimits limits, int workers);
  ~HttpServer();
  // Binds and listens (backlog SOMAXCONN); the bound port (port 0 = any free one).
  Expected<int> listen(const std::string& host, int port);
  // Serves until SIGINT or SIGTERM, then stops gracefully: no new connections, idle ones closed,
  // requests in progress answered.
  void run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dia::service
