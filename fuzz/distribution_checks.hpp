// What every distribution a fuzzer gets from a SPEC must satisfy to be usable: a spec to echo,
// ordered bounds, a median inside them, a cdf and survival in [0, 1] there, and atoms when
// discrete.
#pragma once

#include "dia/distribution.hpp"
#include "dia/error.hpp"

namespace dia::fuzz {

inline void check_usable(const Distribution& x) {
  DIA_CHECK(!x.spec().empty());
  DIA_CHECK(x.lower() <= x.upper());
  const double median = x.quantile(0.5);
  DIA_CHECK(median >= x.lower() && median <= x.upper());
  const double c = x.cdf(median), s = x.survival(median);
  DIA_CHECK(c >= 0 && c <= 1 && s >= 0 && s <= 1);
  if (x.is_discrete()) DIA_CHECK(!x.atoms().values.empty());
}

}  // namespace dia::fuzz
