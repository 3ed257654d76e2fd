// The bound on a reduced form's grid values (see grid_values.hpp).
#include "service/grid_values.hpp"

#include <cmath>

#include "service/house.hpp"

namespace dia::service {

void check_grid_values(const std::vector<double>& values, const std::string& where) {
  constexpr double kMaxUnits = double(kMaxFundedMicros) / double(kMicrosPerUnit);
  for (const double v : values) {
    if (!(std::abs(v) <= kMaxUnits)) {
      bad_input("invalid_reduced_form",
                where + " has the value " + json(v).dump() +
                    ", beyond any bid: values must be within +-" + json(kMaxUnits).dump() +
                    " units (2^62 micros)",
                "give the grid in currency units, e.g. [0.5, 1, 2]");
    }
  }
}

}  // namespace dia::service
