import Foundation
import ZongSyntax

/// How diagnostics are printed: text (colour only on a terminal, never with NO_COLOR) or JSON.
public struct DiagnosticOutput: Sendable {
    public var format: DiagnosticRenderer.Format
    /// `--error-limit`: at most this many are shown, then "too many errors emitted, stopping
    /// now" (0: no limit). The front end stops lexing and parsing there too.
    public var errorLimit: Int
    public static let defaultErrorLimit = DiagnosticRenderer.defaultLimit

    public init(format: DiagnosticRenderer.Format = .text, errorLimit: Int = DiagnosticRenderer.defaultLimit) {
        self.format = format
        self.errorLimit = max(errorLimit, 0)
    }

    /// Writes the diagnostics to stderr; false when they could not be written.
    @discardableResult
    public func emit(_ diagnostics: [Diagnostic], in file: SourceFile) -> Bool {
        let color = format == .text && isatty(2) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let renderer = DiagnosticRenderer(format: format, useColor: color, limit: errorLimit)
        return writeStandardError(renderer.render(diagnostics, in: file))
    }
}

/// Re-exported so the command line needs no import of the front-end modules.
public typealias DiagnosticFormat = DiagnosticRenderer.Format
