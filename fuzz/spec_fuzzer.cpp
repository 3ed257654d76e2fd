// The SPEC parser (dia::parse_distribution) on arbitrary text, files refused as over HTTP: it
// answers a distribution or an error, never crashes, and what it answers can be used.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dia/distribution.hpp"
#include "distribution_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view spec(reinterpret_cast<const char*>(data), size);
  const auto d = dia::parse_distribution(spec, dia::SpecFiles::kRefuse);
  if (!d) {
    DIA_CHECK(!d.error().message.empty());
    return 0;
  }
  dia::fuzz::check_usable(**d);
  return 0;
}
