/// A function whose self-recursion is bounded by one of its integer parameters, as a producer
/// that proved it can tell a translator through the `zong.bounded-recursion` custom section.
///
/// The claim: an activation entered with the parameter at `v` makes direct calls to itself only
/// while the parameter is at least `bound`, and each passes a value at least `step` lower, so at
/// most ⌊(v − bound) / step⌋ + 1 activations of it stack above the first (none when v < bound).
/// The parameter's local is read as a signed or unsigned integer of its own width. A native
/// translator may then check the native stack once, for the whole depth, where the function is
/// entered from elsewhere, instead of before every self-call. Runtimes that ignore the section
/// lose nothing.
public struct BoundedRecursion: Sendable, Equatable {
    public var function: UInt32
    /// The parameter's index among the function's WASM parameters.
    public var parameter: UInt32
    public var isSigned: Bool
    public var bound: Int64
    /// At least 1.
    public var step: UInt64
    /// A local (of type i32) that only chooses how a self-call is made: the function's results,
    /// memory effects and traps other than stack exhaustion are the same whatever nonzero value
    /// each read of it yields (ZongIR's tail-calls keeps a real-call budget there, so that a
    /// runaway recursion still exhausts the stack). A translator that checks the stack for the
    /// whole depth at once may read it as 1.
    public var budgetLocal: UInt32?

    public init(function: UInt32, parameter: UInt32, isSigned: Bool, bound: Int64, step: UInt64, budgetLocal: UInt32? = nil) {
        self.function = function
        self.parameter = parameter
        self.isSigned = isSigned
        self.bound = bound
        self.step = step
        self.budgetLocal = budgetLocal
    }

    public static let sectionName = "zong.bounded-recursion"

    /// The section's payload: u32 version (2); a vector of entries, each the function and
    /// parameter index (u32), a signedness byte (0 or 1), the bound (s64), the step (u64) and
    /// the budget local plus one (u32, 0 for none). Version 1 had no budget field.
    public static func encode(_ entries: [BoundedRecursion]) -> [UInt8] {
        var s: [UInt8] = []
        LEB128.unsigned(2, into: &s)
        vector(entries, &s) { e, s in
            LEB128.unsigned(UInt64(e.function), into: &s)
            LEB128.unsigned(UInt64(e.parameter), into: &s)
            s.append(e.isSigned ? 1 : 0)
            LEB128.signed(e.bound, into: &s)
            LEB128.unsigned(e.step, into: &s)
            LEB128.unsigned(e.budgetLocal.map { UInt64($0) + 1 } ?? 0, into: &s)
        }
        return s
    }
}
