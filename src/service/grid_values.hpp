// The bound on a reduced form's grid values, checked where a design enters the house.
#pragma once

#include <string>
#include <vector>

namespace dia::service {

// A reduced form's grid values are amounts a bid is compared with, so each must be a number a bid
// in micros can reach: |value| <= kMaxFundedMicros / 10^6 units (about 4.6e12). BadInput
// (invalid_reduced_form) naming `where` otherwise: a larger value has no amount in micros (the
// bid floor and the reward would overflow converting it).
void check_grid_values(const std::vector<double>& values, const std::string& where);

}  // namespace dia::service
