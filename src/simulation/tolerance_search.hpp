// Noisy inspection's sweep and tolerance search (internal; docs/model.md#noisy), shared by the
// symmetric and the asymmetric simulators: both give the exact point at a noise scale and
// tolerance, and these walk it.
#pragma once

#include <functional>
#include <vector>

#include "dia/simulation.hpp"

namespace dia::detail {

// The exact point at the configured scale times 0.25, 0.5, 1, 2 and 4, at `tolerance`.
std::vector<NoisyPoint> noise_sweep(double scale, double tolerance,
                                    const std::function<NoisyPoint(double, double)>& point);

// The tolerance in [0, 4 sigma] (normal) or [0, h] (uniform) keeping the deviation gain <= epsilon
// at the least revenue loss: a scan of 41 tolerances and a bisection after the first feasible.
// `point(t)` is the exact point at the configured scale and tolerance t; `designed` the noise-free
// revenue (revenue_loss is measured against it).
ToleranceSearch search_tolerance(const InspectionNoise& noise, double epsilon, double designed,
                                 const std::function<NoisyPoint(double)>& point);

// Noisy inspection's results, as `dia simulate` reports them: the exact point at the configured
// scale and tolerance, the sweep of scales and, when the request gives epsilon, the tolerance
// search. `Sim` is either simulator, `Outcome` its outcome (fields noisy, sweep, search);
// `starting` names each phase for the status line.
template <class Sim, class Outcome, class Starting>
void run_noisy_inspection(const Sim& sim, double scale, double tolerance,
                          const SimulateRequest& request, Outcome& out, const Starting& starting) {
  starting("noisy inspection");
  out.noisy = sim.noisy_point(scale, tolerance, request.audit_grid);
  out.sweep = noise_sweep(scale, tolerance, [&](double s, double t) {
    return sim.noisy_point(s, t, request.audit_grid);
  });
  if (request.epsilon) {
    starting("tolerance search");
    out.search = sim.search_tolerance(*request.epsilon, request.audit_grid);
  }
}

}  // namespace dia::detail
