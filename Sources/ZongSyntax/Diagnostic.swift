/// A diagnostic as data: rendered to text (or JSON) in one place, `DiagnosticRenderer`.
public struct Diagnostic: Sendable, Hashable {
    public enum Severity: String, Sendable { case error, warning, note }

    /// A secondary location that explains the diagnostic (`note: 'x' declared here`).
    public struct Note: Sendable, Hashable {
        public var message: String
        public var span: SourceSpan
        public init(_ message: String, at span: SourceSpan) {
            self.message = message
            self.span = span
        }
    }

    /// An edit that fixes the problem: replace the bytes of `span` with `replacement`.
    public struct FixIt: Sendable, Hashable {
        public var span: SourceSpan
        public var replacement: String
        public init(replacing span: SourceSpan, with replacement: String) {
            self.span = span
            self.replacement = replacement
        }
    }

    public var severity: Severity
    /// The message text without any `error: ` prefix (LANGUAGE.md §11 texts).
    public var message: String
    public var span: SourceSpan
    /// A stable, machine-readable name: the phase for errors (`syntax`, `name`, `type`,
    /// `init`, `link`), the warning's name for warnings (`unused-variable`, …).
    public var code: String?
    public var notes: [Note]
    public var fixIts: [FixIt]

    public init(_ message: String, at span: SourceSpan, severity: Severity = .error, code: String? = nil,
                notes: [Note] = [], fixIts: [FixIt] = []) {
        self.severity = severity
        self.message = message
        self.span = span
        self.code = code
        self.notes = notes
        self.fixIts = fixIts
    }

    /// This diagnostic with `code` if it has none yet.
    public func coded(_ code: String) -> Diagnostic {
        var d = self
        if d.code == nil { d.code = code }
        return d
    }
}

/// Diagnostics collected by one phase.
public struct DiagnosticList: Sendable {
    public private(set) var items: [Diagnostic] = []
    public init() {}
    public mutating func error(_ message: String, at span: SourceSpan) {
        items.append(Diagnostic(message, at: span))
    }
    public mutating func append(_ diagnostic: Diagnostic) {
        items.append(diagnostic)
    }
    public mutating func append(contentsOf other: DiagnosticList) {
        items.append(contentsOf: other.items)
    }
    public var isEmpty: Bool { items.isEmpty }
    public var hasErrors: Bool { items.contains { $0.severity == .error } }
}
