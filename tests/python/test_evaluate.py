# dia.evaluate: a saved design under other distributions, as `dia evaluate --format json` gives
# it, with numbers worked by hand (docs/evaluate.md).
import json
import math
import pathlib

import pytest

import dia

# Two classes by hand (tests/golden/evaluate_golden_test.cpp, ClassesByHand): under A ~
# discrete(1:0.2, 2:0.8) A earns 0.2 * 0.4 + 0.8 (2 - 0.4) = 1.36 and B 0.2 * 0.6 * 1.5 = 0.18.
CLASSES_FILE = pathlib.Path(__file__).resolve().parents[1] / "data" / "two-classes-by-hand.json"
CLASSES = json.loads(CLASSES_FILE.read_text())

def test_classes_by_hand_and_equal_to_the_cli(cli):
    path = CLASSES_FILE
    e = dia.evaluate(path, bidders=["discrete(1:0.2, 2:0.8)", "discrete(1.5:1)"])
    assert isinstance(e, dia.Evaluation)
    assert math.isclose(e.revenue, 1.54, rel_tol=1e-12)
    assert math.isclose(e.bidders[0]["revenue"], 1.36, rel_tol=1e-12)
    assert e.truthful and e.rule == "priority_rankings"
    expected = cli("evaluate", "--design", str(path), "--bidder", "discrete(1:0.2, 2:0.8)",
                   "--bidder", "discrete(1.5:1)", "--format", "json")
    assert e.to_dict() == expected
    assert "dia.evaluate" in e._repr_html_() and "1.54" in repr(e)
    # A dict gives the same numbers.
    assert dia.evaluate(CLASSES, bidders=["discrete(1:0.2, 2:0.8)", "discrete(1.5:1)"]).revenue \
        == e.revenue


def test_a_design_object_under_a_shifted_uniform():
    # A posted price of 0.5 (one row, X = 1) under uniform(0.25, 1.25): sold with probability
    # 0.75 at 0.5, revenue 0.375 (docs/evaluate.md).
    posted = {"values": "discrete(0.5:1)", "bidders": 1, "revenue": {"inspection": 0.5},
              "mechanism": [{"value": 0.5, "probability": 1, "allocation": 1, "rent": 0}]}
    e = dia.evaluate(posted, values="uniform(0.25,1.25)")
    assert math.isclose(e.revenue, 0.375, rel_tol=1e-12)
    assert math.isclose(e.sale_probability, 0.75, rel_tol=1e-12)
    # A Design from dia.design under its own discrete F earns its own revenue.
    d = dia.design("discrete(1:0.2,2:0.3,3:0.5)", bidders=2)
    own = dia.evaluate(d, values="discrete(1:0.2,2:0.3,3:0.5)")
    assert math.isclose(own.revenue, d.revenue, rel_tol=1e-12)


def test_arguments_are_checked_by_their_python_names(tmp_path):
    with pytest.raises(FileNotFoundError):
        dia.evaluate(tmp_path / "missing.json", values="uniform(0,1)")
    with pytest.raises(ValueError, match="takes bidders"):
        dia.evaluate(CLASSES, values="uniform(0,1)")
    with pytest.raises(ValueError, match="2 bidder classes but bidders lists 1"):
        dia.evaluate(CLASSES, bidders=["uniform(0,1)"])
    posted = {"bidders": 1, "mechanism": [{"value": 1, "allocation": 1}]}
    with pytest.raises(ValueError, match="values is required"):
        dia.evaluate(posted)
    with pytest.raises(ValueError, match="train_out needs holdout"):
        dia.evaluate(posted, values="uniform(0,1)", train_out="x.csv")
    with pytest.raises(ValueError, match="uniform"):
        dia.evaluate(posted, values="uniform(2,1)")
    with pytest.raises(TypeError):
        dia.evaluate(42, values="uniform(0,1)")


def test_design_bootstrap_equals_the_cli(tmp_path, cli):
    # 60 rows of bids 1..7 (tests/golden/evaluate_golden_test.cpp): the same seed gives the
    # CLI's intervals, which bracket the design's own revenue.
    path = tmp_path / "boot.csv"
    path.write_text("id,bid\n" + "".join(f"{i},{i % 7 + 1}\n" for i in range(1, 61)))
    spec = f"empirical({path}, column=bid)"
    d = dia.design(spec, bootstrap=20, seed=5)
    expected = cli("design", "--values", spec, "--bootstrap", "20", "--seed", "5", "--format",
                   "json")
    assert d.bootstrap == expected["bootstrap"]
    assert d.to_dict()["revenue"] == expected["revenue"]
    assert dia.design(spec).bootstrap is None
    with pytest.raises(ValueError, match="bootstrap needs 10..10000 replicates, got 3"):
        dia.design(spec, bootstrap=3)
    with pytest.raises(ValueError, match="bootstrap is for"):
        dia.design(bidders=["uniform(0,1)", "uniform(0,2)"], bootstrap=20)


def test_design_by_with_bootstrap_equals_the_cli(tmp_path, cli):
    # Two bidder classes from one file (`dia design --by`): class A bids 1..3, class B 2..5, 36
    # rows each; the same seed gives the CLI's JSON, bootstrap included, key for key.
    path = tmp_path / "by.csv"
    rows = [f"{i},A,{i % 3 + 1}\n" for i in range(36)] + [f"{i},B,{i % 4 + 2}\n" for i in range(36)]
    path.write_text("auction_id,bidder_id,bid_usd\n" + "".join(rows))
    spec = f"empirical({path}, column=bid_usd)"
    d = dia.design(spec, by="bidder_id", bootstrap=12, seed=7)
    expected = cli("design", "--values", spec, "--by", "bidder_id", "--bootstrap", "12", "--seed",
                   "7", "--format", "json")
    assert d.to_dict() == expected
    assert d.bootstrap["by"] == "bidder_id" and d.bootstrap["class_observations"] == [36, 36]
    assert [c.spec for c in d.classes] == [f"{spec} | bidder_id=A", f"{spec} | bidder_id=B"]
    # Another seed resamples differently; a column index names the same classes.
    assert dia.design(spec, by="bidder_id", bootstrap=12, seed=8).bootstrap != d.bootstrap
    assert dia.design(spec, by=2).revenue == d.revenue
    with pytest.raises(ValueError, match="by cannot be combined"):
        dia.design(spec, by="bidder_id", bidders=2)
    with pytest.raises(ValueError, match="nope"):
        dia.design(spec, by="nope")
