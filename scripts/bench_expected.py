#!/usr/bin/env python3
"""Writes bench/expected/NAME.out (full size) and bench/expected/NAME.small.out (the sizes in
bench/sizes.small) from the hand-written C twins in bench/c, compiled with clang -O2.

The expected outputs come from the C programs only; `make bench` and the test suite then check
that the zong-built programs print the same. Run it after changing a program or its sizes:
    python3 scripts/bench_expected.py [NAME ...]
"""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")


def small_sizes():
    sizes = {}
    with open(os.path.join(BENCH, "sizes.small")) as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if line:
                sizes[line[0]] = [p.split("=", 1) for p in line[1:]]
    return sizes


def main():
    cc = os.environ.get("CC", "clang")
    sizes = small_sizes()
    names = sys.argv[1:] or sorted(f[:-2] for f in os.listdir(os.path.join(BENCH, "c")) if f.endswith(".c"))
    with tempfile.TemporaryDirectory(prefix="zong-bench-expected-") as work:
        for name in names:
            source = os.path.join(BENCH, "c", name + ".c")
            for suffix, defines in [(".out", []), (".small.out", [f"-D{k}={v}" for k, v in sizes[name]])]:
                binary = os.path.join(work, name)
                subprocess.run([cc, "-O2", "-o", binary, source] + defines, check=True)
                out = subprocess.run([binary], stdin=subprocess.DEVNULL, capture_output=True, check=True).stdout
                with open(os.path.join(BENCH, "expected", name + suffix), "wb") as f:
                    f.write(out)
                print(f"{name}{suffix}: {len(out.splitlines())} lines")


if __name__ == "__main__":
    main()
