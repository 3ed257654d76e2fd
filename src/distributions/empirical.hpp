// empirical(path): the observed values in a CSV file as a discrete distribution (internal).
#pragma once

#include <string_view>

#include "dia/distribution.hpp"

namespace dia::detail {

// Reads `path`: one value per line, optionally ",weight"; blank lines are skipped, and so is a
// header whose first field is not a number when it is the first nonblank line. Each value becomes
// an atom of probability weight / total weight (weight 1 when absent). `argument` is the text
// between the parentheses as written (echoed by spec()), `input` the SPEC quoted in errors.
Expected<DistributionPtr> make_empirical(std::string_view path, std::string_view argument,
                                         std::string_view input);

}  // namespace dia::detail
