// Designing the optimal inspection mechanism for independent bidders of several classes (a class:
// K identical bidders of one SPEC), the front ends' entry point for `dia design --bidder`
// (docs/asymmetric.md). As for symmetric bidders: a status, the mechanism and its audit.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "dia/asymmetric.hpp"
#include "dia/design.hpp"
#include "dia/distribution.hpp"
#include "dia/priority_rankings.hpp"

namespace dia {

inline constexpr int kMaxBidders = 50;

struct BidderClass {
  std::string values;  // the normalised SPEC
  int count = 1;       // K identical bidders
  DistributionPtr distribution;
};

// Parses `K*SPEC` or `SPEC` for each entry. Errors (one line) name the bidder: an empty list,
// K < 1, a SPEC error, more than kMaxBidders bidders in all. `files` as in parse_distribution
// (`dia serve` refuses a SPEC that names a file).
Expected<std::vector<BidderClass>> parse_bidder_classes(const std::vector<std::string>& entries,
                                                        SpecFiles files = SpecFiles::kRead);

// The bidders of the classes (K per class) with the types their classic baselines are valued on:
// the atoms, or an equal-mass quantile grid of kClassicCells cells of a continuous class.
inline constexpr std::size_t kClassicCells = 2000;
std::vector<DiscreteTypes> classic_types(const std::vector<BidderClass>& classes);

// The row generation's reach: at most 2000 atoms over all bidders (kTooLarge otherwise).
Expected<void> check_class_atoms(const std::vector<BidderClass>& classes);

struct BidderClassDesign {
  std::string values;
  int count = 1;
  double revenue = 0;              // the class's bidders together
  double revenue_share = 0;        // of the total inspection revenue
  double sale_probability = 0;     // P(a bidder of the class gets the item)
  double expected_reward = 0;      // paid back to the class's truthful winners, in all
  std::vector<MechanismRow> rows;  // one bidder of the class
  DiscreteTypes types;             // the audited types of one bidder
  ReducedForm reduced;             // its X and R
  // X averaged over the class's seats (identical bidders: averaging the optimum over their
  // permutations keeps it feasible and optimal): what dia serve stores and its rule runs.
  std::vector<double> allocation;
};

struct AsymmetricDesign {
  SolveStatus status = SolveStatus::kFailed;
  double revenue = 0;
  AsymmetricClassicRevenues classic;
  std::vector<BidderClassDesign> classes;
  AsymmetricSolution solution;  // of the finest grid: certificate, Border, measured properties
  AuditReport audit;            // IC, LL (recomputed), Border, dual gap
  // The ex post rule: a lottery over priority rankings of every bidder's (bidder, type) pairs
  // (docs/asymmetric.md section 7); null when it could not be built (a note says why).
  std::shared_ptr<const PriorityRankings> ex_post_rule;
  std::string method;
  std::size_t types = 0;  // types of all bidders in the audited LP
  std::vector<GridRevenue> convergence;
  double estimated_error = 0;
  std::vector<std::string> notes;
};

// "2*lognormal(0,0.5) + lognormal(1,0.5)": the classes as given, for people and JSON `values`.
std::string bidder_classes_text(const AsymmetricDesign& design);
std::string bidder_classes_text(const std::vector<BidderClass>& classes);

AsymmetricDesign design_asymmetric(const std::vector<BidderClass>& classes,
                                   const DesignOptions& options);

}  // namespace dia
