# dia.simulate(bidders=[...]) and dia.report_html(bidders=[...]): `dia simulate --bidder ...` and
# `dia report --bidder ...` from Python (docs/asymmetric.md section 8): the CLI's output exactly,
# revenues worked by hand, errors with the CLI's lines in Python's names, and Ctrl-C.
import math

import pytest

import dia
from test_python_behaviour import interrupt_after

# Bidder 0: 1 or 3 (1/2 each); bidder 1: 2 for sure. Second price: (1, 2) pays 1, (3, 2) pays 2:
# 1.5 (bidder 0 earns 1.0, bidder 1 0.5). Myerson (ironed virtual values (-1, 3) and (2)):
# bidder 1 pays its reserve 2 at (1, 2), bidder 0 its threshold 3 at (3, 2): 2.5.
HAND = ["discrete(1:0.5,3:0.5)", "discrete(2:1)"]


def without_timing(result):
    return {k: v for k, v in result.items() if k not in ("seconds", "auctions_per_second")}


@pytest.mark.parametrize("options,args", [
    (dict(mechanism="myerson", audit=True, audit_samples=500),
     ["--mechanism", "myerson", "--audit", "--audit-samples", "500"]),
    (dict(inspection_noise="uniform(0.5)", tolerance=0.25, epsilon=0.1, grid=6),
     ["--inspection-noise", "uniform(0.5)", "--tolerance", "0.25", "--epsilon", "0.1",
      "--grid", "6"]),
])
def test_asymmetric_simulate_equals_cli_json(cli, options, args):
    bidders = ["uniform(0,1)", "2*uniform(0,2)"]
    py = dia.simulate(bidders=bidders, auctions=5000, seed=3, threads=1, **options)
    expected = cli("simulate", "--bidder", bidders[0], "--bidder", bidders[1], "--auctions",
                   "5000", "--seed", "3", "--threads", "1", *args, "--format", "json",
                   expect=(0, 3))
    assert list(py) == list(expected)
    assert without_timing(py.to_dict()) == without_timing(expected)
    assert py.bidders == 3 and len(py.per_bidder) == 3
    assert py.per_bidder[2]["values"] == "uniform(low=0, high=2)"


def test_asymmetric_simulate_by_hand():
    second = dia.simulate(bidders=HAND, mechanism="second-price", auctions=400000, seed=8)
    assert isinstance(second, dia.Simulation)
    assert math.isclose(second.revenue_expected, 1.5, rel_tol=1e-15)
    assert [b["revenue"]["expected"] for b in second.per_bidder] == pytest.approx([1.0, 0.5],
                                                                                rel=1e-15)
    lo, hi = second.revenue_ci95
    assert lo < 1.5 < hi and not lo < 2.5 < hi  # Myerson's revenue is not this mechanism's
    myerson = dia.simulate(bidders=HAND, mechanism="myerson", auctions=400000, seed=8)
    assert math.isclose(myerson["revenue"]["expected"], 2.5, rel_tol=1e-15)
    assert myerson.ex_post_rule["reserves"] == [3.0, 2.0]
    lo, hi = myerson.revenue_ci95
    assert lo < 2.5 < hi
    inspection = dia.simulate(bidders=HAND, auctions=1000, seed=8)
    assert inspection.ex_post_rule["form"] == "priority_rankings"
    assert inspection.revenue["expected"] == pytest.approx(inspection.revenue["design"], rel=1e-12)


@pytest.mark.parametrize("kwargs,message", [
    (dict(bidders=["uniform(0,1)", "uniform(2,1)"]), "bidder 2"),
    (dict(bidders=["uniform(0,1)"], mechanism="second-price", inspection_noise="normal(0.1)"),
     "inspection_noise applies to mechanism inspection only"),
    (dict(bidders=["uniform(0,1)"], tolerance=0.1), "tolerance needs inspection_noise"),
    (dict(bidders=["uniform(0,1)"], values="uniform(0,2)"), "cannot be combined with values"),
    (dict(bidders=[], auctions=10), "no bidders"),
])
def test_asymmetric_simulate_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        dia.simulate(**kwargs)


def test_asymmetric_simulate_rejects_non_string_entries():
    with pytest.raises(TypeError):
        dia.simulate(bidders=[1, 2])


@pytest.mark.parametrize("call", [
    "dia.simulate(bidders=['uniform(0,1)', 'uniform(0,2)'], mechanism='second-price', "
    "auctions=10**11)",
    # The interrupt lands in the strategic audit's paired auctions.
    "dia.simulate(bidders=['discrete(1:0.5,3:0.5)', 'discrete(2:1)'], auctions=1000, audit=True, "
    "audit_samples=10**11)",
])
def test_ctrl_c_stops_an_asymmetric_simulation_within_a_second(call):
    elapsed, code, err = interrupt_after(f"import dia; print('started', flush=True); {call}")
    assert code != 0 and "KeyboardInterrupt" in err, err
    assert elapsed < 1.0, elapsed


def test_asymmetric_report_html_equals_cli(cli, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796000000")  # one date on both pages
    page = dia.report_html(bidders=HAND)
    expected = cli("report", "--bidder", HAND[0], "--bidder", HAND[1], "--out", "-", "--quiet")
    # Each page names the call that made it (on the page and on every plot); the rest is equal.
    call = "dia.report_html(bidders=['discrete(1:0.5,3:0.5)', 'discrete(2:1)'])"
    command = "dia report --bidder 'discrete(1:0.5,3:0.5)' --bidder 'discrete(2:1)' --format html --out -"
    assert page.count(call) == 2 * 4 + 2
    assert page.replace(call, command) == expected.stdout
    assert page.count('<figure class="plot"') == 4 and "<td>2.5</td>" in page
    with pytest.raises(ValueError, match="cannot be combined"):
        dia.report_html(bidders=HAND, show=2)
