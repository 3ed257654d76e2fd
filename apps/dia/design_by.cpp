// `dia design --values 'empirical(FILE, column=...)' --by COLUMN`: one bidder per value of the
// column, each with the empirical distribution of its own rows, designed by the asymmetric
// designer (docs/asymmetric.md, "Classes from data"; the work is dia::design_by).
#include "dia/design_by.hpp"

#include <iostream>

#include "commands.hpp"
#include "dia/asymmetric_report.hpp"
#include "status_line.hpp"

namespace dia::cli {

int run_design_by(const std::string& values, const std::string& by, const DesignOptions& options,
                  bool json, bool quiet, int bootstrap, std::uint64_t seed) {
  StatusLine status(quiet);
  DesignByProgress progress{[&](const char* name) { status.phase(name); },
                            [&](const char* name) -> RowProgress { return status.steps(name); }};
  auto result = design_by(values, by, options, bootstrap, seed, progress);
  status.clear();  // before the warnings and the output
  if (!result) throw UserError{result.error()};
  for (const auto& w : result->warnings) std::cerr << "dia: warning: " << w << "\n";
  if (json) {
    std::cout << to_json(*result).dump(2) << "\n";
  } else {
    std::cout << to_table(result->design)
              << (result->bootstrap ? to_table(*result->bootstrap) : std::string());
  }
  return result->design.status == SolveStatus::kFailed ? kExitAuditFailed : 0;
}

}  // namespace dia::cli
