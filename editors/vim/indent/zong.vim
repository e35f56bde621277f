" Zong indentation: C-like braces, four spaces (what `zong fmt` writes).
if exists("b:did_indent")
  finish
endif
let b:did_indent = 1
setlocal cindent cinoptions=(1s,m1,j1,J1 cinkeys-=0#
let b:undo_indent = "setl cin< cino< cink<"
