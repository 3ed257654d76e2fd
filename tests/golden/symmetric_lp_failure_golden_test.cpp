// When the n-bidder (LP) ladder fails (issue 16: pareto(1,1.5) with 3 bidders printed `failed`,
// revenue 0, an empty method and an audit of 0 types), the design still prints what is certified.
// CLP cannot be made to fail on demand, so the fallback is called directly, or reached through the
// designer with one rung of the (LP) ladder made to fail (detail::design_symmetric_with). The
// bracket comes from tests/reference/highest_bidder.py (scipy, no dia code): the highest-bidder
// rule's revenue 2.86264041202 below, 3 x the one-bidder optimum 1.208102516732686 = 3.6243075502
// above.
#include <gtest/gtest.h>

#include <string>

#include "dia/distribution.hpp"
#include "dia/symmetric.hpp"
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

// The coarser-grid fallback reached through the designer: uniform(1,2) with 2 bidders goes to the
// (LP) ladder (125, 250, 500, 1000 cells; the structured construction does not certify), and the
// 500-cell rung fails here as CLP would, after 125 and 250 solved for real. The design prints the
// 250-cell grid, `grid_limited`, and stops the ladder. Its bounds: below, the highest-bidder rule
// X = G = v - 1 with the smallest rents R(v) = max_w (v - w)(w - 1) = (v - 1)^2 / 4, worked by
// hand: 2 int_1^2 [v (v - 1) - (v - 1)^2 / 4] dv = 2 (1/3 + 1/2 - 1/12) = 3/2; above, 2 x E[v] = 3.
TEST(SymmetricLpFailure, LadderFailingAfterACoarserGridPrintsThatGrid) {
  const auto d = dia::parse_distribution("uniform(1,2)");
  ASSERT_TRUE(d) << d.error().message;
  std::vector<std::size_t> asked;
  const auto failing_at_500 =
      [&asked](const dia::DiscreteTypes& types, int n,
               const dia::AllocationHint* hint) -> dia::Expected<dia::SymmetricSolution> {
    asked.push_back(types.size());
    if (types.size() == 500) {
      return tl::unexpected(
          dia::Error{dia::ErrorCode::kAuditFailed, "CLP did not reach optimality (injected)", ""});
    }
    return dia::solve_symmetric(types, n, hint);
  };
  const dia::InspectionDesign design =
      dia::detail::design_symmetric_with(**d, 2, {}, failing_at_500);
  EXPECT_EQ(asked, (std::vector<std::size_t>{125, 250, 500}));  // no rung after the failure
  EXPECT_EQ(design.status, dia::SolveStatus::kGridLimited);
  EXPECT_NE(design.method.find("on a 250-cell quantile grid"), std::string::npos) << design.method;
  EXPECT_NE(design.method.find("the (LP) failing on 500 cells"), std::string::npos)
      << design.method;
  bool noted = false;
  for (const auto& note : design.notes) {
    noted |= note.find("the (LP) failed on 500 cells: CLP did not reach optimality (injected)") !=
             std::string::npos;
  }
  EXPECT_TRUE(noted);
  // The audit is of the printed 250-cell grid, passed, and the revenue printed is its own.
  EXPECT_EQ(design.types, 250u);
  EXPECT_TRUE(design.audit.passed);
  EXPECT_NEAR(design.revenue, design.audit.primal, 1e-12 * design.revenue);
  ASSERT_TRUE(design.bounds);
  EXPECT_GE(design.bounds->lower, 1.5 * (1 - 1e-12));
  EXPECT_LE(design.bounds->lower, design.revenue);
  EXPECT_GE(design.bounds->upper, design.revenue);
  EXPECT_LE(design.bounds->upper, 3.0);
  // The stated error is the distance to the hard bounds: it reaches both.
  EXPECT_LE(design.revenue * (1 - design.estimated_error), design.bounds->lower * (1 + 1e-12));
  EXPECT_GE(design.revenue * (1 + design.estimated_error), design.bounds->upper * (1 - 1e-12));
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
