/// The `name` custom section: function, local and global names, for readable C and trap
/// messages. A malformed section is ignored as a whole, as the spec requires of custom sections.
///
/// Read here rather than with WasmParser's `NameSectionParser`, which builds a dictionary of
/// Strings for every local of every function before any function is written (a quarter of W2C's
/// sequential time on a large program). This reader checks the whole section up front but
/// leaves each function's local names as a byte range, decoded by that function's writer.
struct NameSection {
    var functions: [UInt32: String] = [:]
    var globals: [UInt32: String] = [:]
    /// Per function: its local name map's entries (`vec(localidx name)`) in `bytes`.
    private var localMaps: [UInt32: Range<Int>] = [:]
    private var bytes: [UInt8] = []

    init() {}

    /// nil if the section is malformed: a subsection or name runs past its end, an index does
    /// not fit in 32 bits, or a name is not UTF-8.
    init?(_ payload: [UInt8]) {
        bytes = payload
        var reader = PayloadReader(bytes: payload)
        while !reader.atEnd {
            guard let id = reader.byte(), let size = reader.u32(), let content = reader.take(size) else { return nil }
            var sub = PayloadReader(bytes: payload, position: content.startIndex, end: content.endIndex)
            switch id {
            case 1:
                guard let map = Self.nameMap(&sub) else { return nil }
                functions = map
            case 2:
                guard let maps = Self.localMapRanges(&sub) else { return nil }
                localMaps = maps
            case 7:
                guard let map = Self.nameMap(&sub) else { return nil }
                globals = map
            default:
                continue  // module, label, type... names: not used
            }
            guard sub.atEnd else { return nil }
        }
    }

    /// The local names of function `f`, by local index.
    func locals(of f: UInt32) -> [UInt32: String] {
        guard let range = localMaps[f] else { return [:] }
        var reader = PayloadReader(bytes: bytes, position: range.lowerBound, end: range.upperBound)
        return Self.nameMap(&reader) ?? [:]
    }

    /// `vec(idx name)`; a later entry for the same index replaces an earlier one.
    private static func nameMap(_ reader: inout PayloadReader) -> [UInt32: String]? {
        guard let count = reader.u32() else { return nil }
        var map: [UInt32: String] = [:]
        for _ in 0..<count {
            guard let index = reader.u32(), let name = name(&reader) else { return nil }
            map[UInt32(index)] = name
        }
        return map
    }

    /// `vec(funcidx namemap)`, each name map checked (its names valid UTF-8) but not decoded.
    private static func localMapRanges(_ reader: inout PayloadReader) -> [UInt32: Range<Int>]? {
        guard let count = reader.u32() else { return nil }
        var ranges: [UInt32: Range<Int>] = [:]
        for _ in 0..<count {
            guard let f = reader.u32() else { return nil }
            let start = reader.position
            guard let entries = reader.u32() else { return nil }
            for _ in 0..<entries {
                guard reader.u32() != nil, let length = reader.u32(), let text = reader.take(length),
                      isUTF8(text) else { return nil }
            }
            ranges[UInt32(f)] = start..<reader.position
        }
        return ranges
    }

    private static func name(_ reader: inout PayloadReader) -> String? {
        guard let length = reader.u32(), let text = reader.take(length), isUTF8(text) else { return nil }
        return String(decoding: text, as: UTF8.self)
    }

    private static func isUTF8(_ text: ArraySlice<UInt8>) -> Bool {
        if text.allSatisfy({ $0 < 0x80 }) { return true }
        var decoder = UTF8()
        var iterator = text.makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}
