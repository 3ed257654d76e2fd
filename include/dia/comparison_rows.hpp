// The rows `dia compare` prints, built by the library so that the report and the Python module
// share them: the inspection design and the classic auctions for each number of bidders.
#pragma once

#include <functional>
#include <vector>

#include "dia/compare.hpp"
#include "dia/design.hpp"
#include "dia/distribution.hpp"
#include "dia/error.hpp"

namespace dia {

// Called after each row with (rows done, rows in all), for a status line's ETA.
using RowProgress = std::function<void(std::size_t, std::size_t)>;

// Validates every count first (validate_design_request), then designs each one. With `dominant`,
// also the optimal dominant-strategy mechanism for the row with 2 bidders (which must be listed).
Expected<Comparison> compare_mechanisms(const Distribution& distribution,
                                        const std::vector<int>& bidders,
                                        const DesignOptions& options = {}, bool dominant = false,
                                        const RowProgress& progress = {});

// P(some of n bidders reaches Myerson's reserve): how often Myerson's auction sells.
double myerson_sale_probability(const Distribution& distribution, double reserve, int bidders);

}  // namespace dia
