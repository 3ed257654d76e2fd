// One-shot decisions (POST /v1/decisions; docs/api.md, "One-shot decisions") on both backends:
// the draw recomputed here from the documented protocol with our own SHA-256 calls, the deposit
// and the settlement against amounts worked out by hand, idempotency, bad input changing nothing,
// kill -9 after acknowledgement, and `dia verify-lottery` on the record.
#include <openssl/evp.h>

#include <cmath>

#include "crash_support.hpp"

namespace dia::testing {
namespace {

std::string sha256_of(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string hex(const std::string& bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string unhex(const std::string& h) {
  std::string out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) {
    out += static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16));
  }
  return out;
}

// u(i) as docs/api.md defines it: the first 8 bytes of SHA-256(text), big-endian, >> 11, / 2^53.
double uniform(const std::string& text) {
  const std::string d = sha256_of(text);
  std::uint64_t word = 0;
  for (int i = 0; i < 8; ++i) word = (word << 8) | static_cast<unsigned char>(d[i]);
  return std::ldexp(static_cast<double>(word >> 11), -53);
}

std::string nonce(int i) { return hex(sha256_of("nonce " + std::to_string(i))); }

class DecisionTest : public ServiceTest {
 protected:
  std::string exchange() {
    return enroll(op().post("/v1/exchanges", json{{"name", "exchange"}}, unique_key()));
  }
  std::int64_t design() {
    const Answer a = op().post("/v1/designs", two_bidder_design(), unique_key());
    EXPECT_EQ(a.status, 201) << a.body;
    return a.body.value("design_id", std::int64_t{0});
  }
  json account(std::int64_t bidder) {
    return op().get("/v1/bidders/" + std::to_string(bidder) + "/account").body;
  }
  json chains() { return op().get("/v1/decisions/chains").body; }
  // The record of a decision through `dia verify-lottery` (extra arguments after the file).
  CliRun verify(const json& record, std::vector<std::string> extra = {}) {
    const fs::path file = dir_ / ("decision-" + std::to_string(files_++) + ".json");
    std::ofstream(file) << record.dump();
    extra.insert(extra.begin(), {"verify-lottery", file.string()});
    return run_cli(extra);
  }
  int files_ = 0;
};

json with(json body, const std::string& key, const json& value) {
  body[key] = value;
  return body;
}

json plain(std::int64_t design_id, const std::string& request, const json& bids, int n) {
  return {{"design_id", design_id}, {"request_id", request}, {"bids", bids}, {"nonce", nonce(n)}};
}

TEST_P(DecisionTest, DecidesDepositsSettlesAndVerifies) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const std::string ex = exchange();
  const auto [alice, alice_token] = bidder(10'000'000);
  const auto [bob, bob_token] = bidder(10'000'000);
  const std::string inspector_token = inspector();
  const std::int64_t d = design();
  Client x(server_->port(), ex);

  // Two bids; design discrete(1:0.5,2:0.5), 2 bidders, X = G = (1/4, 3/4): q = 1, so the highest
  // bid (2.0) always wins and is delivered. Reward if truthful: R(2)/X(2) = (2-1)(1/4)/(3/4) =
  // 1/3 unit -> floor(333333.33) = 333,333 micros.
  const json body = plain(d, "imp-1",
                          json::array({{{"bidder_id", bob}, {"amount_micros", 1'000'000}},
                                       {{"bidder_id", alice}, {"amount_micros", 2'000'000}}}),
                          1);
  const Answer a = x.post("/v1/decisions", body, "dec-1");
  ASSERT_EQ(a.status, 201) << a.body;
  const json& r = a.body;
  EXPECT_EQ(r["status"], "awarded");
  EXPECT_EQ(r["delivered"], true);
  EXPECT_EQ(r["winner_id"], alice);
  EXPECT_EQ(r["deposit_micros"], 2'000'000);
  EXPECT_EQ(r["reward"]["design_id"], d);
  EXPECT_EQ(r["reward"]["reward_if_truthful_micros"], 333'333);
  // The chain: the first decision uses index 1 of chain 1, whose anchor was published before.
  const json published = chains();
  ASSERT_EQ(published["chains"].size(), 1u) << published;
  const std::string anchor = published["chains"][0]["anchor"];
  const json& lottery = r["lottery"];
  EXPECT_EQ(lottery["chain_index"], 1);
  EXPECT_EQ(lottery["chain_anchor"], anchor);
  const std::string secret = lottery["secret"];
  EXPECT_EQ(hex(sha256_of(unhex(secret))), anchor);  // index 1: one hash from the anchor
  EXPECT_EQ(lottery["commitment"], anchor);
  EXPECT_EQ(published["chains"][0]["used"], 1);
  // The money: alice's bid moved cash -> escrow; bob is untouched.
  EXPECT_EQ(account(alice)["cash_micros"], 8'000'000);
  EXPECT_EQ(account(alice)["escrow_micros"], 2'000'000);
  EXPECT_EQ(account(bob)["cash_micros"], 10'000'000);

  // GET is the self-contained record; verify-lottery recomputes it (and fails on an edit).
  const json record =
      op().get("/v1/decisions/" + std::to_string(r["decision_id"].get<long>())).body;
  EXPECT_EQ(record["format"], "dia-decision-export-v1");
  EXPECT_EQ(record["lottery"], r["lottery"]);
  CliRun v = verify(record, {"--chain-anchor", anchor});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_EQ(verify(record, {"--chain-anchor", std::string(64, '0')}).exit_code, 3);
  for (const auto& [pointer, value] :
       std::vector<std::pair<std::string, json>>{{"/lottery/nonce", nonce(2)},
                                                 {"/bids/1/amount_micros", 1'000'001},
                                                 {"/winner_id", bob},
                                                 {"/lottery/secret", anchor},
                                                 {"/request_id", "imp-2"},
                                                 {"/reward/tolerance_micros", 1}}) {
    json edited = record;
    edited[json::json_pointer(pointer)] = value;
    EXPECT_EQ(verify(edited).exit_code, 3) << pointer;
  }

  // The conversion postback settles it once: 333,333 back to alice, 1,666,667 revenue.
  const std::string path = "/v1/decisions/" + std::to_string(r["decision_id"].get<long>());
  Client i(server_->port(), inspector_token);
  EXPECT_EQ(Client(server_->port(), alice_token)
                .post(path + "/inspection", json{{"observed_micros", 2'000'000}}, unique_key())
                .status,
            403);
  const Answer s = i.post(path + "/inspection", json{{"observed_micros", 2'000'000}}, "ins-1");
  ASSERT_EQ(s.status, 200) << s.body;
  EXPECT_EQ(s.body["truthful"], true);
  EXPECT_EQ(s.body["reward_micros"], 333'333);
  EXPECT_EQ(s.body["revenue_micros"], 1'666'667);
  EXPECT_EQ(s.body["decision_id"], r["decision_id"]);
  EXPECT_EQ(i.post(path + "/inspection", json{{"observed_micros", 2'000'000}}, "ins-1").body,
            s.body);  // replayed
  const Answer again = i.post(path + "/inspection", json{{"observed_micros", 1}}, unique_key());
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.body["error"]["code"], "already_inspected");
  EXPECT_EQ(account(alice)["cash_micros"], 8'333'333);
  EXPECT_EQ(account(alice)["escrow_micros"], 0);
  const json settled = op().get(path).body;
  EXPECT_EQ(settled["status"], "settled");
  v = verify(settled);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_EQ(v.json()["reward_micros"], 333'333);
  json forged = settled;
  forged["inspection"]["reward_micros"] = 333'334;
  EXPECT_EQ(verify(forged).exit_code, 3);

  const json check = ledger_check();
  EXPECT_EQ(check["ok"], true) << check;
  EXPECT_EQ(check["revenue_micros"], 1'666'667);
  EXPECT_EQ(
      i.post("/v1/decisions/999/inspection", json{{"observed_micros", 1}}, unique_key()).status,
      404);
}

// A tie at 2.0 (an atom: q = X/G = 1, always delivered): the winner is the bid at floor(u(0) * 2)
// in canonical order (bidder id ascending), u(0) computed here from the documented texts (design
// digest, inputs, draw) with our own hashes.
TEST_P(DecisionTest, TieDrawFollowsTheDocumentedProtocol) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const std::string ex = exchange();
  const auto [alice, alice_token] = bidder(100'000'000);
  const auto [bob, bob_token] = bidder(100'000'000);
  const std::int64_t d = design();
  Client x(server_->port(), ex);
  std::set<std::int64_t> winners;
  for (int n = 0; n < 12; ++n) {
    const json bids = json::array({{{"bidder_id", bob}, {"amount_micros", 2'000'000}},
                                   {{"bidder_id", alice}, {"amount_micros", 2'000'000}}});
    const std::string request = "tie-" + std::to_string(n);
    const Answer a = x.post("/v1/decisions", plain(d, request, bids, 100 + n), unique_key());
    ASSERT_EQ(a.status, 201) << a.body;
    const json& l = a.body["lottery"];
    // The SPEC as the server stores it (normalized: "1:0.5, 2:0.5"), the grid and X in %.17g.
    const std::string design_sha = hex(sha256_of(
        "dia-design-v2\nvalues=discrete(1:0.5, 2:0.5)\nbidders=2\ngrid=1,2\nallocation=0.25,0.75\n"
        "probabilities=\n"));
    EXPECT_EQ(a.body["reward"]["design_sha256"], design_sha);
    const std::int64_t low = std::min(alice, bob), high = std::max(alice, bob);
    const std::string bids_sha =
        hex(sha256_of(std::to_string(low) + ":2000000\n" + std::to_string(high) + ":2000000\n"));
    const std::string inputs =
        hex(sha256_of("dia-decision-v1\nexchange_id=" + a.body["exchange_id"].dump() +
                      "\nrequest_id=" + request + "\ncurrency=USD\ndesign_sha256=" + design_sha +
                      "\ntolerance_micros=0\nchain_id=1\nchain_index=" + l["chain_index"].dump() +
                      "\nchain_anchor=" + l["chain_anchor"].get<std::string>() +
                      "\nbids_sha256=" + bids_sha + "\nnonce=" + nonce(100 + n) + "\n"));
    EXPECT_EQ(l["outcome"]["inputs_sha256"], inputs);
    const double u0 =
        uniform("dia-decision-v1|" + l["secret"].get<std::string>() + "|" + inputs + "|0");
    EXPECT_EQ(l["outcome"]["tie_draw"].get<double>(), u0);
    EXPECT_EQ(a.body["winner_id"], u0 < 0.5 ? low : high);
    EXPECT_EQ(l["chain_index"], n + 1);  // consumed in order, none skipped
    winners.insert(a.body["winner_id"].get<std::int64_t>());
  }
  EXPECT_EQ(winners.size(), 2u);  // both win sometimes: P(all 12 alike) = 2^-11
  EXPECT_EQ(ledger_check()["ok"], true);
}

TEST_P(DecisionTest, OpenRtbBidRequestWithItsResponses) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const std::string ex = exchange();
  const auto [alice, alice_token] = bidder(10'000'000);
  const auto [bob, bob_token] = bidder(10'000'000);
  const std::int64_t d = design();
  Client x(server_->port(), ex);
  const auto response = [](const std::string& id, std::int64_t seat, const std::string& bid_id,
                           double price) {
    const json bid{{"id", bid_id}, {"impid", "i7"}, {"price", price}};
    const json seatbid{{"seat", std::to_string(seat)}, {"bid", json::array({bid})}};
    return json{{"id", id}, {"seatbid", json::array({seatbid})}, {"cur", "USD"}};
  };
  const json imp{{"id", "i7"}, {"banner", {{"w", 300}, {"h", 250}}}};
  const json request{
      {"id", "req-42"}, {"imp", json::array({imp})}, {"tmax", 80}, {"cur", json::array({"USD"})}};
  const json responses =
      json::array({response("req-42", alice, "a-1", 1.25), response("req-42", bob, "b-1", 2.0),
                   json{{"id", "req-42"}, {"nbr", 2}}});
  json body{{"design_id", d}, {"nonce", nonce(7)}};
  body["openrtb"] = {{"request", request}, {"responses", responses}};
  const Answer a = x.post("/v1/decisions", body, unique_key());
  ASSERT_EQ(a.status, 201) << a.body;
  EXPECT_EQ(a.body["request_id"], "req-42");
  EXPECT_EQ(a.body["winner_id"], bob);
  EXPECT_EQ(a.body["deposit_micros"], 2'000'000);
  EXPECT_EQ(a.body["openrtb_bid_id"], "b-1");
  EXPECT_EQ(a.body["bids"].size(), 2u);
  EXPECT_EQ(verify(op().get("/v1/decisions/" + a.body["decision_id"].dump()).body).exit_code, 0);

  // Each malformed response is one 400 naming what is wrong, and nothing is decided.
  const auto refused = [&](json b, const char* code) {
    b["nonce"] = nonce(8);
    const Answer r = x.post("/v1/decisions", b, unique_key());
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.body["error"]["code"], code) << r.body;
  };
  json other = body;
  other["openrtb"]["request"]["id"] = "req-43";
  refused(other, "invalid_field");  // the responses answer req-42
  json seatless = body;
  seatless["openrtb"]["request"]["id"] = "req-44";
  seatless["openrtb"]["responses"] = json::array({response("req-44", 2, "x", 1.0)});
  seatless["openrtb"]["responses"][0]["seatbid"][0].erase("seat");
  refused(seatless, "missing_field");
  json wrong_imp = body;
  wrong_imp["openrtb"]["responses"][0]["seatbid"][0]["bid"][0]["impid"] = "1";
  refused(wrong_imp, "invalid_field");
  json two_imps = body;
  two_imps["openrtb"]["request"]["imp"].push_back({{"id", "i8"}});
  refused(two_imps, "invalid_openrtb");
  EXPECT_EQ(chains()["chains"][0]["used"], 1);
}

TEST_P(DecisionTest, IdempotentAndOneDecisionPerRequest) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const std::string ex = exchange();
  const auto [alice, alice_token] = bidder(10'000'000);
  const std::int64_t d = design();
  Client x(server_->port(), ex);
  const json body =
      plain(d, "once", json::array({{{"bidder_id", alice}, {"amount_micros", 2'000'000}}}), 1);
  const Answer first = x.post("/v1/decisions", body, "k1");
  ASSERT_EQ(first.status, 201) << first.body;
  const Answer replay = x.post("/v1/decisions", body, "k1");
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.body, first.body);
  json changed = body;
  changed["nonce"] = nonce(2);
  EXPECT_EQ(x.post("/v1/decisions", changed, "k1").body["error"]["code"], "idempotency_key_reused");
  const Answer twice = x.post("/v1/decisions", changed, "k2");
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.body["error"]["code"], "duplicate_request");
  EXPECT_EQ(chains()["chains"][0]["used"], 1);
  const json check = ledger_check();
  EXPECT_EQ(check["ok"], true);
  // One funding and, at most, one deposit (a single bid at q(2) = 1 is delivered).
  EXPECT_EQ(check["transactions"], 2);
  EXPECT_EQ(account(alice)["escrow_micros"], 2'000'000);
}

TEST_P(DecisionTest, BadInputIsOneErrorAndChangesNothing) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const std::string ex = exchange();
  const auto [alice, alice_token] = bidder(3'000'000);
  const auto [bob, bob_token] = bidder(3'000'000);
  const std::int64_t d = design();
  Client x(server_->port(), ex);
  const json one = json::array({{{"bidder_id", alice}, {"amount_micros", 1'000'000}}});
  const json before = ledger_check();
  struct Case {
    json body;
    int status;
    const char* code;
  };
  json no_nonce = plain(d, "r", one, 1);
  no_nonce.erase("nonce");
  json both = plain(d, "r", one, 1);
  both["openrtb"] = json::object();
  json inline_and_id = plain(d, "r", one, 1);
  inline_and_id["values"] = "discrete(1:0.5,2:0.5)";
  // A design with bidder classes needs each bid's class (tests/service/class_decisions_test.cpp).
  const Answer classes = op().post(
      "/v1/designs", json{{"bidders", {"discrete(1:0.5,3:0.5)", "discrete(2:0.6,4:0.4)"}}},
      unique_key());
  ASSERT_EQ(classes.status, 201) << classes.body;
  const std::int64_t class_design = classes.body.value("design_id", std::int64_t{0});
  const std::vector<Case> cases{
      {no_nonce, 400, "missing_field"},
      {with(plain(d, "r", one, 1), "nonce", "abc"), 400, "invalid_field"},
      {both, 400, "missing_field"},
      {inline_and_id, 400, "invalid_field"},
      {with(plain(d, "r", one, 1), "extra", 1), 400, "unknown_field"},
      {plain(d, "", one, 1), 400, "invalid_field"},
      {plain(d, "a b", one, 1), 400, "invalid_field"},
      {plain(d, "r", json::array({{{"bidder_id", alice}, {"amount_micros", 0}}}), 1), 400,
       "invalid_amount"},
      {plain(d, "r", json::array({{{"bidder_id", alice}, {"amount_micros", 1.5}}}), 1), 400,
       "invalid_amount"},
      {plain(d, "r", json::array({{{"bidder_id", alice}, {"amount_micros", 1}, {"x", 1}}}), 1), 400,
       "unknown_field"},
      {plain(d, "r",
             json::array({{{"bidder_id", alice}, {"amount_micros", 1}},
                          {{"bidder_id", alice}, {"amount_micros", 2}}}),
             1),
       400, "duplicate_bid"},
      {plain(d, "r", json::object(), 1), 400, "invalid_field"},
      {plain(999, "r", one, 1), 404, "not_found"},
      {plain(class_design, "r", one, 1), 422, "missing_class"},
      {plain(d, "r", json::array({{{"bidder_id", 999}, {"amount_micros", 1}}}), 1), 422,
       "unknown_bidder"},
      {plain(d, "r", json::array({{{"bidder_id", alice}, {"amount_micros", 3'000'001}}}), 1), 422,
       "insufficient_funds"},
      {plain(d, "r",
             json::array({{{"bidder_id", alice}, {"amount_micros", 1}},
                          {{"bidder_id", bob}, {"amount_micros", 1}},
                          {{"bidder_id", 1}, {"amount_micros", 1}}}),
             1),
       422, "too_many_bids"},
  };
  for (const Case& c : cases) {
    const Answer a = x.post("/v1/decisions", c.body, unique_key());
    EXPECT_EQ(a.status, c.status) << c.body << " -> " << a.body;
    EXPECT_EQ(a.body["error"]["code"], c.code) << c.body << " -> " << a.body;
  }
  EXPECT_EQ(x.post("/v1/decisions", std::string("{\"nonce\":"), unique_key()).status, 400);
  // Roles: the exchange only (the operator holds the chain's secrets, so it may not choose the
  // nonce too); anonymous 401.
  const json good = plain(d, "r", one, 1);
  EXPECT_EQ(op().post("/v1/decisions", good, unique_key()).status, 403);
  EXPECT_EQ(Client(server_->port(), alice_token).post("/v1/decisions", good, unique_key()).status,
            403);
  EXPECT_EQ(Client(server_->port(), "nobody-token-000000").post("/v1/decisions", good, "k").status,
            401);
  EXPECT_EQ(x.post("/v1/decisions", good, "").status, 400);  // no Idempotency-Key
  EXPECT_EQ(x.get("/v1/decisions/12345").status, 404);
  // Nothing changed: no decision, no chain index, the same ledger.
  EXPECT_EQ(chains()["chains"][0]["used"], 0);
  const json after = ledger_check();
  EXPECT_EQ(after["transactions"], before["transactions"]);
  EXPECT_EQ(after["auctions"], before["auctions"]);
  EXPECT_EQ(account(alice)["cash_micros"], 3'000'000);
}

// kill -9 while exchanges submit decisions: every acknowledged decision, with its deposit, is
// there after the restart exactly as answered; the chain goes on after the last index used.
TEST_P(DecisionTest, KillAfterAcknowledgementLosesNoDecision) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  constexpr int kClients = 6;
  const std::string ex = exchange();
  // Not structured bindings: the threads capture them (clang 14 cannot).
  const std::int64_t alice = bidder(1'000'000'000'000).first;
  const std::int64_t bob = bidder(1'000'000'000'000).first;
  const std::int64_t d = design();
  std::vector<std::vector<json>> acked(kClients);
  kill_under_load(
      *server_, url_, kClients, std::chrono::milliseconds(600),
      [&](int t, const std::atomic<bool>& stop) {
        Client x(server_->port(), ex);
        for (int n = 0; !stop && n < 100000; ++n) {
          const json bids = json::array({{{"bidder_id", alice}, {"amount_micros", 1'000'000 + n}},
                                         {{"bidder_id", bob}, {"amount_micros", 2'000'000 + t}}});
          const Answer a = x.post(
              "/v1/decisions",
              plain(d, "c" + std::to_string(t) + "-" + std::to_string(n), bids, t * 100000 + n),
              unique_key());
          if (a.status == 201) acked[t].push_back(a.body);
        }
      });

  start_server();
  std::size_t total = 0;
  std::int64_t last_index = 0;
  Micros escrow = 0;
  for (const auto& list : acked) {
    for (const json& a : list) {
      ++total;
      const Answer g = op().get("/v1/decisions/" + a["decision_id"].dump());
      ASSERT_EQ(g.status, 200) << "acknowledged decision lost: " << a;
      for (const char* key : {"winner_id", "deposit_micros", "delivered", "lottery", "bids"}) {
        EXPECT_EQ(g.body[key], a[key]) << key;
      }
      last_index = std::max(last_index, a["lottery"]["chain_index"].get<std::int64_t>());
      escrow += a["deposit_micros"].get<Micros>();
    }
  }
  EXPECT_GT(total, 0u);
  // Escrow holds at least every acknowledged deposit (unacknowledged ones may have committed).
  EXPECT_GE(
      account(alice)["escrow_micros"].get<Micros>() + account(bob)["escrow_micros"].get<Micros>(),
      escrow);
  // Every decision row has its idempotency row and its auction row: whole or absent.
  const auto rows = counts_of(
      url_,
      "SELECT (SELECT COUNT(*) FROM decisions), (SELECT COUNT(*) FROM idempotency WHERE response"
      " LIKE '%\"decision_id\"%'), (SELECT COUNT(*) FROM auctions WHERE protocol ="
      " 'dia-decision-v1'), (SELECT MAX(chain_index) FROM decisions)");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], rows[1]);
  EXPECT_EQ(rows[0], rows[2]);
  EXPECT_EQ(rows[3], rows[0]);  // no gap
  const json next =
      Client(server_->port(), ex)
          .post("/v1/decisions",
                plain(d, "after-restart",
                      json::array({{{"bidder_id", alice}, {"amount_micros", 5}}}), 999999),
                unique_key())
          .body;
  EXPECT_EQ(next["lottery"]["chain_index"], rows[3] + 1) << next;
  EXPECT_GE(next["lottery"]["chain_index"].get<std::int64_t>(), last_index + 1);
  EXPECT_EQ(verify(op().get("/v1/decisions/" + next["decision_id"].dump()).body).exit_code, 0);
  EXPECT_EQ(ledger_check()["ok"], true);
}

INSTANTIATE_TEST_SUITE_P(Backends, DecisionTest, ::testing::Values("sqlite", "postgresql"),
                         backend_name);

}  // namespace
}  // namespace dia::testing
