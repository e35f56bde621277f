/// Integer arithmetic on i32 or i64 registers. Wrapping; `divS`/`remS` follow Zong (MIN / -1
/// is MIN, MIN % -1 is 0), never a machine trap: division by zero is ruled out by a
/// `check divisor` before it. Narrow Zong types are kept normalized by an `extend` after.
public enum BinaryOp: String, Hashable, Sendable, CaseIterable {
    case add, sub, mul
    case divS = "div.s", divU = "div.u", remS = "rem.s", remU = "rem.u"
    case and, or, xor, shl
    case shrS = "shr.s", shrU = "shr.u"

    public var isCommutative: Bool {
        switch self {
        case .add, .mul, .and, .or, .xor: true
        default: false
        }
    }
}

/// Integer, Boolean or pointer comparison; the result is i1.
public enum CompareOp: String, Hashable, Sendable, CaseIterable {
    case eq, ne
    case ltS = "lt.s", ltU = "lt.u", gtS = "gt.s", gtU = "gt.u"
    case leS = "le.s", leU = "le.u", geS = "ge.s", geU = "ge.u"
}

/// Width changes. `sext8`/`sext16`/`zext8`/`zext16` re-normalize an i32 holding a narrow Zong
/// integer; the others move between i32 and i64.
public enum CastOp: String, Hashable, Sendable, CaseIterable {
    case sext8, sext16, zext8, zext16
    case wrap = "wrap.i64"
    case extendS = "extend.s", extendU = "extend.u"
    /// i1 -> i32 (0 or 1), for printing and storing Booleans.
    case boolToI32 = "bool.i32"
    /// i32 -> i1 (non-zero), for Booleans loaded from memory.
    case i32ToBool = "i32.bool"
    /// ptr <-> i32, for printing a pointer's address.
    case ptrToI32 = "ptr.i32"
}

/// A runtime check of the language. It keeps its Zong location, so a pass may prove it away
/// or move it but never loses its message.
public enum Check: String, Hashable, Sendable {
    /// operands: index (i64), length (i64). Fails unless index < length (unsigned):
    /// `index out of range [i] with length n`.
    case index
    /// operands: index (i64), length (i64), like `index`, where a pass has proved that the
    /// index is in range (`loop-versioning`'s fast copy). It cannot fail; it stays so that the
    /// back end can show W2C the fact W2C needs to access the element without a memory
    /// check. Failing anyway means the proof was wrong: a trap, not a panic.
    case provenIndex = "proven-index"
    /// operands: new length (i64), length (i64). Fails unless 0 <= new <= length:
    /// `slice length out of range`.
    case sliceLength = "slice-length"
    /// operands: divisor. Fails when zero: `integer divide by zero`.
    case divisor
    /// operands: a signed shift count. Fails when negative: `negative shift amount`.
    case shiftCount = "shift-count"
    /// no operands; at function entry. Fails when the function's tstack frame does not fit:
    /// `tstack overflow`.
    case tstack
}

/// Operations the runtime part of the module implements (WASM built-ins of Codegen). Slice
/// headers never pass through a built-in by address except `read_line`'s: lowering moves
/// their leaves, so every header field is a load or store a pass can see.
public enum BuiltinOp: Hashable, Sendable {
    /// operands: the value. `print` of an integer of this kind (a Boolean prints as U8 0/1,
    /// a pointer as U32).
    case print(bits: Int, signed: Bool)
    /// operands: items (ptr), length (i64). Writes the bytes to stdout.
    case printBytes
    /// operands: destination slice header address. Fills it with a fresh line.
    case readLine
    /// operands: items (ptr), length (i64), capacity (i32), new capacity (i32); result: the
    /// new items (ptr), room for `newCapacity` elements of `elementSize` bytes holding the
    /// first `length` elements (the old storage may be extended in place). Fails with
    /// `out of memory` at its location, also when the new capacity is not above the length.
    case grow(elementSize: Int)
    /// result: fresh heap storage holding a copy of `IRProgram.strings[index]`.
    case string(index: Int)

    var text: String {
        switch self {
        case .print(let b, let s): "print.\(s ? "s" : "u")\(b)"
        case .printBytes: "print_bytes"
        case .readLine: "read_line"
        case .grow(let size): "grow.\(size)"
        case .string(let i): "string.\(i)"
        }
    }

    public var operandTypes: [IRType] {
        switch self {
        case .print(let bits, _): [bits == 64 ? .i64 : .i32]
        case .printBytes: [.ptr, .i64]
        case .readLine: [.ptr]
        case .grow: [.ptr, .i64, .i32, .i32]
        case .string: []
        }
    }

    public var resultType: IRType? {
        switch self {
        case .grow, .string: .ptr
        default: nil
        }
    }

    /// Whether the operation writes Zong-visible memory (read_line's header; grow and string
    /// only write storage that no other pointer can reach yet).
    var writesMemory: Bool {
        if case .readLine = self { return true }
        return false
    }
}

/// One operation. Operands are `Value`s defined before their use (dominance, checked by the
/// verifier).
public enum Op: Hashable, Sendable {
    case constant(IRType, UInt64)
    case binary(BinaryOp, IRType, Value, Value)
    case compare(CompareOp, IRType, Value, Value)
    case cast(CastOp, Value)
    /// Boolean negation (i1).
    case not(Value)
    /// condition (i1) ? a : b, both of one type.
    case select(Value, Value, Value)
    /// The address of one of this function's tstack slots; the slot escapes.
    case slotAddress(SlotID)
    /// ptr + constant bytes.
    case offset(Value, Int)
    /// base (ptr) + index (i64) * scale, for slice elements; the index is already checked.
    case elementAddress(Value, Value, scale: Int)
    /// A load into a register of `IRType` (a narrower width is extended).
    case load(IRType, MemoryWidth, Address)
    /// Stores the low `width.bytes` of the value.
    case store(MemoryWidth, Address, Value)
    case call(FunctionID, [Value])
    /// An `extern` function: index into `IRProgram.externs`.
    case callExtern(Int, [Value])
    case builtin(BuiltinOp, [Value])
    case check(Check, [Value])

    /// Every register operand, in order.
    public var operands: [Value] {
        switch self {
        case .constant, .slotAddress: []
        case .binary(_, _, let a, let b), .compare(_, _, let a, let b): [a, b]
        case .cast(_, let a), .not(let a), .offset(let a, _): [a]
        case .elementAddress(let a, let b, _): [a, b]
        case .select(let c, let a, let b): [c, a, b]
        case .load(_, _, let addr): addr.base.map { [$0] } ?? []
        case .store(_, let addr, let v): (addr.base.map { [$0] } ?? []) + [v]
        case .call(_, let args), .callExtern(_, let args), .builtin(_, let args), .check(_, let args): args
        }
    }

    /// The same operation with every register operand replaced by `f(operand)`.
    public func mapOperands(_ f: (Value) -> Value) -> Op {
        switch self {
        case .constant, .slotAddress: self
        case .binary(let o, let t, let a, let b): .binary(o, t, f(a), f(b))
        case .compare(let o, let t, let a, let b): .compare(o, t, f(a), f(b))
        case .cast(let o, let a): .cast(o, f(a))
        case .not(let a): .not(f(a))
        case .offset(let a, let k): .offset(f(a), k)
        case .elementAddress(let a, let b, let s): .elementAddress(f(a), f(b), scale: s)
        case .select(let c, let a, let b): .select(f(c), f(a), f(b))
        case .load(let t, let w, let addr): .load(t, w, addr.mapBase(f))
        case .store(let w, let addr, let v): .store(w, addr.mapBase(f), f(v))
        case .call(let fn, let args): .call(fn, args.map(f))
        case .callExtern(let e, let args): .callExtern(e, args.map(f))
        case .builtin(let b, let args): .builtin(b, args.map(f))
        case .check(let c, let args): .check(c, args.map(f))
        }
    }

    /// Whether the operation can be executed where the program would not execute it (hoisted
    /// out of a loop, moved past a branch) without trapping: everything but division and
    /// remainder by anything other than a constant that is neither 0 nor -1. Those are pure
    /// but trap in WASM on 0 (and on MIN / -1, which the back end tests for), so they must stay
    /// behind the `check divisor` that guards them. `constant` gives a register's constant bits.
    public func isSafeToSpeculate(constant: (Value) -> UInt64?) -> Bool {
        guard case .binary(let o, _, _, let divisor) = self else { return true }
        switch o {
        case .divS, .divU, .remS, .remU:
            guard let bits = constant(divisor) else { return false }
            return bits != 0 && bits != UInt64.max && UInt32(truncatingIfNeeded: bits) != UInt32.max
        default:
            return true
        }
    }

    /// True when removing the operation (its result unused) changes nothing observable.
    public var isPure: Bool {
        switch self {
        case .constant, .binary, .compare, .cast, .not, .select, .slotAddress, .offset, .elementAddress:
            return true
        // A load may fault on a bad address only through `any`; slot and element loads are
        // in bounds by construction (checked index, live slot).
        case .load(_, _, let addr):
            if case .memory(_, _, .any) = addr { return false }
            return true
        default:
            return false
        }
    }

    /// True when the operation may write memory that a load could read afterwards.
    public var mayWrite: Bool {
        switch self {
        case .store, .call, .callExtern: true
        case .builtin(let b, _): b.writesMemory
        default: false
        }
    }
}

/// One instruction: an operation, its result register (if it has one) and its Zong location.
public struct Instruction: Hashable, Sendable {
    public var result: Value?
    public var op: Op
    public var location: Location
    public init(result: Value?, op: Op, location: Location) {
        self.result = result
        self.op = op
        self.location = location
    }
}

/// A branch target with the arguments bound to the target's parameters.
public struct Edge: Hashable, Sendable {
    public var block: BlockID
    public var arguments: [Value]
    public init(_ block: BlockID, _ arguments: [Value] = []) {
        self.block = block
        self.arguments = arguments
    }
}

/// How a block ends.
public enum Terminator: Hashable, Sendable {
    case branch(Edge)
    case conditionalBranch(Value, then: Edge, else: Edge)
    case returnValue(Value?)
    /// Control cannot reach here (after a call that never returns, or a missing return that
    /// Sema proved unreachable).
    case unreachable

    public var successors: [Edge] {
        switch self {
        case .branch(let e): [e]
        case .conditionalBranch(_, let t, let e): [t, e]
        case .returnValue, .unreachable: []
        }
    }

    /// The blocks `successors` goes to, in order (nil for none), without building an array:
    /// for walks that visit every edge of every block.
    public var successorBlocks: (first: BlockID?, second: BlockID?) {
        switch self {
        case .branch(let e): (e.block, nil)
        case .conditionalBranch(_, let t, let e): (t.block, e.block)
        case .returnValue, .unreachable: (nil, nil)
        }
    }

    public var operands: [Value] {
        switch self {
        case .branch(let e): e.arguments
        case .conditionalBranch(let c, let t, let e): [c] + t.arguments + e.arguments
        case .returnValue(let v): v.map { [$0] } ?? []
        case .unreachable: []
        }
    }

    public func mapOperands(_ f: (Value) -> Value) -> Terminator {
        switch self {
        case .branch(let e): .branch(Edge(e.block, e.arguments.map(f)))
        case .conditionalBranch(let c, let t, let e):
            .conditionalBranch(f(c), then: Edge(t.block, t.arguments.map(f)), else: Edge(e.block, e.arguments.map(f)))
        case .returnValue(let v): .returnValue(v.map(f))
        case .unreachable: .unreachable
        }
    }

    public func mapEdges(_ f: (Edge) -> Edge) -> Terminator {
        switch self {
        case .branch(let e): .branch(f(e))
        case .conditionalBranch(let c, let t, let e): .conditionalBranch(c, then: f(t), else: f(e))
        default: self
        }
    }
}
