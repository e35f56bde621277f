/// i64 registers as a base register plus a constant, through chains of `add`/`sub` of
/// constants (within ±2^40); constants are offsets from no register (`none`). Used to match
/// neighbouring indices (`s[j - 1]` and `s[j]`) in bce and carry-stores.
struct IndexOffsets {
    let f: IRFunction
    let uses: DefUse
    /// The base of a constant.
    static let none = Value(-1)

    init(_ f: IRFunction, _ uses: DefUse) {
        self.f = f
        self.uses = uses
    }

    func offset(_ v: Value) -> (Value, Int64) {
        var base = v, total: Int64 = 0
        for _ in 0..<4 {
            guard let op = uses.instruction(base, in: f)?.op else { break }
            switch op {
            case .constant(.i64, _):
                guard let c = uses.smallConstant(base, in: f) else { return (base, total) }
                return (Self.none, total + c)
            case .binary(.add, .i64, let x, let y):
                if let c = uses.smallConstant(y, in: f) {
                    base = x
                    total += c
                } else if let c = uses.smallConstant(x, in: f) {
                    base = y
                    total += c
                } else {
                    return (base, total)
                }
            case .binary(.sub, .i64, let x, let y):
                guard let c = uses.smallConstant(y, in: f) else { return (base, total) }
                base = x
                total -= c
            default:
                return (base, total)
            }
        }
        return (base, total)
    }
}

extension DefUse {
    /// The value of an i64 constant register within ±2^40: small enough that the sums of a few
    /// never overflow (range facts and index offsets add them).
    func smallConstant(_ v: Value, in f: IRFunction) -> Int64? {
        guard let bits = constant(v, in: f) else { return nil }
        let c = Int64(bitPattern: bits)
        return c > -(1 << 40) && c < 1 << 40 ? c : nil
    }
}
