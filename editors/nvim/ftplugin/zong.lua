-- Zong buffers: layout as `zong fmt` writes it, comments, :make through `zong check`,
-- gq through `zong fmt -`, and the language server (see lua/zong/lsp.lua).
vim.bo.expandtab = true
vim.bo.shiftwidth = 4
vim.bo.tabstop = 4
vim.bo.softtabstop = 4
vim.bo.commentstring = "// %s"
vim.bo.comments = "s1:/*,mb:*,ex:*/,://"
vim.bo.cindent = true
vim.bo.cinoptions = "(1s,m1,j1,J1"
vim.bo.formatprg = "zong fmt -"
vim.bo.makeprg = "zong check --color never %"
vim.bo.errorformat = "%f:%l:%c: %trror: %m,%f:%l:%c: %tarning: %m,%f:%l:%c: %tote: %m,%-G%.%#"
vim.b.undo_ftplugin = "setl et< sw< ts< sts< cms< com< cin< cino< fp< mp< efm<"

if vim.g.zong_lsp ~= false then
  require("zong.lsp").start()
end
