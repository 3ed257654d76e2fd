// Designs the one-bidder mechanism for uniform(0,1) through the installed headers and libraries:
// exit 0 when its revenue is the closed form (sqrt(5) - 1) / 4 (docs/model.md, README).
#include <cmath>
#include <cstdio>
#include <dia/design.hpp>
#include <dia/distribution.hpp>

int main() {
  const auto uniform = dia::parse_distribution("uniform(0,1)");
  if (!uniform) return 1;
  const auto design = dia::design_inspection(**uniform, 1, dia::DesignOptions{});
  const double exact = (std::sqrt(5.0) - 1) / 4;
  std::printf("dia::design_inspection(uniform(0,1), 1 bidder): revenue %.7f (exact %.7f)\n",
              design.revenue, exact);
  return std::abs(design.revenue - exact) < 1e-6 ? 0 : 1;
}
