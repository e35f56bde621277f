/// An indented line buffer: the only place that lays out C text. The text goes straight into
/// one growing byte buffer; a placeholder line is spliced in when the buffer is rendered.
struct CWriter {
    private var storage = TextStorage()
    /// Placeholder lines: byte offset, and the text filled in (nil: dropped).
    private var inserts: [(at: Int, text: String?)] = []
    var indent = 0

    /// Bytes written so far (placeholders not counted).
    var count: Int { storage.count }

    /// The storage, copied first if another writer shares it (a copied CWriter is a value).
    private var unique: TextStorage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            return storage
        }
    }

    /// Appends one line at the current indentation.
    mutating func line(_ text: String) {
        appendIndent()
        put(text)
        byte(10)
    }

    /// Appends a line with no indentation (preprocessor directives, labels' own layout).
    mutating func raw(_ text: String) {
        put(text)
        byte(10)
    }

    @inline(__always) mutating func byte(_ b: UInt8) {
        unique.append(b)
    }

    /// Appends bytes as they are.
    @inline(__always) mutating func put(bytes: UnsafeBufferPointer<UInt8>) {
        unique.append(bytes)
    }

    /// Appends text with no newline (pieces of a statement).
    @inline(__always) mutating func put(_ text: String) {
        var text = text
        let target = unique
        text.withUTF8 { target.append($0) }
    }

    @inline(__always) mutating func lit(_ text: StaticString) {
        let target = unique
        text.withUTF8Buffer { target.append($0) }
    }

    /// Appends `v` in decimal, as `"\(v)"` would.
    mutating func put(_ v: UInt64) {
        if v < 10 { byte(0x30 &+ UInt8(v)); return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in  // UInt64.max has 20
            var n = v, start = 20
            while n > 0 {
                start -= 1
                digits[start] = 0x30 &+ UInt8(n % 10)
                n /= 10
            }
            put(bytes: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    mutating func put(_ v: Int) {
        if v < 0 {
            byte(UInt8(ascii: "-"))
            put(UInt64(v.magnitude))
        } else {
            put(UInt64(v))
        }
    }

    mutating func appendIndent() {
        let n = min(indent, Self.maxIndent) * 4
        guard n > 0 else { return }
        let target = unique
        Self.spaces.withUnsafeBufferPointer { target.append(UnsafeBufferPointer(rebasing: $0[0..<n])) }
    }

    /// The current indentation, as text.
    var indentation: String { String(repeating: "    ", count: min(indent, Self.maxIndent)) }

    /// Deeper code is indented no further, so the text stays linear in the nesting depth.
    static let maxIndent = 64
    private static let spaces = [UInt8](repeating: 32, count: 4 * maxIndent)

    /// Reserves a line to be filled (or left empty and dropped) later; returns its index.
    mutating func placeholder() -> Int {
        inserts.append((storage.count, nil))
        return inserts.count - 1
    }

    mutating func fill(_ index: Int, _ text: String) {
        inserts[index].text = text
    }

    mutating func append(_ other: CWriter) {
        let target = unique
        other.render { target.append($0) }
    }

    func render(into out: inout [UInt8]) {
        render { out.append(contentsOf: $0) }
    }

    /// The text, with the filled placeholders spliced in, as a sequence of byte runs.
    func render(_ sink: (UnsafeBufferPointer<UInt8>) -> Void) {
        storage.withBytes { all in
            var start = 0
            for (at, text) in inserts {
                guard var text else { continue }
                sink(UnsafeBufferPointer(rebasing: all[start..<at]))
                text.withUTF8 { sink($0) }
                withUnsafeBytes(of: UInt8(10)) { sink($0.assumingMemoryBound(to: UInt8.self)) }
                start = at
            }
            sink(UnsafeBufferPointer(rebasing: all[start...]))
        }
    }
}

/// C identifiers and literals.
enum CNames {
    /// Characters outside [A-Za-z0-9_] become `_`.
    static func sanitize(_ name: String) -> String {
        var out = ""
        for u in name.unicodeScalars {
            if u.isASCII, u == "_" || (u >= "a" && u <= "z") || (u >= "A" && u <= "Z") || (u >= "0" && u <= "9") {
                out.unicodeScalars.append(u)
            } else {
                out += "_"
            }
        }
        return out
    }

    /// An injective mangling into [A-Za-z0-9_]: letters and digits stay, every other UTF-8 byte
    /// becomes `_xx` (hex), so `__` never occurs in the result and can separate two names.
    static func mangle(_ name: String) -> String {
        var out = ""
        for b in name.utf8 {
            if (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += "_" + (b < 16 ? "0" : "") + String(b, radix: 16)
            }
        }
        return out
    }

    /// The C symbol a host provides for the import `module`.`name` (`W2COptions.hostImports`).
    static func importSymbol(_ module: String, _ name: String) -> String {
        "zrt_import_" + mangle(module) + "__" + mangle(name)
    }

    /// A C string literal with the UTF-8 bytes of `text` (non-printable bytes as octal escapes).
    static func stringLiteral(_ text: String) -> String {
        bytesLiteral(Array(text.utf8))
    }

    static func bytesLiteral<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out = CWriter()
        appendBytesLiteral(bytes, to: &out)
        var text: [UInt8] = []
        out.render(into: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends the literal of `bytesLiteral` to `out` (data segments: megabytes, byte by byte).
    static func appendBytesLiteral<C: Collection>(_ bytes: C, to out: inout CWriter) where C.Element == UInt8 {
        out.byte(UInt8(ascii: "\""))
        for b in bytes {
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "?"):
                out.byte(UInt8(ascii: "\\"))
                out.byte(b)
            case 0x20...0x7e:
                out.byte(b)
            default:
                out.byte(UInt8(ascii: "\\"))
                out.byte(0x30 &+ (b >> 6))
                out.byte(0x30 &+ ((b >> 3) & 7))
                out.byte(0x30 &+ (b & 7))
            }
        }
        out.byte(UInt8(ascii: "\""))
    }

    /// A comment-safe version of a name (no `*/`).
    static func commentSafe(_ text: String) -> String {
        var out = ""
        var previous: Character = " "
        for c in text {
            if c == "/" && previous == "*" { out += "_" }
            out.append(c.isNewline ? " " : c)
            previous = c
        }
        return out
    }

    /// Assigns unique identifiers: the first request for a base gets it as is, later ones `_N`.
    struct Deduper {
        private var used: Set<String> = []
        mutating func unique(_ base: String) -> String {
            if used.insert(base).inserted { return base }
            var n = 1
            while !used.insert("\(base)_\(n)").inserted { n += 1 }
            return "\(base)_\(n)"
        }
    }
}

/// Growable storage for C text. An Array costs a uniqueness check and a generic copy per
/// append, and C text is appended a few bytes at a time (that was ~6% of W2C's instructions);
/// here an append is one capacity test and a copy. `CWriter` keeps it a value (copy on write).
final class TextStorage {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    func copy() -> TextStorage {
        let other = TextStorage(capacity: max(capacity, 1))
        other.base.initialize(from: base, count: count)
        other.count = count
        return other
    }

    @inline(__always) func append(_ b: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = b
        count += 1
    }

    /// `bytes` may lie in this storage itself: a growth copies them before it frees the old buffer.
    @inline(__always) func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > capacity {
            grow(to: count + bytes.count, appending: bytes)
            return
        }
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    private func grow(to needed: Int, appending extra: UnsafeBufferPointer<UInt8>? = nil) {
        let newCapacity = max(capacity * 2, needed)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        if let extra, let source = extra.baseAddress {
            (newBase + count).initialize(from: source, count: extra.count)
            count += extra.count
        }
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
