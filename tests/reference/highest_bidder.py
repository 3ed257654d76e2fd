#!/usr/bin/python3
"""Independent bounds for n symmetric pareto(1, alpha) or lognormal(0, sigma) bidders
(docs/model.md#bounds).

Run with the system python (scipy): /usr/bin/python3 tests/reference/highest_bidder.py
Nothing here uses dia.

Below: the highest-bidder rule X(v) = F(v)^(n-1) with the smallest rents
R(v) = max_{w <= v} (v - w) F(w)^(n-1) is feasible (Border holds with equality), so its revenue
n E[v X(v) - R(v)] is a lower bound on the optimum. The best lie w*(v) solves
(v - w)(n - 1) f(w) = F(w) (the objective is unimodal in w: F^(n-1) rises, (v - w) falls), found by
brentq in log w; the payment is written as v (F(v)^(n-1) - F(w)^(n-1)) + w F(w)^(n-1) with
F(v) - F(w) = w^-alpha - v^-alpha, so nothing cancels far in the tail. The expectation is a
quadrature over t = -ln(1 - F(v)) (v = e^(t / alpha)) up to t = 100, split at powers of two.

For lognormal(0, sigma) the same, with w* in y = ln w / sigma (log form, scipy's log_ndtr) and
F(v) - F(w) as a difference of survivals, over z = ln v / sigma against the normal density.

Above: dropping Border's rows splits the problem into one per bidder, so n times the one-bidder
optimum bounds it; the one-bidder optimum of pareto(1, alpha) comes from
one_bidder_continuous.pareto_unit (the (ODE) in homogeneous coordinates, scipy quad).
"""
import math
import sys

from scipy import integrate, optimize, special

sys.path.insert(0, __import__("os").path.dirname(__file__))
from one_bidder_continuous import pareto_unit  # noqa: E402


def highest_bidder(alpha, n):
    def payment(t):
        lnv = t / alpha
        # g(y) = (v - w)(n - 1) f(w) - F(w) at w = e^y, f(w) = alpha w^(-alpha-1), F = 1 - w^-alpha;
        # divided by w^-alpha: (e^(lnv - y) - 1)(n - 1) alpha - (e^(alpha y) - 1), falling in y.
        g = lambda y: (math.exp(lnv - y) - 1) * (n - 1) * alpha - math.expm1(alpha * y)
        # g(0) = (v - 1)(n - 1) alpha > 0 > g(ln v) = 1 - v^alpha: the root is inside for v > 1.
        y = optimize.brentq(g, 0.0, lnv, xtol=1e-15, rtol=1e-15) if lnv > 0 else 0.0
        w = math.exp(y)
        fw = -math.expm1(-alpha * y)
        fv = -math.expm1(-alpha * lnv)
        # F(v)^(n-1) - F(w)^(n-1) = (F(v) - F(w)) sum_i F(v)^i F(w)^(n-2-i)
        diff = (math.exp(-alpha * y) - math.exp(-alpha * lnv)) * sum(
            fv ** i * fw ** (n - 2 - i) for i in range(n - 1))
        return math.exp(lnv) * diff + w * fw ** (n - 1)

    # The payment grows like v^(1 / (alpha + 1)) = e^(t / (alpha (alpha + 1))): the integrand
    # falls at least like e^(-t / 2), below 1e-21 of its peak at t = 100.
    top = 100.0
    pts = [0.0] + [2.0 ** k for k in range(-8, int(math.log2(top)) + 2)]
    total = 0.0
    for lo, hi in zip(pts[:-1], pts[1:]):
        total += integrate.quad(lambda t: payment(t) * math.exp(-t), lo, hi,
                                epsabs=0, epsrel=1e-13, limit=400)[0]
    return n * total


def highest_bidder_lognormal(sigma, n):
    """The same rule for lognormal(0, sigma), integrated over z = ln(v) / sigma against phi(z)."""
    def payment(z):
        v = math.exp(sigma * z)
        # log of (v - w)(n - 1) f(w) / F(w) at ln w = sigma y; falls from +inf to -inf on (-inf, z)
        def g(y):
            w = math.exp(sigma * y)
            return (math.log((v - w) * (n - 1)) - math.log(sigma * w) - 0.5 * y * y
                    - 0.5 * math.log(2 * math.pi) - special.log_ndtr(y))
        hi = z - 1e-13 * max(1.0, abs(z))
        y = optimize.brentq(g, -37.0, hi, xtol=1e-15, rtol=1e-15) if g(hi) < 0 else hi
        w = math.exp(sigma * y)
        fw, fv = special.ndtr(y), special.ndtr(z)
        diff = (special.ndtr(-y) - special.ndtr(-z)) * sum(
            fv ** i * fw ** (n - 2 - i) for i in range(n - 1))
        return v * diff + w * fw ** (n - 1)

    pts = [-12.0 + 0.5 * k for k in range(57)]  # phi(z) e^(sigma z) is below 1e-25 outside
    total = 0.0
    for lo, hi in zip(pts[:-1], pts[1:]):
        total += integrate.quad(lambda z: payment(z) * math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi),
                                lo, hi, epsabs=1e-18, epsrel=1e-13, limit=200)[0]
    return n * total


if __name__ == "__main__":
    for alpha, n in [(1.5, 2), (1.5, 3), (1.5, 50), (4.0, 3)]:
        lower = highest_bidder(alpha, n)
        upper = n * pareto_unit(alpha)[1]
        print(f"pareto(1,{alpha}) n={n}: highest bidder {lower:.12g}, n x one bidder {upper:.12g}")
    for sigma, n in [(1.0, 3), (1.0, 5), (1.0, 10), (0.5, 20)]:
        print(f"lognormal(0,{sigma}) n={n}: highest bidder {highest_bidder_lognormal(sigma, n):.12g}")
