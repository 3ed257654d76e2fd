# dia.compare over bidder sets (`dia compare --set ...`): the CLI's JSON, and the classic
# asymmetric baselines against sums worked out by hand (docs/asymmetric.md section 5).
import math

import numpy as np
import pytest

import dia
from test_dia_module import assert_same

# Bidder A: 1 or 3, each with probability 1/2; bidder B: 1 (0.8) or 4 (0.2). The four profiles
# (A, B) have probabilities (1,1) 0.4, (1,4) 0.1, (3,1) 0.4, (3,4) 0.1.
PAIR = ["discrete(1:0.5,3:0.5)", "discrete(1:0.8,4:0.2)"]
# Discrete virtual values phi(v_k) = v_k - (v_{k+1} - v_k) P(V > v_k) / p_k:
#   A: phi(1) = 1 - 2 * 0.5 / 0.5 = -1, phi(3) = 3;  B: phi(1) = 1 - 3 * 0.2 / 0.8 = 0.25, phi(4) = 4.
# Myerson, E[max phi^+]: 0.4 * 0.25 + 0.1 * 4 + 0.4 * 3 + 0.1 * 4 = 2.1.
# Myerson reserves (smallest value with phi >= 0): A 3, B 1. Second price with them: (1,1) and
#   (1,4) B alone pays 1; (3,1) A pays max(3, 1) = 3; (3,4) B pays max(1, 3) = 3:
#   0.4 + 0.1 + 1.2 + 0.3 = 2.0.
# Second price, no reserve (the lower value): 0.4 + 0.1 + 0.4 + 0.1 * 3 = 1.2.
# Best anonymous reserve: r = 1 gives 1.2; r in (1, 3] gives 0.1 r + 0.4 r + 0.3 = 0.5 r + 0.3,
#   1.8 at r = 3; r in (3, 4] only B = 4 sells, 0.1 r <= 0.4. So 1.8.
PAIR_BASELINES = {"myerson": 2.1, "second_price_myerson_reserves": 2.0,
                  "second_price_reserve": 1.8, "second_price": 1.2}


def test_bidder_sets_equal_cli_json(cli):
    sets = [PAIR, ["2*uniform(0,1)", "uniform(0,2)"]]
    c = dia.compare(bidders=sets)
    expected = cli("compare", "--set", ",".join(sets[0]), "--set", ",".join(sets[1]),
                   "--format", "json")
    assert_same(c.json, expected)
    assert isinstance(c, dia.SetComparison)
    np.testing.assert_array_equal(c.bidder_count, [2, 3])
    # One flat list of entries is one set.
    one = dia.compare(bidders=PAIR)
    assert_same(one.json["sets"], expected["sets"][:1])


def test_baselines_of_two_discrete_bidders_by_hand():
    c = dia.compare(bidders=[PAIR])
    row = c.sets[0]
    assert row["status"] == "optimal" and row["bidder_count"] == 2
    assert row["bidders"] == [{"values": "discrete(1:0.5, 3:0.5)", "count": 1},
                              {"values": "discrete(1:0.8, 4:0.2)", "count": 1}]
    inspection = row["revenue"]["inspection"]
    for key, revenue in PAIR_BASELINES.items():
        assert math.isclose(row["revenue"][key], revenue, rel_tol=1e-12), key
        assert math.isclose(c.revenue[key][0], revenue, rel_tol=1e-12), key
        assert math.isclose(row["gain_percent"][key], 100 * (inspection / revenue - 1),
                            rel_tol=1e-9, abs_tol=1e-9), key
    # Inspection is never below Myerson, and is the design of the same bidders.
    assert inspection >= 2.1 - 1e-9
    design = dia.design(bidders=PAIR)
    assert math.isclose(inspection, design.revenue, rel_tol=1e-12)


def test_one_uniform_bidder_from_scipy_and_a_baseline_of_zero():
    stats = pytest.importorskip("scipy.stats")
    # One bidder uniform on [0, 2]: Myerson posts the price 1 (phi(v) = 2v - 2), revenue
    # 1 * P(V >= 1) = 1/2, as do both reserve auctions; second price without reserve earns 0, so
    # its gain is none (NaN here, null in the JSON). Continuous baselines are valued on 2000-cell
    # grids (error O(1/m)). The one-bidder inspection optimum scales with the values: twice the
    # (sqrt 5 - 1)/4 of uniform(0,1) (docs/model.md), (sqrt 5 - 1)/2.
    c = dia.compare(bidders=[[stats.uniform(0, 2)]])
    assert c.values == ["uniform(low=0, high=2)"]
    for key in ("myerson", "second_price_myerson_reserves", "second_price_reserve"):
        assert math.isclose(c.revenue[key][0], 0.5, rel_tol=1e-3), key
    assert c.revenue["second_price"][0] == 0
    assert np.isnan(c.gain_percent["second_price"][0])
    assert c.sets[0]["gain_percent"]["second_price"] is None
    assert math.isclose(c.revenue["inspection"][0], (math.sqrt(5) - 1) / 2, rel_tol=1e-4)


@pytest.mark.parametrize("bidders,error,message", [
    ([], ValueError, "no bidder sets"),
    ([[]], ValueError, "set 1: no bidders"),
    ([PAIR, ["uniform(0,1)", "lognormal(0,-1)"]], ValueError, "set 2: bidder 2"),
    ([PAIR, ["0*uniform(0,1)"]], ValueError, "set 2: bidder 1 .* K >= 1"),
    ([["51*uniform(0,1)"]], ValueError, "more than 50"),
    ([PAIR, 3], TypeError, "list of such lists"),
    ([["uniform(0,1)", 2]], TypeError, r"bidders\[0\]"),
])
def test_bad_bidder_sets_raise(bidders, error, message):
    with pytest.raises(error, match=message):
        dia.compare(bidders=bidders)


def test_bidder_sets_refuse_values():
    with pytest.raises(ValueError, match="cannot be combined with values"):
        dia.compare("uniform(0,2)", bidders=[PAIR])
