"""What this machine can do: a measured matrix-product rate and a nominal peak from /proc/cpuinfo.

Used by the speed sections and benchmarks to put a measured GFLOP/s next to what the CPU could do.
"""

from __future__ import annotations

import os
import time

import numpy as np

from coursework_lib.core.validation import check_positive_int


def read_cpuinfo(path="/proc/cpuinfo") -> str | None:
    """The text of ``/proc/cpuinfo`` (Linux), or None where there is no such file."""
    try:
        with open(path) as file:
            return file.read()
    except OSError:
        return None


def available_cores() -> int:
    """CPU cores this process may run on (its affinity mask where the OS has one)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def nominal_peak_gflops(cpuinfo: str | None = None, cores: int | None = None) -> tuple[float, str]:
    """A nominal float32 peak: cores x clock x flops per cycle. Returns (GFLOP/s, how it was computed).

    cpuinfo: the text of /proc/cpuinfo (read with :func:`read_cpuinfo` when None); cores: default
    :func:`available_cores`. The clock is the largest ``cpu MHz``; flops per cycle assume two FMA units:
    64 with AVX-512 (``avx512f``), 32 with AVX2, else 16. Without cpuinfo: (nan, "unknown ...").
    """
    info = read_cpuinfo() if cpuinfo is None else cpuinfo
    if info is None:
        return float("nan"), "unknown (no /proc/cpuinfo)"
    mhz = [float(line.split(":")[1]) for line in info.splitlines() if line.startswith("cpu MHz")]
    ghz = (max(mhz) if mhz else float("nan")) / 1000
    per_cycle = 64 if "avx512f" in info else (32 if "avx2" in info else 16)
    cores = available_cores() if cores is None else check_positive_int(cores, "cores")
    return cores * ghz * per_cycle, f"{cores} cores x {ghz:.2f} GHz x {per_cycle} flop/cycle"


def matmul_gflops(n: int = 2048, repeats: int = 5) -> float:
    """Measured float32 GFLOP/s of an n x n TensorFlow matrix product, best of ``repeats`` (a practical
    peak of the machine). The first product (kernel set-up) is not timed."""
    import tensorflow as tf

    n, repeats = check_positive_int(n, "n"), check_positive_int(repeats, "repeats")
    a = tf.random.normal((n, n))
    (a @ a).numpy()
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        (a @ a).numpy()
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e9
