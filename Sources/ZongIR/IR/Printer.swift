/// The stable text form of ZongIR (`zong emit-ir`, `--dump-after`). Registers and blocks are
/// numbered in order of appearance, so two runs over the same program print the same text and a
/// pass's effect shows as a small diff. Each instruction ends with `; line:col` of its Zong
/// source.
public enum IRPrinter {
    public static func print(_ program: IRProgram) -> String {
        var out = "; ZongIR of \(program.fileName)\n"
        for (i, e) in program.externs.enumerated() {
            let params = e.parameterTypes.map(\.rawValue).joined(separator: ", ")
            out += "extern @\(i) \"\(e.module)\".\"\(e.name)\"(\(params))\(e.resultType.map { " -> \($0.rawValue)" } ?? "")\n"
        }
        for (i, s) in program.strings.enumerated() {
            out += "string .\(i) = \(quoted(s))\n"
        }
        for (i, f) in program.functions.enumerated() {
            out += "\n" + print(f, index: i, program: program)
        }
        return out
    }

    public static func print(_ f: IRFunction, index: Int, program: IRProgram?) -> String {
        var names = Names()
        let order = f.blocks.indices
        for b in order { names.block(BlockID(b)) }
        var out = ""
        let entryParams = f.blocks.first?.parameters ?? []
        let params = entryParams.map { "\(names.value($0)): \(f.type(of: $0)?.rawValue ?? "?")" }.joined(separator: ", ")
        let result = f.resultType.map { " -> \($0.rawValue)" } ?? ""
        out += "func @\(index) \(f.name)(\(params))\(result)\(f.hasResultAddress ? " sret" : "")\(f.isEntryPoint ? " entry" : "") {  ; \(loc(f.location))\n"
        for (i, s) in f.slots.enumerated() {
            out += "  slot $\(i) \"\(s.name)\" size \(s.size) align \(s.alignment)\n"
        }
        for b in order {
            let block = f.blocks[b]
            var head = names.block(BlockID(b))
            if b > 0, !block.parameters.isEmpty {
                head += "(" + block.parameters.map { "\(names.value($0)): \(f.type(of: $0)?.rawValue ?? "?")" }.joined(separator: ", ") + ")"
            }
            out += head + ":\n"
            for inst in block.instructions {
                var line = "  "
                if let r = inst.result { line += "\(names.value(r)) = " }
                line += text(inst.op, f, &names, program)
                out += pad(line) + "; \(loc(inst.location))\n"
            }
            out += pad("  " + text(block.terminator, &names)) + "; \(loc(block.terminatorLocation))\n"
        }
        return out + "}\n"
    }

    /// Sequential names for registers and blocks, assigned on first sight.
    struct Names {
        var values: [Value: Int] = [:]
        var blocks: [BlockID: Int] = [:]
        mutating func value(_ v: Value) -> String {
            if let n = values[v] { return "%\(n)" }
            values[v] = values.count
            return "%\(values.count - 1)"
        }
        @discardableResult
        mutating func block(_ b: BlockID) -> String {
            if let n = blocks[b] { return "b\(n)" }
            blocks[b] = blocks.count
            return "b\(blocks.count - 1)"
        }
    }

    static func text(_ op: Op, _ f: IRFunction, _ n: inout Names, _ program: IRProgram?) -> String {
        func list(_ vs: [Value]) -> String { vs.map { n.value($0) }.joined(separator: ", ") }
        switch op {
        case .constant(let t, let bits):
            return "const.\(t.rawValue) \(constantText(t, bits))"
        case .binary(let o, let t, let a, let b):
            return "\(o.rawValue).\(t.rawValue) \(n.value(a)), \(n.value(b))"
        case .compare(let o, let t, let a, let b):
            return "\(o.rawValue).\(t.rawValue) \(n.value(a)), \(n.value(b))"
        case .cast(let o, let a): return "\(o.rawValue) \(n.value(a))"
        case .not(let a): return "not \(n.value(a))"
        case .select(let c, let a, let b): return "select \(n.value(c)), \(n.value(a)), \(n.value(b))"
        case .slotAddress(let s): return "slotaddr $\(s.index)"
        case .offset(let a, let k): return "offset \(n.value(a)), \(k)"
        case .elementAddress(let a, let i, let s): return "elemaddr \(n.value(a)), \(n.value(i)), \(s)"
        case .load(let t, let w, let addr): return "load.\(t.rawValue) \(w.text) \(address(addr, &n))"
        case .store(let w, let addr, let v): return "store \(w.text) \(address(addr, &n)), \(n.value(v))"
        case .call(let fn, let args):
            let name = program.map { fn.index < $0.functions.count ? $0.functions[fn.index].name : "?" } ?? "?"
            return "call @\(fn.index) \(name)(\(list(args)))"
        case .callExtern(let e, let args): return "call.extern @\(e)(\(list(args)))"
        case .builtin(let b, let args): return "builtin \(b.text)(\(list(args)))"
        case .check(let c, let args): return "check \(c.rawValue)" + (args.isEmpty ? "" : " \(list(args))")
        }
    }

    static func text(_ t: Terminator, _ n: inout Names) -> String {
        func edge(_ e: Edge) -> String {
            n.block(e.block) + (e.arguments.isEmpty ? "" : "(" + e.arguments.map { n.value($0) }.joined(separator: ", ") + ")")
        }
        switch t {
        case .branch(let e): return "br \(edge(e))"
        case .conditionalBranch(let c, let a, let b): return "condbr \(n.value(c)), \(edge(a)), \(edge(b))"
        case .returnValue(let v): return "ret" + (v.map { " " + n.value($0) } ?? "")
        case .unreachable: return "unreachable"
        }
    }

    static func address(_ a: Address, _ n: inout Names) -> String {
        switch a {
        case .slot(let s, let o): "[$\(s.index)+\(o)]"
        case .memory(let v, let o, let r): "[\(n.value(v))+\(o) \(r.rawValue)]"
        }
    }

    static func constantText(_ t: IRType, _ bits: UInt64) -> String {
        switch t {
        case .i1: bits != 0 ? "true" : "false"
        case .i32: String(Int32(truncatingIfNeeded: bits))
        case .i64: String(Int64(bitPattern: bits))
        case .ptr: String(UInt32(truncatingIfNeeded: bits))
        }
    }

    static func loc(_ l: Location) -> String {
        l.line == 0 ? "-" : "\(l.line):\(l.column)"
    }

    static func pad(_ s: String) -> String {
        s.count >= 48 ? s + "  " : s + String(repeating: " ", count: 48 - s.count)
    }

    static func quoted(_ bytes: [UInt8]) -> String {
        var s = "\""
        for b in bytes {
            switch b {
            case UInt8(ascii: "\""): s += "\\\""
            case UInt8(ascii: "\\"): s += "\\\\"
            case 0x20..<0x7F: s += String(UnicodeScalar(b))
            default: s += "\\" + String(b, radix: 16).leftPadded(2)
            }
        }
        return s + "\""
    }
}

extension String {
    func leftPadded(_ n: Int) -> String {
        count >= n ? self : String(repeating: "0", count: n - count) + self
    }
}
