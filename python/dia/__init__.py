"""dia: optimal auctions with deferred inspection and reward, from Python.

    >>> import dia
    >>> m = dia.design("uniform(0,1)", bidders=2)
    >>> m.revenue, m.allocation[:3]

Every function takes the options of the matching CLI command (as keyword arguments) and returns
the same numbers as `dia design|compare|simulate|evaluate --format json`, wrapped in an object with
attributes, `.to_dict()` (the JSON as a dict) and an HTML view for notebooks. A value
distribution is a SPEC (docs/spec.md), e.g. "uniform(0,1)" or scipy's "gamma(a=2, scale=3)", or
a frozen scipy.stats distribution of the families listed there. A bad SPEC or argument raises
ValueError (TypeError for an argument of the wrong type), a missing file FileNotFoundError, and
Ctrl-C stops a long computation with KeyboardInterrupt.
"""
from __future__ import annotations

import html as _html
import json as _json
import numbers as _numbers
import os as _os
from typing import Any, Iterable, Optional, Union

import numpy as _np

from . import _dia

__all__ = ["design", "compare", "simulate", "evaluate", "report_html", "Design",
           "BidderResult", "Comparison", "SetComparison", "Simulation", "Evaluation"]
__version__ = _dia.version

# scipy.stats families dia reads (docs/spec.md, "scipy.stats names").
_SCIPY_FAMILIES = ("norm", "truncnorm", "lognorm", "expon", "uniform", "pareto", "gamma",
                   "weibull_min", "beta")


def _spec(values: Any, name: str = "values") -> str:
    """A SPEC string from a SPEC or a frozen scipy.stats distribution (`name`: the argument, for
    messages)."""
    if isinstance(values, str):
        return values
    dist = getattr(values, "dist", None)
    if dist is not None and hasattr(values, "args") and hasattr(values, "kwds"):
        family = getattr(dist, "name", "")
        if family not in _SCIPY_FAMILIES:
            raise ValueError(f"{name}: scipy.stats.{family} is not supported; dia reads "
                             f"{', '.join(_SCIPY_FAMILIES)} (docs/spec.md)")
        names = [s.strip() for s in (dist.shapes or "").split(",") if s.strip()]
        names += ["loc", "scale"]
        if len(values.args) > len(names):
            raise ValueError(f"{name}: too many arguments for scipy.stats.{family}")
        given = dict(zip(names, values.args))
        given.update(values.kwds)
        return f"{family}({', '.join(f'{k}={float(v)!r}' for k, v in given.items())})"
    raise TypeError(f"{name} must be a SPEC string such as 'uniform(0,1)' or a frozen "
                    f"scipy.stats distribution, got {type(values).__name__}")


def _whole(name: str, value: Any) -> int:
    """An integer argument: a whole number (1e6 is fine), never silently truncated."""
    if isinstance(value, bool) or not isinstance(value, _numbers.Real):
        raise TypeError(f"{name} must be a whole number, got {value!r}")
    if isinstance(value, _numbers.Integral):
        return int(value)
    if not float(value).is_integer():
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    return int(value)


def _optional_whole(name: str, value: Any) -> Optional[int]:
    return None if value is None else _whole(name, value)


def _array(rows, key):
    return _np.array([_np.nan if r.get(key) is None else r[key] for r in rows], dtype=float)


def _html_table(title: str, rows: Iterable[tuple]) -> str:
    cells = "".join(f"<tr><th style='text-align:left'>{_html.escape(str(k))}</th>"
                    f"<td style='text-align:right'>{_html.escape(str(v))}</td></tr>"
                    for k, v in rows)
    return f"<div><strong>{_html.escape(title)}</strong><table>{cells}</table></div>"


def _number(x: Any, digits: int = 7) -> str:
    return "-" if x is None else f"{x:.{digits}g}"


class _Result:
    """The JSON of a CLI command, kept as `.json`; `.to_dict()` returns a copy."""

    def __init__(self, data: dict):
        self.json = data

    def to_dict(self) -> dict:
        """The result as the CLI's `--format json` prints it (a deep copy)."""
        return _json.loads(_json.dumps(self.json))


class _Rows:
    """Arrays over mechanism rows (JSON `mechanism`): values, probability, allocation (X), rent
    (R, the expected reward), rewards (the same as rent), winner_reward (R/X, NaN where X = 0),
    expected_net_payment, winner_net_payment, best_alternative_bid (NaN where the rent is 0),
    win_probability (symmetric n >= 2)."""

    def _set_rows(self, rows):
        self.values = _array(rows, "value")
        self.probability = _array(rows, "probability")
        self.allocation = _array(rows, "allocation")
        self.rent = _array(rows, "rent")
        self.rewards = self.rent
        self.winner_reward = _array(rows, "winner_reward")
        self.expected_net_payment = _array(rows, "expected_net_payment")
        self.winner_net_payment = _array(rows, "winner_net_payment")
        self.best_alternative_bid = _array(rows, "best_alternative_bid")
        self.win_probability = _array(rows, "win_probability")


class BidderResult(_Result, _Rows):
    """One bidder class of an asymmetric design (JSON `bidders[i]`): spec, count, revenue (the
    class's bidders together), revenue_share, sale_probability, expected_reward, and the mechanism
    rows of one bidder of the class as arrays (see Design)."""

    def __init__(self, data: dict):
        super().__init__(data)
        self._set_rows(data["mechanism"])
        self.spec = data["values"]
        for key in ("count", "revenue", "revenue_share", "sale_probability", "expected_reward"):
            setattr(self, key, data[key])

    def __repr__(self) -> str:
        return (f"dia.BidderResult(values={self.spec!r}, count={self.count}, "
                f"revenue={self.revenue:.7g}, share={self.revenue_share:.4f})")


class Design(_Result, _Rows):
    """The optimal inspection mechanism, as `dia design --format json` reports it.

    Arrays over the mechanism rows: values, probability, allocation (X), rent (R, the expected
    reward), rewards (the same as rent), winner_reward (R/X, NaN where X = 0),
    expected_net_payment, winner_net_payment, best_alternative_bid (NaN where the rent is 0),
    win_probability (n >= 2). Scalars: revenue (inspection), revenues (every mechanism), cutoff,
    switch_point, status, audit (dict), gain_over_myerson_percent,
    gain_over_second_price_reserve_percent, expected_reward, sale_probability, spec (the
    normalised SPEC), bootstrap (dict, with `design(..., bootstrap=B)`; else None).

    Asymmetric bidders (`design(bidders=[...])`): the arrays are empty and `classes` lists one
    BidderResult per bidder class with its own arrays; `bidders` is then the number of bidders
    (JSON `bidder_count`). Symmetric designs have `classes == []`.
    """

    def __init__(self, data: dict):
        super().__init__(data)
        self._set_rows(data["mechanism"])
        self.revenues = dict(data["revenue"])
        self.revenue = data["revenue"]["inspection"]
        for key in ("values", "bidders", "status", "cutoff", "switch_point", "audit",
                    "gain_over_myerson_percent", "gain_over_second_price_reserve_percent",
                    "expected_reward", "sale_probability", "reserve", "notes", "implementation",
                    "solver", "bootstrap"):
            setattr(self, "spec" if key == "values" else key, data.get(key))
        self.classes = []
        if "bidder_count" in data:
            self.classes = [BidderResult(b) for b in data["bidders"]]
            self.bidders = data["bidder_count"]

    def __repr__(self) -> str:
        return (f"dia.Design(values={self.spec!r}, bidders={self.bidders}, status={self.status!r}, "
                f"revenue={self.revenue:.7g}, myerson={self.revenues['myerson']:.7g})")

    def _repr_html_(self) -> str:
        r = self.revenues
        return _html_table(f"dia.design: {self.spec}, {self.bidders} bidder(s)", [
            ("status", self.status),
            ("inspection revenue", _number(r.get("inspection"))),
            ("Myerson", _number(r.get("myerson"))),
            ("second price", _number(r.get("second_price"))),
            ("second price, optimal reserve", _number(r.get("second_price_reserve"))),
            ("gain over Myerson", f"{_number(self.gain_over_myerson_percent, 4)}%"),
            ("gain over second price + reserve",
             f"{_number(self.gain_over_second_price_reserve_percent, 4)}%"),
            ("expected reward", _number(self.expected_reward)),
            ("sale probability", _number(self.sale_probability)),
        ])


class Comparison(_Result):
    """`dia compare --format json`: one row per number of bidders, with numpy columns.

    Attributes: spec, rows (the JSON rows), bidders, revenue (dict of arrays: inspection,
    myerson, second_price, second_price_reserve), gain_over_myerson_percent,
    gain_over_second_price_reserve_percent, expected_reward, sale_probability, status.
    """

    def __init__(self, data: dict):
        super().__init__(data)
        self.spec = data["values"]
        rows = data["rows"]
        self.rows = rows
        self.bidders = _np.array([r["bidders"] for r in rows], dtype=int)
        self.revenue = {k: _np.array([r["revenue"][k] for r in rows], dtype=float)
                        for k in ("inspection", "myerson", "second_price", "second_price_reserve")}
        for key in ("gain_over_myerson_percent", "gain_over_second_price_reserve_percent",
                    "expected_reward", "sale_probability"):
            setattr(self, key, _np.array([r[key] for r in rows], dtype=float))
        self.status = [r["status"] for r in rows]

    def __repr__(self) -> str:
        return f"dia.Comparison(values={self.spec!r}, bidders={self.bidders.tolist()})"

    def _repr_html_(self) -> str:
        head = ("bidders", "inspection", "myerson", "second_price", "second_price_reserve",
                "gain over Myerson %", "gain over 2nd+reserve %", "status")
        body = "".join(
            "<tr>" + "".join(f"<td style='text-align:right'>{_html.escape(str(c))}</td>" for c in (
                r["bidders"], _number(r["revenue"]["inspection"]),
                _number(r["revenue"]["myerson"]), _number(r["revenue"]["second_price"]),
                _number(r["revenue"]["second_price_reserve"]),
                _number(r["gain_over_myerson_percent"], 4),
                _number(r["gain_over_second_price_reserve_percent"], 4), r["status"])) + "</tr>"
            for r in self.rows)
        header = "".join(f"<th>{_html.escape(h)}</th>" for h in head)
        return (f"<div><strong>dia.compare: {_html.escape(self.spec)}</strong>"
                f"<table><tr>{header}</tr>{body}</table></div>")


class SetComparison(_Result):
    """`dia compare --set ... --format json`: one row per bidder set, with numpy columns.

    Attributes: sets (the JSON rows), values (each set's bidders as one text), bidder_count,
    revenue and gain_percent (dicts of arrays keyed inspection / myerson,
    second_price_myerson_reserves, second_price_reserve, second_price; a gain is NaN where the
    baseline earns nothing), expected_reward, sale_probability, non_highest_lower_bound,
    estimated_relative_error, status (list).
    """

    _BASELINES = ("myerson", "second_price_myerson_reserves", "second_price_reserve",
                  "second_price")

    def __init__(self, data: dict):
        super().__init__(data)
        rows = data["sets"]
        self.sets = rows
        self.values = [r["values"] for r in rows]
        self.bidder_count = _np.array([r["bidder_count"] for r in rows], dtype=int)
        self.revenue = {k: _np.array([r["revenue"][k] for r in rows], dtype=float)
                        for k in ("inspection",) + self._BASELINES}
        self.gain_percent = {k: _np.array([_np.nan if r["gain_percent"][k] is None
                                           else r["gain_percent"][k] for r in rows], dtype=float)
                             for k in self._BASELINES}
        for key in ("expected_reward", "sale_probability", "non_highest_lower_bound",
                    "estimated_relative_error"):
            setattr(self, key, _array(rows, key))
        self.status = [r["status"] for r in rows]

    def __repr__(self) -> str:
        return f"dia.SetComparison(sets={self.values!r})"

    def _repr_html_(self) -> str:
        head = ("bidders", "inspection") + self._BASELINES + ("gain over Myerson %", "status")
        body = "".join(
            "<tr>" + "".join(f"<td style='text-align:right'>{_html.escape(str(c))}</td>" for c in (
                r["values"], *(_number(r["revenue"][k]) for k in ("inspection",) + self._BASELINES),
                _number(r["gain_percent"]["myerson"], 4), r["status"])) + "</tr>"
            for r in self.sets)
        header = "".join(f"<th>{_html.escape(h)}</th>" for h in head)
        return (f"<div><strong>dia.compare: bidder sets</strong>"
                f"<table><tr>{header}</tr>{body}</table></div>")


class Simulation(_Result):
    """`dia simulate --format json`: Monte Carlo revenue with its standard error.

    Every top-level JSON key is an attribute (revenue, auctions, seed, sale_rate, ...; audit and
    noise when asked for); `result["key"]` reads the JSON too. revenue_mean, revenue_stderr and
    revenue_expected are the revenue's mean, standard error and exact expectation;
    revenue_ci95 is the 95% interval (mean +- 1.96 standard errors). With a list of bidders
    (`simulate(bidders=[...])`) per_bidder lists each bidder's revenue against its expectation,
    sale rate and audit, and ex_post_rule the rule played.
    """

    def __init__(self, data: dict):
        super().__init__(data)
        for key, value in data.items():
            setattr(self, key, value)
        revenue = data.get("revenue", {})
        self.revenue_mean = revenue.get("mean")
        self.revenue_stderr = revenue.get("stderr")
        self.revenue_expected = revenue.get("expected")
        half = 1.959963984540054 * (self.revenue_stderr or 0.0)
        self.revenue_ci95 = (self.revenue_mean - half, self.revenue_mean + half)

    def __getitem__(self, key: str):
        return self.json[key]

    def __contains__(self, key: str) -> bool:
        return key in self.json

    def __iter__(self):
        return iter(self.json)

    def keys(self):
        return self.json.keys()

    def items(self):
        return self.json.items()

    def get(self, key: str, default: Any = None):
        return self.json.get(key, default)

    def __repr__(self) -> str:
        return (f"dia.Simulation(values={self.json.get('values')!r}, "
                f"auctions={self.json.get('auctions')}, revenue={self.revenue_mean:.6g} "
                f"+- {1.959963984540054 * (self.revenue_stderr or 0.0):.2g} (95%))")

    def _repr_html_(self) -> str:
        lo, hi = self.revenue_ci95
        rows = [("values", self.json.get("values")), ("auctions", self.json.get("auctions")),
                ("revenue per auction", _number(self.revenue_mean)),
                ("95% interval", f"[{_number(lo)}, {_number(hi)}]"),
                ("expected revenue", _number(self.revenue_expected))]
        if "max_deviation_gain" in self.json:
            rows.append(("max deviation gain", _number(self.json["max_deviation_gain"], 3)))
        return _html_table("dia.simulate", rows)


class Evaluation(_Result):
    """`dia evaluate --format json`: a saved design run when values follow other distributions.

    Every top-level JSON key is an attribute: revenue, sale_probability, expected_reward (exact,
    with truthful bids), optimal_revenue and share_of_optimal (what a design for the actual
    values earns), truthful, max_lie_gain and lie (the best response audit), rule, design,
    design_values, design_revenue, values; for n identical bidders atoms and discretized, with a
    holdout split `holdout`; for a design of bidder classes `bidders` lists each class (its
    outcome, its audit and `seats`, one entry per bidder of the class). docs/evaluate.md.
    """

    def __init__(self, data: dict):
        super().__init__(data)
        for key, value in data.items():
            setattr(self, key, value)

    def __repr__(self) -> str:
        return (f"dia.Evaluation(design={self.json.get('design')!r}, "
                f"values={self.json.get('values')!r}, revenue={self.revenue:.7g}, "
                f"optimal_revenue={_number(self.json.get('optimal_revenue'))}, "
                f"truthful={self.truthful})")

    def _repr_html_(self) -> str:
        share = self.json.get("share_of_optimal")
        rows = [("design", self.json.get("design")),
                ("designed for", self.json.get("design_values")),
                ("values actually", self.json.get("values")),
                ("revenue", _number(self.revenue)),
                ("sale probability", _number(self.sale_probability)),
                ("expected reward", _number(self.expected_reward)),
                ("optimal revenue", _number(self.json.get("optimal_revenue"))),
                ("share of optimal", "-" if share is None else f"{100 * share:.2f}%"),
                ("truthful bidding is a best response", "yes" if self.truthful else
                 f"NO: a lie gains {_number(self.json.get('max_lie_gain'), 3)}")]
        return _html_table("dia.evaluate", rows)


def _bidder_list(bidders: Union[str, int, Iterable[int]]) -> str:
    if isinstance(bidders, str):
        return bidders
    if isinstance(bidders, (_numbers.Real, _np.integer)):
        return str(_whole("bidders", bidders))
    return ",".join(str(_whole("bidders", n)) for n in bidders)


def _bidder_entries(bidders: Any) -> Optional[list]:
    """A list of bidder entries ("SPEC", "K*SPEC" or a frozen scipy.stats distribution, one
    bidder) as a list of str; None for a count (checked by _whole: "2", True and 2.7 raise)."""
    if isinstance(bidders, (str, bytes)) or not isinstance(bidders, Iterable):
        _whole("bidders", bidders)
        return None
    entries = list(bidders)
    if not all(isinstance(b, str) or hasattr(b, "dist") for b in entries):
        raise TypeError("bidders must be a whole number or a list of SPEC / K*SPEC strings or "
                        f"frozen scipy.stats distributions, got {bidders!r}")
    return [_spec(b, f"bidders[{i}]") for i, b in enumerate(entries)]


def design(values: Any = "uniform(0,1)", bidders: Union[int, Iterable[str]] = 1,
           grid: Optional[int] = None, rows: Optional[int] = None, check: Optional[str] = None,
           ic: str = "bayesian", bootstrap: Optional[int] = None, seed: int = 1,
           by: Optional[Union[str, int]] = None) -> Design:
    """The optimal inspection mechanism beside the classic auctions (`dia design`).

    Parameters
    ----------
    values : str or frozen scipy.stats distribution
        The value distribution: a SPEC (docs/spec.md) or e.g. scipy.stats.gamma(2, scale=3).
    bidders : int or list of str or frozen scipy.stats distributions
        Number of i.i.d. bidders, 1..50; or a list of bidder entries "SPEC" or "K*SPEC" (K
        identical bidders), or frozen scipy.stats distributions (one bidder each), for
        independent bidders with their own distributions, e.g.
        ["2*lognormal(0,0.5)", scipy.stats.lognorm(0.5, scale=np.e)] (docs/asymmetric.md;
        values, check and ic cannot be given with it).
    grid : int, optional
        Equal-mass quantile cells for a continuous distribution (the answer is then
        grid_limited); default: dia's ladder of grids.
    rows : int, optional
        Mechanism rows to return (default: every atom up to 1000, else 101 quantiles).
    check : {None, "lp"}
        "lp" cross-checks with COIN-OR CLP (the `lp_check` key of the JSON).
    ic : {"bayesian", "dominant"}
        "dominant" adds the optimal dominant-strategy mechanism for 2 bidders.
    bootstrap : int, optional
        With values "empirical(...)": B replicates (10..10000) resampling the file's rows, each
        designed again: confidence intervals for the revenue and the gain, the smoothed versus
        raw comparison (docs/bootstrap.md); the JSON's `bootstrap`, the attribute `bootstrap`.
    seed : int
        Seed of the bootstrap's resampling.
    by : str or int, optional
        With values "empirical(FILE, column=...)": one bidder per value of this column (a header
        name or 1-based index), each with the values of its own rows, designed for independent
        bidders (`dia design --by`, docs/asymmetric.md); bidders, check and ic cannot be given
        with it. With bootstrap, each class's rows are resampled separately.

    Returns
    -------
    Design
        Revenues, status, audit and the mechanism's rows as numpy arrays (with bidders as a
        list or by: per class, in `classes`).
    """
    if check not in (None, "lp"):
        raise ValueError(f"check must be None or 'lp', got {check!r}")
    if ic not in ("bayesian", "dominant"):
        raise ValueError(f"ic must be 'bayesian' or 'dominant', got {ic!r}")
    if by is not None:
        if isinstance(by, bool) or not isinstance(by, (str, _numbers.Integral)):
            raise TypeError(f"by must be a column name or a 1-based index, got {by!r}")
        if not (isinstance(bidders, _numbers.Integral) and bidders == 1) or check is not None \
                or ic != "bayesian":
            raise ValueError("by cannot be combined with bidders, check or ic: it makes one "
                             "bidder per value of the column")
        return Design(_json.loads(_dia.design_by_json(
            _spec(values), str(by), _optional_whole("grid", grid), _optional_whole("rows", rows),
            0 if bootstrap is None else _whole("bootstrap", bootstrap), _whole("seed", seed))))
    entries = _bidder_entries(bidders)
    if entries is not None:
        if not (isinstance(values, str) and values == "uniform(0,1)") or check is not None \
                or ic != "bayesian":
            raise ValueError("bidders as a list cannot be combined with values, check or ic")
        if bootstrap is not None:
            raise ValueError("bootstrap is for values 'empirical(...)' with a number of bidders")
        return Design(_json.loads(_dia.design_asymmetric_json(
            entries, _optional_whole("grid", grid), _optional_whole("rows", rows))))
    return Design(_json.loads(_dia.design_json(
        _spec(values), _whole("bidders", bidders), _optional_whole("grid", grid),
        _optional_whole("rows", rows), check == "lp", ic == "dominant",
        0 if bootstrap is None else _whole("bootstrap", bootstrap), _whole("seed", seed))))


def _bidder_sets(bidders: Any) -> Optional[list]:
    """Bidder sets for `compare`: a list of bidder entries (as for `design`: "SPEC", "K*SPEC" or
    a frozen scipy.stats distribution) is one set, a list of such lists several; None for
    numbers of bidders ("1..5", 3, [1, 2, 5])."""
    if isinstance(bidders, (str, bytes, _numbers.Real, _np.integer)) \
            or not isinstance(bidders, Iterable):
        return None
    items = list(bidders)
    if not items:
        raise ValueError("no bidder sets: give a list of bidder entries (one set) or a list of "
                         "such lists, e.g. [['2*lognormal(0,0.5)', 'lognormal(1,0.5)']]")

    def entry(b):
        return isinstance(b, str) or hasattr(b, "dist")

    def group(b):
        return not isinstance(b, (str, bytes)) and not hasattr(b, "dist") \
            and isinstance(b, Iterable)

    if all(entry(b) for b in items):
        return [_bidder_entries(items)]
    if all(group(b) for b in items):
        sets = [list(b) for b in items]
        for i, one in enumerate(sets):
            if not all(entry(b) for b in one):
                raise TypeError(f"bidders[{i}] must be a list of SPEC / K*SPEC strings or frozen "
                                f"scipy.stats distributions, got {one!r}")
        return [[_spec(b, f"bidders[{i}][{j}]") for j, b in enumerate(one)]
                for i, one in enumerate(sets)]
    if all(isinstance(b, (_numbers.Real, _np.integer)) for b in items):
        return None
    raise TypeError("bidders must be numbers of bidders, a list of bidder entries (one set) or "
                    f"a list of such lists (several sets), got {bidders!r}")


def compare(values: Any = "uniform(0,1)",
            bidders: Union[str, Iterable[int], Iterable[Any]] = "1..5"
            ) -> Union[Comparison, SetComparison]:
    """Inspection against Myerson and second price for several numbers of bidders, or for
    several sets of bidders with their own distributions.

    Parameters
    ----------
    values : str or frozen scipy.stats distribution
        The value distribution (as for `design`).
    bidders : str, iterable of int, list of bidder entries, or list of such lists
        "1..5", "1,2,5", "1..3,8" or a list such as [1, 2, 5] (each 1..50); or bidder sets
        (`dia compare --set ...`, docs/asymmetric.md section 6): a list of bidder entries as
        `design(bidders=[...])` takes them ("SPEC", "K*SPEC", frozen scipy.stats
        distributions) is one set, a list of such lists one set each, e.g.
        [["2*lognormal(0,0.5)", "lognormal(1,0.5)"], ["lognormal(0,0.5)", "lognormal(1,0.5)"]]
        (values cannot be given with sets).

    Returns
    -------
    Comparison or SetComparison
        One row per number of bidders, or one per bidder set (the inspection revenue beside
        Myerson, second price with Myerson reserves, with the best anonymous reserve and
        without reserve), with numpy columns.
    """
    sets = _bidder_sets(bidders)
    if sets is not None:
        if not (isinstance(values, str) and values == "uniform(0,1)"):
            raise ValueError("bidders as bidder sets cannot be combined with values")
        return SetComparison(_json.loads(_dia.compare_sets_json(sets)))
    return Comparison(_json.loads(_dia.compare_json(_spec(values), _bidder_list(bidders))))


def simulate(values: Any = "uniform(0,1)", bidders: Union[int, Iterable[str]] = 1,
             mechanism: str = "inspection",
             auctions: int = 1_000_000, seed: int = 1, threads: int = 0,
             grid: Optional[int] = None, audit: bool = False, audit_grid: int = 201,
             audit_samples: int = 100_000, inspection_noise: Optional[str] = None,
             tolerance: Optional[float] = None, epsilon: Optional[float] = None) -> Simulation:
    """Monte Carlo auctions (`dia simulate`): revenue with its standard error, optionally the
    strategic audit and noisy inspection.

    Parameters
    ----------
    values : str or frozen scipy.stats distribution
        The value distribution (as for `design`).
    bidders : int or list of str
        Number of i.i.d. bidders, 1..50; or a list of bidder entries "SPEC" or "K*SPEC" for
        independent bidders with their own distributions (as for `design`; `dia simulate
        --bidder ...`, docs/asymmetric.md section 8): the JSON then has per_bidder (each
        bidder's revenue against its exact expectation, sale rate, audit) and ex_post_rule, and
        values cannot be given.
    mechanism : {"inspection", "myerson", "second-price", "second-price-reserve"}
        With a list of bidders also "second-price-myerson-reserves".
    auctions : int
        Auctions to run, >= 1 (1e6 is accepted; 2.5 is not).
    seed : int
        Random seed: the same seed gives the same result, whatever `threads`.
    threads : int
        Worker threads, 0: all cores.
    grid : int, optional
        Quantile cells of the inspection design for a continuous distribution.
    audit : bool
        The strategic audit: adds max_deviation_gain, max_deviation_value, max_deviation_bid and
        audit (its rows with exact and simulated gains).
    audit_grid : int
        Values (and bids) on the audit grid, 2..100000.
    audit_samples : int
        Paired auctions per simulated gain (0: none).
    inspection_noise : str, optional
        "normal(sigma)" or "uniform(h)": inspection observes value + noise (mechanism
        "inspection" only); adds `noise`.
    tolerance : float, optional
        With inspection_noise: the reward is paid when |bid - observed| <= tolerance.
    epsilon : float, optional
        With inspection_noise of a positive scale: the tolerance search (noise.tolerance_search).

    Returns
    -------
    Simulation
        The JSON's keys as attributes; `.to_dict()` gives the JSON.
    """
    options = (mechanism, _whole("auctions", auctions), _whole("seed", seed),
               _whole("threads", threads), _optional_whole("grid", grid), bool(audit),
               _whole("audit_grid", audit_grid), _whole("audit_samples", audit_samples),
               "none" if inspection_noise is None else inspection_noise,
               0.0 if tolerance is None else float(tolerance),
               None if epsilon is None else float(epsilon))
    entries = _bidder_entries(bidders)
    if entries is not None:
        if not (isinstance(values, str) and values == "uniform(0,1)"):
            raise ValueError("bidders as a list cannot be combined with values")
        return Simulation(_json.loads(_dia.simulate_asymmetric_json(entries, *options)))
    return Simulation(_json.loads(_dia.simulate_json(
        _spec(values), _whole("bidders", bidders), *options)))


def evaluate(design: Any, values: Any = None, bidders: Optional[Iterable[Any]] = None,
             holdout: Optional[float] = None, seed: int = 1,
             train_out: Optional[Union[str, "_os.PathLike"]] = None) -> Evaluation:
    """A saved design run when values follow other distributions (`dia evaluate`): its exact
    revenue, sale probability and rewards with the bidders bidding truthfully, whether truth is
    still a best response, and what a design for the actual values would earn.

    Parameters
    ----------
    design : str, os.PathLike, Design or dict
        The saved design: the path of the JSON of `dia design --format json`, or a Design (or its
        `.to_dict()`).
    values : str or frozen scipy.stats distribution, optional
        A design of identical bidders: the actual value distribution.
    bidders : list of (str or frozen scipy.stats distribution), optional
        A design of bidder classes (`design(bidders=[...])`): the actual distribution of each
        class, in the design's class order ("SPEC", or "K*SPEC" with the design's K).
    holdout : float, optional
        With values "empirical(...)": evaluate on this fraction of the file's rows, drawn at
        random (docs/evaluate.md#holdout).
    seed : int
        Seed of the holdout split.
    train_out : str or os.PathLike, optional
        With holdout: write the training rows (CSV value,weight) there.

    Returns
    -------
    Evaluation
        The JSON's keys as attributes; `.to_dict()` gives the JSON.
    """
    if isinstance(design, Design):
        design = design.to_dict()
    if isinstance(design, dict):
        name, text = "<dict>", _json.dumps(design)
        saved = design
    elif isinstance(design, (str, _os.PathLike)):
        name = _os.fspath(design)
        with open(name, encoding="utf-8") as f:  # FileNotFoundError when missing
            text = f.read()
        try:
            saved = _json.loads(text)
        except ValueError:
            saved = None  # dia says what is wrong with it
    else:
        raise TypeError("design must be a path, a dia.Design or a dict, got "
                        f"{type(design).__name__}")
    classes = isinstance(saved, dict) and isinstance(saved.get("bidders"), list)
    if classes:
        if values is not None or holdout is not None:
            raise ValueError("a design of bidder classes takes bidders (one SPEC per class), "
                             "not values or holdout")
        if bidders is None or isinstance(bidders, (str, bytes)):
            raise TypeError("bidders must be a list with one SPEC per bidder class of the design")
        entries = [_spec(b) for b in bidders]
        if len(entries) != len(saved["bidders"]):
            raise ValueError(f"the design has {len(saved['bidders'])} bidder classes but bidders "
                             f"lists {len(entries)}")
        spec = ""
    else:
        if bidders is not None:
            raise ValueError("bidders (one SPEC per class) is for a design of bidder classes; "
                             "give values")
        if values is None:
            raise ValueError("values is required: the actual value distribution")
        entries, spec = [], _spec(values)
    if train_out is not None and holdout is None:
        raise ValueError("train_out needs holdout")
    return Evaluation(_json.loads(_dia.evaluate_json(
        name, text, spec, entries, None if holdout is None else float(holdout),
        _whole("seed", seed), "" if train_out is None else _os.fspath(train_out))))


def report_html(values: Any = "uniform(0,1)",
                bidders: Union[str, Iterable[int], Iterable[str]] = "1..5",
                show: Optional[int] = None) -> str:
    """The self-contained HTML page `dia report` writes, as a string.

    Parameters
    ----------
    values : str or frozen scipy.stats distribution
    bidders : str, iterable of int, or list of str
        The numbers of bidders of the revenue plots (as for `compare`); or a list of bidder
        entries "SPEC" / "K*SPEC" for asymmetric bidders (`dia report --bidder ...`; values and
        show cannot be given with it).
    show : int, optional
        The number of bidders whose mechanism is plotted.

    Returns
    -------
    str
        The page (e.g. for IPython.display.HTML).
    """
    if not isinstance(bidders, (str, bytes)) and isinstance(bidders, Iterable):
        bidders = list(bidders)
        if bidders and all(isinstance(b, str) for b in bidders):
            if not (isinstance(values, str) and values == "uniform(0,1)") or show is not None:
                raise ValueError("bidders as a list of SPECs cannot be combined with values or "
                                 "show")
            return _dia.report_asymmetric_html(bidders)
    return _dia.report_html(_spec(values), _bidder_list(bidders), _optional_whole("show", show))
