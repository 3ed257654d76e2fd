// The deviation envelope of dia/audit.hpp handed out type by type (internal).
#pragma once

#include <cstddef>
#include <functional>
#include <span>

namespace dia {

// The envelope of deviation_envelope() handed to visit(first, block) in blocks of consecutive
// types, first = 0, kEnvelopeBlock, 2 kEnvelopeBlock, ... in turn (block[i] is type first + i's),
// never stored whole (the audit at m = 10^6 types, issue 14). One call per block, not per type:
// a std::function call per type cost 3% of `dia design` on a 10^6-line empirical file.
inline constexpr std::size_t kEnvelopeBlock = 1024;
using EnvelopeVisitor = std::function<void(std::size_t, std::span<const double>)>;
void visit_deviation_envelope(std::span<const double> values, std::span<const double> allocation,
                              const EnvelopeVisitor& visit);

}  // namespace dia
