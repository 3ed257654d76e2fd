#!/usr/bin/env python3
"""Independent reference revenues for one bidder with far-apart mixture components
(docs/model.md#ode-gaps): mixture((1 - m):uniform(0,1), m:uniform(D, D+1)), D > 1.

Run with a python that has mpmath (python3 -m pip install mpmath): python3 far_mixtures.py
[--check]. Nothing here uses dia. 40 digits; the printed digits are all correct to about 30.

The (ODE) w f(w) dw = (theta - w) f(theta) dtheta runs in three phases, each homogeneous:
  1. theta and w both in [0, 1] (equal densities): the line theta = phi w, up to theta = 1,
     w = 1/phi.
  2. theta jumps over the gap to D (sources in the gap have no mass); theta in [D, D+1] (density
     m), w in [1/phi, 1] (density 1 - m): dw/dtheta = k (theta - w)/w, k = m/(1 - m). It ends
     when theta reaches D + 1 (then the cutoff c = w < 1) or w reaches 1.
  3. w jumps over the gap to D (targets in the gap have no demand); both in [D, D+1]:
     dw/dtheta = (theta - w)/w up to theta = D + 1, c = w.
With w = theta u each phase is theta du/dtheta = (k - k u - u^2)/u, so
G(u) = -(r1 ln|u - r1| - r2 ln|u - r2|)/(r1 - r2), r1,2 the roots of u^2 + k u - k, satisfies
G(u) = ln theta + const along the path; the ends are found by bisection (200 halvings).
Revenue = E[v ; v >= c]: m ((D+1)^2 - c^2)/2 for c in [D, D+1], else
(1 - m)(1 - c^2)/2 + m (D + 1/2).

uniform_pieces: the same walk for any mixture of uniforms on disjoint pieces (three components).

--check: phase 2 and 3 again by mpmath odefun (Taylor series) in value space, for a few cases.
"""
import sys

import mpmath as mp

mp.mp.dps = 40
PHI = (1 + mp.sqrt(5)) / 2


def G(k, u):
    r1 = (-k + mp.sqrt(k * k + 4 * k)) / 2
    r2 = (-k - mp.sqrt(k * k + 4 * k)) / 2
    return -(r1 * mp.log(abs(u - r1)) - r2 * mp.log(abs(u - r2))) / (r1 - r2), r1


def bisect(f, a, b, n=200):
    fa = f(a)
    for _ in range(n):
        m = (a + b) / 2
        fm = f(m)
        if (fm > 0) == (fa > 0):
            a, fa = m, fm
        else:
            b = m
    return (a + b) / 2


def u_after(k, u0, ratio):
    """u on theta du/dtheta = (k - k u - u^2)/u from u0 once theta has grown by `ratio`
    (u moves towards the fixed point r1 and never crosses it)."""
    g0, r1 = G(k, u0)
    target = g0 + mp.log(ratio)
    return bisect(lambda u: G(k, u)[0] - target, u0, r1 * (1 + mp.mpf(10) ** -35))


def far_mixture(m, D):
    """(cutoff, revenue) for mixture((1 - m):uniform(0,1), m:uniform(D, D+1))."""
    m, D = mp.mpf(m), mp.mpf(D)
    k = m / (1 - m)
    u0 = 1 / (PHI * D)  # phase 2 starts at w = 1/phi, theta = D
    u_top = u_after(k, u0, (D + 1) / D)
    if (D + 1) * u_top <= 1:  # theta reaches the top first
        c = (D + 1) * u_top
        return c, (1 - m) * (1 - c * c) / 2 + m * (D + mp.mpf(1) / 2)
    theta1 = bisect(lambda th: th * u_after(k, u0, th / D) - 1, D, D + 1, 140)
    c = (D + 1) * u_after(mp.mpf(1), D / theta1, (D + 1) / theta1)
    return c, m * ((D + 1) ** 2 - c * c) / 2


def far_mixture_odefun(m, D):
    """The same by Taylor-series integration of the value-space (ODE) (a second method)."""
    m, D = mp.mpf(m), mp.mpf(D)
    k = m / (1 - m)
    phase2 = mp.odefun(lambda th, w: k * (th - w) / w, D, 1 / PHI)
    if phase2(D + 1) <= 1:
        c = phase2(D + 1)
        return c, (1 - m) * (1 - c * c) / 2 + m * (D + mp.mpf(1) / 2)
    theta1 = bisect(lambda th: phase2(th) - 1, D, D + 1, 120)
    phase3 = mp.odefun(lambda th, w: (th - w) / w, theta1, D)
    c = phase3(D + 1)
    return c, m * ((D + 1) ** 2 - c * c) / 2


def uniform_pieces(pieces):
    """(cutoff, revenue) for a mixture of uniforms on disjoint pieces (lo, hi, density), the first
    starting at 0: the same phases, each with its own k = density(theta) / density(w), w and theta
    each jumping to the next piece at its top."""
    P = [(mp.mpf(a), mp.mpf(b), mp.mpf(f)) for a, b, f in pieces]
    i, j = 0, 1
    w, th = P[0][1] / PHI, P[1][0]
    while True:
        k, u0 = P[j][2] / P[i][2], w / th
        w_top = P[j][1] * u_after(k, u0, P[j][1] / th)  # w when theta reaches its piece's top
        if w_top <= P[i][1]:
            if j == len(P) - 1:
                c = w_top
                break
            w, th, j = w_top, P[j + 1][0], j + 1
        else:  # w reaches its piece's top first
            th = bisect(lambda t: t * u_after(k, u0, t / th) - P[i][1], th, P[j][1], 140)
            w, i = P[i + 1][0], i + 1
    return c, sum(f * (b * b - max(c, a) ** 2) / 2 for a, b, f in P if b > c)


if __name__ == "__main__":
    c, r = uniform_pieces([(0, 1, "0.5"), (5, 6, "0.3"), (50, 60, "0.02")])
    print(f"mixture(0.5:uniform(0,1),0.3:uniform(5,6),0.2:uniform(50,60)): cutoff "
          f"{mp.nstr(c, 25)} revenue {mp.nstr(r, 25)}")
    for m in ["0.1", "0.01", "0.001", "0.0001", "0.999"]:
        for D in [10, 100, 1000, 10000]:
            c, r = far_mixture(m, D)
            print(f"m={m} D={D}: cutoff {mp.nstr(c, 25)} revenue {mp.nstr(r, 25)}")
            if "--check" in sys.argv and D <= 100:
                c2, r2 = far_mixture_odefun(m, D)
                print(f"    odefun: revenue {mp.nstr(r2, 25)}, relative difference "
                      f"{mp.nstr(abs(r2 / r - 1), 3)}")
