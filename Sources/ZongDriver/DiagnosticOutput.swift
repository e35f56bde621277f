import Foundation
import ZongSema
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
    /// `--error-limit`: at most this many are shown, then "too many errors emitted, stopping
    /// now" (0: no limit). The front end stops lexing and parsing there too.
    public var errorLimit: Int
    public static let defaultErrorLimit = DiagnosticRenderer.defaultLimit
    public var color: ColorChoice
    /// Which warnings are shown, and whether they are errors (`-W…`).
    public var warnings: WarningOptions
    /// Print nothing but errors (`--quiet`): warnings are not shown (unless `-Werror`).
    public var quiet = false

    public init(format: DiagnosticRenderer.Format = .text, color: ColorChoice = .auto, warnings: WarningOptions = .init(),
                errorLimit: Int = DiagnosticRenderer.defaultLimit) {
        self.format = format
        self.errorLimit = max(errorLimit, 0)
        self.color = color
        self.warnings = warnings
    }

    /// The warnings of a program that has no errors, after the `-W` options: nil when there
    /// are none to stop for, else the errors (with `-Werror`) to fail with. Warnings that are
    /// only warnings are written here and then.
    public func handleWarnings(_ found: [Diagnostic], in file: SourceFile) -> [Diagnostic]? {
        let shown = warnings.apply(found)
        guard !shown.isEmpty else { return nil }
        if warnings.asErrors { return shown.map(WarningOptions.promoted) }
        if !quiet { emit(shown, in: file) }
        return nil
    }

    var useColor: Bool {
        format == .text && color.enabled(isTerminal: isatty(2) != 0, environment: ProcessInfo.processInfo.environment)
    }

    /// Writes the diagnostics to stderr; false when they could not be written.
    @discardableResult
    public func emit(_ diagnostics: [Diagnostic], in file: SourceFile) -> Bool {
        let renderer = DiagnosticRenderer(format: format, useColor: useColor, limit: errorLimit)
        return writeStandardError(renderer.render(diagnostics, in: file))
    }
}

/// Re-exported so the command line needs no import of the front-end modules.
public typealias DiagnosticFormat = DiagnosticRenderer.Format

/// `-W<name>` (turn one on), `-Wno-<name>` (off), `-Wall` (all on, the default), `-Wnone`
/// (all off), `-Werror` (warnings are errors: exit status 1), `-Wno-error`, in order.
public struct WarningOptions: Sendable {
    public var disabled: Set<String> = []
    public var asErrors = false

    public init() {}

    /// Reads the options' names (what follows `-W`); nil with a message for an unknown name.
    public static func parse(_ names: [String]) -> Result<WarningOptions, WarningOptionError> {
        var o = WarningOptions()
        let known = Set(WarningKind.allCases.map(\.rawValue))
        for name in names {
            switch name {
            case "error": o.asErrors = true
            case "no-error": o.asErrors = false
            case "all", "everything", "extra": o.disabled = []
            case "none", "no-all": o.disabled = known
            default:
                let off = name.hasPrefix("no-")
                let kind = off ? String(name.dropFirst(3)) : name
                guard known.contains(kind) else {
                    return .failure(WarningOptionError(message: "unknown warning option '-W\(name)' (known: \(WarningKind.allCases.map(\.rawValue).joined(separator: ", ")), all, none, error)"))
                }
                if off { o.disabled.insert(kind) } else { o.disabled.remove(kind) }
            }
        }
        return .success(o)
    }

    func apply(_ warnings: [Diagnostic]) -> [Diagnostic] {
        warnings.filter { $0.code.map { !disabled.contains($0) } ?? true }
    }

    static func promoted(_ d: Diagnostic) -> Diagnostic {
        var e = d
        e.severity = .error
        e.message += " [-Werror\(d.code.map { ",-W" + $0 } ?? "")]"
        return e
    }
}

public struct WarningOptionError: Error, Sendable {
    public var message: String
}
