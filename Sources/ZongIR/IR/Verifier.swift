/// Checks the invariants every pass must keep (docs/ir.md "Invariants"): every register is
/// defined once and before each use along every path (dominance), operand types match their
/// operations, edges pass one argument per target parameter with its type, slots, functions and
/// externs exist, and returns match the function's result type.
public enum IRVerifier {
    /// The problems found, each naming the function and block; empty when the function is valid.
    public static func verify(_ f: IRFunction, in program: IRProgram) -> [String] {
        var v = FunctionVerifier(f, program)
        v.run()
        return v.problems
    }

    public static func verify(_ program: IRProgram) -> [String] {
        program.functions.flatMap { verify($0, in: program) }
    }
}

private struct FunctionVerifier {
    let f: IRFunction
    let program: IRProgram
    var problems: [String] = []
    var definedIn: [BlockID?]
    var definedAt: [Int]

    init(_ f: IRFunction, _ program: IRProgram) {
        self.f = f
        self.program = program
        definedIn = .init(repeating: nil, count: f.valueTypes.count)
        definedAt = .init(repeating: -1, count: f.valueTypes.count)
    }

    mutating func fail(_ b: Int, _ message: String) {
        problems.append("\(f.name): b\(b): \(message)")
    }

    mutating func run() {
        guard !f.blocks.isEmpty else { return problems.append("\(f.name): no entry block") }
        let entryTypes = f.blocks[0].parameters.map { f.type(of: $0) }
        if entryTypes != f.parameterTypes.map({ Optional($0) }) {
            fail(0, "entry parameters do not match the function's parameter types")
        }
        collectDefinitions()
        let flow = ControlFlow(f)
        let dominators = Dominators(f, flow)
        for b in flow.reversePostOrder {
            checkBlock(b, dominators)
        }
    }

    mutating func collectDefinitions() {
        for (bi, b) in f.blocks.enumerated() {
            var defs = b.parameters.map { ($0, -1) }
            defs += b.instructions.enumerated().compactMap { i, inst in inst.result.map { ($0, i) } }
            for (v, i) in defs {
                guard v.id >= 0, v.id < f.valueTypes.count else {
                    fail(bi, "register %\(v.id) has no type")
                    continue
                }
                if definedIn[v.id] != nil { fail(bi, "register %\(v.id) defined twice") }
                definedIn[v.id] = BlockID(bi)
                definedAt[v.id] = i
            }
        }
    }

    /// A use at instruction `index` of `block` (the terminator is index `instructions.count`).
    mutating func checkUse(_ v: Value, _ block: BlockID, _ index: Int, _ dominators: Dominators) {
        guard v.id >= 0, v.id < definedIn.count, let def = definedIn[v.id] else {
            return fail(block.index, "use of undefined register %\(v.id)")
        }
        let ok = def == block ? definedAt[v.id] < index : dominators.dominates(def, block)
        if !ok { fail(block.index, "register %\(v.id) used where its definition does not dominate") }
    }

    func type(_ v: Value) -> IRType? { f.type(of: v) }

    mutating func expect(_ v: Value, _ t: IRType, _ b: BlockID, _ what: String) {
        if let actual = type(v), actual != t {
            fail(b.index, "\(what): %\(v.id) is \(actual.rawValue), expected \(t.rawValue)")
        }
    }

    mutating func checkBlock(_ b: BlockID, _ dominators: Dominators) {
        let block = f.blocks[b.index]
        for (i, inst) in block.instructions.enumerated() {
            for v in inst.op.operands { checkUse(v, b, i, dominators) }
            checkTypes(inst, b)
        }
        let end = block.instructions.count
        for v in block.terminator.operands { checkUse(v, b, end, dominators) }
        for e in block.terminator.successors {
            guard e.block.index >= 0, e.block.index < f.blocks.count else {
                fail(b.index, "branch to missing block \(e.block.index)")
                continue
            }
            let params = f.blocks[e.block.index].parameters
            if e.block == IRFunction.entry { fail(b.index, "branch to the entry block") }
            if params.count != e.arguments.count {
                fail(b.index, "branch to b\(e.block.index) passes \(e.arguments.count) arguments for \(params.count) parameters")
                continue
            }
            for (a, p) in zip(e.arguments, params) where type(a) != type(p) {
                fail(b.index, "branch argument %\(a.id) does not match parameter %\(p.id)'s type")
            }
        }
        switch block.terminator {
        case .conditionalBranch(let c, _, _): expect(c, .i1, b, "condition")
        case .returnValue(let v):
            if v.flatMap(type) != f.resultType { fail(b.index, "return does not match the result type") }
        default: break
        }
    }

    mutating func checkTypes(_ inst: Instruction, _ b: BlockID) {
        let resultType = inst.result.flatMap(type)
        func result(_ t: IRType?) {
            if resultType != t { fail(b.index, "result of \(inst.op) should be \(t?.rawValue ?? "none")") }
        }
        switch inst.op {
        case .constant(let t, _): result(t)
        case .binary(_, let t, let x, let y):
            if t != .i32 && t != .i64 { fail(b.index, "arithmetic on \(t.rawValue)") }
            expect(x, t, b, "operand")
            expect(y, t, b, "operand")
            result(t)
        case .compare(_, let t, let x, let y):
            expect(x, t, b, "operand")
            expect(y, t, b, "operand")
            result(.i1)
        case .cast(let o, let x):
            let (from, to) = Self.castTypes(o)
            expect(x, from, b, "cast operand")
            result(to)
        case .not(let x):
            expect(x, .i1, b, "operand")
            result(.i1)
        case .select(let c, let x, let y):
            expect(c, .i1, b, "condition")
            if let t = type(x) { expect(y, t, b, "operand") }
            result(type(x))
        case .slotAddress(let s):
            checkSlot(s, b)
            result(.ptr)
        case .offset(let x, _):
            expect(x, .ptr, b, "address")
            result(.ptr)
        case .elementAddress(let x, let i, _):
            expect(x, .ptr, b, "address")
            expect(i, .i64, b, "index")
            result(.ptr)
        case .load(let t, let w, let a):
            checkAddress(a, w.bytes, b)
            if (t == .i64) != (w.bytes == 8) { fail(b.index, "load width does not fit its register") }
            result(t)
        case .store(let w, let a, let v):
            checkAddress(a, w.bytes, b)
            if (type(v) == .i64) != (w.bytes == 8) { fail(b.index, "store width does not fit its value") }
            result(nil)
        case .call(let fn, let args):
            guard fn.index >= 0, fn.index < program.functions.count else { return fail(b.index, "call of missing function") }
            let callee = program.functions[fn.index]
            checkArguments(args, callee.parameterTypes, b)
            result(callee.resultType)
        case .callExtern(let e, let args):
            guard e >= 0, e < program.externs.count else { return fail(b.index, "call of missing extern") }
            checkArguments(args, program.externs[e].parameterTypes, b)
            result(program.externs[e].resultType)
        case .builtin(let op, let args):
            checkBuiltin(op, args, b)
            result(op.resultType)
        case .check(let c, let args):
            let expected: [IRType] = switch c {
            case .index, .provenIndex, .sliceLength: [.i64, .i64]
            case .divisor, .shiftCount: args.first.flatMap(type).map { [$0] } ?? [.i32]
            case .tstack: []
            }
            checkArguments(args, expected, b)
            result(nil)
        }
    }

    mutating func checkBuiltin(_ op: BuiltinOp, _ args: [Value], _ b: BlockID) {
        checkArguments(args, op.operandTypes, b)
        if case .string(let i) = op, i < 0 || i >= program.strings.count { fail(b.index, "missing string literal \(i)") }
    }

    mutating func checkArguments(_ args: [Value], _ types: [IRType], _ b: BlockID) {
        if args.count != types.count { return fail(b.index, "\(args.count) arguments for \(types.count) parameters") }
        for (a, t) in zip(args, types) { expect(a, t, b, "argument") }
    }

    mutating func checkSlot(_ s: SlotID, _ b: BlockID) {
        if s.index < 0 || s.index >= f.slots.count { fail(b.index, "missing slot $\(s.index)") }
    }

    mutating func checkAddress(_ a: Address, _ size: Int, _ b: BlockID) {
        switch a {
        case .slot(let s, let offset):
            checkSlot(s, b)
            if s.index >= 0, s.index < f.slots.count, offset < 0 || offset + size > f.slots[s.index].size {
                fail(b.index, "access [$\(s.index)+\(offset)] of \(size) bytes outside the slot")
            }
        case .memory(let v, let offset, _):
            expect(v, .ptr, b, "address")
            if offset < 0 { fail(b.index, "negative offset") }
        }
    }

    static func castTypes(_ o: CastOp) -> (IRType, IRType) {
        switch o {
        case .sext8, .sext16, .zext8, .zext16: (.i32, .i32)
        case .wrap: (.i64, .i32)
        case .extendS, .extendU: (.i32, .i64)
        case .boolToI32: (.i1, .i32)
        case .i32ToBool: (.i32, .i1)
        case .ptrToI32: (.ptr, .i32)
        }
    }
}
