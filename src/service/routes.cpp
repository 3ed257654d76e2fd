// The routes of the auction house (docs/api.md). On the IO thread, on the headers alone, every
// request is routed, authenticated (401) and authorized (403), its Idempotency-Key and Content-Type
// checked; then, on the worker pool, its body is parsed and validated (designing mechanisms, which
// is slow) and one writer thread applies it to the state in arrival order, commits each group of
// requests in ONE database transaction (group commit), and only then answers.
#include "service/routes.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <functional>
#include <mutex>

#include "ledger/ledger_check.hpp"
#include "service/access_log.hpp"
#include "service/auction_input.hpp"
#include "service/bid_input.hpp"
#include "service/decision_input.hpp"
#include "service/design_input.hpp"
#include "service/http_target.hpp"
#include "service/metrics.hpp"
#include "service/metrics_scrape.hpp"
#include "service/operator_page.hpp"
#include "service/unknown_tokens.hpp"
#include "service/writer.hpp"

namespace dia::service {
namespace {

using Query = std::vector<std::pair<std::string, std::string>>;

// What a handler on the worker pool gets: the path's id (if any), the query, the body, who asks.
struct Call {
  std::int64_t id = 0;
  const Query& query;
  const std::string& body;
  const Request& request;
  const Principal& who;
};

// The paging parameters of an operator listing: ?before=ID (0 = newest) and ?limit=1..1000.
std::pair<std::int64_t, int> paging(const Query& query) {
  for (const auto& [name, value] : query) {
    if (name != "before" && name != "limit") {
      bad_input("unknown_field", "unknown query parameter '" + name + "'",
                "allowed query parameters: before, limit");
    }
  }
  const auto number = [&](const char* name, std::int64_t fallback, std::int64_t low,
                          std::int64_t high) {
    const auto it =
        std::find_if(query.begin(), query.end(), [&](const auto& p) { return p.first == name; });
    if (it == query.end()) return fallback;
    const std::string& s = it->second;
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

// The body of an inspection report (an auction's, or a decision's conversion postback).
Micros observed_micros(const std::string& text) {
  const json body = parse_object(text);
  only_keys(body, {"observed_micros"}, "an inspection report");
  return *get_micros(body, "observed_micros", true, 0);
}

// GET .../openrtb?terms=inline: the BidRequest with the whole grid and SPEC inline, as before the
// compact form (other query parameters are ignored, as they always were).
bool inline_terms_asked(const Query& query) {
  bool asked = false;
  for (const auto& [name, value] : query) {
    if (name != "terms") continue;
    if (value != "inline") {
      bad_input("invalid_field", "query parameter 'terms' must be 'inline', got '" + value + "'",
                "leave it out for the compact BidRequest (terms by reference)");
    }
    asked = true;
  }
  return asked;
}

// An accepted OpenRTB bid (201) keeps its Bid.id and notice URLs with the bid.
Reply recorded(House& h, Batch& b, const Principal& who, std::int64_t auction_id,
               const BidInput& bid, Reply placed) {
  if (placed.status == 201 && bid.format == "openrtb") {
    h.record_openrtb(b, auction_id, who.id, bid.openrtb_bid_id, bid.nurl, bid.burl, bid.lurl);
  }
  return placed;
}

// The token of `Authorization: Bearer TOKEN`; the scheme is case-insensitive (RFC 7235).
std::string bearer_token(std::string_view header) {
  constexpr std::string_view kScheme = "bearer";
  if (header.size() <= kScheme.size() || header[kScheme.size()] != ' ') return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return {};
  }
  const auto first = header.find_first_not_of(' ', kScheme.size());
  if (first == std::string::npos) return {};
  return std::string(header.substr(first, header.find_last_not_of(' ') + 1 - first));
}

// 1-200 visible ASCII characters: a key is stored and compared as given, in every database.
bool valid_idempotency_key(std::string_view key) {
  return !key.empty() && key.size() <= 200 &&
         std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

// A body is accepted as application/json only (any parameters, e.g. charset=utf-8).
bool declares_json(std::string_view content_type) {
  const std::string_view media = content_type.substr(0, content_type.find(';'));
  const auto first = media.find_first_not_of(" \t");
  if (first == std::string_view::npos) return false;
  const std::string_view trimmed = media.substr(first, media.find_last_not_of(" \t") + 1 - first);
  return boost::beast::iequals(boost::beast::string_view(trimmed.data(), trimmed.size()),
                               "application/json");
}

bool has_body(const HttpHeader& header) {
  const auto length = header[http::field::content_length];
  return !header[http::field::transfer_encoding].empty() ||
         (!length.empty() && length.find_first_not_of('0') != std::string_view::npos);
}

HttpReply json_reply(const Reply& reply) {
  if (reply.raw) return {reply.status, "application/json", *reply.raw, {}};
  return {reply.status, "application/json", dump_safely(reply.body), {}};
}

// no_store: an anonymous request's answer (it may hold a credential) is never cached.
HttpReply answer_of(const Reply& reply, bool no_store = false) {
  HttpReply answer = json_reply(reply);
  if (no_store) answer.headers.emplace_back("Cache-Control", "no-store");
  return answer;
}

using Plan = HttpApplication::Plan;

// A plan that answers on the headers alone (the body is never read).
Plan refuse(const Reply& reply, std::int64_t principal = 0) {
  Plan plan;
  plan.answer = json_reply(reply);
  plan.principal = principal;
  return plan;
}

// A plan that runs once the body is in: on the IO thread when quick, else on the worker pool.
Plan later(std::function<void(const HttpRequest&, const Respond&)> run, std::int64_t principal = 0,
           bool quick = false) {
  Plan plan;
  plan.run = std::move(run);
  plan.principal = principal;
  plan.quick = quick;
  return plan;
}

Reply unsupported_media_type() {
  return error_reply(415, "unsupported_media_type",
                     "the request body must be Content-Type: application/json",
                     "send -H 'Content-Type: application/json'");
}

Reply forbidden(const char* role, const Principal& who) {
  return error_reply(
      403, "forbidden",
      std::string("this request needs the ") + role + " role, the token is a " + who.role + "'s",
      std::string("use the ") + role + "'s token");
}

// "/v1/auctions/{id}/bids" against a path; {id} is a decimal id that fits in int64.
bool match(std::string_view pattern, std::string_view path, std::int64_t& id) {
  const auto at = pattern.find("{id}");
  if (at == std::string_view::npos) return pattern == path;
  const std::string_view head = pattern.substr(0, at), tail = pattern.substr(at + 4);
  if (path.size() <= head.size() + tail.size() || !path.starts_with(head) ||
      !path.ends_with(tail)) {
    return false;
  }
  const std::string_view digits = path.substr(head.size(), path.size() - head.size() - tail.size());
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  return ec == std::errc() && ptr == digits.data() + digits.size() && digits[0] != '-' &&
         digits[0] != '+';
}

class Service final : public HttpApplication {
 public:
  Service(const ServeOptions& options, House& house, ledger::Database& db, ledger::Database& reader)
      : options_(options),
        house_(house),
        reader_(reader),
        writer_(house, db, options.max_batch, metrics_),
        metrics_token_sha256_(options.metrics_token.empty() ? ""
                                                            : sha256_hex(options.metrics_token)) {
    install();
  }

  void answered(const Exchange& e) override {
    metrics_.request(e.method, e.route.empty() ? "unmatched" : e.route, e.status, e.micros);
    if (options_.access_log) write_access_log(e);
  }

  Plan plan(const HttpHeader& header) override {
    Target target = parse_target(view(header.target()));
    std::int64_t id = 0;
    const Route* route = find_route(header.method(), target.path, id);
    if (!route) {
      return refuse(
          error_reply(404, "not_found",
                      "no endpoint " + std::string(header.method_string()) + " " + target.path,
                      "see docs/api.md"));
    }
    Plan plan = plan_route(route, id, header, std::move(target));
    plan.route = route->pattern;
    return plan;
  }

 private:
  using Prepare = std::function<Job(const Call&)>;
  struct Route {
    http::verb method;
    std::string pattern;
    std::function<HttpReply()> page{};        // a public answer (no token), else:
    const char* role = nullptr;               // the role it needs (null: any principal)
    std::function<Reply(const Call&)> run{};  // answered on the worker, or:
    Prepare prepare{};  // parsed on the worker, run and answered by the writer, or:
    // parsed on the IO thread (a small body: HttpLimits::quick_body_bytes); whatever is slow it
    // defers to the worker pool (Respond::defer)
    std::function<void(const Call&, const Respond&)> start{};
    bool anonymous = false;  // no token: the body itself is the credential (run gets no `who`)
    bool quick = true;       // a page answered on the IO thread (else on the worker pool)
    bool scrape = false;     // GET /metrics: also open to the metrics token; answers text
  };

  // Hands a job to the writer, which answers right after its group commit: an answer already
  // in bytes (every mutation's) straight from the writer thread, any other turned into bytes on
  // a worker.
  void submit(Job job, const Respond& respond, bool no_store = false) {
    writer_.submit(std::move(job), [respond, no_store](Reply reply) {
      if (reply.raw) return respond(answer_of(reply, no_store));
      respond.defer([reply = std::move(reply), no_store](const Respond& r) {
        r(answer_of(reply, no_store));
      });
    });
  }

  // Answers a call (on the worker, or on the IO thread for a route with `start`); bad input is
  // answered here, before the writer sees the request.
  void reply_to(const Route& route, const Call& call, const Respond& respond,
                bool no_store = false) {
    try {
      if (route.start) return route.start(call, respond);
      if (!route.prepare) return respond(answer_of(route.run(call), no_store));
      submit(route.prepare(call), respond, no_store);
    } catch (const BadInput& e) {
      respond(answer_of(e.reply, no_store));
    }
  }

  // The route of a request and the path's id (if it has one).
  const Route* find_route(http::verb method, std::string_view path, std::int64_t& id) const {
    for (const Route& r : routes_) {
      if (r.method == method && match(r.pattern, path, id)) return &r;
    }
    return nullptr;
  }

  Plan plan_route(const Route* route, std::int64_t id, const HttpHeader& header, Target target) {
    if (route->page) {
      if (route->pattern == kHealth) {
        if (auto cached = fresh_health()) {
          Plan plan;
          plan.answer = std::move(cached);
          return plan;
        }
      }
      return later(
          [page = route->page](const HttpRequest&, const Respond& respond) { respond(page()); }, 0,
          route->quick);
    }
    if (route->anonymous) {
      if (has_body(header) && !declares_json(view(header[http::field::content_type]))) {
        return refuse(unsupported_media_type());
      }
      return later([this, route](const HttpRequest& request, const Respond& respond) {
        const Query no_query;
        const Request anonymous;
        const Principal nobody;
        reply_to(*route, Call{0, no_query, request.body(), anonymous, nobody}, respond, true);
      });
    }
    Request r;
    if (const std::string token = bearer_token(view(header[http::field::authorization]));
        !token.empty()) {
      r.token_sha256 = sha256_hex(token);
    }
    if (route->scrape && !metrics_token_sha256_.empty() &&
        r.token_sha256 == metrics_token_sha256_) {
      return later([this](const HttpRequest&, const Respond& respond) { respond(scrape()); });
    }
    auto who = house_.authenticate(r.token_sha256);
    // Several nodes: a token another node issued since this one's last group is in the database.
    if (!who && shared_ && !r.token_sha256.empty()) {
      const auto generation = house_.token_generation();
      const auto now = UnknownTokens::Clock::now();
      switch (unknown_tokens_.screen(r.token_sha256, generation, now)) {
        case UnknownTokens::Verdict::kBusy:
          return refuse_busy();
        case UnknownTokens::Verdict::kLookUp:
          metrics_.token_lookup();
          who = House::principal_of(reader_, r.token_sha256);
          if (!who) unknown_tokens_.remember(r.token_sha256, generation, now);
          break;
        case UnknownTokens::Verdict::kUnknown:
          break;
      }
    }
    if (!who) return refuse(House::unauthorized());
    if (route->role && who->role != route->role) {
      return refuse(forbidden(route->role, *who), who->id);
    }
    if (route->scrape) {
      return later([this](const HttpRequest&, const Respond& respond) { respond(scrape()); },
                   who->id);
    }
    if (route->method == http::verb::post) {
      r.idempotency_key = std::string(view(header["Idempotency-Key"]));
      if (!valid_idempotency_key(r.idempotency_key)) {
        return refuse(
            error_reply(400, "idempotency_key_required",
                        "every mutating request needs an Idempotency-Key header of 1-200 "
                        "visible ASCII characters",
                        "e.g. -H \"Idempotency-Key: $(uuidgen)\"; retries reuse the same key"),
            who->id);
      }
      if (has_body(header) && !declares_json(view(header[http::field::content_type]))) {
        return refuse(unsupported_media_type(), who->id);
      }
    }
    const std::string head = std::string(header.method_string()) + " " + target.path + "\n";
    return later(
        [this, route, id, r, who = *who, head, query = std::move(target.query)](
            const HttpRequest& request, const Respond& respond) mutable {
          r.request_sha256 = sha256_hex(head + request.body());
          reply_to(*route, Call{id, query, request.body(), r, who}, respond);
        },
        who->id, static_cast<bool>(route->start));
  }

  // A token memory does not know while the budget of database lookups is spent
  // (UnknownTokens): it may be valid, so not a 401 but 429 (the lookups are rate-limited).
  static Plan refuse_busy() {
    Plan plan = refuse(error_reply(429, "token_check_busy",
                                   "this node does not know the token and is checking too many "
                                   "unknown tokens against the database right now",
                                   "retry in a second (a token issued by another node is known "
                                   "to this one after its next write at the latest)"));
    plan.answer->headers.emplace_back("Retry-After", "1");
    return plan;
  }

  // The last health probe's answer while younger than kHealthFreshMs: health checks under load
  // then cost no database round trip each.
  std::optional<HttpReply> fresh_health() {
    std::lock_guard lock(health_mutex_);
    if (!health_ ||
        std::chrono::steady_clock::now() - health_at_ > std::chrono::milliseconds(kHealthFreshMs)) {
      return std::nullopt;
    }
    return health_;
  }

  void public_page(http::verb method, std::string pattern, std::function<HttpReply()> page,
                   bool quick = true) {
    routes_.push_back(
        {method, std::move(pattern), std::move(page), nullptr, {}, {}, {}, false, quick});
  }

  // GET /metrics: the request and commit metrics, then the database's gauges (a read-only
  // snapshot on the reader connection, never the writer).
  HttpReply scrape() {
    auto gauges = database_metrics(reader_);
    if (!gauges) {
      std::fprintf(stderr, "dia serve: /metrics: %s\n", gauges.error().line().c_str());
      return json_reply(error_reply(503, "database_unavailable",
                                    "the database did not answer the metrics queries",
                                    "see the server's log; retry"));
    }
    return {200, "text/plain; version=0.0.4; charset=utf-8", metrics_.text() + *gauges, {}};
  }
  // A request the writer runs (after `prepare` parsed and validated it on the worker).
  void on_writer(http::verb method, std::string pattern, const char* role, Prepare prepare) {
    routes_.push_back({method, std::move(pattern), {}, role, {}, std::move(prepare)});
  }
  // A POST without a token, run on the writer (POST /v1/enroll: the code is the credential).
  void anonymous_post(std::string pattern, Prepare prepare) {
    routes_.push_back(
        {http::verb::post, std::move(pattern), {}, nullptr, {}, std::move(prepare), {}, true});
  }
  void post(std::string pattern, const char* role, Prepare prepare) {
    on_writer(http::verb::post, std::move(pattern), role, std::move(prepare));
  }
  void get(std::string pattern, const char* role, Prepare prepare) {
    on_writer(http::verb::get, std::move(pattern), role, std::move(prepare));
  }

  void install() {
    // On the worker: it asks the database (one small read on the reader connection); for
    // kHealthFreshMs after, that answer is given from memory on the IO thread (fresh_health).
    public_page(
        http::verb::get, kHealth,
        [this] {
          HttpReply reply{200, "application/json", R"({"status":"ok","database":"ok"})", {}};
          if (auto r = reader_.query({"SELECT COUNT(*) FROM schema_version", {}}); !r) {
            std::fprintf(stderr, "dia serve: /v1/health: %s\n", r.error().line().c_str());
            Reply down = error_reply(503, "database_unavailable", "the database does not answer",
                                     "see the server's log");
            down.body["status"] = "unavailable";
            down.body["database"] = "unavailable";
            reply = json_reply(down);
          }
          std::lock_guard lock(health_mutex_);
          health_at_ = std::chrono::steady_clock::now();
          health_ = reply;
          return reply;
        },
        false);
    routes_.push_back({http::verb::get, "/metrics", {}, "operator", {}, {}, {}, false, true, true});
    post("/v1/designs", "operator", [this](const Call& c) -> Job {
      const json body = parse_object(c.body);
      only_keys(body, {"values", "bidders", "reduced_form"}, "a design");
      auto design = designs_.prepare(body);
      return [r = c.request, who = c.who, design](House& h, Batch& b, ledger::Database&) {
        return h.mutate(who, r, b, [&](const Principal&) { return h.create_design(b, *design); });
      };
    });
    post("/v1/auctions", "operator", [this](const Call& c) -> Job {
      const json body = parse_object(c.body);
      only_keys(body,
                {"design_id", "values", "bidders", "reduced_form", "tolerance_micros", "protocol",
                 "max_bid_micros", "penalty_micros", "reveal_seconds"},
                "an auction");
      const AuctionTerms terms = auction_terms(body);
      std::optional<std::int64_t> design_id;
      std::shared_ptr<const PreparedDesign> design;
      if (body.contains("design_id")) {
        if (body.contains("values") || body.contains("reduced_form") || body.contains("bidders")) {
          bad_input("invalid_field",
                    "give either design_id or a design (values, bidders, reduced_form), not both",
                    "a saved design already fixes its values and bidders");
        }
        design_id = get_micros(body, "design_id", true, 1);
      } else {
        design = designs_.prepare(body);
      }
      return [r = c.request, who = c.who, design_id, design, terms](House& h, Batch& b,
                                                                    ledger::Database&) {
        return h.mutate(who, r, b, [&](const Principal&) {
          return h.create_auction(b, who, design_id, design.get(), terms);
        });
      };
    });
    for (const char* role : {"bidder", "inspector", "exchange"}) {
      post(std::string("/v1/") + role + "s", "operator", [role](const Call& c) -> Job {
        const json body = parse_object(c.body);
        only_keys(body, {"name"}, std::string("a ") + role);
        const std::string name = check_name(get_string(body, "name", false, role));
        return [r = c.request, who = c.who, role, name](House& h, Batch& b, ledger::Database&) {
          return h.mutate(who, r, b, [&](const Principal&) {
            // A fresh code per registration; a retried request replays the stored answer.
            return h.register_principal(b, role, name);
          });
        };
      });
    }
    // Enrollment needs no token (the code is the credential) and answers only its caller.
    anonymous_post("/v1/enroll", [](const Call& c) -> Job {
      const json body = parse_object(c.body);
      only_keys(body, {"enrollment_code"}, "an enrollment");
      const std::string code_sha256 = sha256_hex(get_string(body, "enrollment_code", true));
      return
          [code_sha256](House& h, Batch& b, ledger::Database&) { return h.enroll(b, code_sha256); };
    });
    post("/v1/bidders/{id}/funds", "operator", [](const Call& c) -> Job {
      const json body = parse_object(c.body);
      only_keys(body, {"amount_micros"}, "a funding");
      const Micros amount = *get_micros(body, "amount_micros", true, 1);
      return
          [r = c.request, who = c.who, id = c.id, amount](House& h, Batch& b, ledger::Database&) {
            return h.mutate(who, r, b, [&](const Principal&) { return h.fund(b, id, amount); });
          };
    });
    // Bidder classes: the operator admits a bidder to a class's seat (house_asymmetric.cpp).
    post("/v1/auctions/{id}/bidders", "operator", [](const Call& c) -> Job {
      const json body = parse_object(c.body);
      only_keys(body, {"bidder_id", "class"}, "an admission");
      const std::int64_t bidder = *get_micros(body, "bidder_id", true, 1);
      const int cls = parse_class_field(body);
      return [r = c.request, who = c.who, id = c.id, bidder, cls](House& h, Batch& b,
                                                                  ledger::Database&) {
        return h.mutate(who, r, b, [&](const Principal&) { return h.admit(b, id, bidder, cls); });
      };
    });
    get("/v1/auctions", "operator", [](const Call& c) -> Job {
      const auto page = paging(c.query);  // no structured binding: clang 14 cannot capture one
      return
          [who = c.who, before = page.first, limit = page.second](
              House& h, Batch&, ledger::Database&) { return h.auction_list(who, before, limit); };
    });
    get("/v1/bidders", "operator", [](const Call& c) -> Job {
      const auto page = paging(c.query);  // no structured binding: clang 14 cannot capture one
      return [who = c.who, before = page.first, limit = page.second](
                 House& h, Batch&, ledger::Database&) { return h.bidder_list(who, before, limit); };
    });
    // The operator page: static, self-contained; it reads the token from its URL fragment and
    // calls the endpoints above with it (the page itself holds no data, so it needs no token).
    public_page(http::verb::get, "/operator", [] {
      return HttpReply{
          200,
          "text/html; charset=utf-8",
          kOperatorPage,
          {{"Content-Security-Policy",
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';"
            " img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none';"
            " frame-ancestors 'none'"},
           {"Referrer-Policy", "no-referrer"},
           {"Cache-Control", "no-store"}}};
    });
    get("/v1/bidders/{id}/account", nullptr, [](const Call& c) -> Job {
      return [who = c.who, id = c.id](House& h, Batch&, ledger::Database&) {
        return h.account(who, id);
      };
    });
    post("/v1/auctions/{id}/bids", "bidder", [this](const Call& c) -> Job {
      const BidInput bid = parse_bid(parse_object(c.body), c.id, options_.currency);
      if (!bid.salt.empty()) {
        bad_input("invalid_field", "a salt is revealed after close, not with the bid",
                  "POST /v1/auctions/" + std::to_string(c.id) + "/reveal");
      }
      return [r = c.request, who = c.who, id = c.id, bid](House& h, Batch& b, ledger::Database&) {
        return h.mutate(who, r, b, [&](const Principal&) {
          if (bid.no_bid) return no_bid_answer(h.auction(who, id).body, bid);
          if (!bid.commitment.empty()) {
            const auto price = bid.format == "openrtb" ? std::optional(bid.amount) : std::nullopt;
            return bid_answer(h.commit_bid(b, who, id, bid.commitment, bid.format, price), bid);
          }
          return bid_answer(
              recorded(h, b, who, id, bid, h.submit_bid(b, who, id, bid.amount, bid.format)), bid);
        });
      };
    });
    post("/v1/auctions/{id}/reveal", "bidder", [this](const Call& c) -> Job {
      const BidInput bid = parse_bid(parse_object(c.body), c.id, options_.currency);
      if (bid.salt.empty() || !bid.commitment.empty()) {
        bad_input("missing_field", "a reveal gives the committed amount and its salt",
                  "{\"amount_micros\": N, \"salt\": \"<64 hex>\"} (OpenRTB: the price and "
                  "seatbid[0].bid[0].ext.dia.salt)");
      }
      return [r = c.request, who = c.who, id = c.id, bid](House& h, Batch& b, ledger::Database&) {
        return h.mutate(who, r, b, [&](const Principal&) {
          return recorded(h, b, who, id, bid,
                          h.reveal_bid(b, who, id, bid.amount, bid.salt, bid.format));
        });
      };
    });
    // The draw of a v2 auction after its reveal window: anyone may ask for it, so an operator
    // that stalls cannot keep the bidders' holds.
    post("/v1/auctions/{id}/draw", nullptr, [](const Call& c) -> Job {
      if (!c.body.empty()) only_keys(parse_object(c.body), {}, "a draw request");
      return [r = c.request, who = c.who, id = c.id](House& h, Batch& b, ledger::Database&) {
        return h.mutate(who, r, b, [&](const Principal&) { return h.draw(b, id); });
      };
    });
    get("/v1/auctions/{id}/bids", nullptr, [](const Call& c) -> Job {
      return
          [who = c.who, id = c.id](House& h, Batch&, ledger::Database&) { return h.bids(who, id); };
    });
    get("/v1/auctions/{id}", nullptr, [](const Call& c) -> Job {
      return [who = c.who, id = c.id](House& h, Batch&, ledger::Database&) {
        return h.auction(who, id);
      };
    });
    get("/v1/auctions/{id}/openrtb", nullptr, [](const Call& c) -> Job {
      return
          [id = c.id, inline_terms = inline_terms_asked(c.query)](
              House& h, Batch&, ledger::Database&) { return h.openrtb_request(id, inline_terms); };
    });
    get("/v1/designs/{id}/terms", nullptr, [](const Call& c) -> Job {
      return [id = c.id](House& h, Batch&, ledger::Database&) { return h.design_terms(id); };
    });
    get("/v1/auctions/{id}/export", nullptr, [](const Call& c) -> Job {
      return [id = c.id](House& h, Batch&, ledger::Database&) { return h.export_auction(id); };
    });
    post("/v1/auctions/{id}/close", "operator", [](const Call& c) -> Job {
      if (!c.body.empty()) only_keys(parse_object(c.body), {}, "a close request");
      return [r = c.request, who = c.who, id = c.id](House& h, Batch& b, ledger::Database&) {
        return h.mutate(who, r, b, [&](const Principal&) { return h.close(b, id); });
      };
    });
    post("/v1/auctions/{id}/inspection", "inspector", [](const Call& c) -> Job {
      const Micros observed = observed_micros(c.body);
      return
          [r = c.request, who = c.who, id = c.id, observed](House& h, Batch& b, ledger::Database&) {
            return h.mutate(who, r, b,
                            [&](const Principal&) { return h.inspect(b, who, id, observed); });
          };
    });
    // One-shot decisions: an exchange's auction drawn, deposited and recorded in one request.
    // Parsed on the IO thread (no thread hand-off before the writer's); a design given inline,
    // which may need designing, is prepared on the worker pool.
    Route decide{http::verb::post, "/v1/decisions", {}, "exchange"};
    decide.start = [this](const Call& c, const Respond& respond) {
      auto body = std::make_shared<const json>(parse_object(c.body));
      auto in = std::make_shared<const DecisionInput>(parse_decision(*body, options_.currency));
      auto job = [r = c.request, who = c.who,
                  in](std::shared_ptr<const PreparedDesign> design) -> Job {
        return [r, who, in, design](House& h, Batch& b, ledger::Database&) {
          return h.mutate(who, r, b,
                          [&](const Principal&) { return h.decide(b, who, *in, design.get()); });
        };
      };
      if (in->design_id) return submit(job(nullptr), respond);
      respond.defer([this, body, job](const Respond& later) {
        try {
          submit(job(designs_.prepare(*body)), later);
        } catch (const BadInput& e) {
          later(answer_of(e.reply));
        }
      });
    };
    routes_.push_back(std::move(decide));
    get("/v1/decisions/chains", nullptr, [](const Call&) -> Job {
      return [](House& h, Batch&, ledger::Database&) { return h.decision_chains(); };
    });
    get("/v1/decisions/{id}", nullptr, [](const Call& c) -> Job {
      return [id = c.id](House& h, Batch&, ledger::Database&) { return h.decision(id); };
    });
    post("/v1/decisions/{id}/inspection", "inspector", [](const Call& c) -> Job {
      const Micros observed = observed_micros(c.body);
      return [r = c.request, who = c.who, id = c.id, observed](House& h, Batch& b,
                                                               ledger::Database&) {
        return h.mutate(who, r, b,
                        [&](const Principal&) { return h.inspect_decision(b, who, id, observed); });
      };
    });
    // The ledger check reads a snapshot on its own connection, on the worker: its full scans
    // never hold up the writer.
    routes_.push_back({http::verb::get,
                       "/v1/ledger/check",
                       {},
                       "operator",
                       [this](const Call&) {
                         auto check = ledger::check_ledger(reader_);
                         if (!check)
                           return error_reply(500, "database_error", check.error().line());
                         return Reply{check->ok ? 200 : 500, ledger_check_json(*check)};
                       },
                       {}});
  }

  const ServeOptions& options_;
  House& house_;
  ledger::Database& reader_;      // for the ledger check, /v1/health, /metrics and unknown tokens
  UnknownTokens unknown_tokens_;  // bounds the lookups of unknown tokens in reader_
  // Other processes may share the database (PostgreSQL) and issue tokens.
  const bool shared_ = reader_.backend() == "postgresql";
  Metrics metrics_;  // before the writer, which records its group commits in it
  Writer writer_;
  std::string metrics_token_sha256_;  // empty: /metrics is the operator's only
  static constexpr const char* kHealth = "/v1/health";
  static constexpr int kHealthFreshMs = 1000;
  std::mutex health_mutex_;  // guards the last probe's time and answer
  std::chrono::steady_clock::time_point health_at_;
  std::optional<HttpReply> health_;
  DesignInput designs_;
  std::vector<Route> routes_;
};

}  // namespace

std::unique_ptr<HttpApplication> make_routes(const ServeOptions& options, House& house,
                                             ledger::Database& db, ledger::Database& reader) {
  return std::make_unique<Service>(options, house, db, reader);
}

}  // namespace dia::service
