#!/usr/bin/python3
"""Independent reference for n symmetric bidders with discrete values: the reduced-form LP of
docs/model.md#lp-full, solved by scipy's HiGHS, with its optimum bracketed in exact rationals.

Run with the system python (scipy): /usr/bin/python3 tests/reference/discrete_lp.py N 'discrete(...)'
or, with no arguments, over the instances of tests/data/false-failed-n20-50.json that the golden
test CornersGolden.DiscreteManyBiddersMatchTheIndependentLp embeds. Nothing here uses dia.

The LP, with types v_1 < ... < v_m of probabilities p_k and F_k = p_1 + ... + p_k:

    maximize   n sum_k p_k (v_k X_k - U_k)
    subject to U_k >= (v_k - v_j) X_j               j < k       (IC)
               X_k <= X_{k+1}                                   (monotone)
               sum_{l >= k} p_l X_l <= H_k = (1 - F_{k-1}^n) / n  (Border, F)
               0 <= X_k <= 1,  0 <= U_k <= v_k.

The reference is the exact optimum: the primal simplex in exact rationals (fractions.Fraction; the
inputs' doubles read exactly, the probabilities renormalised as dia's parser does, docs/spec.md),
which stops only when every reduced cost is <= 0 exactly. A floating-point LP is not enough here:
with 50 bidders an optimal X_k can be 1e-10, below HiGHS's tolerances, and HiGHS's own vertex was
1.6e-9 (relative) below the optimum on one of these inputs.

HiGHS (scipy's linprog, dual simplex, tolerances 1e-10) solves the same LP as a cross-check, with
the boxes 0 <= U_k <= v_k (cutting off nothing: the smallest rents of a feasible X are at most
v_k X_k, (LL)) so that its row multipliers y, clipped to >= 0, give an upper bound evaluated
exactly: for every feasible x, c.x <= y.b + sum_j max(r_j lo_j, r_j hi_j) with r = c - A^T y.
The script asserts exact <= that bound and prints both with HiGHS's objective.
"""
import json
import math
import os
import sys
from fractions import Fraction

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix


def parse_discrete(spec):
    """discrete(v:p, ...) -> sorted distinct values and probabilities (Fractions, summing to 1)."""
    body = spec.strip()
    assert body.lower().startswith("discrete(") and body.endswith(")"), spec
    atoms = {}
    for item in body[len("discrete("):-1].split(","):
        v, p = item.split(":")
        v, p = Fraction(float(v)), Fraction(float(p))
        if p > 0:
            atoms[v] = atoms.get(v, Fraction(0)) + p
    total = sum(atoms.values())
    values = sorted(atoms)
    return values, [atoms[v] / total for v in values]


def build(values, probs, n):
    """The LP as exact rows: objective c, rows (coefficients, rhs), boxes lo, hi. Variables X_k at
    k, U_k at m + k."""
    m = len(values)
    c = [n * p * v for p, v in zip(probs, values)] + [-n * p for p in probs]
    rows = []
    for k in range(m):
        for j in range(k):
            rows.append(({j: values[k] - values[j], m + k: Fraction(-1)}, Fraction(0)))
    for k in range(m - 1):
        rows.append(({k: Fraction(1), k + 1: Fraction(-1)}, Fraction(0)))
    above = Fraction(0)
    heads = []
    for k in reversed(range(m)):
        above += probs[k]  # 1 - F_{k-1}, summed from the top
        heads.append((k, (1 - (1 - above) ** n) / n))
    for k, h in reversed(heads):
        rows.append(({l: probs[l] for l in range(k, m)}, h))
    lo = [Fraction(0)] * (2 * m)
    hi = [Fraction(1)] * m + list(values)
    return c, rows, lo, hi


def revenue(values, probs, n, x):
    """n sum_k p_k (v_k X_k - R_k) with the smallest rents (RENT), exactly."""
    total = Fraction(0)
    for k in range(len(values)):
        rent = max([Fraction(0)] + [(values[k] - values[j]) * x[j] for j in range(k)])
        total += n * probs[k] * (values[k] * x[k] - rent)
    return total


def exact_simplex(c, rows, m):
    """max c.x subject to rows (a.x <= b, every b >= 0), x >= 0, and X_m <= 1 (the other X_k <= 1
    follow from monotonicity; U_k needs no cap, its objective coefficient is negative), in exact
    rationals: the primal simplex on the short tableau from the slack basis at x = 0 (feasible:
    every b >= 0), entering the largest reduced cost, or by Bland's rule (which cannot cycle) after
    50 degenerate pivots in a row. Returns the optimum and x; every reduced cost is then <= 0
    exactly, which certifies it."""
    rows = rows + [({m - 1: Fraction(1)}, Fraction(1))]
    ncol = len(c)
    tab = [[coef.get(j, Fraction(0)) for j in range(ncol)] for coef, _ in rows]
    beta = [b for _, b in rows]  # basic_i = beta_i - sum_j tab[i][j] nonbasic_j
    cost = list(c)  # objective = value + sum_j cost_j nonbasic_j
    value = Fraction(0)
    basic = [ncol + i for i in range(len(rows))]
    nonbasic = list(range(ncol))
    stall = 0
    while True:
        enter = [j for j in range(ncol) if cost[j] > 0]
        if not enter:
            break
        if stall < 50:
            e = max(enter, key=lambda j: cost[j])
        else:
            e = min(enter, key=lambda j: nonbasic[j])
        r = None
        for i, row in enumerate(tab):
            if row[e] > 0:
                ratio = beta[i] / row[e]
                if r is None or ratio < best or (ratio == best and basic[i] < basic[r]):
                    r, best = i, ratio
        assert r is not None, "unbounded"
        p = tab[r][e]
        new = [t / p for t in tab[r]]
        new[e] = 1 / p
        step = beta[r] / p
        for i, row in enumerate(tab):
            f = row[e]
            if i != r and f:
                for j in range(ncol):
                    if j != e and new[j]:
                        row[j] -= f * new[j]
                row[e] = -f / p
                beta[i] -= f * step
        ce = cost[e]
        for j in range(ncol):
            if j != e and new[j]:
                cost[j] -= ce * new[j]
        cost[e] = -ce / p
        value += ce * step
        tab[r], beta[r] = new, step
        basic[r], nonbasic[e] = nonbasic[e], basic[r]
        stall = stall + 1 if step == 0 else 0
    x = [Fraction(0)] * ncol
    for i, var in enumerate(basic):
        if var < ncol:
            x[var] = beta[i]
    return value, x


def solve(values, probs, n):
    m = len(values)
    c, rows, lo, hi = build(values, probs, n)
    r, col, dat = [], [], []
    for i, (coef, _) in enumerate(rows):
        for j, a in coef.items():
            r.append(i), col.append(j), dat.append(float(a))
    a_ub = coo_matrix((dat, (r, col)), shape=(len(rows), 2 * m)).tocsr()
    b_ub = np.array([float(b) for _, b in rows])
    res = linprog(-np.array([float(x) for x in c]), A_ub=a_ub, b_ub=b_ub,
                  bounds=list(zip(map(float, lo), map(float, hi))), method="highs-ds",
                  options={"primal_feasibility_tolerance": 1e-10,
                           "dual_feasibility_tolerance": 1e-10, "presolve": False})
    assert res.status == 0, res.message

    # HiGHS's Lagrangian bound of the row multipliers (linprog minimises -c: marginals <= 0)
    y = [max(Fraction(0), Fraction(-float(t))) for t in res.ineqlin.marginals]
    upper = sum(yi * b for yi, (_, b) in zip(y, rows))
    reduced = list(c)
    for yi, (coef, _) in zip(y, rows):
        if yi:
            for j, a in coef.items():
                reduced[j] -= yi * a
    upper += sum(max(rj * l, rj * h) for rj, l, h in zip(reduced, lo, hi))
    highs_bound = upper

    exact, x = exact_simplex(c, rows, m)
    assert revenue(values, probs, n, x[:m]) == exact  # the optimum has the smallest rents
    assert exact <= highs_bound
    return exact, float(highs_bound), -res.fun


def main():
    if len(sys.argv) == 3:
        cases = [("cli", "", int(sys.argv[1]), sys.argv[2])]
    else:
        here = os.path.dirname(os.path.abspath(__file__))
        with open(os.path.join(here, "..", "data", "false-failed-n20-50.json")) as f:
            cases = json.load(f)
    for seed, index, n, spec in cases:
        values, probs = parse_discrete(spec)
        exact, bound, highs = solve(values, probs, n)
        print(f"{seed}/{index} n={n} atoms={len(values)}: exact {float(exact):.17g} "
              f"(HiGHS {highs:.17g}, its dual bound {bound:.17g})", flush=True)


if __name__ == "__main__":
    main()
