import Foundation
import ZongSyntax

/// `--color auto|always|never`.
public enum ColorChoice: String, Sendable, CaseIterable {
    case auto, always, never

    /// Whether text written to descriptor `fd` gets colour. `auto` follows the conventions:
    /// only on a terminal, not when `NO_COLOR` is set to a non-empty value (no-color.org: an
    /// empty NO_COLOR means nothing), not when `TERM=dumb`. An explicit choice wins over both.
    public func enabled(isTerminal: Bool, environment: [String: String]) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
            if environment["TERM"] == "dumb" { return false }
            return isTerminal
        }
    }
}

/// How diagnostics are printed: text (colour per `ColorChoice`) or JSON.
public struct DiagnosticOutput: Sendable {
    public var format: DiagnosticRenderer.Format
    public var color: ColorChoice

    public init(format: DiagnosticRenderer.Format = .text, color: ColorChoice = .auto) {
        self.format = format
        self.color = color
    }

    var useColor: Bool {
        format == .text && color.enabled(isTerminal: isatty(2) != 0, environment: ProcessInfo.processInfo.environment)
    }

    /// Writes the diagnostics to stderr; false when they could not be written.
    @discardableResult
    public func emit(_ diagnostics: [Diagnostic], in file: SourceFile) -> Bool {
        let renderer = DiagnosticRenderer(format: format, useColor: useColor)
        return writeStandardError(renderer.render(diagnostics, in: file))
    }
}

/// Re-exported so the command line needs no import of the front-end modules.
public typealias DiagnosticFormat = DiagnosticRenderer.Format
