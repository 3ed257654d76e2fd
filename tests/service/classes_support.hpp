// The fixture of the service tests on designs with bidder classes (docs/api.md, "Bidder
// classes"): a design with two classes (two seats and one), dia-lottery-v2 auctions on it, and the
// operator's admissions.
#pragma once

#include <algorithm>
#include <cmath>

#include "sealed_support.hpp"

namespace dia::testing {

inline const json kClasses = json::array({"2*discrete(1:0.5,3:0.5)", "discrete(2:0.6,4:0.4)"});

// A truthful winner's reward by hand: floor(max over grid values v <= w of (w - v) X(v) / X(w)),
// X(w) the step of the largest grid value <= w, in micros (long double: the grid is whole micros).
inline Micros reward_by_hand(const json& cls, Micros bid) {
  const auto v = cls["reduced_form"]["values"].get<std::vector<double>>();
  const auto x = cls["reduced_form"]["allocation"].get<std::vector<double>>();
  std::size_t step = 0;
  while (step < v.size() && v[step] * 1e6 <= double(bid)) ++step;
  if (step == 0 || x[step - 1] <= 0) return 0;
  long double best = 0;
  for (std::size_t i = 0; i < step; ++i) {
    best = std::max(best, (bid - std::llround(v[i] * 1e6)) *
                              (long double)std::min(x[i], x[step - 1]) / x[step - 1]);
  }
  return std::min<Micros>(bid, static_cast<Micros>(std::floor(best)));
}

// Class 0: two bidders on discrete(1:0.5,3:0.5); class 1: one bidder on discrete(2:0.6,4:0.4).
class ClassesTest : public ServiceTest {
 protected:
  json design() {
    const Answer d = op().post("/v1/designs", json{{"bidders", kClasses}}, unique_key());
    EXPECT_EQ(d.status, 201) << d.body;
    return d.body;
  }
  std::int64_t class_auction(std::int64_t design_id) {
    return auction({{"design_id", design_id},
                    {"protocol", "dia-lottery-v2"},
                    {"max_bid_micros", 5'000'000},
                    {"penalty_micros", 100'000},
                    {"reveal_seconds", 600}});
  }
  Answer admit(std::int64_t auction_id, std::int64_t bidder, int cls) {
    return op().post("/v1/auctions/" + std::to_string(auction_id) + "/bidders",
                     json{{"bidder_id", bidder}, {"class", cls}}, unique_key());
  }
};

}  // namespace dia::testing
