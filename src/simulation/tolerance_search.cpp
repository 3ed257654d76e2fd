// Noisy inspection's sweep and tolerance search (see tolerance_search.hpp).
#include "simulation/tolerance_search.hpp"

#include <optional>

namespace dia::detail {

std::vector<NoisyPoint> noise_sweep(double scale, double tolerance,
                                    const std::function<NoisyPoint(double, double)>& point) {
  std::vector<NoisyPoint> out;
  for (double f : {0.25, 0.5, 1.0, 2.0, 4.0}) out.push_back(point(f * scale, tolerance));
  return out;
}

ToleranceSearch search_tolerance(const InspectionNoise& noise, double epsilon, double designed,
                                 const std::function<NoisyPoint(double)>& point) {
  // Beyond 4 sigma (normal) or h (uniform) truthful winners are (almost) never denied, and a
  // wider tolerance only helps liars.
  const double t_max =
      noise.kind == InspectionNoise::Kind::kNormal ? 4.0 * noise.scale : noise.scale;
  constexpr int kScan = 40, kBisections = 16;
  ToleranceSearch out;
  out.epsilon = epsilon;
  std::optional<std::size_t> first_feasible;
  for (int i = 0; i <= kScan; ++i) {
    out.scanned.push_back(point(t_max * i / kScan));
    if (!first_feasible && out.scanned.back().max_deviation_gain <= epsilon) {
      first_feasible = out.scanned.size() - 1;
    }
  }
  if (!first_feasible) return out;
  // Revenue falls as the tolerance grows (more rewards paid): the best feasible tolerance is the
  // smallest; refine it between the last infeasible and the first feasible scan point.
  NoisyPoint best = out.scanned[*first_feasible];
  if (*first_feasible > 0) {
    double lo = out.scanned[*first_feasible - 1].tolerance, hi = best.tolerance;
    for (int i = 0; i < kBisections; ++i) {
      const NoisyPoint p = point(0.5 * (lo + hi));
      if (p.max_deviation_gain <= epsilon) {
        hi = p.tolerance;
        best = p;
      } else {
        lo = p.tolerance;
      }
    }
  }
  out.found = true;
  out.best = best;
  out.revenue_loss = designed - best.revenue;  // the cost of noise at that tolerance
  return out;
}

}  // namespace dia::detail
