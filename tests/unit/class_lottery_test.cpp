// dia-lottery-v2 on designs with bidder classes (dia/class_lottery.hpp): the hashes from their
// written definition, the draw's frequencies against an interim allocation worked out by hand, and
// the seats' checks.
#include "dia/class_lottery.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "dia/asymmetric_report.hpp"

namespace {

std::string repeat(const char* pair) {
  std::string s;
  for (int i = 0; i < 32; ++i) s += pair;
  return s;
}

// Two seats of class A (values 1 or 3, each 1/2) and one of class B (2 w.p. 0.6, 4 w.p. 0.4).
// "The highest value wins, ties uniformly" has, by hand: X_A(1) = 0 (B is always above 1);
// X_A(3) = P(B = 2) (P(other A = 1) + P(other A = 3) / 2) = 0.6 * 0.75 = 0.45; X_B(4) = 1;
// X_B(2) = P(both A = 1) = 0.25. Scaled by `sale` (the item kept with chance 1 - sale).
std::vector<dia::ClassDesign> two_classes(double sale) {
  return {{"discrete(1:0.5,3:0.5)", 2, {{1, 3}, {0.5, 0.5}}, {0, 0.45 * sale}},
          {"discrete(2:0.6,4:0.4)", 1, {{2, 4}, {0.6, 0.4}}, {0.25 * sale, sale}}};
}

double uniform_of_hex(const std::string& hex) {
  const std::uint64_t word = std::stoull(hex.substr(0, 16), nullptr, 16);
  return std::ldexp(static_cast<double>(word >> 11), -53);
}

std::string random_hex(std::mt19937_64& rng) {
  std::string hex;
  char word[17];
  for (int i = 0; i < 4; ++i) {
    std::snprintf(word, sizeof word, "%016llx", static_cast<unsigned long long>(rng()));
    hex += word;
  }
  return hex;
}

TEST(ClassLottery, HashesAndRankingFollowTheWrittenDefinition) {
  const auto classes = two_classes(1.0);
  EXPECT_EQ(dia::class_design_digest_text(classes),
            "dia-design-classes-v1\nclasses=2\nclass=0\nvalues=discrete(1:0.5,3:0.5)\ncount=2\n"
            "grid=1,3\nallocation=0,0.45000000000000001\nprobabilities=0.5,0.5\nclass=1\n"
            "values=discrete(2:0.6,4:0.4)\ncount=1\ngrid=2,4\nallocation=0.25,1\n"
            "probabilities=0.59999999999999998,0.40000000000000002\n");
  auto rule = dia::class_rule(classes);
  ASSERT_TRUE(rule.has_value()) << rule.error().message;
  const std::string terms = repeat("ab"), seed = repeat("11");
  // Bidder 9 (class B) reveals 2.5 (plays as 2), bidder 4 (class A, seat 1) 3; bidder 7 (class
  // A, seat 0) does not reveal.
  const std::vector<dia::BidCommitment> frozen{{9, repeat("c9"), 2'500'000, repeat("09")},
                                               {4, repeat("c4"), 3'000'000, repeat("04")},
                                               {7, repeat("c7"), std::nullopt, ""}};
  const std::vector<dia::ClassSeat> seats{{4, 0, 1}, {7, 0, 0}, {9, 1, 0}};
  auto o = dia::draw_lottery_classes(terms, seed, frozen, seats, classes, *rule);
  ASSERT_TRUE(o.has_value()) << o.error().message;
  EXPECT_EQ(o->seats_sha256, dia::sha256_hex("4:0:1\n7:0:0\n9:1:0\n"));
  EXPECT_EQ(o->commitments_sha256, dia::sha256_hex("4:" + repeat("c4") + "\n7:" + repeat("c7") +
                                                   "\n9:" + repeat("c9") + "\n"));
  EXPECT_EQ(o->bids_sha256,
            dia::sha256_hex("4:3000000:" + repeat("04") + "\n9:2500000:" + repeat("09") + "\n"));
  const double u0 = uniform_of_hex(dia::sha256_hex("dia-lottery-v2|" + terms + "|" + seed + "|" +
                                                   o->commitments_sha256 + "|" + o->bids_sha256 +
                                                   "|" + o->seats_sha256 + "|0"));
  EXPECT_EQ(o->tie_draw, u0);
  double before = 0;
  for (std::size_t k = 0; k < o->ranking; ++k) before += rule->weight(k);
  EXPECT_LE(before, u0);
  EXPECT_LT(u0, before + rule->weight(o->ranking));
  // The winner is the present pair ranked first: seat 1 of A at type 3 against B at type 2.
  const std::uint32_t a = rule->priority(o->ranking, 1, 1), b = rule->priority(o->ranking, 2, 0);
  ASSERT_TRUE(o->delivered ||
              (a == dia::PriorityRankings::kBelowCut && b == dia::PriorityRankings::kBelowCut));
  if (o->delivered) {
    EXPECT_EQ(o->winner->bidder_id, a < b ? 4 : 9);
    EXPECT_EQ(o->winner_class, a < b ? 0 : 1);
  }
  const auto j = dia::outcome_json(*o);
  EXPECT_EQ(j["rule"], "priority_rankings");
  EXPECT_EQ(j["ranking_draw"], u0);
  EXPECT_EQ(j["unrevealed_bidder_ids"], nlohmann::json::array({7}));
  EXPECT_FALSE(j.contains("delivery_draw"));
}

// Over many auctions with types drawn from the classes, the winner's frequency at each (class,
// type) is X_c(type) of the design: within 4.5 standard errors per cell (a false alarm has chance
// below 1e-5 per cell), exactly where X is 0 or 1.
TEST(ClassLottery, WinnerFrequenciesMatchTheInterimAllocation) {
  for (const double sale : {1.0, 0.8}) {
    const auto classes = two_classes(sale);
    auto rule = dia::class_rule(classes);
    ASSERT_TRUE(rule.has_value()) << rule.error().message;
    const std::vector<dia::ClassSeat> seats{{1, 0, 0}, {2, 0, 1}, {3, 1, 0}};
    std::mt19937_64 rng(20261207);
    std::uniform_real_distribution<double> unit(0, 1);
    double trials[2][2] = {}, wins[2][2] = {};
    constexpr int kAuctions = 60'000;
    for (int n = 0; n < kAuctions; ++n) {
      std::vector<dia::BidCommitment> frozen;
      int type_of[4] = {};
      for (const auto& s : seats) {
        const auto& c = classes[std::size_t(s.bidder_class)];
        const int t = unit(rng) < c.types.probabilities[0] ? 0 : 1;
        type_of[s.bidder_id] = t;
        trials[s.bidder_class][t] += 1;
        // A bid strictly between grid values plays as the value below it.
        const auto amount = static_cast<dia::Micros>(c.types.values[std::size_t(t)] * 1e6) + 7;
        frozen.push_back({s.bidder_id, repeat("cc"), amount, random_hex(rng)});
      }
      auto o =
          dia::draw_lottery_classes(repeat("ab"), random_hex(rng), frozen, seats, classes, *rule);
      ASSERT_TRUE(o.has_value());
      if (o->delivered) {
        const int who = static_cast<int>(o->winner->bidder_id);
        wins[o->winner_class][type_of[who]] += 1;
        EXPECT_EQ(o->winner_class, seats[std::size_t(who - 1)].bidder_class);
      }
    }
    for (int c = 0; c < 2; ++c) {
      for (int t = 0; t < 2; ++t) {
        const double x = classes[std::size_t(c)].allocation[std::size_t(t)];
        const double n = trials[c][t], observed = wins[c][t] / n;
        const double tolerance = x <= 0 || x >= 1 ? 0 : 4.5 * std::sqrt(x * (1 - x) / n);
        EXPECT_LE(std::abs(observed - x), tolerance)
            << "sale " << sale << ", class " << c << ", type " << t << ": " << wins[c][t] << "/"
            << n;
      }
    }
  }
}

// Two classes of one seat, both uniform(0,1), on the 2-cell grid (means 1/4 and 3/4, X = (1/4,
// 3/4)). Continuous bids play as the mean at or below them, so under uniform(0,1) the steps carry
// 1/2 and 1/4 (below 1/4 never wins); the served rule delivers X only if built on those masses.
// Ranked on the cells' masses 1/2, this draw gave step 1/4 a chance of 0.435 and step 3/4 0.875.
TEST(ClassLottery, ContinuousBidsWinTheirDesignedChance) {
  const dia::ClassDesign c{"uniform(0,1)", 1, {{0.25, 0.75}, {0.5, 0.5}}, {0.25, 0.75}};
  const std::vector<dia::ClassDesign> classes{c, c};
  auto rule = dia::class_rule(classes);
  ASSERT_TRUE(rule.has_value()) << rule.error().message;
  const std::vector<dia::ClassSeat> seats{{1, 0, 0}, {2, 1, 0}};
  std::mt19937_64 rng(20261208);
  std::uniform_real_distribution<double> unit(0, 1);
  double trials[2] = {}, wins[2] = {};
  constexpr int kAuctions = 40'000;
  for (int n = 0; n < kAuctions; ++n) {
    std::vector<dia::BidCommitment> frozen;
    int step_of[3] = {-1, -1, -1};
    for (const auto& s : seats) {
      const double v = unit(rng);
      step_of[s.bidder_id] = v >= 0.75 ? 1 : v >= 0.25 ? 0 : -1;
      if (step_of[s.bidder_id] >= 0) trials[step_of[s.bidder_id]] += 1;
      frozen.push_back(
          {s.bidder_id, repeat("cc"), static_cast<dia::Micros>(v * 1e6), random_hex(rng)});
    }
    auto o =
        dia::draw_lottery_classes(repeat("ab"), random_hex(rng), frozen, seats, classes, *rule);
    ASSERT_TRUE(o.has_value());
    if (o->delivered) {
      const int step = step_of[o->winner->bidder_id];
      ASSERT_GE(step, 0) << "a bid below the grid won";
      wins[step] += 1;
    }
  }
  for (int t = 0; t < 2; ++t) {
    const double x = c.allocation[std::size_t(t)], observed = wins[t] / trials[t];
    EXPECT_LE(std::abs(observed - x), 4.5 * std::sqrt(x * (1 - x) / trials[t]))
        << "step " << t << ": " << wins[t] << "/" << trials[t];
  }
}

// The rule `dia design` prints (its JSON ex_post_rule) is the one `dia serve` runs: the served
// rule is rebuilt, as the service does, from the stored classes (each class's grid and seat-
// averaged X through class_designs_json) on the step masses a continuous bid plays at. On the
// cells' masses (the printed rule before) a uniform(0,2) class's top steps carry other masses,
// and lower_bidder_wins and the reduced form error differ.
TEST(ClassLottery, ThePrintedRuleIsTheServedRule) {
  auto classes = dia::parse_bidder_classes({"2*uniform(0,1)", "uniform(0,2)"});
  ASSERT_TRUE(classes.has_value()) << classes.error().message;
  dia::DesignOptions options;
  options.grid = 12;
  const dia::AsymmetricDesign design = dia::design_asymmetric(*classes, options);
  ASSERT_TRUE(design.ex_post_rule) << ::testing::PrintToString(design.notes);
  std::vector<dia::ClassDesign> stored;
  for (const auto& c : design.classes) stored.push_back({c.values, c.count, c.types, c.allocation});
  auto reread = dia::class_designs_from_json(dia::class_designs_json(stored));
  ASSERT_TRUE(reread.has_value()) << reread.error().message;
  auto served = dia::class_rule(*reread);
  ASSERT_TRUE(served.has_value()) << served.error().message;
  const auto printed = dia::to_json(design)["ex_post_rule"];
  EXPECT_EQ(printed["rankings"].get<std::size_t>(), served->rankings());
  EXPECT_EQ(printed["pairs"].get<std::size_t>(), served->pairs());
  EXPECT_DOUBLE_EQ(printed["lower_bidder_wins"].get<double>(), served->lower_bidder_wins());
  EXPECT_DOUBLE_EQ(printed["max_reduced_form_error"].get<double>(),
                   served->max_reduced_form_error());
  const dia::PriorityRankings& rule = *design.ex_post_rule;
  ASSERT_EQ(rule.rankings(), served->rankings());
  for (std::size_t k = 0; k < rule.rankings(); ++k) {
    EXPECT_DOUBLE_EQ(rule.weight(k), served->weight(k)) << "ranking " << k;
    for (std::size_t b = 0; b < rule.bidders(); ++b) {
      for (std::size_t t = 0; t < design.classes[b < 2 ? 0 : 1].types.size(); ++t) {
        EXPECT_EQ(rule.priority(k, b, t), served->priority(k, b, t));
      }
    }
  }
}

TEST(ClassLottery, BidsBelowTheGridNeverWinAndSeatsAreChecked) {
  const auto classes = two_classes(1.0);
  auto rule = dia::class_rule(classes);
  ASSERT_TRUE(rule.has_value());
  // B bids below its grid (1.9 < 2): absent; A at 3 then wins whenever its pair is ranked.
  const std::vector<dia::BidCommitment> frozen{{1, repeat("c1"), 3'000'000, repeat("01")},
                                               {3, repeat("c3"), 1'900'000, repeat("03")}};
  std::mt19937_64 rng(7);
  for (int n = 0; n < 200; ++n) {
    auto o = dia::draw_lottery_classes(repeat("ab"), random_hex(rng), frozen,
                                       {{1, 0, 0}, {3, 1, 0}}, classes, *rule);
    ASSERT_TRUE(o.has_value());
    EXPECT_TRUE(!o->delivered || o->winner->bidder_id == 1);
  }
  const auto error = [&](const std::vector<dia::ClassSeat>& seats) {
    auto o = dia::draw_lottery_classes(repeat("ab"), repeat("11"), frozen, seats, classes, *rule);
    return o ? std::string() : o.error().message;
  };
  EXPECT_EQ(error({{1, 0, 0}}), "bidder 3 committed without a seat");
  EXPECT_EQ(error({{1, 0, 0}, {3, 0, 0}}), "bidder 3's seat is given twice");
  EXPECT_EQ(error({{1, 0, 2}, {3, 1, 0}}), "bidder 1 has no valid seat of the design");
  EXPECT_EQ(error({{1, 0, 0}, {3, 2, 0}}), "bidder 3 has no valid seat of the design");
}

}  // namespace
