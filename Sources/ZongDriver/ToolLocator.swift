import Foundation

/// Finds external programs: an explicit environment override, then PATH, then the directory
/// of the Swift toolchain (which ships `clang` and `wasmkit`).
enum ToolLocator {
    static func find(_ name: String, override variable: String? = nil) -> String? {
        let env = ProcessInfo.processInfo.environment
        if let variable, let value = env[variable], !value.isEmpty {
            return value.contains("/") ? (isExecutable(value) ? value : nil) : searchPath(value, env)
        }
        if let found = searchPath(name, env) { return found }
        for dir in toolchainDirectories(env) {
            let candidate = dir + "/" + name
            if isExecutable(candidate) { return candidate }
        }
        return nil
    }

    private static func searchPath(_ name: String, _ env: [String: String]) -> String? {
        for dir in (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = String(dir) + "/" + name
            if isExecutable(candidate) { return candidate }
        }
        return nil
    }

    /// Beside `swift` on PATH, and the conventional install location.
    private static func toolchainDirectories(_ env: [String: String]) -> [String] {
        var dirs: [String] = []
        if let swift = searchPath("swift", env) {
            let resolved = (try? FileManager.default.destinationOfSymbolicLink(atPath: swift)).map {
                $0.hasPrefix("/") ? $0 : PathText.directory(of: swift) + "/" + $0
            } ?? swift
            dirs.append(PathText.directory(of: resolved))
        }
        dirs.append("/opt/swift/usr/bin")
        return dirs
    }

    static func isExecutable(_ path: String) -> Bool {
        FileManager.default.isExecutableFile(atPath: path)
    }
}
