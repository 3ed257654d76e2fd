// Which atoms the strategic audit takes as values (internal), shared by the symmetric and the
// asymmetric audits.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace dia::detail {

// At most `size` atoms, evenly spaced in probability: the atom holding each (j + 1/2) / size
// quantile, j = 0 .. size - 1 (repeats dropped); every atom when there are at most `size`.
inline std::vector<std::size_t> mass_spaced_atoms(const std::vector<double>& probabilities,
                                                  std::size_t size) {
  std::vector<std::size_t> out;
  if (probabilities.size() <= size) {
    for (std::size_t k = 0; k < probabilities.size(); ++k) out.push_back(k);
    return out;
  }
  double cumulative = 0;
  std::size_t next = 0;
  for (std::size_t k = 0; k < probabilities.size() && next < size; ++k) {
    cumulative += probabilities[k];
    while (next < size &&
           cumulative >= (static_cast<double>(next) + 0.5) / static_cast<double>(size)) {
      if (out.empty() || out.back() != k) out.push_back(k);
      ++next;
    }
  }
  return out;
}

// The audit's rows for people: `rows` evenly spaced of `count` values, and `argmax` (sorted).
inline std::vector<std::size_t> audit_rows(std::size_t count, std::size_t rows,
                                           std::size_t argmax) {
  std::vector<std::size_t> picks;
  rows = std::min(rows, count);
  for (std::size_t r = 0; r < rows; ++r)
    picks.push_back(rows == 1 ? 0 : r * (count - 1) / (rows - 1));
  picks.push_back(argmax);
  std::sort(picks.begin(), picks.end());
  picks.erase(std::unique(picks.begin(), picks.end()), picks.end());
  return picks;
}

}  // namespace dia::detail
