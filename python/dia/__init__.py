"""dia: optimal auctions with deferred inspection and reward, from Python.

    >>> import dia
    >>> m = dia.design("uniform(0,1)", bidders=2)
    >>> m.revenue, m.allocation[:3]

Every function takes the options of the matching CLI command and returns the same numbers as
`dia design|compare|simulate --format json` (the parsed JSON is kept in `.json`). A bad SPEC or
option raises ValueError with the CLI's message.
"""
from __future__ import annotations

import json as _json
from typing import Iterable, Optional, Union

import numpy as _np

from . import _dia

__all__ = ["design", "compare", "simulate", "report_html", "Design", "BidderResult",
           "Comparison"]
__version__ = "0.1.0"


def _array(rows, key):
    return _np.array([_np.nan if r.get(key) is None else r[key] for r in rows], dtype=float)


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


class BidderResult(_Rows):
    """One bidder class of an asymmetric design (JSON `bidders[i]`): spec, count, revenue (the
    class's bidders together), revenue_share, sale_probability, expected_reward, and the mechanism
    rows of one bidder of the class as arrays (see Design)."""

    def __init__(self, data: dict):
        self.json = data
        self._set_rows(data["mechanism"])
        self.spec = data["values"]
        for key in ("count", "revenue", "revenue_share", "sale_probability", "expected_reward"):
            setattr(self, key, data[key])

    def __repr__(self) -> str:
        return (f"dia.BidderResult(values={self.spec!r}, count={self.count}, "
                f"revenue={self.revenue:.7g}, share={self.revenue_share:.4f})")


class Design(_Rows):
    """The optimal inspection mechanism, as `dia design --format json` reports it.

    Arrays over the mechanism rows: values, probability, allocation (X), rent (R, the expected
    reward), rewards (the same as rent), winner_reward (R/X, NaN where X = 0),
    expected_net_payment, winner_net_payment, best_alternative_bid (NaN where the rent is 0),
    win_probability (n >= 2). Scalars: revenue (inspection), revenues (every mechanism), cutoff,
    switch_point, status, audit (dict), gain_over_myerson_percent.

    Asymmetric bidders (`design(bidders=[...])`): the arrays are empty and `classes` lists one
    BidderResult per bidder class with its own arrays; `bidders` is then the number of bidders
    (JSON `bidder_count`). Symmetric designs have `classes == []`.
    """

    def __init__(self, data: dict):
        self.json = data
        self._set_rows(data["mechanism"])
        self.revenues = dict(data["revenue"])
        self.revenue = data["revenue"]["inspection"]
        for key in ("values", "bidders", "status", "cutoff", "switch_point", "audit",
                    "gain_over_myerson_percent", "expected_reward", "sale_probability",
                    "reserve", "notes", "implementation", "solver"):
            setattr(self, "spec" if key == "values" else key, data.get(key))
        self.classes = []
        if "bidder_count" in data:
            self.classes = [BidderResult(b) for b in data["bidders"]]
            self.bidders = data["bidder_count"]

    def __repr__(self) -> str:
        return (f"dia.Design(values={self.spec!r}, bidders={self.bidders}, status={self.status!r}, "
                f"revenue={self.revenue:.7g}, myerson={self.revenues['myerson']:.7g})")


class Comparison:
    """`dia compare --format json`: one row per number of bidders, with numpy columns."""

    def __init__(self, data: dict):
        self.json = data
        self.spec = data["values"]
        rows = data["rows"]
        self.rows = rows
        self.bidders = _np.array([r["bidders"] for r in rows], dtype=int)
        self.revenue = {k: _np.array([r["revenue"][k] for r in rows], dtype=float)
                        for k in ("inspection", "myerson", "second_price", "second_price_reserve")}
        self.gain_over_myerson_percent = _np.array(
            [r["gain_over_myerson_percent"] for r in rows], dtype=float)
        self.expected_reward = _np.array([r["expected_reward"] for r in rows], dtype=float)
        self.status = [r["status"] for r in rows]

    def __repr__(self) -> str:
        return f"dia.Comparison(values={self.spec!r}, bidders={self.bidders.tolist()})"


def _bidder_list(bidders: Union[str, int, Iterable[int]]) -> str:
    if isinstance(bidders, str):
        return bidders
    if isinstance(bidders, (int, _np.integer)):
        return str(int(bidders))
    return ",".join(str(int(n)) for n in bidders)


def design(values: str = "uniform(0,1)", bidders: Union[int, Iterable[str]] = 1,
           grid: Optional[int] = None, rows: Optional[int] = None, check: Optional[str] = None,
           ic: str = "bayesian") -> Design:
    """`dia design --values VALUES --bidders N [--grid M] [--rows K] [--check lp]
    [--ic bayesian|dominant]`: the same options and the same errors (ValueError) as the CLI.

    With bidders a list of strings, `dia design --bidder B1 --bidder B2 ... [--grid M] [--rows K]`:
    independent bidders with their own distributions, each "SPEC" or "K*SPEC" for K identical
    bidders, e.g. bidders=["2*lognormal(0,0.5)", "lognormal(1,0.5)"] (docs/asymmetric.md); values,
    check and ic cannot be given with it."""
    if check not in (None, "lp"):
        raise ValueError(f"--check: {check} not in {{lp}}")
    if ic not in ("bayesian", "dominant"):
        raise ValueError(f"--ic: {ic} not in {{bayesian,dominant}}")
    if not isinstance(bidders, (int, _np.integer)):
        entries = [bidders] if isinstance(bidders, str) else list(bidders)
        if not all(isinstance(b, str) for b in entries):
            raise ValueError("bidders: a number of i.i.d. bidders, or a list of SPEC / K*SPEC strings")
        if values != "uniform(0,1)" or check is not None or ic != "bayesian":
            raise ValueError("--bidder cannot be combined with --values, --bidders, --check or --ic")
        return Design(_json.loads(_dia.design_asymmetric_json(entries, grid, rows)))
    return Design(_json.loads(_dia.design_json(values, int(bidders), grid, rows, check == "lp",
                                               ic == "dominant")))


def compare(values: str = "uniform(0,1)",
            bidders: Union[str, Iterable[int]] = "1..5") -> Comparison:
    """`dia compare --values VALUES --bidders LIST`; LIST as "1..5", "1,2,5" or [1, 2, 5]."""
    return Comparison(_json.loads(_dia.compare_json(values, _bidder_list(bidders))))


def simulate(values: str = "uniform(0,1)", bidders: int = 1, mechanism: str = "inspection",
             auctions: int = 1_000_000, seed: int = 1, threads: int = 0,
             grid: Optional[int] = None, audit: bool = False, audit_grid: int = 201,
             audit_samples: int = 100_000, inspection_noise: Optional[str] = None,
             tolerance: Optional[float] = None, epsilon: Optional[float] = None) -> dict:
    """`dia simulate --format json`: Monte Carlo revenue with its standard error, as a dict.

    The keyword arguments are the CLI's options (same defaults, same ValueError messages):

    - audit=True (`--audit`): the strategic audit; adds `max_deviation_gain`,
      `max_deviation_value`, `max_deviation_bid` and `audit` (its rows with exact and simulated
      gains). audit_grid (`--audit-grid`, 2..100000) and audit_samples (`--audit-samples`, paired
      auctions per simulated gain, 0: none) tune it.
    - inspection_noise="normal(sigma)" or "uniform(h)" (`--inspection-noise`; None: exact
      inspection, mechanism="inspection" only): adds `noise` (spec, tolerance, denied_rate,
      denied_rate_expected, max_deviation_gain, sweep).
    - tolerance=t (`--tolerance`, needs inspection_noise): the reward is paid when
      |bid - observed| <= t.
    - epsilon=e (`--epsilon`, needs inspection_noise with a positive scale): the tolerance search,
      `noise.tolerance_search`.
    """
    return _json.loads(_dia.simulate_json(
        values, int(bidders), mechanism, int(auctions), int(seed), int(threads), grid,
        bool(audit), int(audit_grid), int(audit_samples),
        "none" if inspection_noise is None else inspection_noise,
        0.0 if tolerance is None else float(tolerance),
        None if epsilon is None else float(epsilon)))


def report_html(values: str = "uniform(0,1)", bidders: Union[str, Iterable[int]] = "1..5",
                show: Optional[int] = None) -> str:
    """The page `dia report` writes, as a string (e.g. for IPython.display.HTML)."""
    return _dia.report_html(values, _bidder_list(bidders), show)
