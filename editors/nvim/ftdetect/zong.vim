" Zong files (a Vim script, so Neovim 0.7 loads it too)
au BufRead,BufNewFile *.zong setfiletype zong
