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

    /// One line per phase and per output, names and numbers in columns:
    /// `zong: codegen        0.9 ms` ... `zong: executable 885,536 bytes`.
    public var report: String {
        var rows: [(String, String, String)] = phases.map { ($0.name, String(format: "%.1f", $0.seconds * 1000), "ms") }
        if phases.count > 1 {
            rows.append(("total", String(format: "%.1f", phases.reduce(0) { $0 + $1.seconds } * 1000), "ms"))
        }
        rows += sizes.map { ($0.name, Self.grouped($0.bytes), "bytes") }
        let nameWidth = rows.map(\.0.count).max() ?? 0
        let numberWidth = rows.map(\.1.count).max() ?? 0
        return rows.map { name, number, unit in
            "zong: " + name + String(repeating: " ", count: nameWidth - name.count + 1)
                + String(repeating: " ", count: numberWidth - number.count) + number + " " + unit + "\n"
        }.joined()
    }

    /// 1234567 -> "1,234,567".
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}
