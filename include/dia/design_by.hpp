// `dia design --values 'empirical(FILE, column=...)' --by COLUMN [--bootstrap B --seed S]` and
// Python's `dia.design(values, by=COLUMN, bootstrap=B, seed=S)`: one bidder per value of the
// column, each with the empirical distribution of its own rows, designed by the asymmetric
// designer (docs/asymmetric.md, "Classes from data"; docs/bootstrap.md).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dia/asymmetric_design.hpp"
#include "dia/bootstrap.hpp"
#include "dia/error.hpp"

namespace dia {

struct DesignByResult {
  AsymmetricDesign design;  // its notes end with "warning: ..." for each warning
  std::optional<DesignBootstrap> bootstrap;
  std::vector<std::string> warnings;  // a class with fewer than kFewObservations rows
};

// Progress reports: the phase's name on entering it, and the bootstrap's (done, all) steps.
struct DesignByProgress {
  std::function<void(const char*)> phase;
  std::function<RowProgress(const char*)> steps;
};

// `bootstrap` 0: none; else 10..10000 replicates (bootstrap_classes) seeded by `seed`. Errors (one
// line): those of empirical_classes, more than kMaxBidders classes, a class with too many atoms,
// those of bootstrap_classes.
Expected<DesignByResult> design_by(std::string_view values, std::string_view by,
                                   const DesignOptions& options, int bootstrap, std::uint64_t seed,
                                   const DesignByProgress& progress = {});

// The JSON `dia design --by ... --format json` prints: the asymmetric design's, with the
// bootstrap's under "bootstrap".
nlohmann::ordered_json to_json(const DesignByResult& result);

}  // namespace dia
