"""dia from Python: the optimal inspection auction for two uniform bidders, against Myerson.

    PYTHONPATH=build/release/python python3 examples/python_design.py
(or after `pip install ./python` in a virtual environment: python3 examples/python_design.py)
"""
import numpy as np

import dia

m = dia.design("uniform(0,1)", bidders=2)
print(m)
print(f"revenue {m.revenue:.6f}  Myerson {m.revenues['myerson']:.6f}  "
      f"gain {m.gain_over_myerson_percent:+.1f}%  switch point {m.switch_point:.4f}")
print("value  allocation  rent  winner_reward  best_alternative_bid")
for k in np.linspace(0, len(m.values) - 1, 6).astype(int):
    print(f"{m.values[k]:.3f}  {m.allocation[k]:.4f}  {m.rent[k]:.4f}  "
          f"{m.winner_reward[k]:.4f}  {m.best_alternative_bid[k]:.4f}")

c = dia.compare("exponential(1)", bidders=range(1, 5))
for n, g in zip(c.bidders, c.gain_over_myerson_percent):
    print(f"exponential(1), n = {n}: inspection gains {g:.1f}% over Myerson")

try:
    dia.design("uniform(2,1)")
except ValueError as error:
    print("bad SPEC:", error)
