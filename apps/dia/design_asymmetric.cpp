// `dia design --bidder SPEC [--bidder SPEC ...]`: independent bidders of different classes
// (docs/asymmetric.md). A bidder given as K*SPEC stands for K identical bidders.
#include <iostream>

#include "commands.hpp"
#include "dia/asymmetric_report.hpp"
#include "status_line.hpp"

namespace dia::cli {

int run_asymmetric_design(const std::vector<std::string>& bidders, const DesignOptions& options,
                          bool json, bool quiet) {
  auto classes = parse_bidder_classes(bidders);
  if (!classes) throw UserError{classes.error()};
  StatusLine status(quiet);
  status.phase("designing");
  const AsymmetricDesign design = design_asymmetric(*classes, options);
  status.clear();
  std::cout << (json ? to_json(design).dump(2) + "\n" : to_table(design));
  return design.status == SolveStatus::kFailed ? kExitAuditFailed : 0;
}

}  // namespace dia::cli
