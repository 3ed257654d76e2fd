// The standard normal pieces the truncated normal needs, accurate in both tails (internal).
#pragma once

namespace dia::detail::normal {

double density(double x);     // phi(x)
double upper_tail(double x);  // Q(x) = P(T > x), accurate for large x
double lower_tail(double x);  // Phi(x) = P(T < x), accurate for very negative x
// Intervals are given by their left end x and their width w >= 0 (w may be +inf), so that narrow
// intervals keep their relative accuracy even where x + w would round (x large, w tiny).
// P(x < T < x + w), without cancellation.
double mass(double x, double w);
// The loss function G(x) = E[(T - x)^+] = phi(x) - x Q(x), accurate for large x.
double loss(double x);
// H(x, w) = E[(T - x) ; x < T < x + w]; nonnegative and accurate.
double anchored_moment(double x, double w);
double lower_quantile(double p);  // Phi^{-1}(p)
double upper_quantile(double s);  // Q^{-1}(s), accurate for small s

}  // namespace dia::detail::normal
