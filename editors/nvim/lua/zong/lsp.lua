-- Starts (or reuses) `zong lsp` for the current buffer. Works with Neovim 0.7 and later;
-- with nvim-lspconfig installed you may instead use its generic setup with the same cmd.
-- Options: vim.g.zong_path (default "zong"), vim.g.zong_lsp = false to turn it off.
local M = {}

local function root_dir(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local start = name ~= "" and vim.fn.fnamemodify(name, ":p:h") or vim.fn.getcwd()
  local marker = vim.fn.finddir(".git", start .. ";")
  if marker ~= "" then return vim.fn.fnamemodify(marker, ":p:h:h") end
  return start
end

function M.config(bufnr)
  local zong = vim.g.zong_path or "zong"
  return {
    name = "zong",
    cmd = { zong, "lsp" },
    root_dir = root_dir(bufnr),
  }
end

function M.start()
  local bufnr = vim.api.nvim_get_current_buf()
  local config = M.config(bufnr)
  if vim.fn.executable(config.cmd[1]) ~= 1 then return end
  if vim.lsp.start then
    vim.lsp.start(config, { bufnr = bufnr })
    return
  end
  -- Neovim 0.7: one client per root, attached to each buffer.
  M.clients = M.clients or {}
  local id = M.clients[config.root_dir]
  if not id or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client(config)
    M.clients[config.root_dir] = id
  end
  if id then vim.lsp.buf_attach_client(bufnr, id) end
end

return M
