import Foundation
import Testing

/// What `make install` installs: the man page renders without warnings and documents every
/// subcommand, the completion scripts generate, and (with ZONG_INSTALL_TEST=1, since it is a
/// release build of a few minutes) the installed binary links no Swift runtime dynamically.
@Suite struct InstallTests {
    static let root = ZongBinary.packageRoot

    @Test func manPageRendersAndCoversEveryCommand() throws {
        let page = try String(contentsOf: Self.root.appendingPathComponent("docs/man/zong.1"), encoding: .utf8)
        let help = try ZongBinary.run(["--help"]).stdoutText
        let section = help.components(separatedBy: "SUBCOMMANDS:").last ?? ""
        let commands = section.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(commands.count >= 9, "\(commands)")
        for c in commands where c != "help" && c != "See" {
            #expect(page.contains(".B \(c.replacingOccurrences(of: "-", with: "\\-"))") || page.contains("B zong \(c.replacingOccurrences(of: "-", with: "\\-"))"),
                    "man page misses \(c) (\(commands))")
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/man") else { return }
        let r = try ZongBinary.runProgram("/usr/bin/man", ["--warnings", "-l", Self.root.appendingPathComponent("docs/man/zong.1").path],
                                          environment: ["MANWIDTH": "80", "PATH": "/usr/bin:/bin", "MAN_KEEP_FORMATTING": "0"])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        // Without a terminal, man marks bold by overstriking (X backspace X).
        var plain = ""
        for c in r.stdoutText {
            if c == "\u{8}" { if !plain.isEmpty { plain.removeLast() } } else { plain.append(c) }
        }
        #expect(plain.contains("EXIT STATUS") && plain.contains("NO_COLOR"), "\(plain.prefix(300))")
    }

    @Test func completionsGenerate() throws {
        for shell in ["bash", "zsh", "fish"] {
            let r = try ZongBinary.run(["--generate-completion-script", shell])
            #expect(r.status == 0 && r.stdoutText.contains("fmt") && r.stdoutText.contains("lsp"), "\(shell)")
        }
    }

    @Test func makefileInstallsAStaticBinaryCompletionsAndTheManPage() throws {
        let makefile = try String(contentsOf: Self.root.appendingPathComponent("Makefile"), encoding: .utf8)
        #expect(makefile.contains("--static-swift-stdlib"))
        #expect(makefile.contains("share/man/man1") && makefile.contains("docs/man/zong.1"))
        #expect(makefile.contains("bash-completion/completions") && makefile.contains("zsh/site-functions") && makefile.contains("fish/vendor_completions.d"))
        guard ProcessInfo.processInfo.environment["ZONG_INSTALL_TEST"] == "1" else { return }
        let prefix = ZongBinary.temporaryDirectory().path
        let make = try ZongBinary.runProgram("/usr/bin/make", ["-C", Self.root.path, "install", "PREFIX=\(prefix)"], timeout: 1800)
        #expect(make.status == 0, "\(make.stderr)")
        let ldd = try ZongBinary.runProgram("/usr/bin/ldd", [prefix + "/bin/zong"])
        #expect(!ldd.stdoutText.contains("libswift") && !ldd.stdoutText.contains("libFoundation"), "\(ldd.stdoutText)")
        #expect(FileManager.default.fileExists(atPath: prefix + "/share/man/man1/zong.1"))
        let hello = try ZongBinary.runProgram(prefix + "/bin/zong", ["eval", "6 * 7"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(hello.stdoutText == "42\n", "\(hello.stderr)")
    }
}
