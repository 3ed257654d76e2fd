// Boost.Beast sessions: read the headers (deadline), ask the application for a plan, answer at
// once (401, 403, 404, 413, 415 ... without reading the body) or read the body (deadline, limit)
// and run the plan on the worker pool; write the answer (deadline); keep the connection alive
// only when every byte of the request has been read, so nothing left on it can run as a hidden
// second request.
#include "service/http_server.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <cstdio>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "service/api_error.hpp"

namespace dia::service {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

HttpReply json_error(int status, const std::string& code, const std::string& message,
                     const std::string& hint) {
  return {
      status, "application/json", dump_safely(error_reply(status, code, message, hint).body), {}};
}

HttpReply run_safely(const std::function<HttpReply()>& step) {
  const char* what = "an exception of unknown type";
  try {
    return step();
  } catch (const std::exception& e) {
    what = e.what();
    std::fprintf(stderr, "dia serve: internal error in a request: %s\n", what);
  } catch (...) {
    std::fprintf(stderr, "dia serve: internal error in a request: %s\n", what);
  }
  return json_error(500, "internal_error", "the server failed to answer this request",
                    "nothing was changed; retry, and report it if it persists");
}

void answer_safely(const Respond& respond, const std::function<void(const Respond&)>& step) {
  bool threw = true;
  HttpReply failure = run_safely([&] {
    step(respond);
    threw = false;
    return HttpReply{};
  });
  if (threw) respond(std::move(failure));
}

void Respond::defer(std::function<void(const Respond&)> step) const {
  work([respond = *this, step = std::move(step)] { answer_safely(respond, step); });
}

namespace {

HttpReply too_large(const HttpLimits& limits) {
  return json_error(413, "payload_too_large",
                    "the request body exceeds " + std::to_string(limits.max_body_bytes) + " bytes",
                    "send a smaller body (dia serve --max-body-bytes)");
}

}  // namespace

std::optional<HttpReply> screen_header(HttpApplication& app, const HttpLimits& limits,
                                       HttpParser& parser, HttpApplication::Plan& plan) {
  const HttpHeader& header = parser.get().base();
  if (!header[http::field::transfer_encoding].empty() && !parser.chunked()) {
    // A body framed by an encoding other than chunked has no length we can know.
    return json_error(400, "bad_request", "unsupported Transfer-Encoding",
                      "send the body with Content-Length or Transfer-Encoding: chunked");
  }
  const HttpReply failure = run_safely([&] {
    plan = app.plan(header);
    return HttpReply{};
  });
  if (!plan.answer && !plan.run) return failure;  // the application threw
  if (plan.answer) return std::move(plan.answer);
  if (const auto length = parser.content_length(); length && *length > limits.max_body_bytes) {
    return too_large(limits);
  }
  parser.body_limit(limits.max_body_bytes);
  return std::nullopt;
}

// Malformed requests get a 400 (or 413/431); a deadline, a reset or a stop just ends them.
std::optional<HttpReply> read_failure(beast::error_code ec, const HttpLimits& limits) {
  if (ec == http::error::body_limit) return too_large(limits);
  if (ec == http::error::header_limit) {
    return json_error(
        431, "headers_too_large",
        "the request headers exceed " + std::to_string(limits.max_header_bytes) + " bytes");
  }
  const bool malformed = ec.category() == make_error_code(http::error::bad_method).category() &&
                         ec != http::error::end_of_stream && ec != http::error::partial_message &&
                         ec != http::error::need_more;
  if (malformed) {
    return json_error(400, "bad_request", "malformed HTTP request: " + ec.message(),
                      "send an HTTP/1.1 request (docs/api.md)");
  }
  return std::nullopt;
}

namespace {

class Session;

struct Shared {
  HttpApplication& app;
  HttpLimits limits;
  net::io_context& io;
  net::thread_pool& workers;
  std::mutex mutex;  // guards sessions
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  std::atomic<bool> stopping{false};

  std::size_t open() {
    std::lock_guard lock(mutex);
    return sessions.size();
  }
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  // The socket's executor is a strand of its own: the session's handlers never run at once.
  Session(tcp::socket socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {}
  ~Session() {
    std::lock_guard lock(shared_.mutex);
    shared_.sessions.erase(this);
  }

  void start() {
    {
      std::lock_guard lock(shared_.mutex);
      shared_.sessions.emplace(this, weak_from_this());
    }
    read_header();
  }
  auto executor() { return stream_.get_executor(); }

  // At a graceful stop (on the session's strand): a connection waiting for a request ends now;
  // one whose request is being worked on ends after its answer.
  void stop() {
    if (state_ != State::kWorking && state_ != State::kWriting) stream_.socket().close();
  }

 private:
  enum class State { kReading, kWorking, kWriting, kDraining };

  void read_header() {
    state_ = State::kReading;
    plan_route_ = {};
    principal_ = 0;
    start_ = std::chrono::steady_clock::now();  // a request that fails to parse: from here
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_.limits.max_header_bytes));
    // No limit while the headers are read (boost::none would refuse every body): the declared
    // length is checked after authentication (screen_header).
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    stream_.expires_after(shared_.limits.header_deadline);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return read_failed(ec);
    start_ = std::chrono::steady_clock::now();
    method_ = parser_->get().method();
    keep_alive_ = parser_->get().keep_alive();
    HttpApplication::Plan plan;
    auto now = screen_header(shared_.app, shared_.limits, *parser_, plan);
    plan_route_ = plan.route;
    principal_ = plan.principal;
    if (now) return answer(std::move(*now), parser_->is_done());
    plan_ = std::move(plan);
    if (parser_->is_done()) return on_body({}, 0);
    stream_.expires_after(shared_.limits.body_deadline);
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(stream_, net::buffer(kContinue),
                       [self = shared_from_this()](beast::error_code e, std::size_t) {
                         if (e) return self->close();
                         self->read_body();
                       });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_body, shared_from_this()));
  }

  void on_body(beast::error_code ec, std::size_t) {
    if (ec) return read_failed(ec);
    state_ = State::kWorking;
    // Whoever answers (this thread, a worker, the writer after its commit) hands the answer to
    // the session's strand; the guard keeps the IO threads running until then.
    Respond respond{
        [self = shared_from_this(), guard = net::make_work_guard(shared_.io)](HttpReply reply) {
          net::dispatch(self->stream_.get_executor(), [self, reply = std::move(reply)]() mutable {
            self->answer(std::move(reply), true);
          });
        },
        [&workers = shared_.workers](std::function<void()> task) {
          net::post(workers, std::move(task));
        }};
    if (plan_.quick && parser_->get().body().size() <= shared_.limits.quick_body_bytes) {
      const HttpRequest request = parser_->release();
      return answer_safely(respond, [&](const Respond& r) { plan_.run(request, r); });
    }
    net::post(shared_.workers, [plan = std::move(plan_), request = parser_->release(),
                                respond = std::move(respond)] {
      answer_safely(respond, [&](const Respond& r) { plan.run(request, r); });
    });
  }

  void read_failed(beast::error_code ec) {
    method_ = parser_->get().method();
    if (auto reply = read_failure(ec, shared_.limits)) return answer(std::move(*reply), false);
    close();
  }

  // complete: every byte of the request was read, so the connection may carry another one.
  void answer(HttpReply reply, bool complete) {
    state_ = State::kWriting;
    const bool keep = complete && keep_alive_ && !shared_.stopping;
    response_ = std::make_shared<http::response<http::string_body>>();
    auto& r = *response_;
    r.version(11);
    r.result(static_cast<unsigned>(reply.status));
    r.set(http::field::content_type, reply.content_type);
    if (reply.status == 401) r.set(http::field::www_authenticate, "Bearer");
    for (const auto& [name, value] : reply.headers) r.set(name, value);
    r.body() = std::move(reply.body);
    r.keep_alive(keep);
    r.prepare_payload();
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - start_);
    shared_.app.answered(
        {view(http::to_string(method_)), plan_route_, reply.status, micros.count(), principal_});
    stream_.expires_after(shared_.limits.write_deadline);
    http::async_write(
        stream_, r, [self = shared_from_this(), keep, complete](beast::error_code ec, std::size_t) {
          if (ec) return self->close();
          if (keep) return self->read_header();
          if (complete) return self->close();
          self->drain();
        });
  }

  // The answer went out before the body was read: stop sending, then discard what the client
  // still sends for a moment (closing with unread data would reset the connection and could
  // destroy the answer before the client reads it). Bounded in time, memory constant.
  void drain() {
    state_ = State::kDraining;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::seconds(1));
    drain_some();
  }
  void drain_some() {
    stream_.async_read_some(net::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->close();
                              self->drain_some();
                            });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  Shared& shared_;
  beast::flat_buffer buffer_{64 * 1024};
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpApplication::Plan plan_;  // the request's, once its headers are screened
  bool keep_alive_ = false;
  // For Exchange: when the request's headers were in, its method, route and principal.
  std::chrono::steady_clock::time_point start_;
  http::verb method_ = http::verb::unknown;
  std::string_view plan_route_;
  std::int64_t principal_ = 0;
  std::shared_ptr<http::response<http::string_body>> response_;
  State state_ = State::kReading;
  std::array<char, 4096> scratch_{};
};

}  // namespace

struct HttpServer::Impl {
  Impl(HttpApplication& app, HttpLimits limits, int workers)
      : pool(static_cast<std::size_t>(workers)), shared{app, limits, io, pool, {}, {}} {}

  void accept() {
    acceptor.async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (shared.stopping) return;
      if (ec) {
        // Out of file descriptors (or a transient error): try again shortly, never spin.
        retry.expires_after(std::chrono::milliseconds(50));
        retry.async_wait([this](beast::error_code) {
          if (!shared.stopping) accept();
        });
        return;
      }
      if (shared.open() < shared.limits.max_connections) {
        socket.set_option(tcp::no_delay(true), ec);
        std::make_shared<Session>(std::move(socket), shared)->start();
      }
      accept();
    });
  }

  net::io_context io;
  net::thread_pool pool;
  Shared shared;
  net::strand<net::io_context::executor_type> accepting{io.get_executor()};
  tcp::acceptor acceptor{accepting};
  net::steady_timer retry{accepting};
};

HttpServer::HttpServer(HttpApplication& app, HttpLimits limits, int workers)
    : impl_(std::make_unique<Impl>(app, limits, workers)) {
  // Every connection holds a descriptor: allow as many as the hard limit does.
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
}

HttpServer::~HttpServer() { impl_->pool.join(); }

Expected<int> HttpServer::listen(const std::string& host, int port) {
  beast::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (ec) {
    return fail(ErrorCode::kInvalidArgument, "cannot listen on '" + host + "': not an IP address",
                "use e.g. --host 127.0.0.1 or --host 0.0.0.0");
  }
  auto& a = impl_->acceptor;
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return fail(ErrorCode::kIo,
                "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message(),
                "is the port in use? pick another with --port (0 = any free port)");
  }
  return a.local_endpoint().port();
}

void HttpServer::run() {
  Impl& s = *impl_;
  net::signal_set signals(s.io, SIGINT, SIGTERM);
  signals.async_wait([&s](beast::error_code, int) {
    s.shared.stopping = true;
    net::post(s.accepting, [&s] {
      beast::error_code ignored;
      s.acceptor.close(ignored);
      s.retry.cancel();
    });
    std::vector<std::shared_ptr<Session>> open;
    {
      std::lock_guard lock(s.shared.mutex);  // not held below: a session may end meanwhile
      for (const auto& [raw, weak] : s.shared.sessions) {
        if (auto session = weak.lock()) open.push_back(std::move(session));
      }
    }
    for (auto& session : open) net::post(session->executor(), [session] { session->stop(); });
  });
  net::post(s.accepting, [&s] { s.accept(); });
  // IO threads: one per core, at most 4 (the slow work is on the worker pool).
  const unsigned cores = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  std::vector<std::thread> more;
  for (unsigned i = 1; i < cores; ++i) more.emplace_back([&s] { s.io.run(); });
  s.io.run();
  for (auto& t : more) t.join();
  s.pool.join();
}

}  // namespace dia::service
