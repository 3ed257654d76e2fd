// Properties of the asymmetric designer over random bidders (docs/asymmetric.md): inspection
// never earns less than Myerson, Myerson never less than the second price with the best anonymous
// reserve, truth is a best response for every bidder, and limited liability holds.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "dia/asymmetric.hpp"
#include "support/random_types.hpp"

namespace dia {
namespace {

rc::Gen<std::vector<DiscreteTypes>> random_bidders() {
  return rc::gen::exec([] {
    const int n = *rc::gen::inRange(2, 5);
    std::vector<DiscreteTypes> out;
    for (int i = 0; i < n; ++i) out.push_back(*testing::random_types(6, 10));
    return out;
  });
}

RC_GTEST_PROP(AsymmetricProperty, InspectionBeatsMyersonBeatsAnonymousReserve, ()) {
  const auto bidders = *random_bidders();
  const auto solved = solve_asymmetric(bidders);
  RC_ASSERT(solved.has_value());
  const auto classic = asymmetric_classic_revenues(bidders);
  const double scale = 1e-9 * std::max(1.0, solved->revenue);
  RC_ASSERT(solved->revenue >= classic.myerson - scale);
  RC_ASSERT(classic.myerson >= classic.second_price_anonymous_reserve - scale);
  RC_ASSERT(classic.second_price_anonymous_reserve >= classic.second_price - scale);
  RC_ASSERT(solved->dual_gap <= 1e-7);
}

RC_GTEST_PROP(AsymmetricProperty, TruthIsABestResponseWithLimitedLiability, ()) {
  const auto bidders = *random_bidders();
  const auto solved = solve_asymmetric(bidders);
  RC_ASSERT(solved.has_value());
  for (std::size_t i = 0; i < bidders.size(); ++i) {
    const auto& v = bidders[i].values;
    const auto& x = solved->mechanism[i].allocation;
    const auto& r = solved->mechanism[i].rent;
    for (std::size_t k = 0; k < v.size(); ++k) {
      const double tolerance = 1e-12 * std::max(1.0, v[k]);
      RC_ASSERT(x[k] >= 0 && x[k] <= 1);
      RC_ASSERT(r[k] >= 0 && r[k] <= v[k] * x[k] + tolerance);  // (LL)
      // Reporting w deposits w and forfeits the reward: (v - w) X(w), <= 0 above v.
      for (std::size_t j = 0; j < v.size(); ++j) {
        RC_ASSERT((v[k] - v[j]) * x[j] <= r[k] + tolerance);
      }
    }
  }
}

}  // namespace
}  // namespace dia
