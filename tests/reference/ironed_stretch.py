#!/usr/bin/env python3
"""Independent reference for the ironed stretch of n symmetric bidders (docs/model.md#ironed-stretch).

Run with a python that has mpmath (python3 -m pip install mpmath): python3 ironed_stretch.py
[--check]. Nothing here uses dia. Bounds by mpmath quadrature at 25 digits; the shooting in
doubles (classical RK4, 4000 steps, Newton to residuals ~1e-14); --check re-integrates the
solved stretch by mpmath odefun (Taylor series, slow: minutes) and prints its residuals.

For X = G = F^(n-1) the Border multiplier the certificate needs is
  B_G(w) = w - (theta_G - w) f(theta_G) theta_G' / f(w),   theta_G = w + F / ((n - 1) f),
in closed form here (theta_G' = 1 + (1 - F f' / f^2) / (n - 1)). Where B_G dips, the optimum irons:
on [s1, s2] Border is slack, B is a constant B0, and
  theta' = (w - B0) f(w) / ((theta - w) f(theta)),   X' = X / (theta - w)
from theta(s1) = theta_G(s1), X(s1) = G(s1); (s1, B0, s2) solve theta(s2) = theta_G(s2),
X(s2) = G(s2), integral_{s1}^{s2} (X - G) f = 0.

Bounds printed (total revenue, all n bidders):
  * lower: X = G itself, by the same Lagrangian identity the dual uses,
    n integral B_G F^(n-1) f (= n integral H dbeta, H = (1 - F^n) / n; it equals the issue's feasible
    1.9690004797 and 1.4083386709: a check of B_G);
  * upper: the Border-multiplier dual (docs/model.md#border-dual) with B = B_G outside [s1, s2]
    and B0 inside, and the coverage plan of the ironed deviating types, which covers every demand
    (w - B) f exactly; its value is n integral B F^(n-1) f (integration by parts of
    integral H dbeta). It is a valid bound when B is nondecreasing, which is checked on a scan
    (B_G on both sides, B_G(s1) <= B0 <= B_G(s2)), and when the ends match (residuals printed).
"""
import math
import sys

import mpmath as mp

mp.mp.dps = 25


class Lognormal:
    def __init__(self, sigma):
        self.s = mp.mpf(sigma)
        self.a = mp.mpf(0)

    def F(self, w):
        return mp.ncdf(mp.log(w) / self.s)

    def f(self, w):
        return mp.npdf(mp.log(w) / self.s) / (w * self.s)

    def dlogf(self, w):  # f' / f
        return -(1 + mp.log(w) / self.s ** 2) / w

    def quantile(self, q):
        return mp.exp(self.s * mp.sqrt(2) * mp.erfinv(2 * q - 1))

    def floats(self):  # F and f in doubles, for the shooting
        s = float(self.s)
        return (lambda w: 0.5 * math.erfc(-math.log(w) / (s * math.sqrt(2))),
                lambda w: math.exp(-(math.log(w) / s) ** 2 / 2) / (w * s * math.sqrt(2 * math.pi)))


class Pareto:
    def __init__(self, alpha):
        self.al = mp.mpf(alpha)
        self.a = mp.mpf(1)

    def F(self, w):
        return 1 - w ** -self.al

    def f(self, w):
        return self.al * w ** (-self.al - 1)

    def dlogf(self, w):
        return -(self.al + 1) / w

    def quantile(self, q):
        return (1 - q) ** (-1 / self.al)

    def floats(self):
        al = float(self.al)
        return (lambda w: 1 - w ** -al), (lambda w: al * w ** (-al - 1))


def solve(d, n):
    G = lambda w: d.F(w) ** (n - 1)
    thG = lambda w: w + d.F(w) / ((n - 1) * d.f(w))
    dthG = lambda w: 1 + (1 - d.F(w) * d.dlogf(w) / d.f(w)) / (n - 1)
    BG = lambda w: w - (thG(w) - w) * d.f(thG(w)) * dthG(w) / d.f(w)

    # The first dip of B_G on a scan of quantiles 0.005..0.995.
    qs = [mp.mpf(5) / 1000 + mp.mpf(99) / 100 * i / 400 for i in range(401)]
    ws = [d.quantile(q) for q in qs]
    bs = [BG(w) for w in ws]
    peak = next(i for i in range(400) if bs[i + 1] < bs[i])
    trough = peak
    while bs[trough + 1] <= bs[trough]:
        trough += 1
    first = max(i for i in range(peak) if bs[i] <= bs[trough])
    last = min(i for i in range(trough, 401) if bs[i] >= bs[peak])

    Ff, ff = d.floats()
    Gf = lambda w: Ff(w) ** (n - 1)
    thGf = lambda w: w + Ff(w) / ((n - 1) * ff(w))

    def shoot(s1, b0, s2, steps=4000, path=None):
        def rhs(w, y):
            return ((w - b0) * ff(w) / ((y[0] - w) * ff(y[0])), y[1] / (y[0] - w),
                    (y[1] - Gf(w)) * ff(w))
        h, w, y = (s2 - s1) / steps, s1, (thGf(s1), Gf(s1), 0.0)
        for _ in range(steps):
            k1 = rhs(w, y)
            k2 = rhs(w + h / 2, [a + h / 2 * b for a, b in zip(y, k1)])
            k3 = rhs(w + h / 2, [a + h / 2 * b for a, b in zip(y, k2)])
            k4 = rhs(w + h, [a + h * b for a, b in zip(y, k3)])
            y = tuple(a + h / 6 * (b + 2 * c + 2 * e + g) for a, b, c, e, g in zip(y, k1, k2, k3, k4))
            w += h
            if path is not None:
                path.append((w, y))
        return y

    def residual(p):
        y = shoot(*p)
        return [y[0] - thGf(p[2]), y[1] - Gf(p[2]), y[2]]

    p = [float(ws[first]), float((bs[peak] + bs[trough]) / 2), float(ws[last])]
    for _ in range(40):
        r = residual(p)
        if max(map(abs, r)) < 1e-15:
            break
        jac = mp.matrix(3, 3)
        for j in range(3):
            q = list(p)
            q[j] += 1e-7
            rq = residual(q)
            for i in range(3):
                jac[i, j] = (rq[i] - r[i]) / 1e-7
        step = mp.lu_solve(jac, mp.matrix([-x for x in r]))
        t = 1.0
        while t > 1e-4:
            q = [p[i] + t * float(step[i]) for i in range(3)]
            if max(map(abs, residual(q))) < max(map(abs, r)):
                break
            t /= 2
        p = q
    s1, b0, s2 = (mp.mpf(x) for x in p)
    res = residual(p)
    trace = []
    shoot(*p, path=trace)
    if "--check" in sys.argv:
        rhs = lambda w, y: [(w - b0) * d.f(w) / ((y[0] - w) * d.f(y[0])), y[1] / (y[0] - w),
                            (y[1] - G(w)) * d.f(w)]
        y = mp.odefun(rhs, s1, [thG(s1), G(s1), mp.mpf(0)])(s2)
        print("  odefun residuals", [mp.nstr(x, 3) for x in (y[0] - thG(s2), y[1] - G(s2), y[2])])

    # Checks: B nondecreasing (outside the stretch and across its ends), Border slack inside.
    scan = [w for w in ws if w < s1 or w > s2]
    monotone = all(BG(u) <= BG(v) for u, v in zip(scan, scan[1:]) if not (u < s1 < v))
    monotone = monotone and BG(s1) <= b0 <= BG(s2)
    end = trace[-1][1][2]
    border = min(y[2] - end for _, y in trace)  # integral_t^s2 (X - G) f = -this: >= 0 is Border
    excess = max(abs(y[1] - Gf(w)) for w, y in trace)

    # integral H dbeta = integral B F^(n-1) f by parts (B(a-) = 0, H(inf) = 0): an atom of beta
    # at a (B(a) > 0) is counted there. Lognormal: B := B_G(t0) on [0, t0], t0 a tiny quantile.
    if d.a == 0:
        t0 = d.quantile(mp.mpf(10) ** -20)
        lead = BG(t0) * d.F(t0) ** n / n
    else:
        t0, lead = d.a, 0
    weight = lambda t: G(t) * d.f(t)
    outside = mp.quad(lambda t: BG(t) * weight(t), [t0, s1]) + \
        mp.quad(lambda t: BG(t) * weight(t), [s2, 2 * s2, 8 * s2, mp.inf])
    inside_g = mp.quad(lambda t: BG(t) * weight(t), [s1, s2])
    inside_0 = b0 * mp.quad(weight, [s1, s2])
    lower = n * (lead + outside + inside_g)
    upper = n * (lead + outside + inside_0)
    return dict(s1=s1, b0=b0, s2=s2, BG_s1=BG(s1), BG_s2=BG(s2), residual=res,
                monotone=monotone, border=border, excess=excess, lower=lower, upper=upper)


if __name__ == "__main__":
    for name, d, n in [("lognormal(0,1)", Lognormal(1), 3), ("pareto(1,4)", Pareto(4), 3)]:
        r = solve(d, n)
        print(f"{name} n={n}: s1 {mp.nstr(r['s1'], 12)} B0 {mp.nstr(r['b0'], 12)} "
              f"s2 {mp.nstr(r['s2'], 12)} (B_G {mp.nstr(r['BG_s1'], 8)} .. {mp.nstr(r['BG_s2'], 8)})")
        print(f"  residuals {[mp.nstr(x, 3) for x in r['residual']]}, B nondecreasing "
              f"{r['monotone']}, min Border slack {mp.nstr(r['border'], 3)}, "
              f"max |X - G| {mp.nstr(r['excess'], 3)}")
        print(f"  lower (X = G) {mp.nstr(r['lower'], 15)}  upper (ironed dual) "
              f"{mp.nstr(r['upper'], 15)}  gap {mp.nstr(r['upper'] - r['lower'], 3)}")
