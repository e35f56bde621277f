/// LEB128 encoding of integers.
/// > Note: https://webassembly.github.io/spec/core/binary/values.html#integers
public enum LEB128 {
    public static func unsigned(_ value: UInt64, into out: inout [UInt8]) {
        var v = value
        repeat {
            var byte = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { byte |= 0x80 }
            out.append(byte)
        } while v != 0
    }

    public static func signed(_ value: Int64, into out: inout [UInt8]) {
        var v = value
        while true {
            let byte = UInt8(v & 0x7F)
            v >>= 7
            let done = (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0)
            out.append(done ? byte : byte | 0x80)
            if done { return }
        }
    }

    public static func unsigned(_ value: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        unsigned(value, into: &out)
        return out
    }

    public static func signed(_ value: Int64) -> [UInt8] {
        var out: [UInt8] = []
        signed(value, into: &out)
        return out
    }
}
