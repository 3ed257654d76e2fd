// The rows of an empirical file split at random into a training part and a holdout part
// (`dia evaluate --holdout FRACTION`, docs/evaluate.md#holdout).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dia/distribution.hpp"
#include "dia/error.hpp"

namespace dia {

struct HoldoutSplit {
  std::size_t observations = 0;  // rows of the file
  std::size_t train_rows = 0;
  std::size_t test_rows = 0;    // round(fraction * observations), at least 1 and at most n - 1
  DistributionPtr train, test;  // each part's empirical distribution (the rows' weights kept)
  std::string train_csv;        // the training rows as CSV, header "value,weight"
};

// `spec` must be empirical(...) (any form) with at least 2 rows and 0 < fraction < 1. The row
// indices 0..n-1 are shuffled by std::shuffle with std::mt19937_64(seed); the first test_rows
// of that order are the holdout, the rest the training part. Errors (one line): another SPEC, a
// fraction outside (0, 1), fewer than 2 rows, the file's own errors.
Expected<HoldoutSplit> split_empirical(std::string_view spec, double fraction, std::uint64_t seed);

}  // namespace dia
