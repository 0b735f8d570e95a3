"""The Julia set of High Performance Python, ch. 2: the book's pure-Python kernel,
calculate_z_serial_purepython, unchanged. Run by CPython in the benchmark harness and by
Pyodide in the browser (the same file).

Coordinates follow the kernels' formula (x_min + i * step, the step computed first; row 0 is
y_max), not the book's accumulating `x += step` loop, so both compute the same pixels. The
book tests abs(z) < 2 where the kernels test re² + im² < 4: the counts can differ on the
boundary in the last bit, so the checksum is this result's own sum of counts.

Usage: python3 julia.py '{"width": 1000, "height": 1000, "max_iter": 300}'  -> JSON
"""
import json
import sys
import time

BOOK = {"width": 1000, "height": 1000, "max_iter": 300, "c_re": -0.62772, "c_im": -0.42193,
        "x_min": -1.8, "x_max": 1.8, "y_min": -1.8, "y_max": 1.8}


def calculate_z_serial_purepython(maxiter, zs, cs):
    """Calculate output list using Julia update rule (the book's code)."""
    output = [0] * len(zs)
    for i in range(len(zs)):
        n = 0
        z = zs[i]
        c = cs[i]
        while abs(z) < 2 and n < maxiter:
            z = z * z + c
            n += 1
        output[i] = n
    return output


def inputs(p):
    """The book's zs and cs lists, on the kernels' coordinates."""
    x_step = (p["x_max"] - p["x_min"]) / p["width"]
    y_step = (p["y_max"] - p["y_min"]) / p["height"]
    xs = [p["x_min"] + i * x_step for i in range(p["width"])]
    ys = [p["y_max"] - j * y_step for j in range(p["height"])]
    zs = [complex(x, y) for y in ys for x in xs]
    cs = [complex(p["c_re"], p["c_im"])] * len(zs)
    return zs, cs


def run(params):
    p = {**BOOK, **params}
    zs, cs = inputs(p)
    start = time.perf_counter()
    output = calculate_z_serial_purepython(p["max_iter"], zs, cs)
    seconds = time.perf_counter() - start
    total = sum(output)
    return {"workload": "julia", "checksum": str(total), "kernel_ms": seconds * 1e3,
            "units": total, "unit": "iteration", "max": max(output)}


if __name__ == "__main__":
    print(json.dumps(run(json.loads(sys.argv[1]) if len(sys.argv) > 1 else {})))
