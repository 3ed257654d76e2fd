// `dia design --values 'empirical(FILE, column=...)' --by COLUMN`: one bidder per value of the
// column, each with the empirical distribution of its own rows, designed by the asymmetric
// designer (docs/asymmetric.md, "Classes from data").
#include <fmt/format.h>

#include <iostream>
#include <optional>

#include "commands.hpp"
#include "dia/asymmetric_report.hpp"
#include "dia/bootstrap.hpp"
#include "dia/empirical.hpp"
#include "status_line.hpp"

namespace dia::cli {

int run_design_by(const std::string& values, const std::string& by, const DesignOptions& options,
                  bool json, bool quiet, int bootstrap, std::uint64_t seed) {
  StatusLine status(quiet);
  status.phase("reading the classes");
  auto split = empirical_classes(values, by);
  if (!split) throw UserError{split.error()};
  if (split->size() > static_cast<std::size_t>(kMaxBidders)) {
    throw UserError{Error{ErrorCode::kInvalidArgument,
                          fmt::format("--by {} makes {} classes (one bidder each); the designer "
                                      "takes at most {} bidders",
                                      by, split->size(), kMaxBidders),
                          "group the column's values into fewer classes"}};
  }
  std::vector<BidderClass> classes;
  std::vector<std::string> warnings;
  for (const auto& c : *split) {
    classes.push_back({c.label, 1, c.distribution});
    if (c.observations < kFewObservations) {
      warnings.push_back(fmt::format(
          "class {} has {} observation{} (fewer than {}): its distribution, and the mechanism "
          "fitted to it, rest on few bids",
          c.label, c.observations, c.observations == 1 ? "" : "s", kFewObservations));
    }
  }
  if (auto fits = check_class_atoms(classes); !fits) throw UserError{fits.error()};
  std::optional<DesignBootstrap> intervals;
  if (bootstrap > 0) {
    auto b =
        bootstrap_classes(values, by, bootstrap, seed, options, status.steps("bootstrap designs"));
    if (!b) throw UserError{b.error()};
    intervals = std::move(*b);
  }
  status.phase("designing");
  AsymmetricDesign design = design_asymmetric(classes, options);
  status.clear();  // before the warnings and the output
  for (const auto& w : warnings) {
    std::cerr << "dia: warning: " << w << "\n";
    design.notes.push_back("warning: " + w);
  }
  if (json) {
    auto j = to_json(design);
    if (intervals) j["bootstrap"] = to_json(*intervals);
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << to_table(design) << (intervals ? to_table(*intervals) : std::string());
  }
  return design.status == SolveStatus::kFailed ? kExitAuditFailed : 0;
}

}  // namespace dia::cli
