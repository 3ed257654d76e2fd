// Designing the optimal one-bidder inspection mechanism for any distribution: the front ends'
// entry point. Returns, as HiGHS does, a status, the mechanism and its audit, kept separate.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "dia/audit.hpp"
#include "dia/distribution.hpp"
#include "dia/mechanism.hpp"
#include "dia/one_bidder_continuous.hpp"

namespace dia {

enum class SolveStatus { kOptimal, kGridLimited, kFailed };
std::string to_string(SolveStatus status);

// One printed row of a mechanism (docs/model.md#glossary). Quantities are interim, for one bidder.
struct MechanismRow {
  double value = 0;
  double probability = 0;                      // mass of the atom, or of the row's quantile cell
  double allocation = 0;                       // X(v)
  double rent = 0;                             // R(v), the expected reward
  std::optional<double> best_alternative_bid;  // w*(v); none where the rent is 0
  std::optional<double> win_probability;  // n >= 2: q(v) = X(v)/G(v), the highest-bidder lottery
};

struct GridRevenue {
  std::size_t cells = 0;
  double revenue = 0;
  double cutoff = 0;
  // One bidder, default grids: relative, the change from the grid below plus the share of the
  // last tail cell (which the sweep sells outright); none for the first grid.
  std::optional<double> estimated_error;
};

struct DesignOptions {
  std::optional<std::size_t> grid;  // quantile cells for a continuous distribution
  std::optional<std::size_t> rows;  // printed rows; never changes the solve
};

// The exact discrete mechanism a design solved and audited: on the atoms of a discrete
// distribution, or on the finest quantile grid of a continuous one. Front ends that run auctions
// (simulate, serve) build their ex post rule from it.
struct InspectionMechanism {
  DiscreteTypes types;
  ReducedForm reduced;  // X and R per type, per bidder (interim)
  int bidders = 1;
};

// The general Border lottery built when q = X/G > 1 somewhere (2 bidders; see ex_post.hpp).
struct BorderLotterySummary {
  double max_reduced_form_error = 0;  // max_i |sum_j p_j x[i,j] - X_i|
  double max_pair_violation = 0;      // max (x[i,j] + x[j,i] - 1)
  double lower_bidder_wins = 0;       // P(the lower bidder gets the item)
  std::size_t types = 0;              // grid types of the profile lottery
  // How it runs: "profiles" (2 bidders, a lottery per bid profile), "transfers" or "hierarchies"
  // (any number; BorderLottery in ex_post.hpp).
  std::string form;
};

// Hard bounds on the optimal total revenue that dia checks before it prints (docs/status.md).
struct RevenueBounds {
  double lower = 0;  // the revenue of a mechanism known feasible, evaluated exactly
  double upper = 0;  // a dual bound, or n x the one-bidder optimum's bound
};

// The optimal inspection mechanism for n >= 1 symmetric bidders, as designed and audited.
struct InspectionDesign {
  int bidders = 1;
  SolveStatus status = SolveStatus::kFailed;
  double revenue = 0;
  double cutoff = 0;                   // the smallest value with allocation 1 (one bidder)
  std::optional<double> switch_point;  // n >= 2: from here up X = G, the highest bidder wins
  std::string implementation;          // the ex post rule built: see ex_post.hpp
  double max_win_probability = 0;      // max q = X/G over the types (<= 1 for the lottery)
  std::optional<BorderLotterySummary> border_lottery;  // when implementation = "border_lottery"
  std::optional<double> lower_bidder_wins;  // P(a lower bidder gets the item) under that rule
  double expected_reward = 0;               // n sum_k p_k R_k, paid back to truthful winners
  double sale_probability = 0;              // n sum_k p_k X_k
  std::vector<MechanismRow> rows;
  AuditReport audit;                     // of the exact discrete mechanism that was solved
  std::string method;                    // which route produced `revenue`
  std::size_t types = 0;                 // atoms or quantile cells of the audited mechanism
  std::vector<GridRevenue> convergence;  // grid refinements (continuous only)
  std::optional<OdeSolution> ode;        // the (ODE) route (continuous only)
  double estimated_error = 0;            // relative; never below the certificate's gap
  std::optional<RevenueBounds> bounds;   // continuous only: the optimum lies in [lower, upper]
  std::vector<std::string> notes;
  InspectionMechanism mechanism;
};

InspectionDesign design_one_bidder(const Distribution& distribution, const DesignOptions& options);

// n >= 2 symmetric bidders (docs/model.md#symmetric): the structured construction when its
// Border-multiplier dual certifies it, else the (LP) with Border rows by row generation;
// continuous distributions on refined quantile grids with Richardson extrapolation.
InspectionDesign design_symmetric(const Distribution& distribution, int bidders,
                                  const DesignOptions& options);

// A further lower bound on a continuous design's optimum (Myerson's revenue: his mechanism stays
// feasible with inspection): the printed revenue is settled again against the bounds
// (docs/status.md).
void add_lower_bound(InspectionDesign& design, double lower);

// Checks, before any long computation, that the request fits the methods: 1 <= bidders <= 50,
// for n >= 2 at most kMaxSymmetricTypes atoms (the (LP) must be able to take over when the
// structured construction does not certify) and kMaxStructuredCells --grid cells (beyond
// kMaxSymmetricTypes the (LP) fallback solves a coarser grid, with a note).
inline constexpr std::size_t kMaxSymmetricTypes = 3000;
inline constexpr std::size_t kMaxStructuredCells = 100000;
Expected<void> validate_design_request(const Distribution& distribution, int bidders,
                                       const DesignOptions& options);

// Dispatches on the number of bidders.
InspectionDesign design_inspection(const Distribution& distribution, int bidders,
                                   const DesignOptions& options);

// The optimal mechanism for `bidders` i.i.d. bidders, ready to run. Fails when the design's audit
// fails. On the quantile grid of a continuous distribution, X is capped at F(v)^(n-1) so that the
// highest-bidder lottery can run it for every bid (a change of the order of the squared cell
// width), with the rents recomputed.
Expected<InspectionMechanism> design_mechanism(const Distribution& distribution, int bidders,
                                               const DesignOptions& options = {});

}  // namespace dia
