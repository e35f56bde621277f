#!/usr/bin/env python3
"""Writes a valid Zong program of about N lines (functions of loops, arithmetic, structs and
slices, all called from main) for measuring compile speed: scripts/gen_program.py 100000 > big.zong"""
import sys

def function(i):
    return f"""func f{i}(_ s: I64[]*, _ k: I64): I64 {{
    var total: I64 = k;
    var p: Pair = Pair(a: k, b: {i});
    var j: I64 = 0;
    loop {{
        if j >= (s*).length {{
            break;
        }}
        total = total + (s*)[j] * {i % 7 + 1} - p.b;
        if total > 1000000 {{
            total = total % 1000;
        }}
        j = j + 1;
    }}
    p.a = total;
    return p.a + p.b;
}}
"""

def main():
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    per = function(0).count("\n")
    count = max(1, (lines - 20) // (per + 1))
    out = ["struct Pair(a: I64, b: I64);", ""]
    for i in range(count):
        out.append(function(i))
    out.append("func main() {")
    out.append("    var s: I64[];")
    out.append("    append(s&, 3);")
    out.append("    append(s&, 4);")
    out.append("    var t: I64 = 0;")
    for i in range(count):
        out.append(f"    t = (t + f{i}(s&, t)) % 1000003;")
    out.append("    print(t);")
    out.append("}")
    sys.stdout.write("\n".join(out) + "\n")

main()
