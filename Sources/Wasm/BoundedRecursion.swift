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

    public init(function: UInt32, parameter: UInt32, isSigned: Bool, bound: Int64, step: UInt64) {
        self.function = function
        self.parameter = parameter
        self.isSigned = isSigned
        self.bound = bound
        self.step = step
    }

    public static let sectionName = "zong.bounded-recursion"

    /// The section's payload: u32 version (1); a vector of entries, each the function and
    /// parameter index (u32), a signedness byte (0 or 1), the bound (s64) and the step (u64).
    public static func encode(_ entries: [BoundedRecursion]) -> [UInt8] {
        var s: [UInt8] = []
        LEB128.unsigned(1, into: &s)
        vector(entries, &s) { e, s in
            LEB128.unsigned(UInt64(e.function), into: &s)
            LEB128.unsigned(UInt64(e.parameter), into: &s)
            s.append(e.isSigned ? 1 : 0)
            LEB128.signed(e.bound, into: &s)
            LEB128.unsigned(e.step, into: &s)
        }
        return s
    }
}
