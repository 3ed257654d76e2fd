// One bidder per value of a column of an empirical file (dia/design_by.hpp).
#include "dia/design_by.hpp"

#include <fmt/format.h>

#include "dia/asymmetric_report.hpp"
#include "dia/empirical.hpp"

namespace dia {

Expected<DesignByResult> design_by(std::string_view values, std::string_view by,
                                   const DesignOptions& options, int bootstrap, std::uint64_t seed,
                                   const DesignByProgress& progress) {
  const auto phase = [&](const char* name) {
    if (progress.phase) progress.phase(name);
  };
  phase("reading the classes");
  auto split = empirical_classes(values, by);
  if (!split) return tl::unexpected(split.error());
  if (split->size() > static_cast<std::size_t>(kMaxBidders)) {
    return tl::unexpected(Error{ErrorCode::kInvalidArgument,
                                fmt::format("--by {} makes {} classes (one bidder each); the "
                                            "designer takes at most {} bidders",
                                            by, split->size(), kMaxBidders),
                                "group the column's values into fewer classes"});
  }
  std::vector<BidderClass> classes;
  DesignByResult out;
  for (const auto& c : *split) {
    classes.push_back({c.label, 1, c.distribution});
    if (c.observations < kFewObservations) {
      out.warnings.push_back(fmt::format(
          "class {} has {} observation{} (fewer than {}): its distribution, and the mechanism "
          "fitted to it, rest on few bids",
          c.label, c.observations, c.observations == 1 ? "" : "s", kFewObservations));
    }
  }
  if (auto fits = check_class_atoms(classes); !fits) return tl::unexpected(fits.error());
  if (bootstrap > 0) {
    auto b =
        bootstrap_classes(values, by, bootstrap, seed, options,
                          progress.steps ? progress.steps("bootstrap designs") : RowProgress{});
    if (!b) return tl::unexpected(b.error());
    out.bootstrap = std::move(*b);
  }
  phase("designing");
  out.design = design_asymmetric(classes, options);
  for (const auto& w : out.warnings) out.design.notes.push_back("warning: " + w);
  return out;
}

nlohmann::ordered_json to_json(const DesignByResult& result) {
  auto j = to_json(result.design);
  if (result.bootstrap) j["bootstrap"] = to_json(*result.bootstrap);
  return j;
}

}  // namespace dia
