" Zong buffers: the layout `zong fmt` writes, comments, :make through `zong check`, and
" gq through `zong fmt -`. (For a language server in Vim, point vim-lsp or ALE at `zong lsp`.)
if exists("b:did_ftplugin")
  finish
endif
let b:did_ftplugin = 1

setlocal expandtab shiftwidth=4 tabstop=4 softtabstop=4
setlocal commentstring=//\ %s
setlocal comments=s1:/*,mb:*,ex:*/,://
setlocal formatprg=zong\ fmt\ -
setlocal makeprg=zong\ check\ --color\ never\ %
setlocal errorformat=%f:%l:%c:\ %trror:\ %m,%f:%l:%c:\ %tarning:\ %m,%f:%l:%c:\ %tote:\ %m,%-G%.%#

let b:undo_ftplugin = "setl et< sw< ts< sts< cms< com< fp< mp< efm<"
