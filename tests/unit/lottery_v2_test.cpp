// dia-lottery-v2's hashes (docs/api.md, "dia-lottery-v2") against numbers computed from the
// written definition with Python's hashlib, and what the draw takes from which input.
#include <gtest/gtest.h>

#include "dia/lottery.hpp"

namespace {

std::string repeat(const char* pair) {
  std::string s;
  for (int i = 0; i < 32; ++i) s += pair;
  return s;
}

dia::ExPostRule one_third() {
  // Two bidders on discrete(1:0.5,2:0.5), X = (1/4, 1/4): q(2) = (1/4) / (3/4) = 1/3.
  auto rule = dia::build_ex_post_rule(*dia::parse_distribution("discrete(1:0.5,2:0.5)"), 2,
                                      {{1.0, 2.0}, {}}, {0.25, 0.25});
  EXPECT_TRUE(rule.has_value());
  return std::move(*rule);
}

TEST(LotteryV2, DesignTermsAndBidTextsFollowTheWrittenDefinition) {
  EXPECT_EQ(dia::design_digest_text("discrete(1:0.5, 2:0.5)", 2, {1, 2}, {0.1, 0.75}, {}),
            "dia-design-v2\nvalues=discrete(1:0.5, 2:0.5)\nbidders=2\ngrid=1,2\n"
            "allocation=0.10000000000000001,0.75\nprobabilities=\n");
  const dia::LotteryTerms terms{7, "USD", repeat("cd"), 10, 3'000'000, 500'000, 60, repeat("ef")};
  EXPECT_EQ(dia::terms_digest(terms),
            "da2cea4c7d3224afe66f5830817dd22c4f139d107325d29ea3d75857eabf1bd1");
  EXPECT_EQ(dia::bid_commitment(repeat("ab"), 7, 3, 1'500'000, repeat("01")),
            "bc9b334f1123c8184db33bb2234af3a2a242f213122176c081975a8144b4c0d1");
  EXPECT_TRUE(dia::is_hex256(repeat("ab")));
  EXPECT_FALSE(dia::is_hex256(repeat("AB")));
  EXPECT_FALSE(dia::is_hex256(repeat("ab") + "0"));
}

TEST(LotteryV2, DrawHashesTermsSeedCommitmentsAndRevealedSalts) {
  const std::string terms = repeat("ab"), seed = repeat("11"), salt = repeat("01");
  const dia::BidCommitment revealed{3, dia::bid_commitment(terms, 7, 3, 1'500'000, salt), 1'500'000,
                                    salt};
  const dia::BidCommitment unrevealed{5, repeat("22"), std::nullopt, ""};
  const auto o = dia::draw_lottery_v2(terms, seed, {unrevealed, revealed}, one_third());
  EXPECT_EQ(o.commitments_sha256,
            "de949ac41635c4ffa49a857b856e6326d6d1e660c3c08b56bd280070d68bbd3e");
  EXPECT_EQ(o.bids_sha256, "8f1edab73f514045178ee75c4edf405601a626faf7c19186f978c857800adbae");
  EXPECT_EQ(o.tie_draw, 0.5429113710752649);
  EXPECT_EQ(o.delivery_draw, 0.6007466175017137);
  EXPECT_EQ(o.unrevealed, std::vector<std::int64_t>{5});
  ASSERT_EQ(o.bids.size(), 1u);  // the unrevealed commitment is no bid
  // The only bid 1.5 is the highest: q(1.5) = X(1.5)/G(1.5) = (1/4)/(1/2) (the other bidder is
  // below 1.5 with probability 1/2), and u(1) = 0.60 >= 1/2: not delivered.
  EXPECT_EQ(o.highest->bidder_id, 3);
  EXPECT_DOUBLE_EQ(o.win_probability, 0.5);
  EXPECT_FALSE(o.delivered);
  const auto j = dia::outcome_json(o);
  EXPECT_EQ(j["protocol"], "dia-lottery-v2");
  EXPECT_EQ(j["unrevealed_bidder_ids"], nlohmann::json::array({5}));
  // Every input moves the draws: another salt, terms, seed, or frozen set.
  dia::BidCommitment other_salt = revealed;
  other_salt.salt = repeat("02");
  const auto u = [&](const std::string& t, const std::string& s,
                     const std::vector<dia::BidCommitment>& frozen) {
    return dia::draw_lottery_v2(t, s, frozen, one_third()).delivery_draw;
  };
  EXPECT_NE(u(terms, seed, {unrevealed, other_salt}), o.delivery_draw);
  EXPECT_NE(u(repeat("ac"), seed, {unrevealed, revealed}), o.delivery_draw);
  EXPECT_NE(u(terms, repeat("12"), {unrevealed, revealed}), o.delivery_draw);
  EXPECT_NE(u(terms, seed, {revealed}), o.delivery_draw);
}

}  // namespace
