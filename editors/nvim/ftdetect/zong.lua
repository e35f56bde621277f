vim.filetype.add({ extension = { zong = "zong" } })
