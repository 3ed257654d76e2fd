// When the n-bidder (LP) ladder fails (issue 16: pareto(1,1.5) with 3 bidders printed `failed`,
// revenue 0, an empty method and an audit of 0 types), the design still prints what is certified.
// CLP cannot be made to fail on demand, so the fallback is called directly. The bracket comes from
// tests/reference/highest_bidder.py (scipy, no dia code): the highest-bidder rule's revenue
// 2.86264041202 below, 3 x the one-bidder optimum 1.208102516732686 = 3.6243075502 above.
#include <gtest/gtest.h>

#include "dia/distribution.hpp"
#include "solvers/design_bounds.hpp"

namespace {

TEST(SymmetricLpFailure, PrintsTheCertifiedBracketInsteadOfRevenueZero) {
  const double lower = 2.86264041202, upper = 3.6243075502;
  const auto d = dia::parse_distribution("pareto(1,1.5)");
  ASSERT_TRUE(d) << d.error().message;
  const dia::InspectionDesign design =
      dia::detail::design_after_lp_failure(**d, 3, {}, 500, "row generation did not settle");
  EXPECT_EQ(design.status, dia::SolveStatus::kGridLimited);
  EXPECT_FALSE(design.method.empty());
  EXPECT_NE(design.method.find("the (LP) failing on 500 cells"), std::string::npos)
      << design.method;
  // A meaningful audit: of the printed mechanism's grid, passed.
  EXPECT_GT(design.audit.primal, 0);
  EXPECT_GE(design.types, 5000u);
  EXPECT_TRUE(design.audit.passed);
  ASSERT_TRUE(design.bounds);
  EXPECT_NEAR(design.bounds->lower, lower, 1e-9 * lower);
  EXPECT_LE(design.bounds->upper, upper * (1 + 1e-9));
  EXPECT_GE(design.bounds->upper, design.revenue);
  EXPECT_GE(design.revenue, lower * (1 - 1e-9));
  EXPECT_LE(design.revenue, upper);
  // The stated error reaches both ends of the bracket it claims.
  EXPECT_GE(design.revenue * (1 + design.estimated_error), design.bounds->upper * (1 - 1e-12));
  EXPECT_LE(design.revenue * (1 - design.estimated_error), lower * (1 + 1e-9));
  bool noted = false;
  for (const auto& note : design.notes) {
    noted |= note.find("the (LP) failed on 500 cells") != std::string::npos;
  }
  EXPECT_TRUE(noted);
}

// Discrete atoms where neither the (LP) nor the structured construction gives a feasible mechanism
// (once the 1459-atom pareto input: `failed`, revenue 0) print the highest-bidder rule, its error
// the bracket up to n x the one-bidder optimum. Worked by hand for atoms 1 and 2 with mass 1/2
// and 2 bidders: G = (1/4, 3/4), the smallest rents R = (0, (2 - 1) 1/4), so the revenue is
// 2 [1/2 (1/4) + 1/2 (2 (3/4) - 1/4)] = 3/2; one bidder's optimum is 1 (selling at 1 or at 2 for
// half the mass earns 1 either way), so the bracket is [3/2, 2], error 1/3.
TEST(SymmetricLpFailure, DiscreteAtomsPrintTheHighestBidderRuleWithItsBracket) {
  const auto d = dia::parse_distribution("discrete(1:0.5,2:0.5)");
  ASSERT_TRUE(d) << d.error().message;
  const dia::InspectionDesign design = dia::detail::discrete_bracket_design((*d)->atoms(), 2);
  EXPECT_EQ(design.status, dia::SolveStatus::kGridLimited);
  EXPECT_NEAR(design.revenue, 1.5, 1e-15);
  EXPECT_NEAR(design.audit.primal, 1.5, 1e-15);
  EXPECT_NEAR(design.audit.dual, 2.0, 1e-15);
  EXPECT_TRUE(design.audit.passed);
  EXPECT_EQ(design.types, 2u);
  EXPECT_NEAR(design.estimated_error, 1.0 / 3, 1e-12);
  ASSERT_EQ(design.mechanism.reduced.allocation.size(), 2u);
  EXPECT_NEAR(design.mechanism.reduced.allocation[0], 0.25, 1e-15);
  EXPECT_NEAR(design.mechanism.reduced.allocation[1], 0.75, 1e-15);
}

}  // namespace
