import Foundation
import ZongSyntax

/// How diagnostics are printed: text (colour only on a terminal, never with NO_COLOR) or JSON.
public struct DiagnosticOutput: Sendable {
    public var format: DiagnosticRenderer.Format

    public init(format: DiagnosticRenderer.Format = .text) {
        self.format = format
    }

    /// Writes the diagnostics to stderr; false when they could not be written.
    @discardableResult
    public func emit(_ diagnostics: [Diagnostic], in file: SourceFile) -> Bool {
        let color = format == .text && isatty(2) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let renderer = DiagnosticRenderer(format: format, useColor: color)
        return writeStandardError(renderer.render(diagnostics, in: file))
    }
}

/// Re-exported so the command line needs no import of the front-end modules.
public typealias DiagnosticFormat = DiagnosticRenderer.Format
