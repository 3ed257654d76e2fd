// Parses a distribution and designs a one-bidder mechanism through the installed headers and
// libraries: exit 0 when uniform(0,1) has mean 1/2 and the design's revenue is in (0, 1].
#include <cstdio>
#include <dia/design.hpp>
#include <dia/distribution.hpp>

int main() {
  const auto uniform = dia::parse_distribution("uniform(0,1)");
  if (!uniform || (*uniform)->mean() != 0.5) return 1;
  const auto design = dia::design_inspection(**uniform, 1, dia::DesignOptions{});
  std::printf("dia::design_inspection(uniform(0,1), 1 bidder): revenue %.6f\n", design.revenue);
  return design.revenue > 0 && design.revenue <= 1 ? 0 : 1;
}
