/// Reads LEB128 integers and byte runs from a custom section's payload (`zong.lines`,
/// `zong.bounded-recursion`, `name`); every read returns nil past the end or on a malformed
/// number.
struct PayloadReader {
    let bytes: [UInt8]
    var position: Int
    /// Reads stop here: the end of the payload, or of a subsection within it.
    let end: Int

    init(bytes: [UInt8], position: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.end = min(end ?? bytes.count, bytes.count)
        self.position = min(max(position, 0), self.end)
    }

    var atEnd: Bool { position == end }

    /// An unsigned LEB128 that fits in 32 bits, as an Int.
    mutating func u32() -> Int? {
        guard let v = unsigned(), v <= UInt64(UInt32.max) else { return nil }
        return Int(v)
    }

    /// The next `count` bytes.
    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, count <= end - position else { return nil }
        position += count
        return bytes[(position - count)..<position]
    }

    mutating func byte() -> UInt8? {
        guard position < end else { return nil }
        position += 1
        return bytes[position - 1]
    }

    mutating func unsigned() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while let b = byte() {
            guard shift < 64, shift < 63 || b & 0x7e == 0 else { return nil }
            result |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
        return nil
    }

    mutating func signed() -> Int64? {
        var result: Int64 = 0
        var shift: Int64 = 0
        while let b = byte() {
            guard shift < 64 else { return nil }
            result |= Int64(b & 0x7f) << shift
            shift += 7
            if b & 0x80 == 0 {
                if shift < 64, b & 0x40 != 0 { result |= -1 << shift }
                return result
            }
        }
        return nil
    }
}
