# The scipy.stats names of the SPEC grammar (docs/spec.md) against scipy itself: the same cdf,
# quantiles, mean and partial means E[V ; V >= x]; and frozen scipy distributions as values.
# Skipped when scipy is not installed (scripts/install_deps.sh installs python3-scipy).
import json
import math

import numpy as np
import pytest

import dia
from dia import _dia

stats = pytest.importorskip("scipy.stats")

# (SPEC, the same distribution in scipy). norm is conditioned on v >= 0 (values are bids).
CASES = [
    ("norm(loc=1, scale=0.5)", lambda: stats.truncnorm(-2.0, np.inf, loc=1, scale=0.5)),
    ("truncnorm(-1, 2, loc=1, scale=0.5)", lambda: stats.truncnorm(-1, 2, loc=1, scale=0.5)),
    ("lognorm(0.5, scale=2)", lambda: stats.lognorm(0.5, scale=2)),
    ("expon(loc=1, scale=2)", lambda: stats.expon(loc=1, scale=2)),
    ("uniform(loc=1, scale=2)", lambda: stats.uniform(loc=1, scale=2)),
    ("pareto(3, scale=2)", lambda: stats.pareto(3, scale=2)),
    ("gamma(2.5, scale=3)", lambda: stats.gamma(2.5, scale=3)),
    ("gamma(a=0.5, loc=0, scale=1)", lambda: stats.gamma(0.5)),
    ("weibull_min(1.7, scale=2)", lambda: stats.weibull_min(1.7, scale=2)),
    ("weibull_min(c=0.6)", lambda: stats.weibull_min(0.6)),
    ("beta(2, 5, loc=1, scale=2)", lambda: stats.beta(2, 5, loc=1, scale=2)),
]
LEVELS = [1e-6, 0.01, 0.1, 0.5, 0.9, 0.99, 1 - 1e-6]


@pytest.mark.parametrize("spec,frozen", CASES, ids=[c[0] for c in CASES])
def test_scipy_name_matches_scipy(spec, frozen):
    rv = frozen()
    points = [float(x) for x in rv.ppf([0.05, 0.3, 0.6, 0.95])]
    got = json.loads(_dia.spec_summary(spec, points, LEVELS))
    assert got["mean"] == pytest.approx(rv.mean(), rel=1e-10)
    np.testing.assert_allclose(got["cdf"], rv.cdf(points), rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(got["quantile"], rv.ppf(LEVELS), rtol=1e-9)
    # E[V ; V >= x] by scipy's quadrature, an independent route to the closed forms.
    expected = [rv.expect(lambda v: v, lb=x, conditional=False) for x in points]
    np.testing.assert_allclose(got["partial_mean_above"], expected, rtol=1e-7)
    # The echo is dia's own form, which parses back to the same distribution.
    again = json.loads(_dia.spec_summary(got["spec"], points, LEVELS))
    assert again["spec"] == got["spec"] and again["cdf"] == got["cdf"]


@pytest.mark.parametrize("spec,frozen", CASES, ids=[c[0] for c in CASES])
def test_frozen_scipy_distribution_is_the_same_design_as_its_spec(spec, frozen):
    by_spec = dia.design(spec, rows=5)
    by_object = dia.design(frozen(), rows=5)
    assert by_object.spec == by_spec.spec
    assert by_object.revenue == by_spec.revenue


def test_frozen_positional_arguments_are_scipys():
    # scipy.stats.uniform(1, 2) is [1, 3]: loc and scale, not dia's (low, high).
    assert dia.design(stats.uniform(1, 2), rows=3).spec == "uniform(low=1, high=3)"
    assert dia.design(stats.pareto(3, 0, 2), rows=3).spec == "pareto(scale=2, shape=3)"
    m = dia.design(stats.expon(scale=2), bidders=2, rows=3)
    assert m.spec == "exponential(rate=0.5)" and m.bidders == 2


def test_frozen_scipy_distributions_as_bidders():
    # scipy's uniform(1, 2) is dia's uniform(1, 3): one bidder each, beside a K*SPEC entry.
    by_object = dia.design(bidders=[stats.uniform(1, 2), "2*uniform(0,1)"], grid=12)
    by_spec = dia.design(bidders=["uniform(1,3)", "2*uniform(0,1)"], grid=12)
    assert [c.spec for c in by_object.classes] == ["uniform(low=1, high=3)",
                                                    "uniform(low=0, high=1)"]
    assert [c.count for c in by_object.classes] == [1, 2]
    assert by_object.revenue == by_spec.revenue
    with pytest.raises(ValueError, match=r"bidders\[1\]: scipy.stats.cauchy is not supported"):
        dia.design(bidders=["uniform(0,1)", stats.cauchy()])
    with pytest.raises(TypeError, match="frozen scipy.stats distributions"):
        dia.design(bidders=["uniform(0,1)", 3])


def test_unsupported_scipy_family_is_refused():
    with pytest.raises(ValueError, match="scipy.stats.cauchy is not supported"):
        dia.design(stats.cauchy())
    with pytest.raises(ValueError, match="shifted gamma"):
        dia.design(stats.gamma(2, loc=1))


def test_myerson_revenue_of_a_scipy_name_matches_scipy():
    # One bidder: Myerson's revenue is max_p p P(V > p) (a regular distribution).
    rv = stats.gamma(2.5, scale=3)
    grid = np.linspace(0.01, 30, 300001)
    best = float(np.max(grid * rv.sf(grid)))
    assert dia.design("gamma(2.5, scale=3)", rows=3).revenues["myerson"] == pytest.approx(
        best, rel=1e-8)
    assert math.isfinite(best)
