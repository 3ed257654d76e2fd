// The audit of a mechanism for n >= 1 symmetric bidders: IC, LL, monotonicity, Border's condition
// and the dual certificate, recomputed from the mechanism and the multipliers alone
// (docs/model.md#audit).
#include "dia/audit.hpp"

#include <algorithm>
#include <cmath>
#include <span>

#include "audit/deviation_envelope.hpp"
#include "numeric/compensated_sum.hpp"

namespace dia {
namespace {

// H_k = (1 - F_{k-1}^n) / n for every k.
std::vector<long double> border_bounds(const DiscreteTypes& types, int n) {
  std::vector<long double> h(types.size());
  long double below = 0;
  for (std::size_t k = 0; k < types.size(); ++k) {
    h[k] = (1 - std::pow(std::min(below, 1.0L), (long double)n)) / n;
    below += types.probabilities[k];
  }
  return h;
}

// The compensated sums of term(flow) over the flows with key(flow) = k, read for k = 0, 1, ... in
// turn. A plan sorted by the key (the sweep's is, by source and by target) is summed as it streams,
// with no m-vector at all (issue 14: m = 10^6); any other plan goes into m accumulators first.
template <class Key, class Term>
class SumsByKey {
 public:
  SumsByKey(const CoveragePlan& plan, std::size_t m, Key key, Term term)
      : plan_(plan), key_(key), term_(term) {
    const auto by_key = [&](const CoverageFlow& a, const CoverageFlow& b) {
      return key(a) < key(b);
    };
    streamed_ = std::is_sorted(plan.begin(), plan.end(), by_key);
    if (streamed_) return;
    sums_.resize(m);
    for (const CoverageFlow& flow : plan) sums_[key(flow)].add(term(flow));
  }

  // The sum for key k, which grows from one call to the next.
  double next(std::size_t k) {
    if (!streamed_) return sums_[k].value();
    detail::CompensatedSum sum;
    for (; next_ < plan_.size() && key_(plan_[next_]) <= k; ++next_) {
      if (key_(plan_[next_]) == k) sum.add(term_(plan_[next_]));
    }
    return sum.value();
  }

 private:
  const CoveragePlan& plan_;
  Key key_;
  Term term_;
  bool streamed_ = false;
  std::size_t next_ = 0;
  std::vector<detail::CompensatedSum> sums_;
};

// Weak duality (docs/model.md#dual): with a plan shipping at most each type's mass, only
// downwards, and multipliers beta, gamma >= 0, every feasible X earns per bidder at most
// sum_j (p_j (v_j - B_j) - coverage_j + gamma_{j-1} - gamma_j)^+ + sum_k beta_k H_k.
void check_certificate(const DiscreteTypes& types, const CoveragePlan& plan,
                       std::span<const double> border, std::span<const double> monotone,
                       const std::vector<long double>& h, int n, AuditReport& report) {
  const std::size_t m = types.size();
  const auto& v = types.values;
  const auto& p = types.probabilities;
  const bool shaped =
      (border.empty() || border.size() == m) && (monotone.empty() || monotone.size() + 1 == m);
  if (!shaped) {
    report.max_plan_violation = std::numeric_limits<double>::infinity();
    return;
  }
  for (const CoverageFlow& flow : plan) {
    if (flow.source >= m || flow.target >= flow.source || !(flow.mass >= 0)) {
      report.max_plan_violation = std::numeric_limits<double>::infinity();
      return;
    }
  }
  {
    SumsByKey shipped(
        plan, m, [](const CoverageFlow& f) { return f.source; },
        [](const CoverageFlow& f) -> long double { return f.mass; });
    for (std::size_t j = 0; j < m; ++j) {
      report.max_plan_violation =
          std::max(report.max_plan_violation, shipped.next(j) - p[j] * (1 + 1e-12));
    }
  }
  SumsByKey coverage(
      plan, m, [](const CoverageFlow& f) { return f.target; },
      [&](const CoverageFlow& f) {
        return (long double)f.mass * ((long double)v[f.source] - v[f.target]);
      });
  for (double b : border) {
    if (!(b >= 0)) report.max_plan_violation = std::numeric_limits<double>::infinity();
  }
  for (double g : monotone) {
    if (!(g >= 0)) report.max_plan_violation = std::numeric_limits<double>::infinity();
  }
  detail::CompensatedSum dual;
  long double cumulative_border = 0;  // B_j
  for (std::size_t j = 0; j < m; ++j) {
    long double term = (long double)p[j] * v[j] - coverage.next(j);
    if (!border.empty()) {
      cumulative_border += border[j];
      term -= p[j] * cumulative_border;
      dual.add(border[j] * h[j]);
    }
    if (!monotone.empty()) {
      if (j > 0) term += monotone[j - 1];
      if (j + 1 < m) term -= monotone[j];
    }
    dual.add(std::max(0.0L, term));
  }
  report.dual = n * dual.value();
}

AuditReport audit(const DiscreteTypes& types, int n, const ReducedForm& mechanism,
                  const CoveragePlan* plan, std::span<const double> border,
                  std::span<const double> monotone, const AuditTolerances& tolerances) {
  const std::size_t m = types.size();
  const auto& v = types.values;
  const auto& p = types.probabilities;
  const auto& x = mechanism.allocation;
  const auto& rent = mechanism.rent;
  DIA_CHECK(x.size() == m && rent.size() == m && n >= 1);
  AuditReport report;
  {  // the envelope streams type by type: no m-vector (peak memory at m = 10^6, issue 14)
    detail::CompensatedSum primal;
    visit_deviation_envelope(v, x, [&](std::size_t first, std::span<const double> envelope) {
      for (std::size_t i = 0; i < envelope.size(); ++i) {
        const std::size_t k = first + i;
        report.max_ic_violation = std::max(report.max_ic_violation, envelope[i] - rent[k]);
        report.max_ll_violation =
            std::max({report.max_ll_violation, rent[k] - v[k] * x[k], -rent[k], -x[k], x[k] - 1});
        if (k + 1 < m) {
          report.max_monotonicity_violation =
              std::max(report.max_monotonicity_violation, x[k] - x[k + 1]);
        }
        primal.add(p[k] * ((long double)v[k] * x[k] - rent[k]));
      }
    });
    report.primal = n * primal.value();
  }
  // H is needed for Border (n > 1) and the certificate's Border multipliers only.
  const std::vector<long double> h =
      n > 1 || (plan && !border.empty()) ? border_bounds(types, n) : std::vector<long double>{};
  if (n > 1) {
    // Border's threshold condition (F): n sum_{l >= k} p_l X_l <= n H_k, from the top down.
    long double tail = 0;
    for (std::size_t k = m; k-- > 0;) {
      tail += (long double)p[k] * x[k];
      report.max_border_violation =
          std::max(report.max_border_violation, static_cast<double>(n * (tail - h[k])));
    }
  }
  const double scale = std::max(1.0, v.back());
  bool certificate_ok = true;
  if (plan) {
    check_certificate(types, *plan, border, monotone, h, n, report);
    report.dual_gap =
        std::fabs(report.primal - report.dual) / std::max(1.0, std::fabs(report.dual));
    certificate_ok = report.max_plan_violation <= 1e-12 && report.dual_gap <= tolerances.dual_gap;
  }
  // Border is monotone-only: a non-monotone X is checked against thresholds that do not suffice.
  const bool border_ok = n == 1 || (report.max_border_violation <= tolerances.border &&
                                    report.max_monotonicity_violation <= tolerances.ll);
  report.passed = report.max_ic_violation <= tolerances.ic * scale &&
                  report.max_ll_violation <= tolerances.ll * scale && border_ok && certificate_ok;
  return report;
}

}  // namespace

AuditReport audit_one_bidder(const DiscreteTypes& types, const ReducedForm& mechanism,
                             const CoveragePlan* plan, const AuditTolerances& tolerances) {
  return audit(types, 1, mechanism, plan, {}, {}, tolerances);
}

AuditReport audit_symmetric(const DiscreteTypes& types, int bidders, const ReducedForm& mechanism,
                            const SymmetricCertificate* certificate,
                            const AuditTolerances& tolerances) {
  if (!certificate) return audit(types, bidders, mechanism, nullptr, {}, {}, tolerances);
  return audit(types, bidders, mechanism, &certificate->plan, certificate->border,
               certificate->monotone, tolerances);
}

}  // namespace dia
