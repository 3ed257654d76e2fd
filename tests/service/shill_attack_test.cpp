// The operator's shill attack, automated (issue: "a lottery nobody can steer"). The operator holds
// the lottery's seed and reads its own database; it registers a shill bidder and bids below an
// honest bid (so the honest bid stays the highest), choosing the shill's bid with everything it
// can see before the freeze so that the draw delivers the honest bid (forced delivery) or does
// not (forced withholding).
//
// dia-lottery-v1: the open bid amounts are in the database, so the operator computes the draw for
// each candidate shill bid and picks one that gives what it wants: it succeeds in every auction.
// dia-lottery-v2: the database holds only commitments; the draws hash every revealed salt, so the
// operator can only guess the honest salt. It grinds its shill's salt against its guess (and is
// even told the honest amount), which is worth nothing: its success count is Binomial(N, 1/3).
//
// Statistics: N = 40 auctions per goal and backend; the designs give the outcome the operator
// wants a chance of 1/3 (q(2) = 1/3 for delivery, 1 - q(2) = 1/3 for withholding). The test
// fails if the operator succeeds 29 or more times out of 40: under chance P(S >= 29) = 4.7e-7
// (one-sided binomial tail), so CI fails spuriously about once in two million runs; v1's attack
// (40/40) would fail it. All choices of the test's parties come from fixed generator seeds; only
// the house's seed is random (as it must be).
#include "dia/distribution.hpp"
#include "dia/lottery.hpp"
#include "sealed_support.hpp"

namespace dia::testing {
namespace {

constexpr int kAuctions = 40;
constexpr int kMostSuccessesByChance = 28;  // P(Binomial(40, 1/3) >= 29) = 4.7e-7
constexpr Micros kHonestBid = 2'000'000, kShillBid = 1'000'000;

// What the operator learns by reading its own database about an auction (a second connection,
// as any reader of the database could).
struct OperatorView {
  std::string seed, terms_digest;
  std::vector<std::pair<std::int64_t, Micros>> open_bids;  // v1 only: the amounts in clear
};

OperatorView read_database(const std::string& url, std::int64_t auction) {
  auto db = ledger::open_database(url);
  EXPECT_TRUE(db.has_value());
  OperatorView v;
  const std::vector<ledger::SqlValue> id{auction};
  auto rows = (*db)->query({"SELECT seed, terms_digest FROM auctions WHERE id = ?", id});
  v.seed = ledger::as_text(rows->at(0)[0]);
  v.terms_digest = ledger::as_text(rows->at(0)[1]);
  rows = (*db)->query({"SELECT bidder_id, amount_micros FROM bids WHERE auction_id = ?", id});
  for (const auto& r : *rows) v.open_bids.emplace_back(ledger::as_int(r[0]), ledger::as_int(r[1]));
  return v;
}

ExPostRule rule_of(const json& design) {
  auto dist = parse_distribution(design["values"].get<std::string>());
  auto rule = build_ex_post_rule(*dist, design["bidders"].get<int>(),
                                 {design["reduced_form"]["values"].get<std::vector<double>>(), {}},
                                 design["reduced_form"]["allocation"].get<std::vector<double>>());
  EXPECT_TRUE(rule.has_value());
  return std::move(*rule);
}

// The design for a goal: the wanted outcome of the honest highest bid 2 has chance 1/3.
json design_for(bool deliver) { return two_bidder_design_with(deliver ? 0.25 : 0.5); }

bool honest_delivered(const json& outcome, std::int64_t honest) {
  return outcome["delivered"] == true && outcome["winner_id"] == honest;
}

TEST_P(ServiceTest, ShillSteersTheV1Lottery) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  auto [honest, honest_token] = bidder(1'000'000'000);
  auto [shill, shill_token] = bidder(1'000'000'000);
  Client h(server_->port(), honest_token), s(server_->port(), shill_token);
  for (const bool deliver : {true, false}) {
    const json design = design_for(deliver);
    const ExPostRule rule = rule_of(design);
    int successes = 0;
    for (int k = 0; k < kAuctions; ++k) {
      const auto id = auction(design);
      const std::string path = "/v1/auctions/" + std::to_string(id);
      ASSERT_EQ(h.post(path + "/bids", json{{"amount_micros", kHonestBid}}, unique_key()).status,
                201);
      const OperatorView v = read_database(url_, id);
      ASSERT_EQ(v.open_bids.size(), 1u);  // the honest amount, in clear
      Micros pick = 0;
      for (Micros m = kShillBid; m < kShillBid + 1000 && pick == 0; ++m) {
        const auto o =
            draw_lottery(v.seed, id, {{honest, v.open_bids[0].second}, {shill, m}}, rule);
        if (o.delivered == deliver && (!deliver || o.winner->bidder_id == honest)) pick = m;
      }
      ASSERT_GT(pick, 0);
      ASSERT_EQ(s.post(path + "/bids", json{{"amount_micros", pick}}, unique_key()).status, 201);
      const Answer closed = op().post(path + "/close", json::object(), unique_key());
      ASSERT_EQ(closed.status, 200);
      successes += honest_delivered(closed.body["outcome"], honest) == deliver;
    }
    RecordProperty(deliver ? "v1_forced_delivery" : "v1_forced_withholding", successes);
    EXPECT_EQ(successes, kAuctions) << "v1 is steerable: the attack should always succeed";
  }
  EXPECT_EQ(ledger_check()["ok"], true);
}

TEST_P(ServiceTest, ShillCannotSteerTheV2Lottery) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  auto [honest, honest_token] = bidder(1'000'000'000);
  auto [shill, shill_token] = bidder(1'000'000'000);
  SealedBidder h(honest, server_->port(), honest_token);
  SealedBidder s(shill, server_->port(), shill_token);
  std::mt19937_64 honest_rng(11), operator_rng(12);
  for (const bool deliver : {true, false}) {
    const json design = design_for(deliver);
    const ExPostRule rule = rule_of(design);
    int successes = 0;
    for (int k = 0; k < kAuctions; ++k) {
      const auto id = auction(sealed_auction(design, 2'000'000, 100'000, 60));
      const std::string path = "/v1/auctions/" + std::to_string(id);
      const std::string digest = terms_digest_of(op().get(path).body);
      ASSERT_EQ(h.commit(id, kHonestBid, digest, honest_rng).status, 201);
      // Everything the operator sees before the freeze: the seed, the terms and the honest
      // commitment, but no amount and no salt. It is told the honest amount all the same.
      const OperatorView v = read_database(url_, id);
      ASSERT_TRUE(v.open_bids.empty());
      const std::string guessed_salt = random_salt(operator_rng);
      BidCommitment guess{honest, bid_commitment_of(digest, id, honest, kHonestBid, guessed_salt),
                          kHonestBid, guessed_salt};
      std::string shill_salt;
      for (int tries = 0; tries < 1000 && shill_salt.empty(); ++tries) {
        const std::string salt = random_salt(operator_rng);
        BidCommitment mine{shill, bid_commitment_of(digest, id, shill, kShillBid, salt), kShillBid,
                           salt};
        const auto o = draw_lottery_v2(v.terms_digest, v.seed, {guess, mine}, rule);
        if (o.delivered == deliver && (!deliver || o.winner->bidder_id == honest)) {
          shill_salt = salt;
        }
      }
      ASSERT_FALSE(shill_salt.empty());
      s.amount = kShillBid;
      s.salt = shill_salt;
      ASSERT_EQ(s.client()
                    .post(path + "/bids",
                          json{{"commitment",
                                bid_commitment_of(digest, id, shill, kShillBid, shill_salt)}},
                          unique_key())
                    .status,
                201);
      ASSERT_EQ(op().post(path + "/close", json::object(), unique_key()).status, 200);
      ASSERT_EQ(h.reveal(id).status, 201);
      ASSERT_EQ(s.reveal(id).status, 201);
      const json outcome = op().get(path).body["outcome"];
      ASSERT_EQ(outcome["unrevealed_bidder_ids"], json::array());
      successes += honest_delivered(outcome, honest) == deliver;
    }
    RecordProperty(deliver ? "v2_forced_delivery" : "v2_forced_withholding", successes);
    std::printf("dia-lottery-v2 shill attack (%s, %s): %d/%d successes, chance 1/3\n",
                GetParam().c_str(), deliver ? "forced delivery" : "forced withholding", successes,
                kAuctions);
    EXPECT_LE(successes, kMostSuccessesByChance);
  }
  EXPECT_EQ(ledger_check()["ok"], true);
}

// What remains (docs/api.md, "What remains possible"): after the freeze the operator reads the
// honest reveal from its database and then decides whether its shill reveals. It gets at most one
// alternative draw per auction, and pays the penalty (burned) for each withheld reveal. Forced
// delivery with chance 1/3 per draw so becomes at most 1 - (2/3)^2 = 5/9 per auction; the test
// checks each outcome is the one the operator predicted, that every withheld reveal forfeited the
// penalty, and S <= 36 of 40 (under 5/9, P(S >= 37) = 3.4e-7).
TEST_P(ServiceTest, ShillWithholdingBuysOneAlternativeDrawAtThePenalty) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  auto [honest, honest_token] = bidder(1'000'000'000);
  auto [shill, shill_token] = bidder(1'000'000'000);
  SealedBidder h(honest, server_->port(), honest_token);
  SealedBidder s(shill, server_->port(), shill_token);
  std::mt19937_64 honest_rng(21), operator_rng(22);
  const json design = design_for(true);
  const ExPostRule rule = rule_of(design);
  constexpr Micros kPenalty = 100'000;
  // Long enough for the reveals on a loaded machine; the withheld ones wait it out once, below.
  constexpr int kRevealSeconds = 5;
  int successes = 0, predicted = 0;
  std::vector<std::int64_t> withheld;
  for (int k = 0; k < kAuctions; ++k) {
    const auto id = auction(sealed_auction(design, 2'000'000, kPenalty, kRevealSeconds));
    const std::string path = "/v1/auctions/" + std::to_string(id);
    const std::string digest = terms_digest_of(op().get(path).body);
    ASSERT_EQ(h.commit(id, kHonestBid, digest, honest_rng).status, 201);
    ASSERT_EQ(s.commit(id, kShillBid, digest, operator_rng).status, 201);
    ASSERT_EQ(op().post(path + "/close", json::object(), unique_key()).status, 200);
    ASSERT_EQ(h.reveal(id).status, 201);
    // The operator reads the honest opening from its database and computes both draws.
    auto db = ledger::open_database(url_);
    ASSERT_TRUE(db.has_value());
    const std::vector<ledger::SqlValue> key{id, honest};
    auto rows = (*db)->query(
        {"SELECT b.amount_micros, c.salt, c.commitment FROM bids b JOIN bid_commitments c ON"
         " c.auction_id = b.auction_id AND c.bidder_id = b.bidder_id WHERE b.auction_id = ? AND"
         " b.bidder_id = ?",
         key});
    ASSERT_EQ(rows->size(), 1u);
    const OperatorView v = read_database(url_, id);
    const BidCommitment seen{honest, ledger::as_text(rows->at(0)[2]),
                             ledger::as_int(rows->at(0)[0]), ledger::as_text(rows->at(0)[1])};
    const std::string mine = bid_commitment_of(digest, id, shill, kShillBid, s.salt);
    const BidCommitment revealed{shill, mine, kShillBid, s.salt};
    const BidCommitment unrevealed{shill, mine, std::nullopt, ""};
    const auto delivers = [&](const BidCommitment& c) {
      const auto o = draw_lottery_v2(v.terms_digest, v.seed, {seen, c}, rule);
      return o.delivered && o.winner->bidder_id == honest;
    };
    const bool if_revealed = delivers(revealed), if_withheld = delivers(unrevealed);
    predicted += if_revealed || if_withheld;
    if (!if_revealed && if_withheld) {
      withheld.push_back(id);
    } else {
      ASSERT_EQ(s.reveal(id).status, 201);
      successes += honest_delivered(op().get(path).body["outcome"], honest);
    }
  }
  // The withheld auctions are drawn after their deadline (anyone may ask); each forfeits P.
  if (!withheld.empty()) std::this_thread::sleep_for(std::chrono::seconds(kRevealSeconds + 1));
  for (const auto id : withheld) {
    const Answer drawn =
        op().post("/v1/auctions/" + std::to_string(id) + "/draw", json::object(), unique_key());
    ASSERT_EQ(drawn.status, 200) << drawn.body;
    EXPECT_EQ(drawn.body["outcome"]["unrevealed_bidder_ids"], json::array({shill}));
    successes += honest_delivered(drawn.body["outcome"], honest);
  }
  RecordProperty("v2_withholding_forced_delivery", successes);
  std::printf("dia-lottery-v2 withholding shill (%s): %d/%d successes, %zu withheld reveals\n",
              GetParam().c_str(), successes, kAuctions, withheld.size());
  EXPECT_EQ(successes, predicted);
  EXPECT_LE(successes, 36);
  const json check = ledger_check();
  EXPECT_EQ(check["ok"], true) << check;
  EXPECT_EQ(check.value("forfeited_micros", Micros{0}), kPenalty * Micros(withheld.size()));
}

}  // namespace
}  // namespace dia::testing
