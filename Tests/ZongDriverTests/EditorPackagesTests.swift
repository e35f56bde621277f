import Foundation
import Testing

/// The editor packages under editors/: the VS Code extension's manifests are valid and wired
/// together, Vim loads the filetype plugin and indents as `zong fmt` does, and its `formatprg`
/// (`zong fmt -`) and `errorformat` work with the real binary.
@Suite struct EditorPackagesTests {
    static let editors = ZongBinary.packageRoot.appendingPathComponent("editors")

    func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: Self.editors.appendingPathComponent(path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func vscodeExtension() throws {
        let manifest = try json("vscode/package.json")
        let contributes = try #require(manifest["contributes"] as? [String: Any])
        let language = try #require((contributes["languages"] as? [[String: Any]])?.first)
        #expect(language["configuration"] as? String == "./language-configuration.json")
        #expect((language["extensions"] as? [String]) == [".zong"])
        #expect(manifest["main"] as? String == "./extension.js")
        #expect((manifest["dependencies"] as? [String: Any])?["vscode-languageclient"] != nil)
        let settings = try #require((contributes["configuration"] as? [String: Any])?["properties"] as? [String: Any])
        #expect(settings["zong.path"] != nil && settings["zong.languageServer.enabled"] != nil)
        let config = try json("vscode/language-configuration.json")
        #expect((config["comments"] as? [String: Any])?["lineComment"] as? String == "//")
        #expect((config["brackets"] as? [[String]])?.count == 3)
        let script = try String(contentsOf: Self.editors.appendingPathComponent("vscode/extension.js"), encoding: .utf8)
        #expect(script.contains("\"lsp\"") && script.contains("vscode-languageclient/node"))
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/node") {
            let check = try ZongBinary.runProgram("/usr/bin/node", ["--check", Self.editors.appendingPathComponent("vscode/extension.js").path])
            #expect(check.status == 0, "\(check.stderr)")
        }
    }

    @Test func neovimFiles() throws {
        for path in ["nvim/ftdetect/zong.lua", "nvim/ftplugin/zong.lua", "nvim/lua/zong/lsp.lua", "nvim/syntax/zong.vim"] {
            #expect(FileManager.default.fileExists(atPath: Self.editors.appendingPathComponent(path).path), "\(path)")
        }
        let lsp = try String(contentsOf: Self.editors.appendingPathComponent("nvim/lua/zong/lsp.lua"), encoding: .utf8)
        #expect(lsp.contains("\"lsp\""))
        for nvim in ["/usr/bin/nvim", "/usr/local/bin/nvim"] where FileManager.default.isExecutableFile(atPath: nvim) {
            let dir = ZongBinary.temporaryDirectory()
            try Data("func main() {\nprint(1)\n}\n".utf8).write(to: dir.appendingPathComponent("v.zong"))
            let r = try ZongBinary.runProgram(nvim, ["--headless", "-u", "NONE", "--cmd", "set rtp^=\(Self.editors.appendingPathComponent("nvim").path)",
                                                      "--cmd", "let g:zong_lsp = v:false", "-c", "filetype plugin indent on", "-c", "e v.zong",
                                                      "-c", "lua io.stdout:write(vim.bo.filetype .. ' ' .. vim.bo.shiftwidth .. '\\n')", "-c", "qa!"],
                                               directory: dir)
            #expect(r.stdoutText.contains("zong 4"), "\(r.stdoutText) \(r.stderr)")
        }
    }

    @Test func vimFiletypeIndentFormatAndMake() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/vim"), let zong = ZongBinary.executable else {
            print("SKIP: vim not installed")
            return
        }
        let dir = ZongBinary.temporaryDirectory()
        try Data("func main() {\nif true {\nprint(1)\n}\n}\n".utf8).write(to: dir.appendingPathComponent("v.zong"))
        try Data("func main() {\n    print(y)\n}\n".utf8).write(to: dir.appendingPathComponent("bad.zong"))
        let binDir = URL(fileURLWithPath: zong).deletingLastPathComponent().path
        let env = ["PATH": binDir + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")]
        let vim = ["-Nu", "NONE", "-es", "--cmd", "set rtp^=\(Self.editors.appendingPathComponent("vim").path)", "-c", "filetype plugin indent on"]
        // Indentation (=) gives what zong fmt writes.
        let indent = try ZongBinary.runProgram("/usr/bin/vim", vim + ["-c", "e v.zong", "-c", "normal! gg=G", "-c", "w! indented.zong", "-c", "qall!"],
                                               environment: env, directory: dir)
        #expect(indent.status == 0)
        let indented = try String(contentsOf: dir.appendingPathComponent("indented.zong"), encoding: .utf8)
        #expect(indented == "func main() {\n    if true {\n        print(1)\n    }\n}\n", "\(indented)")
        // gq runs formatprg, zong fmt -.
        try Data("func main(){print( 1 )}\n".utf8).write(to: dir.appendingPathComponent("f.zong"))
        _ = try ZongBinary.runProgram("/usr/bin/vim", vim + ["-c", "e f.zong", "-c", "normal! gggqG", "-c", "w! formatted.zong", "-c", "qall!"],
                                      environment: env, directory: dir)
        #expect(try String(contentsOf: dir.appendingPathComponent("formatted.zong"), encoding: .utf8) == "func main() { print(1) }\n")
        // :make fills the quickfix list from zong check.
        _ = try ZongBinary.runProgram("/usr/bin/vim", vim + ["-c", "e bad.zong", "-c", "silent make", "-c", "redir! > qf.txt",
                                                              "-c", "echo getqflist()[0].lnum getqflist()[0].col getqflist()[0].type getqflist()[0].text",
                                                              "-c", "redir END", "-c", "qall!"],
                                      environment: env, directory: dir)
        let qf = (try? String(contentsOf: dir.appendingPathComponent("qf.txt"), encoding: .utf8)) ?? ""
        #expect(qf.contains("2 11 e undefined symbol 'y'"), "\(qf)")
    }
}
