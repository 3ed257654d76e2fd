// The HTTP front of the auction house. Handler threads authenticate, then parse and validate the
// input (and design mechanisms, which is slow); one writer thread applies requests to the state in
// arrival order, commits each group of them in ONE database transaction (group commit), and only
// then answers.
#include <httplib.h>
#include <signal.h>
#include <sys/socket.h>

#include <cctype>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <functional>
#include <thread>

#include "dia/service.hpp"
#include "ledger/ledger_check.hpp"
#include "service/bid_input.hpp"
#include "service/design_input.hpp"
#include "service/house.hpp"
#include "service/operator_page.hpp"
#include "service/writer.hpp"

namespace dia::service {
namespace {

std::int64_t path_id(const httplib::Request& req, int index = 1) {
  const std::string s = req.matches[index];
  std::int64_t id = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || ptr != s.data() + s.size()) {
    bad_input("not_found", "no such id '" + s + "'", "", 404);
  }
  return id;
}

// The paging parameters of an operator listing: ?before=ID (0 = newest) and ?limit=1..1000.
std::pair<std::int64_t, int> paging(const httplib::Request& req) {
  for (const auto& [name, value] : req.params) {
    if (name != "before" && name != "limit") {
      bad_input("unknown_field", "unknown query parameter '" + name + "'",
                "allowed query parameters: before, limit");
    }
  }
  const auto number = [&](const char* name, std::int64_t fallback, std::int64_t low,
                          std::int64_t high) {
    if (!req.has_param(name)) return fallback;
    const std::string s = req.get_param_value(name);
    std::int64_t n = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || ptr != s.data() + s.size() || n < low || n > high) {
      bad_input("invalid_field", std::string("query parameter '") + name +
                                     "' must be an integer in " + std::to_string(low) + ".." +
                                     std::to_string(high) + ", got '" + s + "'");
    }
    return n;
  };
  return {number("before", 0, 0, INT64_MAX), static_cast<int>(number("limit", 100, 1, 1000))};
}

// The token of `Authorization: Bearer TOKEN`; the scheme is case-insensitive (RFC 7235).
std::string bearer_token(const std::string& header) {
  constexpr std::string_view kScheme = "bearer";
  if (header.size() <= kScheme.size() || header[kScheme.size()] != ' ') return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return {};
  }
  const auto first = header.find_first_not_of(' ', kScheme.size());
  if (first == std::string::npos) return {};
  return header.substr(first, header.find_last_not_of(' ') + 1 - first);
}

Request request_of(const httplib::Request& req) {
  Request r;
  if (const std::string token = bearer_token(req.get_header_value("Authorization"));
      !token.empty()) {
    r.token_sha256 = sha256_hex(token);
  }
  r.idempotency_key = req.get_header_value("Idempotency-Key");
  r.request_sha256 = sha256_hex(req.method + " " + req.path + "\n" + req.body);
  return r;
}

Reply forbidden(const char* role, const Principal& who) {
  return error_reply(
      403, "forbidden",
      std::string("this request needs the ") + role + " role, the token is a " + who.role + "'s",
      std::string("use the ") + role + "'s token");
}

// Every request is authenticated (401) and authorized (403) before its body or query is read,
// so an anonymous request costs a hash and a lookup, never a parse or a design.
class Service {
 public:
  Service(const ServeOptions& options, House& house, ledger::Database& db, ledger::Database& reader)
      : options_(options), house_(house), reader_(reader), writer_(house, db, options.max_batch) {}

  void install(httplib::Server& svr) {
    svr.Get("/v1/health", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"status":"ok"})", "application/json");
    });
    post(svr, R"(/v1/designs)", "operator",
         [this](const httplib::Request& req, const Request& r, const Principal& who) -> Job {
           const json body = parse_object(req.body);
           only_keys(body, {"values", "bidders", "reduced_form"}, "a design");
           auto design = designs_.prepare(body);
           return [r, who, design](House& h, Batch& b, ledger::Database&) {
             return h.mutate(who, r, b,
                             [&](const Principal&) { return h.create_design(b, *design); });
           };
         });
    post(svr, R"(/v1/auctions)", "operator",
         [this](const httplib::Request& req, const Request& r, const Principal& who) -> Job {
           const json body = parse_object(req.body);
           only_keys(body, {"design_id", "values", "bidders", "reduced_form", "tolerance_micros"},
                     "an auction");
           const auto tolerance = get_micros(body, "tolerance_micros", false);
           std::optional<std::int64_t> design_id;
           std::shared_ptr<const PreparedDesign> design;
           if (body.contains("design_id")) {
             if (body.contains("values") || body.contains("reduced_form") ||
                 body.contains("bidders")) {
               bad_input("invalid_field",
                         "give either design_id or a design (values, bidders, reduced_form), not "
                         "both",
                         "a saved design already fixes its values and bidders");
             }
             design_id = get_micros(body, "design_id", true, 1);
           } else {
             design = designs_.prepare(body);
           }
           return [=](House& h, Batch& b, ledger::Database&) {
             return h.mutate(who, r, b, [&](const Principal&) {
               return h.create_auction(b, who, design_id, design.get(), tolerance);
             });
           };
         });
    for (const char* role : {"bidder", "inspector"}) {
      post(svr, std::string("/v1/") + role + "s", "operator",
           [role](const httplib::Request& req, const Request& r, const Principal& who) -> Job {
             const json body = parse_object(req.body);
             only_keys(body, {"name"}, std::string("a ") + role);
             const std::string name = check_name(get_string(body, "name", false, role));
             return [=](House& h, Batch& b, ledger::Database&) {
               return h.mutate(who, r, b, [&](const Principal&) {
                 // A fresh code per registration; a retried request replays the stored answer.
                 return h.register_principal(b, role, name);
               });
             };
           });
    }
    // Enrollment needs no token (the code is the credential) and answers only its caller.
    svr.Post("/v1/enroll", [this](const httplib::Request& req, httplib::Response& res) {
      Reply reply;
      try {
        const json body = parse_object(req.body);
        only_keys(body, {"enrollment_code"}, "an enrollment");
        const std::string code_sha256 = sha256_hex(get_string(body, "enrollment_code", true));
        reply = writer_.submit([code_sha256](House& h, Batch& b, ledger::Database&) {
          return h.enroll(b, code_sha256);
        });
      } catch (const BadInput& e) {
        reply = e.reply;
      }
      res.status = reply.status;
      res.set_header("Cache-Control", "no-store");
      res.set_content(reply.body.dump(), "application/json");
    });
    post(svr, R"(/v1/bidders/(\d+)/funds)", "operator",
         [](const httplib::Request& req, const Request& r, const Principal& who) -> Job {
           const auto id = path_id(req);
           const json body = parse_object(req.body);
           only_keys(body, {"amount_micros"}, "a funding");
           const Micros amount = *get_micros(body, "amount_micros", true, 1);
           return [=](House& h, Batch& b, ledger::Database&) {
             return h.mutate(who, r, b, [&](const Principal&) { return h.fund(b, id, amount); });
           };
         });
    get(svr, R"(/v1/auctions)", "operator",
        [](const httplib::Request& req, const Request&, const Principal& who) -> Job {
          const auto page = paging(req);  // (clang 14 cannot capture a structured binding)
          return [=](House& h, Batch&, ledger::Database&) {
            return h.auction_list(who, page.first, page.second);
          };
        });
    get(svr, R"(/v1/bidders)", "operator",
        [](const httplib::Request& req, const Request&, const Principal& who) -> Job {
          const auto page = paging(req);  // (clang 14 cannot capture a structured binding)
          return [=](House& h, Batch&, ledger::Database&) {
            return h.bidder_list(who, page.first, page.second);
          };
        });
    // The operator page: static, self-contained; it reads the token from its URL fragment and
    // calls the endpoints above with it (the page itself holds no data, so it needs no token).
    svr.Get("/operator", [](const httplib::Request&, httplib::Response& res) {
      res.set_header("Content-Security-Policy",
                     "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';"
                     " img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none';"
                     " frame-ancestors 'none'");
      res.set_header("Referrer-Policy", "no-referrer");
      res.set_header("Cache-Control", "no-store");
      res.set_content(kOperatorPage, "text/html; charset=utf-8");
    });
    get(svr, R"(/v1/bidders/(\d+)/account)", nullptr,
        [](const httplib::Request& req, const Request&, const Principal& who) -> Job {
          const auto id = path_id(req);
          return [=](House& h, Batch&, ledger::Database&) { return h.account(who, id); };
        });
    post(svr, R"(/v1/auctions/(\d+)/bids)", "bidder",
         [this](const httplib::Request& req, const Request& r, const Principal& who) -> Job {
           const auto id = path_id(req);
           const BidInput bid = parse_bid(parse_object(req.body), id, options_.currency);
           return [=](House& h, Batch& b, ledger::Database&) {
             return h.mutate(who, r, b, [&](const Principal&) {
               return h.submit_bid(b, who, id, bid.amount, bid.format);
             });
           };
         });
    get(svr, R"(/v1/auctions/(\d+)/bids)", nullptr,
        [](const httplib::Request& req, const Request&, const Principal& who) -> Job {
          const auto id = path_id(req);
          return [=](House& h, Batch&, ledger::Database&) { return h.bids(who, id); };
        });
    get(svr, R"(/v1/auctions/(\d+))", nullptr,
        [](const httplib::Request& req, const Request&, const Principal& who) -> Job {
          const auto id = path_id(req);
          return [=](House& h, Batch&, ledger::Database&) { return h.auction(who, id); };
        });
    get(svr, R"(/v1/auctions/(\d+)/openrtb)", nullptr,
        [](const httplib::Request& req, const Request&, const Principal&) -> Job {
          const auto id = path_id(req);
          return [=](House& h, Batch&, ledger::Database&) { return h.openrtb_request(id); };
        });
    get(svr, R"(/v1/auctions/(\d+)/export)", nullptr,
        [](const httplib::Request& req, const Request&, const Principal&) -> Job {
          const auto id = path_id(req);
          return [=](House& h, Batch&, ledger::Database&) { return h.export_auction(id); };
        });
    post(svr, R"(/v1/auctions/(\d+)/close)", "operator",
         [](const httplib::Request& req, const Request& r, const Principal& who) -> Job {
           const auto id = path_id(req);
           if (!req.body.empty()) only_keys(parse_object(req.body), {}, "a close request");
           return [=](House& h, Batch& b, ledger::Database&) {
             return h.mutate(who, r, b, [&](const Principal&) { return h.close(b, id); });
           };
         });
    post(svr, R"(/v1/auctions/(\d+)/inspection)", "inspector",
         [](const httplib::Request& req, const Request& r, const Principal& who) -> Job {
           const auto id = path_id(req);
           const json body = parse_object(req.body);
           only_keys(body, {"observed_micros"}, "an inspection report");
           const Micros observed = *get_micros(body, "observed_micros", true, 0);
           return [=](House& h, Batch& b, ledger::Database&) {
             return h.mutate(who, r, b,
                             [&](const Principal&) { return h.inspect(b, who, id, observed); });
           };
         });
    // The ledger check reads a snapshot on its own connection, on the handler thread: its full
    // scans never hold up the writer.
    svr.Get(R"(/v1/ledger/check)", [this](const httplib::Request& req, httplib::Response& res) {
      handle(req, res, "operator", false,
             [this](const httplib::Request&, const Request&, const Principal&) -> Reply {
               auto check = ledger::check_ledger(reader_);
               if (!check) return error_reply(500, "database_error", check.error().line());
               return {check->ok ? 200 : 500, ledger_check_json(*check)};
             });
    });
  }

 private:
  using Prepare = std::function<Job(const httplib::Request&, const Request&, const Principal&)>;
  using Run = std::function<Reply(const httplib::Request&, const Request&, const Principal&)>;

  // Authenticates, authorizes `role` (any when null), checks a mutation's Idempotency-Key, and
  // only then parses and runs the request (for most: prepares it and runs it on the writer).
  void handle(const httplib::Request& req, httplib::Response& res, const char* role, bool mutating,
              const Run& run) {
    Reply reply;
    try {
      const Request r = request_of(req);
      const auto who = house_.authenticate(r.token_sha256);
      if (!who) {
        reply = House::unauthorized();
      } else if (role && who->role != role) {
        reply = forbidden(role, *who);
      } else if (mutating && (r.idempotency_key.empty() || r.idempotency_key.size() > 200)) {
        reply = error_reply(400, "idempotency_key_required",
                            "every mutating request needs an Idempotency-Key header (1-200 chars)",
                            "e.g. -H 'Idempotency-Key: $(uuidgen)'; retries reuse the same key");
      } else {
        reply = run(req, r, *who);
      }
    } catch (const BadInput& e) {
      reply = e.reply;
    }
    res.status = reply.status;
    res.set_content(reply.body.dump(), "application/json");
  }
  Run on_writer(Prepare prepare) {
    return [this, prepare](const httplib::Request& req, const Request& r, const Principal& who) {
      return writer_.submit(prepare(req, r, who));
    };
  }
  void post(httplib::Server& svr, const std::string& pattern, const char* role, Prepare prepare) {
    svr.Post(pattern, [this, role, run = on_writer(std::move(prepare))](const httplib::Request& req,
                                                                        httplib::Response& res) {
      handle(req, res, role, true, run);
    });
  }
  void get(httplib::Server& svr, const std::string& pattern, const char* role, Prepare prepare) {
    svr.Get(pattern, [this, role, run = on_writer(std::move(prepare))](const httplib::Request& req,
                                                                       httplib::Response& res) {
      handle(req, res, role, false, run);
    });
  }

  const ServeOptions& options_;
  House& house_;
  ledger::Database& reader_;  // for the ledger check
  Writer writer_;
  DesignInput designs_;
};

}  // namespace
}  // namespace dia::service

namespace dia {

Expected<void> serve(const ServeOptions& options) {
  using namespace service;
  if (options.operator_token.size() < 16) {
    return fail(ErrorCode::kInvalidArgument, "the operator token must have at least 16 characters",
                "set DIA_OPERATOR_TOKEN or --operator-token-file to a long random string");
  }
  auto db = ledger::open_database(options.db_url);
  if (!db) return tl::unexpected(db.error());
  if (auto claimed = (*db)->claim(); !claimed) return claimed;
  if (auto v = ledger::migrate(**db); !v) return tl::unexpected(v.error());
  House house(options.tolerance_micros, options.currency);
  if (auto r = house.load(**db, sha256_hex(options.operator_token)); !r) return r;

  // SIGINT/SIGTERM end the server from a thread of our own (stop() is not signal-safe).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  httplib::Server svr;
  const int threads = options.threads;
  svr.new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<std::size_t>(threads));
  };
  svr.set_payload_max_length(options.max_body_bytes);
  svr.set_keep_alive_max_count(1000000);
  svr.set_tcp_nodelay(true);
  svr.set_keep_alive_timeout(2);  // idle connections end soon, so a stop is quick
  svr.set_error_handler([&](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;  // our own JSON error
    Reply r =
        res.status == 413 ? error_reply(413, "payload_too_large",
                                        "the request body exceeds " +
                                            std::to_string(options.max_body_bytes) + " bytes",
                                        "send a smaller body (dia serve --max-body-bytes)")
        : res.status == 404
            ? error_reply(404, "not_found", "no endpoint " + req.method + " " + req.path,
                          "see docs/api.md")
        : res.status == 400
            ? error_reply(400, "bad_request", "malformed HTTP request",
                          "a POST needs a body with Content-Length: send at least -d '{}'")
            : error_reply(res.status, "http_error", "HTTP error " + std::to_string(res.status));
    res.set_content(r.body.dump(), "application/json");
  });
  auto reader = ledger::open_database(options.db_url);
  if (!reader) return tl::unexpected(reader.error());
  Service service(options, house, **db, **reader);
  service.install(svr);

  // Debian's prebuilt cpp-httplib listens with a backlog of 5, so a burst of new connections
  // overflows the accept queue and clients see dropped or reset connections. Linux lets a second
  // listen() on the bound socket raise the backlog: remember the socket, re-listen after binding.
  socket_t listening_socket = INVALID_SOCKET;
  svr.set_socket_options([&listening_socket](socket_t sock) {
    httplib::default_socket_options(sock);
    listening_socket = sock;
  });
  int port = options.port;
  if (port == 0) {
    port = svr.bind_to_any_port(options.host.c_str());
    if (port <= 0) return fail(ErrorCode::kIo, "cannot bind " + options.host);
  } else if (!svr.bind_to_port(options.host.c_str(), port)) {
    return fail(ErrorCode::kIo, "cannot listen on " + options.host + ":" + std::to_string(port),
                "is the port in use? pick another with --port (0 = any free port)");
  }
  if (::listen(listening_socket, SOMAXCONN) != 0) {
    return fail(ErrorCode::kIo, "cannot listen on " + options.host + ":" + std::to_string(port));
  }
  if (!options.port_file.empty()) {
    const std::string tmp = options.port_file + ".tmp";
    std::ofstream(tmp) << port << "\n";
    std::rename(tmp.c_str(), options.port_file.c_str());
  }
  std::fprintf(stderr, "dia serve: listening on http://%s:%d (%s)\n", options.host.c_str(), port,
               (*db)->backend().c_str());
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    svr.stop();
  });
  svr.listen_after_bind();
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  return {};
}

}  // namespace dia
