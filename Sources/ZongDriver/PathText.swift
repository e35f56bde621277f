/// File-path string helpers in plain Swift. (Foundation's NSString path methods crash on some
/// short relative paths on Linux — `("h" as NSString).deletingLastPathComponent` traps in a
/// release build — and the compiler must never crash on a user's path.)
enum PathText {
    /// Everything before the last `/` ("" for a bare name, "/" for a file in the root).
    static func directory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        let dir = trimmed[..<slash]
        return dir.isEmpty ? "/" : String(dir)
    }

    /// The part after the last `/`.
    static func lastComponent(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return String(trimmed) }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// `name.ext` -> `name` (a leading dot is part of the name, not an extension).
    static func deletingExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}
