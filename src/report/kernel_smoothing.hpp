// An empirical distribution smoothed by a Gaussian kernel (internal to the bootstrap).
#pragma once

#include <cstddef>

#include "dia/distribution.hpp"
#include "dia/error.hpp"

namespace dia::detail {

struct SmoothedSample {
  DistributionPtr distribution;  // `atoms` equal-mass atoms of the kernel density
  double bandwidth = 0;
};

// The Gaussian kernel density of `sample` (its atoms as centres, or 1000 equal-mass quantiles of
// it when it has more), with Silverman's bandwidth h = 0.9 min(sd, IQR/1.34) N^(-1/5) for N
// `observations`, reflected at 0; returned as `atoms` equal-mass atoms at the levels
// (k + 1/2)/atoms of its CDF. Errors: a sample of one value (h = 0).
Expected<SmoothedSample> kernel_smoothed(const Distribution& sample, std::size_t observations,
                                         std::size_t atoms);

}  // namespace dia::detail
