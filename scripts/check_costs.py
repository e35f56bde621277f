#!/usr/bin/env python3
"""What each safety check costs: builds every shared benchmark with all checks on (what
`zong build` ships), then with one check removed at a time, and times them against the
hand-written C (clang -O2), alternating runs. The variants are measurement builds only: they
edit the C that `zong emit-c` writes, never the product.

  bounds   memory bounds checks: `zong emit-c --bounds guard` (guard pages instead)
  index    Zong index checks (`index out of range`): the `if` around each panic_index call
  stack    native stack checks (ZRT_STACK_CHECK at entry, ZRT_STACK_TRAP_IF before calls)
  tstack   tstack checks: W2C's on every __stack_pointer write and Codegen's frame check
  none     all of the above removed

Usage: scripts/check_costs.py [--zong PATH] [--runs N] [programs...]
"""
import argparse, math, os, re, statistics, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(os.path.dirname(ROOT), "shared", "bench")
# The flags Sources/ZongDriver/NativeBuild.swift uses for the program and the runtime.
PROGRAM_FLAGS = ["-std=c11", "-O2", "-fno-optimize-sibling-calls", "-frounding-math", "-fno-math-errno",
                 "-ffp-contract=off", "-mllvm", "-inline-threshold=600", "-mllvm", "-enable-nontrivial-unswitch",
                 "-mllvm", "-unswitch-threshold=200"]
RUNTIME_FLAGS = ["-std=c11", "-O2", "-fno-math-errno", "-ffp-contract=off", "-frounding-math"]
VARIANTS = ["all checks", "bounds", "index", "stack", "tstack", "none"]


def cpu_time(cmd):
    pid = os.posix_spawn(cmd[0], cmd, os.environ, file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
    _, status, usage = os.wait4(pid, 0)
    if status != 0:
        raise SystemExit(f"{cmd[0]} exited with status {status}")
    return usage.ru_utime + usage.ru_stime


def block_end(lines, start):
    """Index of the line closing the `{` opened at lines[start] (same indentation)."""
    indent = len(lines[start]) - len(lines[start].lstrip())
    for j in range(start + 1, len(lines)):
        if lines[j].startswith(" " * indent + "}") and len(lines[j]) - len(lines[j].lstrip()) == indent:
            return j
    return None


def remove_checks(c, kinds):
    lines = c.split("\n")
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "stack" in kinds and line.strip().startswith(("ZRT_STACK_CHECK(", "ZRT_STACK_TRAP_IF(", "const int stack_low")):
            i += 1
            continue
        if "tstack" in kinds and "ZRT_TRAP_TSTACK_OVERFLOW" in line and line.strip().startswith("if ("):
            i += 1
            continue
        if re.match(r"\s*if \(s[ij]\d+\) \{$", line):
            end = block_end(lines, i)
            inner = lines[i + 1:end] if end else []
            # Only a check's own block: straight-line code ending in the panic, nothing nested.
            body = "" if any(l.rstrip().endswith("{") for l in inner) else "\n".join(inner)
            if ("index" in kinds and "zong_zong_panic_index(" in body) or \
               ("tstack" in kinds and "zong_zong_panic(" in body and "ZRT_TRAP_UNREACHABLE" not in body):
                # The frame check is the only panic block that falls through (no trap after it).
                out.append(line.replace("if (", "if (0 && ", 1))
                i += 1
                continue
        out.append(line)
        i += 1
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--zong", default=os.path.join(ROOT, ".build", "release", "zong"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cc", default=os.environ.get("CC", "clang"))
    ap.add_argument("programs", nargs="*")
    args = ap.parse_args()
    names = args.programs or sorted(f[:-5] for f in os.listdir(os.path.join(BENCH, "zong")) if f.endswith(".zong"))
    work = tempfile.mkdtemp(prefix="zong-costs-")
    runtimes = {}
    for guard in (0, 1):
        d = os.path.join(work, f"rt{guard}")
        os.makedirs(d)
        objs = []
        for src in sorted(f for f in os.listdir(os.path.join(ROOT, "runtime-c")) if f.endswith(".c")):
            o = os.path.join(d, src[:-2] + ".o")
            subprocess.run([args.cc] + RUNTIME_FLAGS + [f"-DZRT_GUARD_PAGES={guard}", "-I", os.path.join(ROOT, "runtime-c"),
                            "-c", os.path.join(ROOT, "runtime-c", src), "-o", o], check=True)
            objs.append(o)
        runtimes[guard] = objs
    print(f"{'program':8s} " + " ".join(f"{v:>10s}" for v in VARIANTS) + f" {'C':>8s}   (cpu s, median of {args.runs})")
    ratios = {v: [] for v in VARIANTS}
    for name in names:
        source = os.path.join(BENCH, "zong", name + ".zong")
        expected = open(os.path.join(BENCH, "expected", name + ".out"), "rb").read()
        binaries = {}
        for v in VARIANTS:
            guard = v in ("bounds", "none")
            c_path = os.path.join(work, f"{name}-{VARIANTS.index(v)}.c")
            subprocess.run([args.zong, "emit-c", source, "-o", c_path] + (["--bounds", "guard"] if guard else []), check=True)
            kinds = {"index", "stack", "tstack"} if v == "none" else {v}
            c = open(c_path).read()
            open(c_path, "w").write(remove_checks(c, kinds))
            exe = c_path[:-2]
            subprocess.run([args.cc] + PROGRAM_FLAGS + ["-I", os.path.join(ROOT, "runtime-c"), c_path] +
                           runtimes[1 if guard else 0] + ["-static", "-o", exe, "-lm", "-lpthread"], check=True)
            out = subprocess.run([exe], stdout=subprocess.PIPE, check=True).stdout
            if out != expected:
                raise SystemExit(f"{name} ({v}): output differs from expected")
            binaries[v] = exe
        cbin = os.path.join(work, name + "-c")
        subprocess.run([args.cc, "-O2", "-o", cbin, os.path.join(BENCH, "c", name + ".c")], check=True)
        times = {v: [] for v in VARIANTS + ["C"]}
        for _ in range(args.runs):
            for v in VARIANTS:
                times[v].append(cpu_time([binaries[v]]))
            times["C"].append(cpu_time([cbin]))
        med = {k: statistics.median(t) for k, t in times.items()}
        for v in VARIANTS:
            ratios[v].append(med[v] / med["C"])
        print(f"{name:8s} " + " ".join(f"{med[v]:10.3f}" for v in VARIANTS) + f" {med['C']:8.3f}", flush=True)
    geo = {v: math.exp(sum(math.log(r) for r in rs) / len(rs)) for v, rs in ratios.items()}
    print(f"{'geo z/C':8s} " + " ".join(f"{geo[v]:10.2f}" for v in VARIANTS))


if __name__ == "__main__":
    main()
