// A CLI11 validator for counts and seeds: a whole number written in digits or in scientific
// notation ("1000000", "1e6") within [min, max], rewritten in digits for the option's integer
// type. Anything else (a fraction, a sign below min, a number past max, text) is rejected
// instead of being wrapped or saturated by the integer conversion.
#pragma once

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdlib>
#include <string>

namespace dia::cli {

inline CLI::Validator whole_number(long double min, long double max) {
  return CLI::Validator(
      [min, max](std::string& text) -> std::string {
        char* end = nullptr;
        const long double v = std::strtold(text.c_str(), &end);  // 64-bit mantissa: exact to 2^64
        if (end == text.c_str() || *end != '\0' || !std::isfinite(v) || v != std::floor(v)) {
          return "must be a whole number, got '" + text + "'";
        }
        if (v < min || v > max) {
          return fmt::format("must be in {:.0f}..{:.0f}, got {}", min, max, text);
        }
        text = fmt::format("{:.0f}", v);
        return {};
      },
      "WHOLE NUMBER");
}

}  // namespace dia::cli
