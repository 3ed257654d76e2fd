// The SPEC parser (dia::parse_distribution) on arbitrary text, files refused as over HTTP: it
// answers a distribution or an error, never crashes, and what it answers can be used.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dia/distribution.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view spec(reinterpret_cast<const char*>(data), size);
  const auto d = dia::parse_distribution(spec, dia::SpecFiles::kRefuse);
  if (!d) {
    DIA_CHECK(!d.error().message.empty());
    return 0;
  }
  const dia::Distribution& x = **d;
  DIA_CHECK(!x.spec().empty());
  DIA_CHECK(x.lower() <= x.upper());
  const double median = x.quantile(0.5);
  DIA_CHECK(median >= x.lower() && median <= x.upper());
  const double c = x.cdf(median), s = x.survival(median);
  DIA_CHECK(c >= 0 && c <= 1 && s >= 0 && s <= 1);
  if (x.is_discrete()) DIA_CHECK(!x.atoms().values.empty());
  return 0;
}
