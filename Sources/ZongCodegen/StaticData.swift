/// The static-data region: fixed scratch areas for the built-ins, then string literal bytes,
/// panic messages and source-location records, each stored once.
struct StaticData {
    let base: Int
    private(set) var bytes: [UInt8] = []
    private var interned: [[UInt8]: Int] = [:]

    init(base: Int) {
        self.base = base
    }

    /// Reserves `size` zero bytes (8-aligned) and returns their address.
    mutating func reserve(_ size: Int) -> Int {
        align(8)
        let address = base + bytes.count
        bytes += [UInt8](repeating: 0, count: size)
        return address
    }

    /// The address of these bytes in static data (identical contents share one copy).
    mutating func intern(_ content: [UInt8]) -> Int {
        if let known = interned[content] { return known }
        let address = base + bytes.count
        bytes += content
        interned[content] = address
        return address
    }

    /// A length-prefixed record (`u32 length` then the bytes), as panic locations are passed.
    mutating func record(_ text: String) -> Int {
        let content = Array(text.utf8)
        let key = [0xFF, 0xFE] + content  // keep records apart from plain literals
        if let known = interned[key] { return known }
        align(4)
        let address = base + bytes.count
        let n = UInt32(content.count)
        bytes += [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)]
        bytes += content
        interned[key] = address
        return address
    }

    var end: Int { base + bytes.count }

    private mutating func align(_ a: Int) {
        while bytes.count % a != 0 { bytes.append(0) }
    }
}

/// Fixed memory map (ARCHITECTURE.md): 0..<1024 unused, then the tstack growing down from
/// `stackTop`, then static data, then the heap.
struct MemoryMap {
    static let nullPageEnd = 1024
    let stackTop: Int
    /// Scratch areas used by the built-ins.
    let iovecs: Int       // 8 iovecs
    let written: Int      // fd_write/fd_read result
    let number: Int       // 32 bytes for formatting an integer (+ newline)
    let message: Int      // 96 bytes for building a panic message
    let input: Int        // the read_line buffer
    static let inputSize = 4096

    init(tstackSize: Int, data: inout StaticData) {
        stackTop = MemoryMap.nullPageEnd + tstackSize
        iovecs = data.reserve(64)
        written = data.reserve(8)
        number = data.reserve(32)
        message = data.reserve(96)
        input = data.reserve(MemoryMap.inputSize)
    }
}
