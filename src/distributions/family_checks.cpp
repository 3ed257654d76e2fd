#include <fmt/format.h>

#include <cmath>

#include "distributions/families.hpp"
#include "distributions/spec_text.hpp"

namespace dia::detail {

Expected<void> require_finite(std::string_view family, std::string_view parameter, double value,
                              std::string_view input, std::string_view hint) {
  if (std::isfinite(value)) return {};
  return spec_error(fmt::format("{} needs a finite {}, got {}={} in {}", family, parameter,
                                parameter, format_number(value), quote(input)),
                    hint.empty()
                        ? fmt::format("give {} as an ordinary number (no nan or inf)", parameter)
                        : std::string(hint));
}

Expected<void> require_positive(std::string_view family, std::string_view parameter, double value,
                                std::string_view input, std::string_view hint) {
  if (auto finite = require_finite(family, parameter, value, input, hint); !finite) return finite;
  if (value > 0) return {};
  return spec_error(fmt::format("{} needs {} > 0, got {}={} in {}", family, parameter, parameter,
                                format_number(value), quote(input)),
                    std::string(hint));
}

Expected<void> require_nonnegative(std::string_view family, std::string_view parameter,
                                   double value, std::string_view input, std::string_view hint) {
  if (auto finite = require_finite(family, parameter, value, input, hint); !finite) return finite;
  if (value >= 0) return {};
  return spec_error(fmt::format("{} needs {} >= 0 (values are nonnegative), got {}={} in {}",
                                family, parameter, parameter, format_number(value), quote(input)),
                    std::string(hint));
}

}  // namespace dia::detail
