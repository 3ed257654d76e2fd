// RapidCheck generators of random discrete value distributions, including very uneven
// probabilities (ratios up to e^30) and values spanning several orders of magnitude.
#pragma once

#include <rapidcheck.h>

#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>

#include "dia/discrete_types.hpp"

namespace dia::testing {

// `max_mass_spread`: probabilities differ by factors up to e^max_mass_spread.
inline rc::Gen<DiscreteTypes> random_types(int max_types, int max_mass_spread = 30) {
  return rc::gen::exec([max_types, max_mass_spread] {
    const int m = *rc::gen::inRange(1, max_types + 1);
    const bool from_zero = *rc::gen::inRange(0, 4) == 0;
    const int value_spread = *rc::gen::inRange(0, 4);                   // log10 range of the gaps
    const int mass_spread = *rc::gen::inRange(0, max_mass_spread + 1);  // log range of masses
    DiscreteTypes t;
    double v = from_zero ? 0.0 : std::pow(10.0, *rc::gen::inRange(-2000, 2000) / 1000.0);
    double total = 0;
    for (int k = 0; k < m; ++k) {
      t.values.push_back(v);
      const double u = *rc::gen::inRange(1, 1000001) / 1e6;
      v += std::pow(10.0, value_spread * (u - 0.5));
      const double w = std::exp(-mass_spread * (*rc::gen::inRange(0, 1000001) / 1e6));
      t.probabilities.push_back(w);
      total += w;
    }
    for (double& p : t.probabilities) p /= total;
    return t;
  });
}

inline double mean_value(const DiscreteTypes& t) {
  long double s = 0;
  for (std::size_t k = 0; k < t.size(); ++k) s += (long double)t.values[k] * t.probabilities[k];
  return static_cast<double>(s);
}

// The discrete(v:p,...) SPEC of a type space, at full precision.
inline std::string spec_of(const DiscreteTypes& t) {
  std::string s = "discrete(";
  for (std::size_t k = 0; k < t.size(); ++k) {
    char buf[80];
    std::snprintf(buf, sizeof buf, "%s%.17g:%.17g", k ? "," : "", t.values[k], t.probabilities[k]);
    s += buf;
  }
  return s + ")";
}

}  // namespace dia::testing

namespace dia {
// RapidCheck prints a falsifying type space as a SPEC that `dia design --values` accepts.
inline void showValue(const DiscreteTypes& t, std::ostream& os) { os << testing::spec_of(t); }
}  // namespace dia
