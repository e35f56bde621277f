#!/usr/bin/env python3
"""make bench: zong-built native binaries against hand-written C (clang -O2), run alternately
(A B A B ...) after a warm-up pair, plus native vs interpreted (the same module under wasmkit),
on two sets of programs in one run:

  shared   ../shared/bench/{zong,c,expected}  the shared suite, read at run time (not copied)
  project  bench/{zong,c,expected}            the project's own programs (bench/README.md)

Every run's stdout must equal expected/NAME.out of its set. Times come from the OS around the
child only: wall time from spawn to reaped (os.wait4), CPU time (user + system) from the
child's rusage. Prints per-program medians, zong/C ratios, the interpreted/native ratio, and
the geometric mean and worst case per set and over all programs.
"""
import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETS = [("shared", os.path.join(os.path.dirname(ROOT), "shared", "bench")),
        ("project", os.path.join(ROOT, "bench"))]


class Failure(Exception):
    pass


def run_measured(cmd, out_path):
    """Runs cmd with stdin from /dev/null and stdout to out_path; returns (wall, cpu, stdout).

    The child is reaped with os.wait4, so the CPU time is the child's own rusage; the wall
    time spans spawn to reap and nothing else."""
    with open(os.devnull, "rb") as stdin, open(out_path, "wb") as stdout:
        start = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE)
        # Drain stderr first (it is small) so the child can never block on a full pipe.
        err = p.stderr.read()
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - start
        p.returncode = os.waitstatus_to_exitcode(status)  # already reaped: tell Popen
        p.stderr.close()
    if p.returncode != 0:
        raise Failure(f"{' '.join(cmd)} failed (status {p.returncode}): {err.decode(errors='replace')[:500]}")
    with open(out_path, "rb") as f:
        return wall, usage.ru_utime + usage.ru_stime, f.read()


def build(cmd, what):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        raise Failure(f"{what} failed ({' '.join(cmd)}):\n{p.stdout.decode(errors='replace')[:2000]}")


def find_wasmkit():
    env = os.environ.get("ZONG_WASMKIT")
    if env:
        return env
    return shutil.which("wasmkit") or next(
        (p for p in ["/opt/swift/usr/bin/wasmkit"] if os.access(p, os.X_OK)), None)


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values))


def progress(text):
    """A progress line on stderr, rewritten in place; only when stderr is a terminal."""
    if sys.stderr.isatty():
        print(f"\r\033[K{text}", end="", file=sys.stderr, flush=True)


def programs(directory):
    return sorted(f[:-5] for f in os.listdir(os.path.join(directory, "zong")) if f.endswith(".zong"))


def select(args):
    """[(set, directory, name)] for the programs asked for: all of every set by default; a
    name picks that program (in whichever set has it), a set's name picks the whole set."""
    available = []
    for label, directory in SETS:
        if label in args.sets:
            if not os.path.isdir(os.path.join(directory, "zong")):
                raise Failure(f"benchmarks not found at {directory}")
            available += [(label, directory, name) for name in programs(directory)]
    if not args.programs:
        return available
    chosen = []
    for want in args.programs:
        hits = [p for p in available if want in (p[0], p[2])]
        if not hits:
            raise Failure(f"no benchmark or set named {want!r}")
        chosen += [p for p in hits if p not in chosen]
    return chosen


def summary(label, rows):
    worst = max(rows, key=lambda r: r["ratio"])
    line = (f"{label:8s} {len(rows):2d} programs  geometric mean zong/C {geomean([r['ratio'] for r in rows]):.3f}"
            f" (cpu {geomean([r['cpu_ratio'] for r in rows]):.3f})   worst {worst['ratio']:.2f} ({worst['name']})")
    interp = [r["interp"] / r["zong"] for r in rows if r["interp"]]
    if interp:
        line += f"   interp/native {geomean(interp):.1f}"
    print(line)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--zong", default=os.path.join(ROOT, ".build", "release", "zong"))
    ap.add_argument("--pairs", type=int, default=5, help="measured A/B pairs after one warm-up pair (default 5)")
    ap.add_argument("--interp-runs", type=int, default=1, help="interpreted runs per program (0 to skip)")
    ap.add_argument("--cc", default=os.environ.get("CC", "clang"))
    ap.add_argument("--zong-flag", action="append", default=[], help="extra flag for `zong build` (repeatable)")
    ap.add_argument("--set", dest="sets", action="append", choices=[label for label, _ in SETS],
                    help="only this set of programs (repeatable; default: every set)")
    ap.add_argument("programs", nargs="*", help="benchmark or set names (default: every program of every set)")
    args = ap.parse_args()
    args.sets = args.sets or [label for label, _ in SETS]
    if args.pairs < 5:
        print(f"bench: note: {args.pairs} pairs is fewer than the 5 the comparison needs", file=sys.stderr)
    if not os.access(args.zong, os.X_OK):
        raise Failure(f"{args.zong} not found: run `make build` first")
    wasmkit = find_wasmkit() if args.interp_runs > 0 else None
    if args.interp_runs > 0 and not wasmkit:
        raise Failure("wasmkit not found (PATH, /opt/swift/usr/bin or ZONG_WASMKIT); use --interp-runs 0")
    chosen = select(args)
    work = tempfile.mkdtemp(prefix="zong-bench-")
    out = os.path.join(work, "stdout")
    rows = []
    try:
        for label, bench, name in chosen:
            source = os.path.join(bench, "zong", name + ".zong")
            with open(os.path.join(bench, "expected", name + ".out"), "rb") as f:
                expected = f.read()
            zbin, cbin = os.path.join(work, name + "-zong"), os.path.join(work, name + "-c")
            wasm = os.path.join(work, name + ".wasm")
            build([args.zong, "build", source, "-o", zbin] + args.zong_flag, f"zong build {name}")
            build([args.cc, "-O2", "-o", cbin, os.path.join(bench, "c", name + ".c")], f"{args.cc} -O2 {name}.c")
            build([args.zong, "emit-wasm", source, "-o", wasm], f"zong emit-wasm {name}")
            zw, zc, cw, cc = [], [], [], []
            for i in range(args.pairs + 1):  # pair 0 is the warm-up
                progress(f"{name}: pair {i}/{args.pairs}")
                a_wall, a_cpu, a_out = run_measured([zbin], out)
                b_wall, b_cpu, b_out = run_measured([cbin], out)
                if a_out != expected:
                    raise Failure(f"{name}: the zong binary's output differs from {label} expected/{name}.out")
                if b_out != expected:
                    raise Failure(f"{name}: the C binary's output differs from {label} expected/{name}.out")
                if i > 0:
                    zw.append(a_wall); zc.append(a_cpu); cw.append(b_wall); cc.append(b_cpu)
            iw = []
            for _ in range(args.interp_runs):
                progress(f"{name}: interpreted")
                wall, _, i_out = run_measured([wasmkit, "run", wasm], out)
                if i_out != expected:
                    raise Failure(f"{name}: interpreted output differs from {label} expected/{name}.out")
                iw.append(wall)
            progress("")
            zm, cm = statistics.median(zw), statistics.median(cw)
            row = dict(set=label, name=name, zong=zm, c=cm, ratio=zm / cm,
                       cpu_ratio=statistics.median(zc) / statistics.median(cc),
                       spread=(max(zw) - min(zw)) / zm, interp=statistics.median(iw) if iw else None)
            rows.append(row)
            print(f"{label:7s} {name:8s} zong {zm:7.3f}s  C {cm:7.3f}s  zong/C {zm / cm:5.2f}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print()
    print(f"median of {args.pairs} alternating pairs after a warm-up; wall time spawn-to-reap, cpu from wait4 rusage")
    print(f"{'set':7s} {'program':8s} {'zong (s)':>9s} {'C (s)':>9s} {'zong/C':>7s} {'cpu z/C':>8s} {'spread':>7s} "
          f"{'interp (s)':>11s} {'interp/native':>14s}")
    for r in rows:
        interp = f"{r['interp']:11.2f} {r['interp'] / r['zong']:14.1f}" if r["interp"] else f"{'-':>11s} {'-':>14s}"
        print(f"{r['set']:7s} {r['name']:8s} {r['zong']:9.3f} {r['c']:9.3f} {r['ratio']:7.2f} {r['cpu_ratio']:8.2f} "
              f"{r['spread'] * 100:6.1f}% {interp}")
    print()
    for label, _ in SETS:
        subset = [r for r in rows if r["set"] == label]
        if subset and len(subset) < len(rows):
            summary(label, subset)
    summary("all", rows)
    print("(spread = (max - min) / median of the zong runs: the machine's noise)")


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        print(f"\nbench: error: {e}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
