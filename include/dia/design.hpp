// Designing the optimal one-bidder inspection mechanism for any distribution: the front ends'
// entry point. Returns, as HiGHS does, a status, the mechanism and its audit, kept separate.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "dia/audit.hpp"
#include "dia/mechanism.hpp"
#include "dia/distribution.hpp"
#include "dia/one_bidder_continuous.hpp"

namespace dia {

enum class SolveStatus { kOptimal, kGridLimited, kFailed };
std::string to_string(SolveStatus status);

// One printed row of a mechanism (MODEL.md glossary). Quantities are interim, for one bidder.
struct MechanismRow {
  double value = 0;
  double probability = 0;                      // mass of the atom, or of the row's quantile cell
  double allocation = 0;                       // X(v)
  double rent = 0;                             // R(v), the expected reward
  std::optional<double> best_alternative_bid;  // w*(v); none where the rent is 0
};

struct GridRevenue {
  std::size_t cells = 0;
  double revenue = 0;
  double cutoff = 0;
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

struct OneBidderDesign {
  SolveStatus status = SolveStatus::kFailed;
  double revenue = 0;
  double cutoff = 0;  // the smallest value with allocation 1
  std::vector<MechanismRow> rows;
  AuditReport audit;                     // of the exact discrete mechanism that was solved
  std::string method;                    // which route produced `revenue`
  std::size_t types = 0;                 // atoms or quantile cells of the audited mechanism
  std::vector<GridRevenue> convergence;  // grid refinements (continuous only)
  std::optional<OdeSolution> ode;        // the (ODE) route (continuous only)
  double estimated_error = 0;            // relative, between the routes (continuous only)
  std::vector<std::string> notes;
  InspectionMechanism mechanism;
};

OneBidderDesign design_one_bidder(const Distribution& distribution, const DesignOptions& options);

// The optimal mechanism for `bidders` i.i.d. bidders, ready to run. Fails when the design's audit
// fails, and (for now) for bidders > 1: the n-bidder designer (MODEL.md section 6) is not built yet.
Expected<InspectionMechanism> design_mechanism(const Distribution& distribution, int bidders,
                                               const DesignOptions& options = {});

}  // namespace dia
