// evaluate_saved: a saved reduced form under another distribution, one bidder or n (evaluate.hpp).
#include <optional>
#include <string_view>
#include <variant>

#include "dia/border_lottery.hpp"
#include "dia/evaluate.hpp"

namespace dia {

Expected<RuleEvaluation> evaluate_saved(const DistributionPtr& design_values, int bidders,
                                        const DiscreteTypes& types,
                                        const std::vector<double>& allocation,
                                        const Distribution& actual) {
  if (bidders == 1) {
    auto menu = evaluate_menu(types.values, allocation, actual);
    if (!menu) return tl::unexpected(menu.error());
    RuleEvaluation out;
    out.outcome = *menu;
    return out;
  }
  auto rule = build_ex_post_rule(design_values, bidders, types, allocation);
  if (!rule) return tl::unexpected(rule.error());
  // A Border lottery in the transfer or hierarchy form: the lottery it was built from, rebuilt
  // as build_border_lottery (border_rule.cpp) built it, from Border's rows enforced on X.
  std::optional<TransferLottery> transfers;
  std::optional<HierarchyLottery> hierarchies;
  if (const auto* border = std::get_if<BorderLottery>(&*rule)) {
    const std::string_view form = border->form();
    std::vector<double> x = allocation;
    enforce_border(types, x, bidders);
    if (form == "transfers") {
      auto built = build_transfer_lottery(types, x, bidders);
      if (!built) return tl::unexpected(built.error());
      transfers = std::move(*built);
    } else if (form == "hierarchies") {
      auto built = build_hierarchy_lottery(types, x, bidders);
      if (!built) return tl::unexpected(built.error());
      hierarchies = std::move(*built);
    }
  }
  return evaluate_rule(*rule, types.values, bidders, actual,
                       {transfers ? &*transfers : nullptr, hierarchies ? &*hierarchies : nullptr});
}

}  // namespace dia
