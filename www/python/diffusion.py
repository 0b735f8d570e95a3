"""2D diffusion of High Performance Python, ch. 6: the book's pure-Python evolve on lists of
lists (its preallocated-output form), and its best numpy version (in place, the laplacian by
hand-written slices instead of np.roll). Run by CPython in the benchmark harness and by Pyodide
in the browser (the same file; Pyodide's npm package has no numpy, so only `run` there).

The pure-Python step is the kernels' arithmetic in the kernels' order
(xx = (g[i+1][j] + g[i-1][j]) - 2 g, out = g + (D (xx + yy)) dt), so its grid has the kernels'
bits and its FNV-1a 64 checksum is theirs. The numpy version sums the four neighbours and -4 g
in another order: its last bits, so its checksum, differ.

Usage: python3 diffusion.py [--numpy] '{"width": 256, "height": 256, "steps": 10}'  -> JSON
"""
import json
import struct
import sys
import time

BOOK = {"width": 1024, "height": 1024, "steps": 500, "dt": 0.1, "d": 1.0}


def evolve(grid, dt, out, D=1.0):
    """One explicit Euler step with periodic boundaries (the book's code)."""
    xmax, ymax = len(grid), len(grid[0])
    for i in range(xmax):
        for j in range(ymax):
            grid_xx = (grid[(i + 1) % xmax][j] + grid[(i - 1) % xmax][j] - 2.0 * grid[i][j])
            grid_yy = (grid[i][(j + 1) % ymax] + grid[i][(j - 1) % ymax] - 2.0 * grid[i][j])
            out[i][j] = grid[i][j] + D * (grid_xx + grid_yy) * dt


def initial(p):
    """0 everywhere, 0.005 in rows [0.4 h, 0.5 h) x columns [0.4 w, 0.5 w) (the kernels')."""
    w, h = p["width"], p["height"]
    grid = [[0.0] * w for _ in range(h)]
    for i in range(int(h * 0.4), int(h * 0.5)):
        for j in range(int(w * 0.4), int(w * 0.5)):
            grid[i][j] = 0.005
    return grid


def fnv1a64(rows):
    """FNV-1a 64 over the little-endian bytes of the grid, row-major (the kernels' checksum)."""
    h = 0xCBF29CE484222325
    for row in rows:
        for byte in struct.pack(f"<{len(row)}d", *row):
            h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def grid_sum(rows):
    """Each row left to right, then the rows in order (a plain loop: sum() of floats is
    compensated from CPython 3.12 on, and would not give the kernels' bits)."""
    total = 0.0
    for row in rows:
        s = 0.0
        for v in row:
            s += v
        total += s
    return total


def answer(rows, p, seconds):
    return {"workload": "diffusion", "checksum": str(fnv1a64(rows)), "kernel_ms": seconds * 1e3,
            "units": p["width"] * p["height"] * p["steps"], "unit": "cell-step",
            "sum": grid_sum(rows), "max": max(max(r) for r in rows)}


def run(params):
    p = {**BOOK, **params}
    grid = initial(p)
    out = [[0.0] * p["width"] for _ in range(p["height"])]
    start = time.perf_counter()
    for _ in range(p["steps"]):
        evolve(grid, p["dt"], out, p["d"])
        grid, out = out, grid
    return answer(grid, p, time.perf_counter() - start)


def run_numpy(params):
    """The book's best numpy version (ch. 6, "numpy + memory + laplacian")."""
    import numpy as np

    def roll_add(rollee, shift, axis, out):
        if shift == 1 and axis == 0:
            out[1:, :] += rollee[:-1, :]
            out[0, :] += rollee[-1, :]
        elif shift == -1 and axis == 0:
            out[:-1, :] += rollee[1:, :]
            out[-1, :] += rollee[0, :]
        elif shift == 1 and axis == 1:
            out[:, 1:] += rollee[:, :-1]
            out[:, 0] += rollee[:, -1]
        elif shift == -1 and axis == 1:
            out[:, :-1] += rollee[:, 1:]
            out[:, -1] += rollee[:, 0]

    def laplacian(grid, out):
        np.copyto(out, grid)
        out *= -4
        roll_add(grid, +1, 0, out)
        roll_add(grid, -1, 0, out)
        roll_add(grid, +1, 1, out)
        roll_add(grid, -1, 1, out)

    def evolve_numpy(grid, dt, out, D=1):
        laplacian(grid, out)
        out *= D * dt
        out += grid

    p = {**BOOK, **params}
    grid = np.array(initial(p), dtype=np.float64)
    out = np.zeros_like(grid)
    start = time.perf_counter()
    for _ in range(p["steps"]):
        evolve_numpy(grid, p["dt"], out, p["d"])
        grid, out = out, grid
    seconds = time.perf_counter() - start
    return answer(grid.tolist(), p, seconds)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--numpy"]
    params = json.loads(args[0]) if args else {}
    print(json.dumps(run_numpy(params) if "--numpy" in sys.argv else run(params)))
