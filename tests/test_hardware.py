"""The nominal peak from a /proc/cpuinfo text against the product worked out by hand."""

import math

import pytest

from coursework_lib.core import hardware

CPUINFO = """processor\t: 0
cpu MHz\t\t: 2100.000
flags\t\t: fpu sse2 avx avx2 fma
processor\t: 1
cpu MHz\t\t: 2500.000
flags\t\t: fpu sse2 avx avx2 fma
"""


def test_nominal_peak_from_cpuinfo_text():
    peak, how = hardware.nominal_peak_gflops(CPUINFO, cores=2)
    assert peak == pytest.approx(2 * 2.5 * 32)  # the largest clock, AVX2: 32 flop/cycle
    assert how == "2 cores x 2.50 GHz x 32 flop/cycle"
    peak, _ = hardware.nominal_peak_gflops(CPUINFO.replace("avx2", "avx512f"), cores=4)
    assert peak == pytest.approx(4 * 2.5 * 64)


def test_missing_cpuinfo_gives_nan(tmp_path, monkeypatch):
    assert hardware.read_cpuinfo(tmp_path / "absent") is None
    text = tmp_path / "cpuinfo"
    text.write_text(CPUINFO)
    assert hardware.read_cpuinfo(text) == CPUINFO
    assert math.isnan(hardware.nominal_peak_gflops("flags : sse2\n", cores=1)[0])  # no clock given
    monkeypatch.setattr(hardware, "read_cpuinfo", lambda: None)
    peak, how = hardware.nominal_peak_gflops()
    assert math.isnan(peak) and how.startswith("unknown")


def test_matmul_rate_is_positive():
    assert hardware.matmul_gflops(n=64, repeats=2) > 0
    with pytest.raises(ValueError, match="n"):
        hardware.matmul_gflops(n=0)
