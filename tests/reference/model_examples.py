#!/usr/bin/python3
"""Recomputes the worked examples of docs/model.md#examples without dia (plain python3, ~2 s).

Run: python3 tests/reference/model_examples.py
Each figure comes from a method that shares nothing with dia's solvers: brute force over a grid of
allocations for the discrete examples, midpoint integration of the closed-form mechanisms for
uniform values, Simpson's rule for the pareto tail, and enumeration of Border's families.
"""
import itertools
import math

PHI = (1 + math.sqrt(5)) / 2


def discrete_revenue(v, p, x, n, inspection=True):
    """n sum_k p_k (v_k X_k - R_k): with inspection the smallest rents (RENT); without, the
    payment identity's R_k = sum_{j<k} (v_{j+1} - v_j) X_j, which needs X nondecreasing."""
    if not inspection and any(a > b for a, b in zip(x, x[1:])):
        return -1.0
    total = 0.0
    for k in range(len(v)):
        if inspection:
            rent = max([0.0] + [(v[k] - v[j]) * x[j] for j in range(k)])
        else:
            rent = sum((v[j + 1] - v[j]) * x[j] for j in range(k))
        total += p[k] * (v[k] * x[k] - rent)
    return n * total


def border_holds(p, x, n):
    """(F) on thresholds: n sum_{l >= k} p_l X_l <= 1 - F_{k-1}^n."""
    below = 0.0
    for k in range(len(p)):
        if n * sum(p[l] * x[l] for l in range(k, len(p))) > 1 - below**n + 1e-12:
            return False
        below += p[k]
    return True


def best_on_grid(v, p, n, steps, inspection=True):
    grid = [i / steps for i in range(steps + 1)]
    best = (-1.0, None)
    for x in itertools.product(grid, repeat=len(v)):
        if n > 1 and not border_holds(p, x, n):
            continue
        r = discrete_revenue(v, p, x, n, inspection)
        if r > best[0] + 1e-12:
            best = (r, x)
    return best


def continuum_revenue(allocation, n, cells=20000):
    """n E[v X(v) - R(v)] for uniform [0,1] values, R by (RENT) with a monotone argmax pointer."""
    w = [(i + 0.5) / cells for i in range(cells)]
    x = [allocation(t) for t in w]
    total, j = 0.0, 0
    for k, v in enumerate(w):
        while j + 1 <= k and (v - w[j + 1]) * x[j + 1] >= (v - w[j]) * x[j]:
            j += 1
        total += (v * x[k] - max(0.0, (v - w[j]) * x[j])) / cells
    return n * total


def pareto_one_bidder(alpha):
    """Cutoff and revenue of pareto(1, alpha): y rises by int_0^inf g/(1-g), g = e^(-d/L) - e^-d."""
    big_l = alpha / (alpha - 1)

    def rate(d):
        g = math.exp(-d / big_l) - math.exp(-d)
        return g / (1 - g) if d > 0 else 0.0

    end, steps = 60 * big_l + 200, 200000
    h = end / steps
    simpson = rate(0) + rate(end) + sum((4 if i % 2 else 2) * rate(i * h) for i in range(1, steps))
    rise = simpson * h / 3 - big_l * math.log1p(-math.exp(-end / big_l))
    cutoff = math.exp(rise / alpha)
    return cutoff, alpha / (alpha - 1) * cutoff ** (1 - alpha)


def main():
    v, p = (1, 2, 3), (0.5, 0.3, 0.2)
    r1, x1 = best_on_grid(v, p, 1, 20)
    print(f"three types, 1 bidder: revenue {r1:.10g} at X = {x1} (docs: 1.1 at (1/2, 1, 1))")
    posted = max(v[k] * sum(p[k:]) for k in range(3))
    print(f"three types, best posted price: {posted:.10g} (docs: 1.0)")
    r2, x2 = best_on_grid(v, p, 2, 20)
    print(f"three types, 2 bidders: revenue {r2:.10g} at X = {x2} (docs: 1.7 at G = (.25, .65, .9))")
    m2, _ = best_on_grid(v, p, 2, 20, inspection=False)
    print(f"three types, 2 bidders, no inspection (Myerson): {m2:.10g} (docs: 1.6)")

    c = 1 / PHI
    r = continuum_revenue(lambda t: (PHI * t) ** PHI if t < c else 1.0, 1)
    print(f"uniform, 1 bidder: integrated {r:.7f}, closed form {(math.sqrt(5) - 1) / 4:.7f}")
    r = continuum_revenue(lambda t: PHI ** (PHI - 1) * t**PHI if t <= c else t, 2)
    print(f"uniform, 2 bidders: integrated {r:.7f}, closed form {2 * (1 - PHI**-3) / 3:.7f}, "
          f"gain over 5/12: {100 * (2 * (1 - PHI**-3) / 3 / (5 / 12) - 1):.1f}%")
    r = continuum_revenue(lambda t: t * t, 3)
    print(f"uniform, 3 bidders (X = v^2): integrated {r:.6f}, closed form {23 / 36:.6f}, "
          f"gain over 17/32: {100 * (23 / 36 / (17 / 32) - 1):.1f}%")

    cutoff, revenue = pareto_one_bidder(1.1)
    print(f"pareto(1,1.1), 1 bidder: cutoff {cutoff:.4g}, revenue {revenue:.7g}; "
          f"2-bidder upper bound {2 * revenue:.5g}")

    # Asymmetric Border: bidder 0 p = (1/2, 1/2), X = (0, .30); bidder 1 p = (3/4, 1/4), X = (1, .31).
    probs, alloc = ((0.5, 0.5), (0.75, 0.25)), ((0.0, 0.30), (1.0, 0.31))
    subsets = ((), (0,), (1,), (0, 1))

    def gap(family):
        won = sum(probs[i][t] * alloc[i][t] for i in range(2) for t in family[i])
        none = math.prod(1 - sum(probs[i][t] for t in family[i]) for i in range(2))
        return won - (1 - none)

    violated = [(s0, s1, round(gap((s0, s1)), 6)) for s0 in subsets for s1 in subsets
                if gap((s0, s1)) > 1e-12]
    thresholds = max(gap(tuple(tuple(t for t in range(2) if alloc[i][t] >= level)
                               for i in range(2))) for level in (0, 0.3, 0.31, 1))
    print(f"asymmetric Border: violated families {violated} (docs: ((1,), (0,)) by 0.025); "
          f"largest common-threshold excess {thresholds:.3g} (<= 0: all hold)")


if __name__ == "__main__":
    main()
