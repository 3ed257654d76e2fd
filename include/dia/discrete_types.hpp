// A finite type space: values v_1 < ... < v_m with probabilities p_k (docs/model.md#constraints).
#pragma once

#include <cstddef>
#include <vector>

#include "dia/error.hpp"

namespace dia {

struct DiscreteTypes {
  std::vector<double> values;         // strictly increasing, >= 0
  std::vector<double> probabilities;  // > 0, summing to 1

  std::size_t size() const { return values.size(); }
};

// Sorts, merges repeated values and drops zero-probability atoms. Values must be finite and >= 0,
// probabilities finite and >= 0, their sum within `sum_tolerance` of 1 (then renormalised).
Expected<DiscreteTypes> make_discrete_types(std::vector<double> values,
                                            std::vector<double> probabilities,
                                            double sum_tolerance = 1e-9);

}  // namespace dia
