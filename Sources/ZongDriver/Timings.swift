import Foundation

/// Per-phase wall times and output sizes, printed by `--verbose`.
public struct Timings {
    public private(set) var phases: [(name: String, seconds: Double)] = []
    public private(set) var sizes: [(name: String, bytes: Int)] = []

    public init() {}

    public mutating func record(_ name: String, _ seconds: Double) { phases.append((name, seconds)) }
    public mutating func size(_ name: String, _ bytes: Int) { sizes.append((name, bytes)) }

    /// Runs `body`, recording its duration under `name`.
    public mutating func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let start = Date()
        defer { record(name, Date().timeIntervalSince(start)) }
        return try body()
    }

    public var report: String {
        var lines = phases.map { String(format: "zong: %-8@ %8.1f ms", $0.name as NSString, $0.seconds * 1000) }
        lines += sizes.map { "zong: \($0.name) \($0.bytes) bytes" }
        return lines.joined(separator: "\n") + "\n"
    }
}
