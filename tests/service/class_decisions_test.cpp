// One-shot decisions (POST /v1/decisions) on a design with bidder classes, on SQLite and
// PostgreSQL (docs/api.md, "One-shot decisions" and "Bidder classes"): each bid names its class;
// the draw over the design's priority rankings recomputed from the documented texts with our own
// hashes; the deposit durable before the answer and kept across a restart; the inspection paying
// the winner's class reward worked out by hand; `dia verify-lottery` on the record; bad classes
// refused, changing nothing.
#include <cmath>
#include <cstdio>

#include "classes_support.hpp"
#include "support/run_cli.hpp"

namespace dia::testing {
namespace {

std::string nonce(int i) { return sha256_of("class nonce " + std::to_string(i)); }

// printf's %.17g, comma-separated: the numbers of a design digest text.
std::string digits(const json& xs) {
  std::string out;
  for (const auto& x : xs) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.17g", x.get<double>());
    out += (out.empty() ? "" : ",") + std::string(buffer);
  }
  return out;
}

class ClassDecisionTest : public ClassesTest {
 protected:
  std::string exchange() {
    return enroll(op().post("/v1/exchanges", json{{"name", "exchange"}}, unique_key()));
  }
  json account(std::int64_t bidder) {
    return op().get("/v1/bidders/" + std::to_string(bidder) + "/account").body;
  }
  CliRun verify(const json& record) {
    const fs::path file = dir_ / ("decision-" + std::to_string(files_++) + ".json");
    std::ofstream(file) << record.dump();
    return run_cli({"verify-lottery", file.string()});
  }
  int files_ = 0;
};

json bid(std::int64_t bidder, Micros amount, int cls) {
  return {{"bidder_id", bidder}, {"amount_micros", amount}, {"class", cls}};
}

json with_class(json bid, const json& cls) {
  bid["class"] = cls;
  return bid;
}

json plain(std::int64_t design_id, const std::string& request, const json& bids, int n) {
  return {{"design_id", design_id}, {"request_id", request}, {"bids", bids}, {"nonce", nonce(n)}};
}

TEST_P(ClassDecisionTest, DrawsByClassDepositsSettlesVerifiesAndRestarts) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const std::string ex = exchange();
  const json d = design();
  const auto design_id = d["design_id"].get<std::int64_t>();
  const auto [a0, a0_token] = bidder(20'000'000);
  const auto [a1, a1_token] = bidder(20'000'000);
  const auto [b, b_token] = bidder(20'000'000);
  Client x(server_->port(), ex);

  // Types 3, 1 (class 0: X_0 = (0, 0.45)) and 4 (class 1: X_1 = (0.25, 1)); X_1(4) = 1, so the
  // class-1 bid wins for sure (tests/service/asymmetric_test.cpp has the same profile as an
  // auction). A bid off the grid (4.00005) plays as its step, 4.
  const Micros b_bid = 4'000'050;
  const json bids = json::array({bid(a0, 3'000'000, 0), bid(b, b_bid, 1), bid(a1, 1'000'000, 0)});
  const Answer a = x.post("/v1/decisions", plain(design_id, "cls-1", bids, 1), "dec-cls-1");
  ASSERT_EQ(a.status, 201) << a.body;
  const json& r = a.body;
  EXPECT_EQ(r["status"], "awarded");
  EXPECT_EQ(r["winner_id"], b);
  EXPECT_EQ(r["deposit_micros"], b_bid);
  EXPECT_EQ(r["reward"]["rule"], "priority_rankings");
  const Micros reward = reward_by_hand(d["classes"][1], b_bid);
  EXPECT_GT(reward, 0);
  EXPECT_EQ(r["reward"]["reward_if_truthful_micros"], reward);
  for (const auto& given : r["bids"]) {
    EXPECT_EQ(given["class"], given["bidder_id"] == b ? 1 : 0) << r["bids"];
  }
  const json& l = r["lottery"];
  const json& o = l["outcome"];
  EXPECT_EQ(o["rule"], "priority_rankings");
  EXPECT_EQ(o["winner_class"], 1);
  // The documented texts, hashed here: the class design, the seats (a class's bidders take its
  // seats in bidder id order), the bids, the inputs with the seats' line, u(0).
  std::string design_text = "dia-design-classes-v1\nclasses=2\n";
  for (std::size_t c = 0; c < 2; ++c) {
    const json& cls = d["classes"][c];
    design_text += "class=" + std::to_string(c) + "\nvalues=" + cls["values"].get<std::string>() +
                   "\ncount=" + cls["count"].dump() +
                   "\ngrid=" + digits(cls["reduced_form"]["values"]) +
                   "\nallocation=" + digits(cls["reduced_form"]["allocation"]) +
                   "\nprobabilities=" + digits(cls["reduced_form"]["probabilities"]) + "\n";
  }
  const std::string design_sha = sha256_of(design_text);
  EXPECT_EQ(r["reward"]["design_sha256"], design_sha);
  const std::int64_t first0 = std::min(a0, a1), second0 = std::max(a0, a1);
  std::vector<std::tuple<std::int64_t, int, int>> seats{{first0, 0, 0}, {second0, 0, 1}, {b, 1, 0}};
  std::sort(seats.begin(), seats.end());
  std::string lines;
  for (const auto& [who, c, s] : seats) {
    lines += std::to_string(who) + ":" + std::to_string(c) + ":" + std::to_string(s) + "\n";
  }
  EXPECT_EQ(o["seats_sha256"], sha256_of(lines));
  const std::string bids_sha = sha256_of(std::to_string(b) + ":4000050\n" + std::to_string(a0) +
                                         ":3000000\n" + std::to_string(a1) + ":1000000\n");
  EXPECT_EQ(o["bids_sha256"], bids_sha);
  const std::string inputs = sha256_of(
      "dia-decision-v1\nexchange_id=" + r["exchange_id"].dump() +
      "\nrequest_id=cls-1\ncurrency=USD\ndesign_sha256=" + design_sha +
      "\ntolerance_micros=0\nchain_id=1\nchain_index=" + l["chain_index"].dump() +
      "\nchain_anchor=" + l["chain_anchor"].get<std::string>() + "\nbids_sha256=" + bids_sha +
      "\nnonce=" + nonce(1) + "\nseats_sha256=" + sha256_of(lines) + "\n");
  EXPECT_EQ(o["inputs_sha256"], inputs);
  const std::string u0 =
      sha256_of("dia-decision-v1|" + l["secret"].get<std::string>() + "|" + inputs + "|0");
  EXPECT_EQ(o["ranking_draw"].get<double>(),
            std::ldexp(double(std::stoull(u0.substr(0, 16), nullptr, 16) >> 11), -53));
  // The deposit is in escrow; the others untouched.
  EXPECT_EQ(account(b)["cash_micros"], 20'000'000 - b_bid);
  EXPECT_EQ(account(b)["escrow_micros"], b_bid);
  EXPECT_EQ(account(a0)["cash_micros"], 20'000'000);

  const std::string path = "/v1/decisions/" + r["decision_id"].dump();
  const json record = op().get(path).body;
  EXPECT_EQ(record["lottery"], r["lottery"]);
  EXPECT_EQ(record["design"]["reduced_form"]["classes"].size(), 2u);
  // The answer (written as text, house_decision_text.cpp) is the record without its design.
  json without_design = record;
  without_design.erase("design");
  EXPECT_EQ(without_design, r);
  CliRun v = verify(record);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  // Another class for a bid, or an edited class X, fails verification.
  json moved = record;
  for (auto& given : moved["bids"]) {
    if (given["bidder_id"] == a0) given["class"] = 1;
  }
  EXPECT_EQ(verify(moved).exit_code, 3);
  json edited = record;
  edited["design"]["reduced_form"]["classes"][1]["reduced_form"]["allocation"][1] = 0.9;
  EXPECT_EQ(verify(edited).exit_code, 3);

  // A restart keeps the decision with its classes; the inspection after it pays class 1's
  // reward for the bid.
  server_->stop(SIGTERM);
  start_server();
  EXPECT_EQ(op().get(path).body, record);
  const Answer s = Client(server_->port(), inspector())
                       .post(path + "/inspection", json{{"observed_micros", b_bid}}, unique_key());
  ASSERT_EQ(s.status, 200) << s.body;
  EXPECT_EQ(s.body["truthful"], true);
  EXPECT_EQ(s.body["reward_micros"], reward);
  EXPECT_EQ(s.body["revenue_micros"], b_bid - reward);
  EXPECT_EQ(account(b)["cash_micros"], 20'000'000 - b_bid + reward);
  EXPECT_EQ(account(b)["escrow_micros"], 0);
  v = verify(op().get(path).body);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_EQ(v.json()["reward_micros"], reward);
  const json check = ledger_check();
  EXPECT_EQ(check["ok"], true) << check;
  EXPECT_EQ(check["revenue_micros"], b_bid - reward);
}

// A class-0 bid at 3 against a class-1 bid at 2 (X_0(3) = 0.45, X_1(2) = 0.25): who wins depends
// on the ranking drawn. Each decision's winner holds the class its bid named, the deposit is its
// bid, and verify-lottery recomputes every record.
TEST_P(ClassDecisionTest, EitherClassMayWinAndEveryRecordVerifies) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const std::string ex = exchange();
  const auto design_id = design()["design_id"].get<std::int64_t>();
  const auto a0 = bidder(100'000'000).first;
  const auto b = bidder(100'000'000).first;
  Client x(server_->port(), ex);
  for (int n = 0; n < 6; ++n) {
    const json bids = json::array({bid(a0, 3'000'000, 0), bid(b, 2'000'000, 1)});
    const Answer a = x.post("/v1/decisions",
                            plain(design_id, "e" + std::to_string(n), bids, 10 + n), unique_key());
    ASSERT_EQ(a.status, 201) << a.body;
    const json& o = a.body["lottery"]["outcome"];
    if (a.body["delivered"] == true) {
      const bool class0 = a.body["winner_id"] == a0;
      EXPECT_EQ(o["winner_class"], class0 ? 0 : 1) << o;
      EXPECT_EQ(a.body["deposit_micros"], class0 ? 3'000'000 : 2'000'000);
    } else {
      EXPECT_EQ(o["winner_class"], nullptr);
    }
    const CliRun v = verify(op().get("/v1/decisions/" + a.body["decision_id"].dump()).body);
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  }
  EXPECT_EQ(ledger_check()["ok"], true);
}

TEST_P(ClassDecisionTest, BadClassesAreOneErrorAndChangeNothing) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const std::string ex = exchange();
  const auto design_id = design()["design_id"].get<std::int64_t>();
  const Answer symmetric = op().post("/v1/designs", two_bidder_design(), unique_key());
  ASSERT_EQ(symmetric.status, 201) << symmetric.body;
  const auto a0 = bidder(5'000'000).first;
  const auto a1 = bidder(5'000'000).first;
  const auto b = bidder(5'000'000).first;
  Client x(server_->port(), ex);
  const json before = ledger_check();
  struct Case {
    json bids;
    std::int64_t design;
    int status;
    const char* code;
  };
  const json no_class = {{"bidder_id", a0}, {"amount_micros", 1'000'000}};
  const std::vector<Case> cases{
      // A class the design does not have.
      {json::array({bid(a0, 1'000'000, 2)}), design_id, 422, "unknown_class"},
      // More bids of a class than its count: class 1 has one seat, class 0 two.
      {json::array({bid(a0, 1'000'000, 1), bid(b, 2'000'000, 1)}), design_id, 422, "class_full"},
      {json::array({bid(a0, 1'000'000, 0), bid(a1, 1'000'000, 0), bid(b, 1'000'000, 0)}), design_id,
       422, "class_full"},
      // A bid without its class on a class design; a class on a design without classes.
      {json::array({no_class, bid(b, 1'000'000, 1)}), design_id, 422, "missing_class"},
      {json::array({bid(a0, 1'000'000, 0)}), symmetric.body["design_id"].get<std::int64_t>(), 422,
       "no_bidder_classes"},
      // Malformed classes.
      {json::array({bid(a0, 1'000'000, -1)}), design_id, 400, "invalid_field"},
      {json::array({with_class(no_class, "0")}), design_id, 400, "invalid_field"},
      {json::array({with_class(no_class, 0.5)}), design_id, 400, "invalid_field"},
      // The right classes but a bid above the bidder's funds: still refused whole.
      {json::array({bid(a0, 5'000'001, 0)}), design_id, 422, "insufficient_funds"},
  };
  for (const Case& c : cases) {
    const Answer a = x.post("/v1/decisions", plain(c.design, "r", c.bids, 1), unique_key());
    EXPECT_EQ(a.status, c.status) << c.bids << " -> " << a.body;
    EXPECT_EQ(a.body["error"]["code"], c.code) << c.bids << " -> " << a.body;
  }
  // Nothing changed: no decision, no chain index, the same ledger.
  EXPECT_EQ(op().get("/v1/decisions/chains").body["chains"][0]["used"], 0);
  const json after = ledger_check();
  EXPECT_EQ(after["transactions"], before["transactions"]);
  EXPECT_EQ(after["auctions"], before["auctions"]);
  EXPECT_EQ(account(a0)["cash_micros"], 5'000'000);
}

INSTANTIATE_TEST_SUITE_P(Backends, ClassDecisionTest, ::testing::Values("sqlite", "postgresql"),
                         backend_name);

}  // namespace
}  // namespace dia::testing
