// CLP's dual simplex can cycle on a badly scaled basis and never return (RapidCheck found one):
// every solve is bounded far above what a healthy one takes. A stopped solve reports status 3,
// which the callers treat as a failed solve (and may retry otherwise). A solve also stops at
// the next iteration once dia::request_cancel() is called (status 5); the caller's next
// dia::throw_if_cancelled() then ends the computation.
#pragma once

#include <ClpEventHandler.hpp>
#include <ClpSimplex.hpp>

#include "dia/cancel.hpp"

namespace dia::detail {

class ClpCancelHandler final : public ClpEventHandler {
 public:
  int event(Event which) override {
    return which == endOfIteration && cancel_flag().load(std::memory_order_relaxed) ? 0 : -1;
  }
  ClpEventHandler* clone() const override { return new ClpCancelHandler(*this); }
};

inline void bound_iterations(ClpSimplex& model) {
  constexpr int kPerDimension = 50, kAtLeast = 10000;
  model.setMaximumIterations(kPerDimension * (model.numberRows() + model.numberColumns()) +
                             kAtLeast);
  const ClpCancelHandler cancel;
  model.passInEventHandler(&cancel);  // CLP keeps a clone
}

}  // namespace dia::detail
