/// A diagnostic as data: rendered to text (or JSON) in one place, `DiagnosticRenderer`.
public struct Diagnostic: Sendable, Hashable {
    public enum Severity: String, Sendable { case error, warning, note }

    public var severity: Severity
    /// The message text without any `error: ` prefix (LANGUAGE.md §11 texts).
    public var message: String
    public var span: SourceSpan

    public init(_ message: String, at span: SourceSpan, severity: Severity = .error) {
        self.severity = severity
        self.message = message
        self.span = span
    }
}

/// Diagnostics collected by one phase.
public struct DiagnosticList: Sendable {
    public private(set) var items: [Diagnostic] = []
    public init() {}
    public mutating func error(_ message: String, at span: SourceSpan) {
        items.append(Diagnostic(message, at: span))
    }
    public mutating func append(contentsOf other: DiagnosticList) {
        items.append(contentsOf: other.items)
    }
    public var isEmpty: Bool { items.isEmpty }
    public var hasErrors: Bool { items.contains { $0.severity == .error } }
}
