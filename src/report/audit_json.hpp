// The `audit` object of `dia design --format json`, for any design that carries an audit report
// and its number of types (the symmetric and the asymmetric designer): one place for its keys.
#pragma once

#include <nlohmann/json.hpp>

namespace dia::detail {

template <class Design>
nlohmann::ordered_json audit_json(const Design& d) {
  return {{"max_ic_violation", d.audit.max_ic_violation},
          {"max_ll_violation", d.audit.max_ll_violation},
          {"max_monotonicity_violation", d.audit.max_monotonicity_violation},
          {"dual_gap", d.audit.dual_gap},
          {"max_border_violation", d.audit.max_border_violation},
          {"primal", d.audit.primal},
          {"dual", d.audit.dual},
          {"types", d.types},
          {"passed", d.audit.passed}};
}

}  // namespace dia::detail
