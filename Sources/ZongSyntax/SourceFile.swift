/// A compilation unit: a file name and its bytes. Line starts are computed once so that
/// locations (1-based line and column) are derived on demand, only when something is reported.
public final class SourceFile: Sendable {
    public let name: String
    public let bytes: [UInt8]
    /// Byte offset of the first byte of every line (line 1 starts at 0).
    private let lineStarts: [Int]

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
        var starts = [0]
        // A plain loop over the buffer: `enumerated()` costs generic-metadata lookups per byte
        // in a debug build (5 s for 50 MB).
        bytes.withUnsafeBufferPointer { buffer in
            for i in 0..<buffer.count where buffer[i] == 10 { starts.append(i + 1) }
        }
        self.lineStarts = starts
    }

    public convenience init(name: String, text: String) {
        self.init(name: name, bytes: Array(text.utf8))
    }

    /// 1-based line number of a byte offset.
    public func line(of offset: Int) -> Int {
        lineIndex(of: offset) + 1
    }

    /// 1-based line and column of a byte offset. Columns count characters as a user sees
    /// them: a UTF-8 sequence is one column, an invalid byte is one column.
    public func location(of offset: Int) -> SourceLocation {
        let index = lineIndex(of: offset)
        let start = lineStarts[index]
        let end = min(max(offset, start), bytes.count)
        return SourceLocation(line: index + 1, column: Self.columns(in: bytes[start..<end]) + 1)
    }

    /// The bytes of the 1-based line `line`, without its line terminator.
    public func lineText(_ line: Int) -> ArraySlice<UInt8> {
        guard line >= 1, line <= lineStarts.count else { return [] }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return bytes[start..<max(start, end)]
    }

    /// Number of displayed characters in a byte range (UTF-8 continuation bytes add nothing).
    public static func columns(in slice: ArraySlice<UInt8>) -> Int {
        var n = 0
        for b in slice where b & 0xC0 != 0x80 { n += 1 }
        return n
    }

    private func lineIndex(of offset: Int) -> Int {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}

/// A half-open byte range in one source file.
public struct SourceSpan: Hashable, Sendable {
    public var start: Int
    public var end: Int
    public init(start: Int, end: Int) {
        self.start = start
        self.end = max(start, end)
    }
    /// The smallest span covering both.
    public func merged(with other: SourceSpan) -> SourceSpan {
        SourceSpan(start: min(start, other.start), end: max(end, other.end))
    }
}

/// A 1-based line and column, computed from a byte offset only when needed.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "\(line):\(column)" }
}
