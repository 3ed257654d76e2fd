# The Python module `dia` against the CLI's JSON: same numbers, same errors.
import math
import re

import numpy as np
import pytest

import dia


def assert_same(python, cli_json, path="$"):
    """Equal JSON trees, numbers to 1e-12 relative (both come from the same C++ code)."""
    if isinstance(cli_json, dict):
        assert set(python) == set(cli_json), path
        for key in cli_json:
            assert_same(python[key], cli_json[key], f"{path}.{key}")
    elif isinstance(cli_json, list):
        assert len(python) == len(cli_json), path
        for i, (a, b) in enumerate(zip(python, cli_json)):
            assert_same(a, b, f"{path}[{i}]")
    elif isinstance(cli_json, float) and isinstance(python, (int, float)):
        assert math.isclose(python, cli_json, rel_tol=1e-12, abs_tol=1e-15), path
    else:
        assert python == cli_json, path


@pytest.mark.parametrize(
    "spec,bidders",
    [("uniform(0,1)", 1), ("uniform(0,1)", 2), ("discrete(1:0.5,2:0.3,3:0.2)", 1),
     ("discrete(1:0.2,2:0.3,4:0.5)", 3)],
)
def test_design_equals_cli_json(cli, spec, bidders):
    m = dia.design(spec, bidders=bidders)
    expected = cli("design", "--values", spec, "--bidders", str(bidders), "--format", "json")
    assert_same(m.json, expected)
    rows = expected["mechanism"]
    assert isinstance(m.allocation, np.ndarray) and m.allocation.shape == (len(rows),)
    np.testing.assert_array_equal(m.allocation, [r["allocation"] for r in rows])
    np.testing.assert_array_equal(m.rewards, [r["rent"] for r in rows])
    np.testing.assert_array_equal(m.values, [r["value"] for r in rows])
    assert m.revenue == expected["revenue"]["inspection"]
    assert m.status == expected["status"]


def test_known_numbers():
    m = dia.design("uniform(0,1)", bidders=1)
    assert m.revenue == pytest.approx((math.sqrt(5) - 1) / 4, rel=1e-7)
    assert m.revenues["myerson"] == pytest.approx(0.25, rel=1e-9)
    worked = dia.design("discrete(1:0.5,2:0.3,3:0.2)")
    np.testing.assert_allclose(worked.allocation, [0.5, 1, 1])
    np.testing.assert_allclose(worked.rent, [0, 0.5, 1])
    assert worked.revenue == pytest.approx(1.1)


def test_options_match_cli(cli):
    m = dia.design("exponential(1)", bidders=1, grid=500, rows=7)
    expected = cli("design", "--values", "exponential(1)", "--grid", "500", "--rows", "7",
                   "--format", "json")
    assert_same(m.json, expected)
    assert m.status == "grid_limited" and len(m.values) == 7


def test_check_lp_and_dominant_match_cli(cli):
    m = dia.design("discrete(1:0.5,2:0.3,3:0.2)", bidders=2, check="lp", ic="dominant")
    expected = cli("design", "--values", "discrete(1:0.5,2:0.3,3:0.2)", "--bidders", "2",
                   "--check", "lp", "--ic", "dominant", "--format", "json")
    assert_same(m.json, expected)
    assert m.json["lp_check"]["relative_difference"] < 1e-9
    assert m.json["revenue"]["inspection_dsic"] <= m.revenue * (1 + 1e-9)
    with pytest.raises(ValueError) as error:
        dia.design("uniform(0,1)", bidders=3, ic="dominant")
    assert str(error.value) == python_names(
        cli_error(cli, "design", "--bidders", "3", "--ic", "dominant"))


def cli_error(cli, *args):
    """The one line the CLI prints for bad input, without its "dia: error: " prefix."""
    return cli(*args, expect=2).stderr.strip().removeprefix("dia: error: ")


def test_compare_equals_cli_json(cli):
    c = dia.compare("uniform(0,1)", bidders=[1, 2, 3])
    expected = cli("compare", "--values", "uniform(0,1)", "--bidders", "1..3", "--format", "json")
    assert_same(c.json, expected)
    np.testing.assert_array_equal(c.bidders, [1, 2, 3])
    assert dia.compare("uniform(0,1)", bidders="1..3").json == c.json


def test_simulate_matches_cli(cli):
    py = dia.simulate("uniform(0,1)", bidders=2, mechanism="second-price", auctions=200000,
                      seed=7, threads=1)
    expected = cli("simulate", "--values", "uniform(0,1)", "--bidders", "2", "--mechanism",
                   "second-price", "--auctions", "200000", "--seed", "7", "--threads", "1",
                   "--format", "json")
    for key in ("mean", "stderr", "expected"):
        assert py["revenue"][key] == expected["revenue"][key]
    assert py["sale_rate"] == expected["sale_rate"]


def without_timing(result):
    """The simulate JSON without its wall-clock keys (the only ones that vary run to run)."""
    return {k: v for k, v in result.items() if k not in ("seconds", "auctions_per_second")}


@pytest.mark.parametrize("epsilon", [None, 0.001])
def test_simulate_audit_and_noise_equal_cli_json(cli, epsilon):
    py = dia.simulate("uniform(0,1)", bidders=2, auctions=3000, seed=5, threads=1, audit=True,
                      audit_samples=2000, inspection_noise="normal(0.01)", tolerance=0.02,
                      epsilon=epsilon)
    args = ["simulate", "--values", "uniform(0,1)", "--bidders", "2", "--auctions", "3000",
            "--seed", "5", "--threads", "1", "--audit", "--audit-samples", "2000",
            "--inspection-noise", "normal(0.01)", "--tolerance", "0.02", "--format", "json"]
    if epsilon is not None:
        args += ["--epsilon", str(epsilon)]
    expected = cli(*args, expect=(0, 3))  # 3: the audit finds a lie that gains under noise
    assert list(py) == list(expected)  # the same keys, in the CLI's order
    assert_same(without_timing(py), without_timing(expected))
    assert py["noise"]["spec"] == "normal(0.01)" and py["noise"]["tolerance"] == 0.02
    assert ("tolerance_search" in py["noise"]) == (epsilon is not None)
    assert py["max_deviation_gain"] == py["audit"]["max_deviation_gain"]
    assert py["audit"]["simulated_samples"] == 2000


def test_simulate_without_options_has_no_audit_or_noise(cli):
    py = dia.simulate("uniform(0,1)", bidders=1, auctions=2000, seed=3, threads=1)
    expected = cli("simulate", "--values", "uniform(0,1)", "--auctions", "2000", "--seed", "3",
                   "--threads", "1", "--format", "json")
    assert_same(without_timing(py), without_timing(expected))
    assert "noise" not in py and "audit" not in py and "max_deviation_gain" not in py


@pytest.mark.parametrize(
    "kwargs,cli_args",
    [({"inspection_noise": "gauss(1)"}, ["--inspection-noise", "gauss(1)"]),
     ({"inspection_noise": "normal(-1)"}, ["--inspection-noise", "normal(-1)"]),
     ({"inspection_noise": "normal(0.1"}, ["--inspection-noise", "normal(0.1"]),
     ({"tolerance": 0.02}, ["--tolerance", "0.02"]),
     ({"inspection_noise": "normal(0.1)", "tolerance": -1},
      ["--inspection-noise", "normal(0.1)", "--tolerance", "-1"]),
     ({"epsilon": 0.01}, ["--epsilon", "0.01"]),
     ({"inspection_noise": "normal(0)", "epsilon": 0.01},
      ["--inspection-noise", "normal(0)", "--epsilon", "0.01"]),
     ({"inspection_noise": "uniform(0.1)", "epsilon": -1},
      ["--inspection-noise", "uniform(0.1)", "--epsilon", "-1"]),
     ({"inspection_noise": "normal(0.1)", "mechanism": "myerson"},
      ["--inspection-noise", "normal(0.1)", "--mechanism", "myerson"]),
     ({"auctions": 0}, ["--auctions", "0"])],
)
def test_bad_simulate_options_raise_value_error_with_cli_message(cli, kwargs, cli_args):
    kwargs = {"auctions": 1000, **kwargs}
    if "--auctions" not in cli_args:
        cli_args = ["--auctions", "1000", *cli_args]
    with pytest.raises(ValueError) as raised:
        dia.simulate("uniform(0,1)", **kwargs)
    assert "--" not in str(raised.value)
    assert str(raised.value) == python_names(cli_error(cli, "simulate", *cli_args))


def python_names(line):
    """The CLI's message with its options written as Python arguments."""
    def with_value(m):
        name, value = m[1].replace("-", "_"), m[2]
        return f'{name}="{value}"' if "(" in value else f"{name}={value}"
    line = re.sub(r"--([a-z][a-z-]*) ([0-9.+-][^ ,;)]*|[a-z]+\([^ ()]*\))", with_value, line)
    return re.sub(r"--([a-z][a-z-]*)", lambda m: m[1].replace("-", "_"), line)


@pytest.mark.parametrize(
    "spec", ["uniform(2,1)", "normal(0,1)", "discrete(1:0.5,2:0.3)", "pareto(1,0.5)"]
)
def test_bad_spec_raises_value_error_with_cli_message(cli, spec):
    with pytest.raises(ValueError) as raised:
        dia.design(spec)
    done = cli("design", "--values", spec, expect=2)
    assert done.stderr.strip() == f"dia: error: {raised.value}"


def test_bad_options_raise():
    with pytest.raises(ValueError):
        dia.design("uniform(0,1)", bidders=0)
    with pytest.raises(ValueError):
        dia.design("uniform(0,1)", bidders=51)
    with pytest.raises(ValueError):
        dia.design("uniform(0,1)", grid=1)
    with pytest.raises(ValueError, match="bidders"):
        dia.compare("uniform(0,1)", bidders="0..3")
    with pytest.raises(ValueError):
        dia.simulate("uniform(0,1)", mechanism="english")
    with pytest.raises(ValueError):
        dia.simulate("uniform(0,1)", auctions=0)


def test_report_html_is_self_contained():
    page = dia.report_html("uniform(0,1)", bidders=[1, 2])
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<figure class=\"plot\"") == 9
    assert "<code>dia.report_html('uniform(0,1)', bidders=" in page  # the call that made it
    assert page.count("<title id=\"title-") == 9
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page


def test_asymmetric_design_equals_cli_json(cli):
    bidders = ["2*discrete(1:0.5,2:0.5)", "discrete(1:0.75,2:0.25)"]
    m = dia.design(bidders=bidders)
    expected = cli("design", "--bidder", bidders[0], "--bidder", bidders[1], "--format", "json")
    assert_same(m.json, expected)
    assert m.bidders == 3 and len(m.classes) == 2 and m.allocation.shape == (0,)
    assert [c.count for c in m.classes] == [2, 1]
    for c, e in zip(m.classes, expected["bidders"]):
        np.testing.assert_array_equal(c.allocation, [r["allocation"] for r in e["mechanism"]])
        np.testing.assert_array_equal(c.values, [1.0, 2.0])
    assert math.isclose(sum(c.revenue for c in m.classes), m.revenue, rel_tol=1e-12)


def test_asymmetric_design_by_hand():
    # One bidder: the worked example of docs/model.md, v = (1, 2, 3), p = (.5, .3, .2): 1.1.
    one = dia.design(bidders=["discrete(1:0.5,2:0.3,3:0.2)"])
    assert one.status == "optimal" and math.isclose(one.revenue, 1.1, rel_tol=1e-12)
    np.testing.assert_allclose(one.classes[0].allocation, [0.5, 1, 1], rtol=1e-12)
    # Two identical bidders given as a class reproduce the symmetric designer.
    spec = "discrete(1:0.4,2:0.3,3:0.2,5:0.1)"
    pair = dia.design(bidders=[f"2*{spec}"])
    assert math.isclose(pair.revenue, dia.design(spec, bidders=2).revenue, rel_tol=1e-9)


@pytest.mark.parametrize("bidders,message", [
    (["0*uniform(0,1)"], "K >= 1"),
    ([], "no bidders"),
    (["uniform(0,1)", "lognormal(0,-1)"], "bidder 2"),
    (["51*uniform(0,1)"], "more than 50"),
])
def test_asymmetric_design_errors(bidders, message):
    with pytest.raises(ValueError, match=message.replace("*", r"\*")):
        dia.design(bidders=bidders)
