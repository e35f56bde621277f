/// ZongIR's operation enums have String raw values (their text form), and for those the
/// standard library's default `hash(into:)` hashes the raw String: every `Op`-keyed dictionary
/// look-up (cse, loop-versioning) hashed a string or two. These hash the case itself, the
/// enum's one-byte representation (equal cases have equal bytes, so `==` still agrees).
@inline(__always)
func hashCase<T>(_ value: T, into hasher: inout Hasher) {
    withUnsafeBytes(of: value) { hasher.combine(bytes: $0) }
}

extension IRType {
    public func hash(into hasher: inout Hasher) { hashCase(self, into: &hasher) }
}

extension Region {
    public func hash(into hasher: inout Hasher) { hashCase(self, into: &hasher) }
}

extension BinaryOp {
    public func hash(into hasher: inout Hasher) { hashCase(self, into: &hasher) }
}

extension CompareOp {
    public func hash(into hasher: inout Hasher) { hashCase(self, into: &hasher) }
}

extension CastOp {
    public func hash(into hasher: inout Hasher) { hashCase(self, into: &hasher) }
}

extension Check {
    public func hash(into hasher: inout Hasher) { hashCase(self, into: &hasher) }
}
