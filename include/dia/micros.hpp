// Money in the ledger and the service: integer micro-units (1 unit = 1,000,000 micros).
#pragma once

#include <cstdint>

namespace dia {

using Micros = std::int64_t;
inline constexpr Micros kMicrosPerUnit = 1'000'000;

}  // namespace dia
