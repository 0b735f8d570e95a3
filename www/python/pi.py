"""Monte Carlo pi of High Performance Python, ch. 9: the book's dart loop on Python's random
(Example 9-1) and its numpy version. Run by CPython in the benchmark harness and by Pyodide in
the browser (the same file; Pyodide's npm package has no numpy, so only `run` there).

The darts come from Python's and numpy's own generators, seeded from `seed`, not from the
kernels' Philox draws: the count differs from the kernels' (compare times per sample), and the
estimate is checked against pi instead.

Usage: python3 pi.py [--numpy] '{"samples": "1000000", "seed": "0"}'  -> JSON
"""
import json
import math
import random
import sys
import time

BOOK = {"samples": "100000000", "seed": "0"}


def estimate_nbr_points_in_quarter_circle(nbr_estimates):
    """The book's loop (Example 9-1)."""
    nbr_trials_in_quarter_unit_circle = 0
    for step in range(int(nbr_estimates)):
        x = random.uniform(0, 1)
        y = random.uniform(0, 1)
        is_in_unit_circle = x * x + y * y <= 1.0
        nbr_trials_in_quarter_unit_circle += is_in_unit_circle
    return nbr_trials_in_quarter_unit_circle


def answer(inside, samples, seconds):
    estimate = 4 * inside / samples
    return {"workload": "pi", "checksum": str(inside), "kernel_ms": seconds * 1e3, "units": samples,
            "unit": "sample", "estimate": estimate, "deviation": estimate - math.pi}


def run(params):
    p = {**BOOK, **params}
    samples = int(p["samples"])
    random.seed(int(p["seed"]))
    start = time.perf_counter()
    inside = estimate_nbr_points_in_quarter_circle(samples)
    return answer(inside, samples, time.perf_counter() - start)


def run_numpy(params):
    """The book's numpy version: all the darts at once."""
    import numpy as np

    p = {**BOOK, **params}
    samples = int(p["samples"])
    np.random.seed(int(p["seed"]) % 2**32)
    start = time.perf_counter()
    xs = np.random.uniform(0, 1, samples)
    ys = np.random.uniform(0, 1, samples)
    inside = int(np.sum((xs * xs + ys * ys) <= 1))
    return answer(inside, samples, time.perf_counter() - start)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--numpy"]
    params = json.loads(args[0]) if args else {}
    print(json.dumps(run_numpy(params) if "--numpy" in sys.argv else run(params)))
