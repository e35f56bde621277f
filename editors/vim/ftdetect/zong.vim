au BufRead,BufNewFile *.zong set filetype=zong
