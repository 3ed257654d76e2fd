// The deviation envelope of dia/audit.hpp handed out type by type (internal).
#pragma once

#include <cstddef>
#include <functional>
#include <span>

namespace dia {

// The envelope of deviation_envelope() handed to visit(k, envelope_k) for k = 0, 1, ..., m - 1
// in turn, never stored (the audit at m = 10^6 types, issue 14).
using EnvelopeVisitor = std::function<void(std::size_t, double)>;
void visit_deviation_envelope(std::span<const double> values, std::span<const double> allocation,
                              const EnvelopeVisitor& visit);

}  // namespace dia
