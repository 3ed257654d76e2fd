#!/usr/bin/python3
"""Independent reference values for the one-bidder continuous designs (docs/model.md#ode).

Run with the system python (scipy): /usr/bin/python3 tests/reference/one_bidder_continuous.py
Nothing here uses dia. The cutoff c solves the (ODE) w f(w) dw = (theta - w) f(theta) dtheta from
the bottom of the support until theta reaches the top b, and revenue = E[v ; v >= c].

Methods (each independent of dia's quantile-space integrator):
  * pareto(1, alpha): f is homogeneous, so with r = theta / w the (ODE) becomes
    d ln w / dr = g / (1 - r g), g = (r - 1) r^(-alpha-1), from r = 1 at w = 1 to r = infinity:
    ln c = int_0^inf (e^u - 1) / (e^(alpha u) - e^u + 1) du  (u = ln r), by scipy quad;
    revenue = alpha / (alpha - 1) * exp((1 - alpha) ln c)  (in logs: c may exceed any double).
  * beta(a, b), lognormal, exponential: scipy solve_ivp (DOP853, rtol 1e-13) in value space:
    first dw/dtheta = (theta - w) f(theta) / (w f(w)) from (eps, golden * eps) to the median,
    then in t = -ln(1 - F(theta)): dw/dt = (theta(t) - w) e^-t / (w f(w)) until the tail is
    negligible; theta(t) from scipy's inverse incomplete beta / normal isf (accurate near the top).
  * mixture(0.5:uniform(1,1+1e-13), 0.5:uniform(2,3)): the thin piece is an atom of mass 1/2 at 1;
    its demand 1/2 is covered by the sources [2, t0] with int_2^t0 (v - 1)/2 dv = 1/2, t0 = 1 + sqrt3;
    then on [2,3] (f = 1/2 on both sides) dw/dtheta = (theta - w)/w from (2, t0) to theta = 3;
    revenue = (9 - c^2)/4.
"""
import math

import numpy as np
from scipy import integrate, special, stats

GOLDEN = (1 + math.sqrt(5)) / 2


def pareto_unit(alpha):
    # (e^u - 1) / (e^(alpha u) - e^u + 1), divided through by e^(alpha u) so nothing overflows
    f = lambda u: (math.exp((1 - alpha) * u) - math.exp(-alpha * u)) / \
        (1 - math.exp((1 - alpha) * u) + math.exp(-alpha * u))
    top = 80 / (alpha - 1)
    pts = [0.0] + [2.0 ** k for k in range(-6, int(math.log2(top)) + 2)]
    lnc = sum(integrate.quad(f, lo, hi, epsabs=0, epsrel=1e-13, limit=200)[0]
              for lo, hi in zip(pts[:-1], pts[1:]))
    return lnc, alpha / (alpha - 1) * math.exp((1 - alpha) * lnc)


def value_space(pdf, quantile, top_gap, survival_t_end, partial_mean_above, eps=1e-9):
    """pdf(v); quantile(p); top_gap(t, w) = theta(t) - w with t = -ln(1 - F(theta))."""
    med = quantile(0.5)
    w0, th0 = eps, GOLDEN * eps
    rhs1 = lambda th, y: [(th - y[0]) * pdf(th) / (y[0] * pdf(y[0]))]
    s1 = integrate.solve_ivp(rhs1, (th0, med), [w0], method="DOP853", rtol=1e-13, atol=1e-300)
    w = s1.y[0, -1]
    rhs2 = lambda t, y: [top_gap(t, y[0]) * math.exp(-t) / (y[0] * pdf(y[0]))]
    s2 = integrate.solve_ivp(rhs2, (math.log(2), survival_t_end), [w], method="DOP853",
                             rtol=1e-13, atol=1e-300)
    c = s2.y[0, -1]
    return c, partial_mean_above(c)


def beta_ref(a, b):
    d = stats.beta(a, b)
    # 1 - theta has survival-side cdf I_{1-theta}(b, a) = sigma, so 1 - theta = betaincinv(b, a, sigma)
    gap = lambda t, w: (1 - w) - special.betaincinv(b, a, math.exp(-t))
    pm = lambda c: a / (a + b) * special.betainc(b, a + 1, 1 - c)
    return value_space(d.pdf, d.ppf, gap, 80.0, pm)


def lognormal_ref(mu, s):
    d = stats.lognorm(s, scale=math.exp(mu))
    theta = lambda t: math.exp(mu + s * special.ndtri(-math.expm1(-t))) if t < 1 else \
        math.exp(mu + s * -special.ndtri(math.exp(-t)))
    gap = lambda t, w: theta(t) - w
    pm = lambda c: math.exp(mu + s * s / 2) * special.ndtr(s - (math.log(c) - mu) / s)
    return value_space(d.pdf, d.ppf, gap, 700.0, pm)


def exponential_ref(rate):
    pdf = lambda v: rate * math.exp(-rate * v)
    q = lambda p: -math.log1p(-p) / rate
    gap = lambda t, w: t / rate - w
    pm = lambda c: math.exp(-rate * c) * (c + 1 / rate)
    return value_space(pdf, q, gap, 60.0, pm, eps=1e-9 / rate)


def mixture_ref():
    t0 = 1 + math.sqrt(3)
    s = integrate.solve_ivp(lambda th, y: [(th - y[0]) / y[0]], (t0, 3.0), [2.0], method="DOP853",
                            rtol=1e-13, atol=1e-15)
    c = s.y[0, -1]
    return c, (9 - c * c) / 4


if __name__ == "__main__":
    for alpha in [1.0000001, 1.001, 1.01, 1.1, 1.2, 2.0]:
        lnc, rev = pareto_unit(alpha)
        print(f"pareto(1,{alpha}): ln c = {lnc:.12g}, revenue = {rev:.12g}")
    for a, b in [(0.5, 0.5), (1, 0.5), (2, 0.5), (2, 2)]:
        c, r = beta_ref(a, b)
        print(f"beta({a},{b}): c = {c:.12g}, revenue = {r:.12g}")
    for mu, s in [(0, 2), (0, 3)]:
        c, r = lognormal_ref(mu, s)
        print(f"lognormal({mu},{s}): c = {c:.12g}, revenue = {r:.12g}")
    c, r = exponential_ref(1.0)
    print(f"exponential(1): c = {c:.12g}, revenue = {r:.12g}")
    c, r = mixture_ref()
    print(f"mixture(0.5:uniform(1,1+1e-13),0.5:uniform(2,3)): c = {c:.12g}, revenue = {r:.12g}")
