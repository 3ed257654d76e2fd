// Properties of the one-bidder sweep over random discrete distributions, each checked by an
// independent method: the CLP LP, the audit, Myerson's revenue, and E[v].
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <random>

#include "dia/audit.hpp"
#include "dia/classic.hpp"
#include "dia/distribution.hpp"
#include "dia/lp_check.hpp"
#include "dia/one_bidder.hpp"
#include "support/random_types.hpp"

namespace {

using dia::testing::random_types;
using dia::testing::spec_of;

double relative(double a, double b) { return std::fabs(a - b) / std::max(1e-300, std::fabs(b)); }

RC_GTEST_PROP(OneBidderSweep, EqualsTheClpLp, ()) {
  const auto types = *random_types(60);
  const auto sweep = dia::solve_one_bidder_sweep(types);
  const auto lp = dia::solve_one_bidder_lp(types);
  RC_ASSERT(lp.has_value());
  RC_ASSERT(relative(sweep.revenue, lp->revenue) <= 1e-6);
}

RC_GTEST_PROP(OneBidderSweep, PassesTheAuditWithAnExactCertificate, ()) {
  const auto types = *random_types(400);
  const auto sweep = dia::solve_one_bidder_sweep(types);
  const auto audit = dia::audit_one_bidder(types, sweep.mechanism, &sweep.plan);
  RC_ASSERT(audit.passed);
  RC_ASSERT(audit.dual_gap <= 1e-12);
  RC_ASSERT(audit.max_ic_violation <= 1e-12 * std::max(1.0, types.values.back()));
  RC_ASSERT(audit.max_ll_violation <= 1e-12 * std::max(1.0, types.values.back()));
  RC_ASSERT(relative(audit.primal, sweep.revenue) <= 1e-12 || std::fabs(sweep.revenue) < 1e-300);
}

RC_GTEST_PROP(OneBidderSweep, AllocationIsNondecreasingAndRevenueBoundedByMean, ()) {
  const auto types = *random_types(400);
  const auto sweep = dia::solve_one_bidder_sweep(types);
  const auto& x = sweep.mechanism.allocation;
  for (std::size_t k = 0; k + 1 < x.size(); ++k) RC_ASSERT(x[k] <= x[k + 1]);
  RC_ASSERT(x.back() == 1.0);
  RC_ASSERT(sweep.revenue <= dia::testing::mean_value(types) * (1 + 1e-12));
}

RC_GTEST_PROP(OneBidderSweep, NeverEarnsLessThanMyerson, ()) {
  const auto types = *random_types(200);
  const auto d = dia::parse_distribution(spec_of(types));
  RC_ASSERT(d.has_value());
  const auto sweep = dia::solve_one_bidder_sweep((*d)->atoms());
  const auto classic = dia::classic_revenues(**d, 1);
  RC_ASSERT(sweep.revenue >= classic.myerson * (1 - 1e-12));
}

// A few instances of a few hundred types against the LP (one LP each; m = 300 has 45k rows).
TEST(OneBidderSweep, EqualsTheClpLpOnLargerInstances) {
  for (int seed : {1, 2, 3}) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0, 1);
    dia::DiscreteTypes types;
    double v = unit(rng), total = 0;
    for (int k = 0; k < 100 + 100 * seed; ++k) {
      types.values.push_back(v += 0.01 + unit(rng));
      types.probabilities.push_back(std::exp(-20 * unit(rng)));
      total += types.probabilities.back();
    }
    for (double& p : types.probabilities) p /= total;
    const auto lp = dia::solve_one_bidder_lp(types);
    ASSERT_TRUE(lp.has_value()) << lp.error().message;
    EXPECT_LE(relative(dia::solve_one_bidder_sweep(types).revenue, lp->revenue), 1e-6);
  }
}

}  // namespace
