// Designs with bidder classes in `dia serve` on SQLite and PostgreSQL: the design, admissions
// (and every refusal leaving the house unchanged), the dia-lottery-v2 draw over the design's
// priority rankings against the protocol's text, rewards by the winner's class, the export that
// `dia verify-lottery` recomputes, a restart, the ledger check, and the winners' frequencies over
// many auctions against the design's interim allocation.
#include <cmath>

#include "classes_support.hpp"
#include "support/run_cli.hpp"

namespace dia::testing {
namespace {

TEST_P(ClassesTest, AdmitCommitDrawRewardVerifyAndRestart) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const json d = design();
  EXPECT_EQ(d["rule"], "priority_rankings");
  EXPECT_EQ(d["bidders"], 3);
  ASSERT_EQ(d["classes"].size(), 2u);
  EXPECT_EQ(d["classes"][0]["count"], 2);
  // The designer's optimum for these classes is "the highest value wins" (its X worked out by
  // hand in tests/unit/class_lottery_test.cpp): X_0 = (0, 0.45), X_1 = (0.25, 1).
  const double x[2][2] = {{0, 0.45}, {0.25, 1}};
  for (int c = 0; c < 2; ++c) {
    for (int t = 0; t < 2; ++t) {
      EXPECT_NEAR(d["classes"][c]["reduced_form"]["allocation"][t].get<double>(), x[c][t], 1e-9);
    }
  }
  const auto design_id = d["design_id"].get<std::int64_t>();
  // Auctions on it run dia-lottery-v2 only.
  const Answer v1 = op().post("/v1/auctions", json{{"design_id", design_id}}, unique_key());
  EXPECT_EQ(v1.status, 422) << v1.body;
  EXPECT_EQ(v1.body["error"]["code"], "protocol_required");
  const auto id = class_auction(design_id);
  const std::string path = "/v1/auctions/" + std::to_string(id);

  std::mt19937_64 rng(20261207);
  std::vector<std::pair<std::int64_t, std::string>> bidders;
  for (int i = 0; i < 4; ++i) bidders.push_back(bidder(20'000'000));
  ASSERT_EQ(admit(id, bidders[0].first, 0).status, 201);
  const Answer second = admit(id, bidders[1].first, 0);
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(second.body["seat"], 1);
  EXPECT_EQ(second.body["values"], "discrete(1:0.5, 3:0.5)");
  ASSERT_EQ(admit(id, bidders[2].first, 1).status, 201);

  // Refusals, each changing nothing: a full class, a second admission, an unknown class, an
  // auction without classes, and a commitment from a bidder with no seat.
  const json before = op().get(path).body;
  const Answer full = admit(id, bidders[3].first, 0);
  EXPECT_EQ(full.status, 409);
  EXPECT_EQ(full.body["error"]["code"], "class_full");
  EXPECT_EQ(admit(id, bidders[0].first, 1).body["error"]["code"], "already_admitted");
  EXPECT_EQ(admit(id, bidders[3].first, 2).body["error"]["code"], "unknown_class");
  EXPECT_EQ(admit(id, 999, 0).status, 404);
  const auto plain = auction(sealed_auction(two_bidder_design(), 5'000'000, 100'000, 600));
  EXPECT_EQ(admit(plain, bidders[3].first, 0).body["error"]["code"], "no_bidder_classes");
  const std::string digest = terms_digest_of(before);
  SealedBidder outsider(bidders[3].first, server_->port(), bidders[3].second);
  const Answer unbound = outsider.commit(id, 3'000'000, digest, rng);
  EXPECT_EQ(unbound.status, 409) << unbound.body;
  EXPECT_EQ(unbound.body["error"]["code"], "not_admitted");
  EXPECT_EQ(op().get(path).body, before);
  const Answer account =
      outsider.client().get("/v1/bidders/" + std::to_string(outsider.id) + "/account");
  EXPECT_EQ(account.body["committed_micros"], 0);
  // The operator sees who holds which seat; a bidder its own seat only.
  EXPECT_EQ(before["classes"][0]["bidder_ids"], json::array({bidders[0].first, bidders[1].first}));
  const json seen = Client(server_->port(), bidders[2].second).get(path).body;
  EXPECT_EQ(seen["seat"], json({{"class", 1}, {"seat", 0}}));
  EXPECT_FALSE(seen["classes"][1].contains("bidder_ids"));

  // Types 3, 1 (class 0) and 4 (class 1), bid truthfully (a bid off the grid plays as its step).
  // X_1(4) = 1: the class-1 bid wins for sure.
  const Micros amounts[3] = {3'000'000, 1'000'000, 4'000'050};
  std::vector<SealedBidder> sealed;
  for (int i = 0; i < 3; ++i) {
    sealed.emplace_back(bidders[i].first, server_->port(), bidders[i].second);
    const Answer c = sealed.back().commit(id, amounts[i], digest, rng);
    ASSERT_EQ(c.status, 201) << c.body;
  }
  ASSERT_EQ(op().post(path + "/close", json::object(), unique_key()).status, 200);
  // A restart between the freeze and the reveals keeps the seats.
  server_->stop(SIGTERM);
  start_server();
  // It also keeps the design's terms document, with each class's floor: class 0 wins only from
  // 3 (X = 0 at 1), class 1 from 2 (X = 0.25); the BidRequest's floor is the least of them.
  const Answer terms = op().get("/v1/designs/" + std::to_string(design_id) + "/terms");
  ASSERT_EQ(terms.status, 200) << terms.body;
  EXPECT_EQ(terms.body["classes"][0]["bidfloor_micros"], 3'000'000) << terms.body;
  EXPECT_EQ(terms.body["classes"][1]["bidfloor_micros"], 2'000'000) << terms.body;
  const json request = op().get(path + "/openrtb").body;
  EXPECT_EQ(request["ext"]["dia"]["bidfloor_micros"], 2'000'000) << request;
  EXPECT_EQ(request["imp"][0]["bidfloor"], 2.0) << request;
  EXPECT_EQ(request["ext"]["dia"]["classes"].size(), 2u) << request;
  for (auto& s : sealed) {
    s.port = server_->port();
    ASSERT_EQ(s.reveal(id).status, 201);
  }
  const json drawn = op().get(path).body;
  const json& o = drawn["outcome"];
  EXPECT_EQ(o["rule"], "priority_rankings");
  // The seats' digest and u(0) from the protocol's text.
  std::vector<std::tuple<std::int64_t, int, int>> seats{
      {bidders[0].first, 0, 0}, {bidders[1].first, 0, 1}, {bidders[2].first, 1, 0}};
  std::sort(seats.begin(), seats.end());
  std::string lines;
  for (const auto& [b, c, s] : seats) {
    lines += std::to_string(b) + ":" + std::to_string(c) + ":" + std::to_string(s) + "\n";
  }
  EXPECT_EQ(o["seats_sha256"], sha256_of(lines));
  const std::string u0 =
      sha256_of("dia-lottery-v2|" + digest + "|" + drawn["seed"].get<std::string>() + "|" +
                o["commitments_sha256"].get<std::string>() + "|" +
                o["bids_sha256"].get<std::string>() + "|" + sha256_of(lines) + "|0");
  EXPECT_EQ(o["ranking_draw"].get<double>(),
            std::ldexp(double(std::stoull(u0.substr(0, 16), nullptr, 16) >> 11), -53));
  ASSERT_EQ(o["delivered"], true) << o;
  const auto winner = o["winner_id"].get<std::int64_t>();
  int winner_index = 0;
  while (bidders[std::size_t(winner_index)].first != winner) ++winner_index;
  EXPECT_EQ(winner_index, 2);
  EXPECT_EQ(o["winner_class"], 1);
  EXPECT_EQ(o["deposit_micros"], amounts[winner_index]);
  // The truthful winner gets its class's reward for its bid.
  const Answer report = Client(server_->port(), inspector())
                            .post(path + "/inspection",
                                  json{{"observed_micros", amounts[winner_index]}}, unique_key());
  ASSERT_EQ(report.status, 200) << report.body;
  EXPECT_EQ(
      report.body["reward_micros"],
      reward_by_hand(d["classes"][o["winner_class"].get<std::size_t>()], amounts[winner_index]));
  EXPECT_EQ(ledger_check()["ok"], true);

  const Answer exported = op().get(path + "/export");
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(exported.body["seats"].size(), 3u);
  const fs::path file = dir_ / "export.json";
  std::ofstream(file) << exported.body.dump();
  const CliRun ok = run_cli({"verify-lottery", file.string(), "--terms-digest", digest});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  // Moving the winner to another seat, or editing a class's X, fails verification.
  json moved = exported.body;
  for (auto& s : moved["seats"]) {
    if (s["bidder_id"] == winner) s["class"] = 1 - s["class"].get<int>();
  }
  std::ofstream(dir_ / "moved.json") << moved.dump();
  const CliRun bad_seat = run_cli({"verify-lottery", (dir_ / "moved.json").string()});
  EXPECT_EQ(bad_seat.exit_code, 3) << bad_seat.out << bad_seat.err;
  json edited = exported.body;
  edited["design"]["reduced_form"]["classes"][1]["reduced_form"]["allocation"][0] = 0.0;
  std::ofstream(dir_ / "edited.json") << edited.dump();
  const CliRun bad_design = run_cli({"verify-lottery", (dir_ / "edited.json").string()});
  EXPECT_EQ(bad_design.exit_code, 3) << bad_design.out << bad_design.err;
  EXPECT_NE(bad_design.out.find("design_sha256"), std::string::npos) << bad_design.out;
  server_->stop(SIGTERM);
  const CliRun ledger = run_cli({"ledger", "check", "--db", url_});
  EXPECT_EQ(ledger.exit_code, 0) << ledger.out << ledger.err;
}

// Over many auctions (DIA_CLASS_AUCTIONS, default 200) with each seat's type drawn from its
// class (the test's own fixed generator; the house's seeds are random), the winner's frequency at
// each (class, type) is the design's X_c(type): within 4.5 standard errors per cell (a false
// alarm has chance below 1e-5 per cell), exactly where X is 0 or 1. Every auction runs through
// the API: admissions, commitments, close, reveals, the draw at the last reveal.
TEST_P(ClassesTest, WinnerFrequenciesFollowTheClassAllocation) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const json d = design();
  const auto design_id = d["design_id"].get<std::int64_t>();
  const char* env = std::getenv("DIA_CLASS_AUCTIONS");
  const int auctions = env ? std::atoi(env) : 200;
  std::vector<SealedBidder> seats;
  const int seat_class[3] = {0, 0, 1};
  for (int i = 0; i < 3; ++i) {
    const auto [id, token] = bidder(Micros{4'000'000} * auctions + 5'000'000);
    seats.emplace_back(id, server_->port(), token);
  }
  std::mt19937_64 rng(20261208);
  std::uniform_real_distribution<double> unit(0, 1);
  double trials[2][2] = {}, wins[2][2] = {};
  for (int n = 0; n < auctions; ++n) {
    const auto id = class_auction(design_id);
    const std::string path = "/v1/auctions/" + std::to_string(id);
    const std::string digest = terms_digest_of(op().get(path).body);
    int type_of[3] = {};
    for (int i = 0; i < 3; ++i) {
      ASSERT_EQ(admit(id, seats[std::size_t(i)].id, seat_class[i]).status, 201);
      const json& reduced = d["classes"][std::size_t(seat_class[i])]["reduced_form"];
      const int t = unit(rng) < reduced["probabilities"][0].get<double>() ? 0 : 1;
      type_of[i] = t;
      trials[seat_class[i]][t] += 1;
      const auto amount = std::llround(reduced["values"][std::size_t(t)].get<double>() * 1e6);
      ASSERT_EQ(seats[std::size_t(i)].commit(id, amount, digest, rng).status, 201);
    }
    ASSERT_EQ(op().post(path + "/close", json::object(), unique_key()).status, 200);
    for (auto& s : seats) ASSERT_EQ(s.reveal(id).status, 201);
    const json o = op().get(path).body["outcome"];
    if (o["delivered"] == true) {
      for (int i = 0; i < 3; ++i) {
        if (o["winner_id"] == seats[std::size_t(i)].id) wins[seat_class[i]][type_of[i]] += 1;
      }
    }
  }
  for (int c = 0; c < 2; ++c) {
    for (int t = 0; t < 2; ++t) {
      const double x = d["classes"][std::size_t(c)]["reduced_form"]["allocation"][std::size_t(t)];
      const double n = trials[c][t], observed = wins[c][t] / n;
      const bool exact = x < 1e-9 || x > 1 - 1e-9;
      const double tolerance = exact ? 0 : 4.5 * std::sqrt(x * (1 - x) / n);
      EXPECT_LE(std::abs(observed - std::round(x * 1e9) / 1e9), tolerance)
          << "class " << c << ", type " << t << ": " << wins[c][t] << "/" << n << " wins, X " << x;
    }
  }
  EXPECT_EQ(ledger_check()["ok"], true);
}

// A saved reduced form with classes: the designed X by hand (the highest value wins) is taken as
// it is, and runs an auction; an X beyond Border's condition, a class that is not its bidders
// entry, a grid off the atoms, a continuous class and a malformed form are 4xx, nothing stored.
TEST_P(ClassesTest, SavedReducedFormWithClasses) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const auto with_x = [](double x00, double x01, double x10, double x11) {
    return json{
        {"classes",
         {{{"values", "discrete(1:0.5,3:0.5)"},
           {"count", 2},
           {"reduced_form",
            {{"values", {1.0, 3.0}}, {"allocation", {x00, x01}}, {"probabilities", {0.5, 0.5}}}}},
          {{"values", "discrete(2:0.6,4:0.4)"},
           {"count", 1},
           {"reduced_form",
            {{"values", {2.0, 4.0}},
             {"allocation", {x10, x11}},
             {"probabilities", {0.6, 0.4}}}}}}}};
  };
  // Type 3 of class 0 wins against 2 only: 0.5 (the other seat low) * 0.6 + 0.5 * 0.6 / 2 = 0.45;
  // class 1 wins at 4 always and at 2 when both class-0 seats are 1: 0.25.
  const Answer saved = op().post(
      "/v1/designs", json{{"bidders", kClasses}, {"reduced_form", with_x(0, 0.45, 0.25, 1)}},
      unique_key());
  ASSERT_EQ(saved.status, 201) << saved.body;
  EXPECT_EQ(saved.body["rule"], "priority_rankings");
  EXPECT_EQ(saved.body["bidders"], 3);
  EXPECT_EQ(saved.body["classes"][0]["reduced_form"]["allocation"], json({0.0, 0.45}));
  EXPECT_EQ(saved.body["classes"][1]["count"], 1);
  const auto id = class_auction(saved.body["design_id"].get<std::int64_t>());
  EXPECT_EQ(admit(id, bidder(0).first, 1).status, 201);

  const json before = ledger_check();
  const auto refused = [&](const json& reduced_form, const json& bidders = kClasses) {
    const Answer a = op().post(
        "/v1/designs", json{{"bidders", bidders}, {"reduced_form", reduced_form}}, unique_key());
    EXPECT_EQ(a.status / 100, 4) << reduced_form << " -> " << a.body;
    return a.body["error"]["code"].get<std::string>();
  };
  // Border: X_1 = (1, 1) gives class 1's bidder the item always, so nothing is left for class 0:
  // with S_1 all of class 1's types and S_0 = {3} at both seats the left side is
  // 1 + 2 * 0.5 * 0.45 = 1.45 > 1 - (1 - 1)(1 - 0.5)^2 = 1.
  EXPECT_EQ(refused(with_x(0, 0.45, 1, 1)), "invalid_reduced_form");
  EXPECT_EQ(refused(with_x(0, 1.5, 0.25, 1)), "invalid_reduced_form");  // X outside [0,1]
  json other = with_x(0, 0.45, 0.25, 1);
  other["classes"][1]["count"] = 2;
  EXPECT_EQ(refused(other), "invalid_reduced_form");
  other = with_x(0, 0.45, 0.25, 1);
  other["classes"][0]["reduced_form"]["values"] = {1.0, 3.5};
  EXPECT_EQ(refused(other), "invalid_reduced_form");
  other = with_x(0, 0.45, 0.25, 1);
  other["classes"].erase(1);
  EXPECT_EQ(refused(other), "invalid_reduced_form");
  EXPECT_EQ(refused(json{{"classes", 3}}), "invalid_reduced_form");
  EXPECT_EQ(refused(json{{"classes", other["classes"]}, {"x", 1}}), "unknown_field");
  EXPECT_EQ(
      refused(with_x(0, 0.45, 0.25, 1), json::array({"2*discrete(1:0.5,3:0.5)", "uniform(2,4)"})),
      "invalid_reduced_form");
  EXPECT_EQ(ledger_check()["transactions"], before["transactions"]);
}

INSTANTIATE_TEST_SUITE_P(Backends, ClassesTest, ::testing::Values("sqlite", "postgresql"),
                         backend_name);

}  // namespace
}  // namespace dia::testing
