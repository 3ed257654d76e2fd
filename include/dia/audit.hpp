// Independent checks of a one-bidder mechanism (docs/model.md#audit). This code never calls a
// solver: it takes a mechanism and a dual plan and recomputes everything from scratch.
#pragma once

#include <span>
#include <vector>

#include "dia/discrete_types.hpp"
#include "dia/mechanism.hpp"

namespace dia {

struct AuditReport {
  double max_ic_violation = 0;  // max_{w < v} ((v - w) X(w) - R(v))^+ over the checked types
  double max_ll_violation = 0;  // max of (R - v X)^+, (-R)^+, (-X)^+, (X - 1)^+
  double max_monotonicity_violation = 0;  // max of (X_k - X_{k+1})^+
  double primal = 0;                      // sum_k p_k (v_k X_k - R_k), recomputed here
  double dual = 0;                        // the plan's objective sum_j (p_j v_j - coverage_j)^+
  double max_plan_violation = 0;          // a plan shipping more than a type's mass, or upwards
  double dual_gap = 0;                    // |primal - dual| / max(1, |dual|)
  double max_border_violation = 0;        // max_k (n sum_{l >= k} p_l X_l - (1 - F_{k-1}^n))^+
  bool passed = false;
};

// Tolerances above which an audit fails, absolute on the scale max(1, largest value).
struct AuditTolerances {
  double ic = 1e-9;
  double ll = 1e-9;
  double dual_gap = 1e-9;
  // Border's rows n sum_{l >= k} p_l X_l <= 1 - F_{k-1}^n, absolute: an optimum meets them up to
  // rounding (~1e-15) or the LP's 1e-12, and a row broken by 1e-9 must fail.
  double border = 1e-10;
};

// IC (RENT) and LL on the given types; with a plan, weak duality (DUAL) and the gap.
// O(m log m) (an upper envelope of the lines w -> X(w) (v - w)), fine at m = 10^6.
AuditReport audit_one_bidder(const DiscreteTypes& types, const ReducedForm& mechanism,
                             const CoveragePlan* plan, const AuditTolerances& tolerances = {});

// The same for n >= 1 symmetric bidders: IC, LL, Border's condition (F) on thresholds, and with
// a certificate the bound of docs/model.md#certificate (Border, monotonicity and IC multipliers).
// Primal and dual are for all n bidders together.
AuditReport audit_symmetric(const DiscreteTypes& types, int bidders, const ReducedForm& mechanism,
                            const SymmetricCertificate* certificate,
                            const AuditTolerances& tolerances = {});

// The largest deviation gain max_{w < v_k} (v_k - w) X(w) for every k: the smallest rent IC allows.
std::vector<double> deviation_envelope(std::span<const double> values,
                                       std::span<const double> allocation);

}  // namespace dia
