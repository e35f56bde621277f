// The Zong extension: starts `zong lsp` over stdio for .zong files (settings: zong.path,
// zong.languageServer.enabled, zong.languageServer.arguments, zong.trace.server).
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("zong");
  if (!config.get("languageServer.enabled", true)) return;
  const command = config.get("path", "zong");
  const args = ["lsp", ...config.get("languageServer.arguments", [])];
  const server = { command, args, transport: TransportKind.stdio };
  client = new LanguageClient("zong", "Zong", { run: server, debug: server }, {
    documentSelector: [{ scheme: "file", language: "zong" }, { scheme: "untitled", language: "zong" }],
  });
  client.start();
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
