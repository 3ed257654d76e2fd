// Constructors of the parametric families, with the SPEC validation rules (internal).
// `input` is the SPEC text being parsed, quoted in error messages.
#pragma once

#include <string_view>

#include "dia/error.hpp"
#include "distributions/continuous.hpp"

namespace dia::detail {

Expected<ContinuousPtr> make_uniform(double low, double high, std::string_view input);
// `parameter` is how the value was named: "rate", "mean" or "scale" (= 1 / rate).
Expected<ContinuousPtr> make_exponential(double value, std::string_view parameter,
                                         std::string_view input);
Expected<ContinuousPtr> make_lognormal(double mu, double sigma, std::string_view input);
Expected<ContinuousPtr> make_beta(double a, double b, std::string_view input);
Expected<ContinuousPtr> make_pareto(double scale, double shape, std::string_view input);
// mu and sigma of the parent normal, truncated to [lo, hi]; hi may be +infinity.
Expected<ContinuousPtr> make_truncnormal(double mu, double sigma, double lo, double hi,
                                         std::string_view input);
Expected<ContinuousPtr> make_gamma(double shape, double scale, std::string_view input);
Expected<ContinuousPtr> make_weibull(double shape, double scale, std::string_view input);
// low + width X for `base` X on [0, upper]; its spec() is base's with `extra` ("low=1") added
// to the parameters. `base` itself when low = 0 and width = 1.
ContinuousPtr make_affine(ContinuousPtr base, double low, double width, std::string_view extra);

// Shared checks: each fails with a kInvalidSpec error naming the family, the parameter and the
// input.
Expected<void> require_finite(std::string_view family, std::string_view parameter, double value,
                              std::string_view input, std::string_view hint = {});
Expected<void> require_positive(std::string_view family, std::string_view parameter, double value,
                                std::string_view input, std::string_view hint);
Expected<void> require_nonnegative(std::string_view family, std::string_view parameter,
                                   double value, std::string_view input, std::string_view hint);

}  // namespace dia::detail
