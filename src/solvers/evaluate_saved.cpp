// evaluate_saved: a saved reduced form under another distribution, one bidder or n (evaluate.hpp).
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
  return evaluate_rule(*rule, types.values, bidders, actual);
}

}  // namespace dia
