// The Boost.Math error policy every distribution uses: nothing throws, overflow gives +inf.
#pragma once

#include <boost/math/policies/policy.hpp>

namespace dia::detail {

namespace boost_policies = boost::math::policies;

// Parameters are validated before any Boost call, so domain errors cannot reach users; the
// remaining conditions (overflow at q = 1, underflow in far tails, slow convergence) return the
// natural IEEE result instead of throwing. Doubles are not promoted to long double internally:
// Boost's double paths are accurate to a few ulps and ten times faster (quantile grids of a
// million cells need that).
using BoostPolicy =
    boost_policies::policy<boost_policies::domain_error<boost_policies::ignore_error>,
                           boost_policies::pole_error<boost_policies::ignore_error>,
                           boost_policies::overflow_error<boost_policies::ignore_error>,
                           boost_policies::underflow_error<boost_policies::ignore_error>,
                           boost_policies::denorm_error<boost_policies::ignore_error>,
                           boost_policies::evaluation_error<boost_policies::ignore_error>,
                           boost_policies::rounding_error<boost_policies::ignore_error>,
                           boost_policies::indeterminate_result_error<boost_policies::ignore_error>,
                           boost_policies::promote_double<false>>;

}  // namespace dia::detail
