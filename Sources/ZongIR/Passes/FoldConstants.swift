/// fold-constants: evaluates operations whose operands are constants (with the IR
/// interpreter's arithmetic, so folding and running agree bit for bit), applies algebraic
/// identities that hold for every value (x+0, x*1, x&x, …), turns a conditional branch on a
/// constant into a branch, and removes checks that constants prove can never fail.
public struct FoldConstants: FunctionPass {
    public var name: String { "fold-constants" }
    public var summary: String { "evaluate constant operations and branches; drop checks constants prove" }
    public init() {}

    public func run(_ f: inout IRFunction, in program: IRProgram) {
        // Indexed by register id (every operand is looked up): constant bits, replacements.
        let n = f.valueTypes.count
        var constants = [UInt64?](repeating: nil, count: n)
        var replacements: [Value: Value] = [:]
        var replacement = [Int](repeating: -1, count: n)
        func resolve(_ v: Value) -> Value {
            var v = v
            while v.id >= 0, v.id < n, replacement[v.id] >= 0 { v = Value(replacement[v.id]) }
            return v
        }
        func known(_ v: Value) -> UInt64? {
            let r = resolve(v)
            return r.id >= 0 && r.id < n ? constants[r.id] : nil
        }
        func setConstant(_ r: Value, _ bits: UInt64) {
            if r.id >= 0, r.id < n { constants[r.id] = bits }
        }
        let flow = ControlFlow(f)
        for b in flow.reversePostOrder {
            var kept: [Instruction] = []
            for var inst in f.blocks[b.index].instructions {
                if !replacements.isEmpty { inst.op = inst.op.mapOperands(resolve) }
                if case .constant(_, let bits) = inst.op, let r = inst.result {
                    setConstant(r, bits)
                    kept.append(inst)
                    continue
                }
                if case .check(let c, let args) = inst.op, checkPasses(c, args.map(known), f) { continue }
                if let r = inst.result, let folded = fold(inst.op, known) {
                    switch folded {
                    case .constant(let bits):
                        setConstant(r, bits)
                        inst.op = .constant(f.type(of: r) ?? .i32, bits)
                    case .value(let v):
                        replacements[r] = v
                        if r.id >= 0, r.id < n { replacement[r.id] = v.id }
                        continue
                    }
                }
                kept.append(inst)
            }
            f.blocks[b.index].instructions = kept
            var t = f.blocks[b.index].terminator
            if !replacements.isEmpty { t = t.mapOperands(resolve) }
            if case .conditionalBranch(let c, let yes, let no) = t, let bits = known(c) {
                t = .branch(bits != 0 ? yes : no)
            }
            f.blocks[b.index].terminator = t
        }
        f.replaceUses(replacements)
    }

    enum Folded {
        case constant(UInt64)
        case value(Value)
    }

    func fold(_ op: Op, _ known: (Value) -> UInt64?) -> Folded? {
        switch op {
        case .binary(let o, let t, let a, let b):
            if let x = known(a), let y = known(b) {
                // Division by a zero constant is left for its check to report.
                if [.divS, .divU, .remS, .remU].contains(o), y == 0 { return nil }
                return (try? IRInterpreter.binary(o, t, x, y, .none)).map { .constant($0) }
            }
            return identity(o, t, a, b, known)
        case .compare(let o, let t, let a, let b):
            if let x = known(a), let y = known(b) { return .constant(IRInterpreter.compare(o, t, x, y) ? 1 : 0) }
            if a == b {
                switch o {
                case .eq, .leS, .leU, .geS, .geU: return .constant(1)
                case .ne, .ltS, .ltU, .gtS, .gtU: return .constant(0)
                }
            }
            return nil
        case .cast(let o, let a):
            return known(a).map { .constant(IRInterpreter.cast(o, $0)) }
        case .not(let a):
            return known(a).map { .constant($0 == 0 ? 1 : 0) }
        case .select(let c, let a, let b):
            if let bits = known(c) { return .value(bits != 0 ? a : b) }
            return a == b ? .value(a) : nil
        case .offset(let a, 0):
            return .value(a)
        default:
            return nil
        }
    }

    /// Identities true for every operand value.
    func identity(_ o: BinaryOp, _ t: IRType, _ a: Value, _ b: Value, _ known: (Value) -> UInt64?) -> Folded? {
        let x = known(a), y = known(b)
        switch o {
        case .add, .or, .xor:
            if y == 0 { return .value(a) }
            if x == 0 { return .value(b) }
            if o == .xor, a == b { return .constant(0) }
            if o == .or, a == b { return .value(a) }
        case .sub:
            if y == 0 { return .value(a) }
            if a == b { return .constant(0) }
        case .shl, .shrS, .shrU:
            if y == 0 { return .value(a) }
        case .mul:
            if y == 1 { return .value(a) }
            if x == 1 { return .value(b) }
            if x == 0 || y == 0 { return .constant(0) }
        case .divS, .divU:
            if y == 1 { return .value(a) }
        case .and:
            if a == b { return .value(a) }
            if x == 0 || y == 0 { return .constant(0) }
        default:
            break
        }
        return nil
    }

    func checkPasses(_ c: Check, _ args: [UInt64?], _ f: IRFunction) -> Bool {
        switch c {
        case .index, .provenIndex:
            guard args.count == 2, let i = args[0], let n = args[1] else { return false }
            return i < n
        case .sliceLength:
            guard args.count == 2, let new = args[0], let n = args[1] else { return false }
            return new <= n
        case .divisor:
            guard let d = args.first ?? nil else { return false }
            return d != 0
        case .shiftCount:
            // Constants below 2^31 are non-negative in an i32 and in an i64 register.
            guard let n = args.first ?? nil else { return false }
            return n <= 0x7FFF_FFFF
        case .tstack:
            // A function without slots has an empty frame: it always fits.
            return f.slots.allSatisfy { $0.size == 0 }
        }
    }
}
