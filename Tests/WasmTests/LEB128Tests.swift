import Testing
@testable import Wasm

/// Hand-checked encodings (WebAssembly spec §5.2.2): 7 bits per byte, low group first; a signed
/// encoding stops once the remaining bits are all copies of bit 6 of the last byte.
let unsignedCases: [(UInt64, [UInt8])] = [
        (UInt64(0), [UInt8(0x00)]),
        (63, [0x3F]),
        (64, [0x40]),
        (127, [0x7F]),
        (128, [0x80, 0x01]),
        (624_485, [0xE5, 0x8E, 0x26]),
        (UInt64(UInt32.max), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
        (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ]

let signedCases: [(Int64, [UInt8])] = [
        (Int64(0), [UInt8(0x00)]),
        (63, [0x3F]),
        (64, [0xC0, 0x00]),
        (127, [0xFF, 0x00]),
        (128, [0x80, 0x01]),
        (-1, [0x7F]),
        (-64, [0x40]),
        (-65, [0xBF, 0x7F]),
        (-128, [0x80, 0x7F]),
        (-123_456, [0xC0, 0xBB, 0x78]),
        (Int64(Int32.min), [0x80, 0x80, 0x80, 0x80, 0x78]),
        (Int64(Int32.max), [0xFF, 0xFF, 0xFF, 0xFF, 0x07]),
        (Int64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00]),
        (Int64.min, [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F]),
]

struct LEB128Tests {
    @Test(arguments: unsignedCases)
    func unsigned(value: UInt64, bytes: [UInt8]) {
        #expect(LEB128.unsigned(value) == bytes)
    }

    @Test(arguments: signedCases)
    func signed(value: Int64, bytes: [UInt8]) {
        #expect(LEB128.signed(value) == bytes)
    }

    @Test func appendsToExistingBytes() {
        var out: [UInt8] = [0xAA]
        LEB128.unsigned(300, into: &out)
        LEB128.signed(-2, into: &out)
        #expect(out == [0xAA, 0xAC, 0x02, 0x7E])
    }
}
