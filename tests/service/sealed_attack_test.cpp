// dia-lottery-v2 against a bidder that gets its reveal wrong on purpose: another bidder's opening,
// a replayed commitment, a late reveal, a double reveal, a draw before the deadline; and the
// export against every edit of its contents. Each refused request changes nothing; the ledger
// check passes at the end.
#include "sealed_support.hpp"
#include "support/run_cli.hpp"

namespace dia::testing {
namespace {

std::string digest_of(Client& c, std::int64_t id) {
  return terms_digest_of(c.get("/v1/auctions/" + std::to_string(id)).body);
}

TEST_P(ServiceTest, SealedRevealsThatMustFail) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  std::mt19937_64 rng(7);
  auto [alice, alice_token] = bidder(10'000'000);
  auto [bob, bob_token] = bidder(10'000'000);
  auto [carol, carol_token] = bidder(2'999'999);
  SealedBidder a(alice, server_->port(), alice_token);
  SealedBidder b(bob, server_->port(), bob_token);
  SealedBidder c(carol, server_->port(), carol_token);
  auto client = op();
  const auto id = auction(sealed_auction(two_bidder_design(), 3'000'000, 1'000'000, 3));
  const auto other = auction(sealed_auction(two_bidder_design(), 3'000'000, 1'000'000, 3));
  const std::string path = "/v1/auctions/" + std::to_string(id);
  const std::string digest = digest_of(client, id);

  // The hold is the public cap: carol cannot cover it.
  EXPECT_EQ(c.commit(id, 1'000'000, digest, rng).body["error"]["code"], "insufficient_funds");
  const Answer ca = a.commit(id, 2'000'000, digest, rng);
  ASSERT_EQ(ca.status, 201) << ca.body;
  // Copying alice's commitment is refused; it could never be opened by bob anyway.
  EXPECT_EQ(b.client()
                .post(path + "/bids", json{{"commitment", ca.body["commitment"]}}, unique_key())
                .body["error"]["code"],
            "duplicate_commitment");
  EXPECT_EQ(a.commit(id, 1, digest, rng).body["error"]["code"], "duplicate_bid");
  // Replay: alice's commitment of auction `id` sent to auction `other` is accepted as an opaque
  // hash, but its opening names `id` and the terms of `id`: it never opens in `other`.
  const std::string alice_salt = a.salt;
  ASSERT_EQ(a.client()
                .post("/v1/auctions/" + std::to_string(other) + "/bids",
                      json{{"commitment", ca.body["commitment"]}}, unique_key())
                .status,
            201);
  ASSERT_EQ(b.commit(id, 1'500'000, digest, rng).status, 201);
  EXPECT_EQ(a.client()
                .post(path + "/bids", json{{"amount_micros", 1}}, unique_key())
                .body["error"]["code"],
            "commitment_required");
  ASSERT_EQ(op().post(path + "/close", json::object(), unique_key()).status, 200);
  ASSERT_EQ(
      op().post("/v1/auctions/" + std::to_string(other) + "/close", json::object(), unique_key())
          .status,
      200);
  const json before = ledger_check();

  // Bob reveals alice's opening (after seeing it he could copy it): it is not his commitment.
  EXPECT_EQ(b.client()
                .post(path + "/reveal", json{{"amount_micros", 2'000'000}, {"salt", alice_salt}},
                      unique_key())
                .body["error"]["code"],
            "commitment_mismatch");
  // A wrong amount or salt, a malformed salt, a zero amount.
  const auto reveal = [&](SealedBidder& who, const json& body) {
    return who.client().post(path + "/reveal", body, unique_key());
  };
  EXPECT_EQ(reveal(b, {{"amount_micros", 1'500'001}, {"salt", b.salt}}).body["error"]["code"],
            "commitment_mismatch");
  EXPECT_EQ(reveal(b, {{"amount_micros", 1'500'000}, {"salt", alice_salt}}).status, 422);
  EXPECT_EQ(reveal(b, {{"amount_micros", 1'500'000}, {"salt", "ABC"}}).status, 400);
  EXPECT_EQ(reveal(b, {{"amount_micros", 0}, {"salt", b.salt}}).status, 400);
  EXPECT_EQ(reveal(b, {{"amount_micros", 1'500'000}}).status, 400);
  EXPECT_EQ(reveal(c, {{"amount_micros", 1'500'000}, {"salt", b.salt}}).body["error"]["code"],
            "no_commitment");
  // The replayed commitment does not open in the other auction.
  EXPECT_EQ(a.client()
                .post("/v1/auctions/" + std::to_string(other) + "/reveal",
                      json{{"amount_micros", 2'000'000}, {"salt", alice_salt}}, unique_key())
                .body["error"]["code"],
            "commitment_mismatch");
  EXPECT_EQ(ledger_check(), before);  // nothing above changed anything

  // Alice reveals in time; bob is late (reveal_seconds = 3): his commitment counts as no bid and
  // forfeits the penalty, to nobody.
  ASSERT_EQ(reveal(a, {{"amount_micros", 2'000'000}, {"salt", alice_salt}}).status, 201);
  std::this_thread::sleep_for(std::chrono::milliseconds(3300));
  EXPECT_EQ(reveal(b, {{"amount_micros", 1'500'000}, {"salt", b.salt}}).body["error"]["code"],
            "reveal_closed");
  // After the deadline anyone may ask for the draw (here bob himself).
  const Answer drawn = b.client().post(path + "/draw", json::object(), unique_key());
  ASSERT_EQ(drawn.status, 200) << drawn.body;
  EXPECT_EQ(drawn.body["outcome"]["unrevealed_bidder_ids"], json::array({bob}));
  EXPECT_EQ(drawn.body["outcome"]["winner_id"], alice);  // the only bid, q(2) = 1
  EXPECT_EQ(b.client().post(path + "/draw", json::object(), unique_key()).body["error"]["code"],
            "already_drawn");
  EXPECT_EQ(reveal(b, {{"amount_micros", 1'500'000}, {"salt", b.salt}}).body["error"]["code"],
            "reveal_closed");
  EXPECT_EQ(b.client().get("/v1/bidders/" + std::to_string(bob) + "/account").body["cash_micros"],
            10'000'000 - 1'000'000);
  ASSERT_EQ(
      op().post("/v1/auctions/" + std::to_string(other) + "/draw", json::object(), unique_key())
          .status,
      200);
  const json after = ledger_check();
  EXPECT_EQ(after["ok"], true) << after;
  EXPECT_EQ(after["forfeited_micros"], 2'000'000);  // bob's here, alice's replay there
  EXPECT_EQ(after["escrow_micros"], 2'000'000);     // alice's deposit

  // The export: any edit of its contents fails verification with a line saying what.
  const json e = op().get(path + "/export").body;
  const fs::path file = dir_ / "export.json";
  const auto verdict = [&](const json& edited) {
    std::ofstream(file, std::ios::trunc) << edited.dump();
    return run_cli({"verify-lottery", file.string()});
  };
  const CliRun ok = verdict(e);
  ASSERT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  const auto fails = [&](json edited, const std::string& line) {
    const CliRun r = verdict(edited);
    EXPECT_EQ(r.exit_code, 3) << r.out;
    EXPECT_NE(r.out.find(line), std::string::npos) << "expected '" << line << "' in " << r.out;
  };
  json edited = e;
  edited["seed"] = std::string(64, '1');
  fails(edited, "the seed does not match the commitment");
  edited = e;
  edited["commitments"][0]["amount_micros"] = 2'999'999;
  fails(edited, "does not open its commitment");
  edited = e;
  edited["design"]["reduced_form"]["allocation"] = {0.25, 0.5};
  fails(edited, "the design was edited");
  edited = e;
  edited["outcome"]["winner_id"] = bob;
  fails(edited, "winner_id differs");
  edited = e;
  edited["commitments"].erase(1);  // drop bob's unrevealed commitment (and his forfeit)
  edited["settlement"]["forfeited_micros"] = 0;
  fails(edited, "commitments_sha256 differs");
  edited = e;
  edited["commitments"].push_back({{"bidder_id", carol},
                                   {"commitment", bid_commitment_of(digest, id, carol, 2, "00")},
                                   {"amount_micros", 2},
                                   {"salt", "00"}});
  fails(edited, "commitments_sha256 differs");
  edited = e;
  edited["settlement"]["forfeited_micros"] = 0;
  fails(edited, "forfeited_micros differs");
  edited = e;
  edited["terms"]["penalty_micros"] = 1;
  fails(edited, "terms_digest differs");
  server_->stop(SIGTERM);
  EXPECT_EQ(run_cli({"ledger", "check", "--db", url_}).exit_code, 0);
}

// A price that rounds to no micro-unit is refused before anything is written; the server lives.
TEST_P(ServiceTest, BidsBelowOneMicroAreRefused) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  auto [alice, token] = bidder(5'000'000);
  const auto id = auction(two_bidder_design());
  const std::string path = "/v1/auctions/" + std::to_string(id);
  Client a(server_->port(), token);
  const json before = ledger_check();
  for (const double price : {1e-9, 4e-7, 1e-300}) {
    const json rtb{{"id", std::to_string(id)},
                   {"cur", "USD"},
                   {"seatbid", {{{"bid", {{{"id", "b1"}, {"impid", "1"}, {"price", price}}}}}}}};
    const Answer r = a.post(path + "/bids", rtb, unique_key());
    EXPECT_EQ(r.status, 400) << price << " " << r.body;
    EXPECT_EQ(r.body["error"]["code"], "invalid_amount") << r.body;
  }
  EXPECT_EQ(a.post(path + "/bids", json{{"amount_micros", 0}}, unique_key()).status, 400);
  EXPECT_EQ(ledger_check(), before);
  // Still serving, and a real bid goes through.
  EXPECT_EQ(a.post(path + "/bids", json{{"amount_micros", 1}}, unique_key()).status, 201);
  EXPECT_EQ(a.get(path + "/bids").body["bids"].size(), 1u);
}

}  // namespace
}  // namespace dia::testing
