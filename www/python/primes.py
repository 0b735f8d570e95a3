"""Primes of High Performance Python, ch. 9: the book's check_prime by trial division.
Run by CPython in the benchmark harness and by Pyodide in the browser (the same file).

Tasks, as the kernels name them: `check` (is n prime?) and `range` (every prime of
[start, end), each by check_prime: the checksum is their sum mod 2^64, the kernels'). The book
has no pure-Python sieve or Miller-Rabin, so `count` and `miller_rabin` are refused (primesieve
is the peer for counting). One change to the book's code: math.isqrt(n) instead of
int(math.sqrt(n)), whose float can be off by one past 2^52 (the book's numbers are 18 digits).

Usage: python3 primes.py '{"task": "check", "n": "1000000007"}'  -> JSON
"""
import json
import math
import sys
import time

BOOK = {"task": "check", "n": "100109100129100151", "start": "100000000", "end": "101000000"}


def check_prime(n):
    """The book's trial division by odd divisors (math.isqrt for the bound)."""
    if n % 2 == 0:
        return False
    from_i = 3
    to_i = math.isqrt(n) + 1
    for i in range(from_i, int(to_i), 2):
        if n % i == 0:
            return False
    return True


def is_prime(n):
    """check_prime, right for 0, 1 and 2 as the kernels are."""
    return n == 2 or (n > 2 and check_prime(n))


def run(params):
    p = {**BOOK, **params}
    task = p["task"]
    if task == "check":
        n = int(p["n"])
        start = time.perf_counter()
        prime = is_prime(n)
        seconds = time.perf_counter() - start
        # One check is one unit: counting its divisions would take a second pass as long as the check.
        return {"workload": "primes", "checksum": "1" if prime else "0", "kernel_ms": seconds * 1e3,
                "units": 1, "unit": "run", "is_prime": prime}
    if task == "range":
        lo, hi = int(p["start"]), int(p["end"])
        start = time.perf_counter()
        found = [k for k in range(lo, hi) if is_prime(k)]
        seconds = time.perf_counter() - start
        return {"workload": "primes", "checksum": str(sum(found) % 2**64), "kernel_ms": seconds * 1e3,
                "units": hi - lo, "unit": "number", "count": len(found)}
    raise ValueError(f"task = {task!r}: the book's Python has check and range only")


if __name__ == "__main__":
    print(json.dumps(run(json.loads(sys.argv[1]) if len(sys.argv) > 1 else {})))
