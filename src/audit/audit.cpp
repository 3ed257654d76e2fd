// The audit of a one-bidder mechanism: IC, LL, monotonicity and the dual certificate, recomputed
// from the mechanism and plan alone (MODEL.md sections 3-5).
#include <algorithm>
#include <cmath>

#include "dia/audit.hpp"
#include "numeric/compensated_sum.hpp"

namespace dia {
namespace {

// Weak duality (DUAL): a plan that ships at most each type's mass, only downwards, bounds the
// revenue of every feasible mechanism by sum_j (p_j v_j - coverage_j)^+.
void check_plan(const DiscreteTypes& types, const CoveragePlan& plan, AuditReport& report) {
  const std::size_t m = types.size();
  const auto& v = types.values;
  const auto& p = types.probabilities;
  std::vector<detail::CompensatedSum> shipped(m), coverage(m);
  for (const CoverageFlow& flow : plan) {
    if (flow.source >= m || flow.target >= flow.source || !(flow.mass >= 0)) {
      report.max_plan_violation = std::numeric_limits<double>::infinity();
      return;
    }
    shipped[flow.source].add(flow.mass);
    coverage[flow.target].add((long double)flow.mass *
                              ((long double)v[flow.source] - v[flow.target]));
  }
  detail::CompensatedSum dual;
  for (std::size_t j = 0; j < m; ++j) {
    report.max_plan_violation =
        std::max(report.max_plan_violation, shipped[j].value() - p[j] * (1 + 1e-12));
    dual.add(std::max(0.0L, (long double)p[j] * v[j] - coverage[j].value()));
  }
  report.dual = dual.value();
}

}  // namespace

AuditReport audit_one_bidder(const DiscreteTypes& types, const ReducedForm& mechanism,
                             const CoveragePlan* plan, const AuditTolerances& tolerances) {
  const std::size_t m = types.size();
  const auto& v = types.values;
  const auto& p = types.probabilities;
  const auto& x = mechanism.allocation;
  const auto& rent = mechanism.rent;
  DIA_CHECK(x.size() == m && rent.size() == m);
  AuditReport report;
  const std::vector<double> envelope = deviation_envelope(v, x);
  detail::CompensatedSum primal;
  for (std::size_t k = 0; k < m; ++k) {
    report.max_ic_violation = std::max(report.max_ic_violation, envelope[k] - rent[k]);
    report.max_ll_violation =
        std::max({report.max_ll_violation, rent[k] - v[k] * x[k], -rent[k], -x[k], x[k] - 1});
    if (k + 1 < m) {
      report.max_monotonicity_violation =
          std::max(report.max_monotonicity_violation, x[k] - x[k + 1]);
    }
    primal.add(p[k] * ((long double)v[k] * x[k] - rent[k]));
  }
  report.primal = primal.value();
  const double scale = std::max(1.0, v.back());
  bool plan_ok = true;
  if (plan) {
    check_plan(types, *plan, report);
    report.dual_gap =
        std::fabs(report.primal - report.dual) / std::max(1.0, std::fabs(report.dual));
    plan_ok = report.max_plan_violation <= 1e-12 && report.dual_gap <= tolerances.dual_gap;
  }
  report.passed = report.max_ic_violation <= tolerances.ic * scale &&
                  report.max_ll_violation <= tolerances.ll * scale && plan_ok;
  return report;
}

}  // namespace dia
