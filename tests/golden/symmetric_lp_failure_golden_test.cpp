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

}  // namespace
