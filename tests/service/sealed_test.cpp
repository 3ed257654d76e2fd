// dia-lottery-v2 end to end on SQLite and PostgreSQL: commitments while open (no amount anywhere,
// the database included), the freeze, reveals, the draw, deposits, forfeits and the export that
// `dia verify-lottery` recomputes; and every way a bidder can get a reveal wrong.
#include "sealed_support.hpp"
#include "support/run_cli.hpp"

namespace dia::testing {
namespace {

std::string hex_bytes(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

// `token` in `text` with no letter or digit right before or after it.
bool has_token(const std::string& text, const std::string& token) {
  const auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  for (auto at = text.find(token); at != std::string::npos; at = text.find(token, at + 1)) {
    const bool starts = at == 0 || !word(text[at - 1]);
    const bool ends = at + token.size() == text.size() || !word(text[at + token.size()]);
    if (starts && ends) return true;
  }
  return false;
}

// Every text cell of every table, for searching the database as a reader of it would.
std::string database_text(const std::string& url) {
  auto db = ledger::open_database(url);
  EXPECT_TRUE(db.has_value());
  std::string all;
  for (const char* table : {"principals", "designs", "auctions", "bids", "bid_commitments",
                            "accounts", "transactions", "entries", "idempotency"}) {
    auto rows = (*db)->query({std::string("SELECT * FROM ") + table, {}});
    EXPECT_TRUE(rows.has_value()) << table;
    for (const auto& row : *rows) {
      for (const auto& cell : row) all += (cell ? *cell : "NULL") + "|";
      all += "\n";
    }
  }
  return all;
}

TEST_P(ServiceTest, SealedAuctionCommitRevealDrawAndVerify) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  std::mt19937_64 rng(20261207);
  auto [alice, alice_token] = bidder(5'000'000);
  auto [bob, bob_token] = bidder(5'000'000);
  SealedBidder a(alice, server_->port(), alice_token);
  SealedBidder b(bob, server_->port(), bob_token);
  const std::string inspector_token = inspector();
  // q(2) = X(2)/G(2) = 1 (X = G): a highest bid of exactly 2 wins and is delivered.
  const auto id = auction(sealed_auction(two_bidder_design(), 3'000'000, 700'000, 60));
  const std::string path = "/v1/auctions/" + std::to_string(id);
  const json published = op().get(path).body;
  EXPECT_EQ(published["protocol"], "dia-lottery-v2");
  EXPECT_EQ(published["terms"]["max_bid_micros"], 3'000'000);
  const std::string digest = terms_digest_of(published);
  EXPECT_EQ(published["terms_digest"], digest);
  EXPECT_EQ(op().get(path + "/openrtb").body["ext"]["dia"]["terms_digest"], digest);

  const Answer ca = a.commit(id, 1'234'567, digest, rng);
  ASSERT_EQ(ca.status, 201) << ca.body;
  EXPECT_EQ(ca.body["revealed"], false);
  EXPECT_EQ(ca.body["ext"]["dia"]["held_micros"], 3'000'000);
  EXPECT_EQ(ca.body["ext"]["dia"]["terms_digest"], digest);
  // Bob commits in the OpenRTB form: the price is the hold (max_bid), the bid is sealed.
  b.amount = 2'000'000;
  b.salt = random_salt(rng);
  const json rtb{
      {"id", std::to_string(id)},
      {"cur", "USD"},
      {"seatbid",
       {{{"bid",
          {{{"id", "bob-1"},
            {"impid", "1"},
            {"price", 3.0},
            {"ext",
             {{"dia",
               {{"commitment", bid_commitment_of(digest, id, bob, b.amount, b.salt)}}}}}}}}}}}};
  json cheap = rtb;
  cheap["seatbid"][0]["bid"][0]["price"] = 2.5;  // a price that is not the hold would leak
  EXPECT_EQ(b.client().post(path + "/bids", cheap, unique_key()).status, 422);
  const Answer cb = b.client().post(path + "/bids", rtb, unique_key());
  ASSERT_EQ(cb.status, 201) << cb.body;
  EXPECT_EQ(cb.body["format"], "openrtb");

  // While open nobody but the bidder sees anything of an amount: not the API, not the database.
  const json own = a.client().get("/v1/bidders/" + std::to_string(alice) + "/account").body;
  EXPECT_EQ(own["committed_micros"], 3'000'000);  // the public cap, whatever the bid
  EXPECT_EQ(op().get(path + "/bids").status, 403);
  EXPECT_FALSE(op().get(path).body.contains("seed"));
  EXPECT_EQ(op().get(path + "/export").status, 409);
  const std::string text = database_text(url_);
  // (as a whole token: a millisecond timestamp may hold the digits by chance)
  for (const std::string& secret :
       {std::string("1234567"), std::string("2000000"), a.salt, b.salt}) {
    EXPECT_FALSE(has_token(text, secret)) << secret << " is in the database";
  }
  // Reveals wait for the freeze; plain bids are refused on a v2 auction.
  EXPECT_EQ(a.reveal(id).body["error"]["code"], "not_frozen");
  EXPECT_EQ(a.client()
                .post(path + "/bids", json{{"amount_micros", 5}}, unique_key())
                .body["error"]["code"],
            "commitment_required");

  ASSERT_EQ(op().post(path + "/close", json::object(), unique_key()).body["status"], "revealing");
  EXPECT_EQ(a.client()
                .post(path + "/bids", json{{"commitment", std::string(64, 'a')}}, unique_key())
                .body["error"]["code"],
            "auction_closed");
  // Restarting in the reveal window keeps the commitments and the holds.
  server_->stop(SIGTERM);
  start_server();
  a.port = b.port = server_->port();
  EXPECT_EQ(
      a.client().get("/v1/bidders/" + std::to_string(alice) + "/account").body["available_micros"],
      2'000'000);
  EXPECT_EQ(op().post(path + "/draw", json::object(), unique_key()).body["error"]["code"],
            "reveal_window_open");
  const Answer ra = a.reveal(id);
  ASSERT_EQ(ra.status, 201) << ra.body;
  EXPECT_EQ(ra.body["amount_micros"], 1'234'567);
  EXPECT_EQ(ra.body["auction_status"], "revealing");               // bob has not revealed yet
  EXPECT_FALSE(ra.body["ext"]["dia"].contains("won")) << ra.body;  // decided at the draw
  EXPECT_EQ(op().get(path + "/bids").status, 403);                 // sealed until the draw
  EXPECT_EQ(a.reveal(id).body["error"]["code"], "already_revealed");
  // Bob reveals in the OpenRTB form; the last reveal draws.
  json opening = rtb;
  opening["seatbid"][0]["bid"][0]["price"] = 2.0;
  opening["seatbid"][0]["bid"][0]["ext"]["dia"] = {{"salt", b.salt}};
  opening["seatbid"][0]["bid"][0]["nurl"] = "https://dsp.example/win?p=${AUCTION_PRICE}";
  const Answer rb = b.client().post(path + "/reveal", opening, unique_key());
  ASSERT_EQ(rb.status, 201) << rb.body;
  EXPECT_EQ(rb.body["auction_status"], "awarded") << op().get(path).body;
  const json drawn = op().get(path).body;
  EXPECT_EQ(drawn["outcome"]["winner_id"], bob);  // the higher bid, q = 1
  EXPECT_EQ(drawn["outcome"]["deposit_micros"], 2'000'000);
  EXPECT_EQ(drawn["outcome"]["unrevealed_bidder_ids"], json::array());
  // The reveal's Bid.id and win notice are kept with the bid, the price substituted.
  const json bob_bid = b.client().get(path + "/bids").body["bids"][0];
  EXPECT_EQ(bob_bid["openrtb_bid_id"], "bob-1");
  EXPECT_EQ(bob_bid["ext"]["dia"]["nurl"], "https://dsp.example/win?p=2") << bob_bid;
  EXPECT_EQ(sha256_of(hex_bytes(drawn["seed"].get<std::string>())), published["commitment"]);
  // Holds released; the winner's bid in escrow.
  const json bob_account = b.client().get("/v1/bidders/" + std::to_string(bob) + "/account").body;
  EXPECT_EQ(bob_account["cash_micros"], 5'000'000 - 2'000'000);
  EXPECT_EQ(bob_account["escrow_micros"], 2'000'000);
  EXPECT_EQ(bob_account["committed_micros"], 0);
  EXPECT_EQ(
      a.client().get("/v1/bidders/" + std::to_string(alice) + "/account").body["available_micros"],
      5'000'000);
  // Truthful inspection: R(2) = (2 - 1) X(1) = 1/4 and X(2) = 3/4, so rho = 1/3.
  Client ins(server_->port(), inspector_token);
  const Answer report =
      ins.post(path + "/inspection", json{{"observed_micros", 2'000'000}}, unique_key());
  ASSERT_EQ(report.status, 200) << report.body;
  EXPECT_EQ(report.body["reward_micros"], 333'333);
  EXPECT_EQ(ledger_check()["ok"], true);

  // The export verifies from its own contents, against the digest published at open.
  const Answer exported = op().get(path + "/export");
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(exported.body["format"], "dia-auction-export-v2");
  const fs::path file = dir_ / "export.json";
  std::ofstream(file) << exported.body.dump();
  const CliRun ok = run_cli({"verify-lottery", file.string(), "--terms-digest", digest});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_EQ(
      run_cli({"verify-lottery", file.string(), "--terms-digest", std::string(64, '0')}).exit_code,
      3);
  server_->stop(SIGTERM);
  const CliRun ledger = run_cli({"ledger", "check", "--db", url_});
  EXPECT_EQ(ledger.exit_code, 0) << ledger.out << ledger.err;
}

}  // namespace
}  // namespace dia::testing
