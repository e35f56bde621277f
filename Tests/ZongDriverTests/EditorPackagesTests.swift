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
        for path in ["nvim/ftdetect/zong.vim", "nvim/ftplugin/zong.lua", "nvim/lua/zong/lsp.lua", "nvim/syntax/zong.vim"] {
            #expect(FileManager.default.fileExists(atPath: Self.editors.appendingPathComponent(path).path), "\(path)")
        }
        let lsp = try String(contentsOf: Self.editors.appendingPathComponent("nvim/lua/zong/lsp.lua"), encoding: .utf8)
        #expect(lsp.contains("\"lsp\""))
    }

    /// A real editor as the client: Neovim (Debian's, headless) opens a file, gets the language
    /// server's diagnostics and a hover, with the filetype and LSP set-up from editors/nvim.
    @Test func neovimTalksToTheLanguageServer() throws {
        guard let nvim = ["/usr/bin/nvim", "/usr/local/bin/nvim"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }),
              let zong = ZongBinary.executable else {
            print("SKIP: nvim not installed")
            return
        }
        let dir = ZongBinary.temporaryDirectory()
        try Data("func main() {\n    var total: I64 = 1\n    print(totl)\n}\n".utf8).write(to: dir.appendingPathComponent("p.zong"))
        let script = """
            vim.opt.runtimepath:prepend("\(Self.editors.appendingPathComponent("nvim").path)")
            vim.g.zong_path = "\(zong)"
            vim.cmd("filetype plugin indent on")
            vim.cmd("edit p.zong")
            vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
            local out = { "filetype=" .. vim.bo.filetype .. " sw=" .. vim.bo.shiftwidth }
            for _, d in ipairs(vim.diagnostic.get(0)) do
              table.insert(out, string.format("diag %d:%d %s", d.lnum + 1, d.col + 1, d.message))
            end
            local params = { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = 1, character = 9 } }
            for _, r in pairs(vim.lsp.buf_request_sync(0, "textDocument/hover", params, 10000) or {}) do
              if r.result then table.insert(out, "hover " .. r.result.contents.value:gsub("\\n", " ")) end
            end
            local f = io.open("out.txt", "w"); f:write(table.concat(out, "\\n") .. "\\n"); f:close()
            vim.cmd("qa!")
            """
        try Data(script.utf8).write(to: dir.appendingPathComponent("t.lua"))
        let r = try ZongBinary.runProgram(nvim, ["--headless", "-u", "NONE", "-c", "luafile t.lua"], directory: dir, timeout: 60)
        let out = (try? String(contentsOf: dir.appendingPathComponent("out.txt"), encoding: .utf8)) ?? ""
        #expect(out.contains("filetype=zong sw=4"), "\(out) \(r.stderr)")
        #expect(out.contains("diag 3:11 undefined symbol 'totl'"), "\(out) \(r.stderr)")
        #expect(out.contains("hover ```zong var total: I64 ```"), "\(out)")
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
