-- copydesk for Neovim: runs `copydesk lsp` on markdown and text buffers.
--
--   require("copydesk").setup({
--     cmd = { "copydesk", "lsp" },   -- or a path to the binary: "/opt/copydesk/bin/copydesk"
--     corpus = { "sources" },        -- source articles; relative paths are from the root
--     debounce_ms = 150,             -- delay before re-checking an edited buffer
--   })
--
-- Neovim 0.11+ registers the server with vim.lsp.config/vim.lsp.enable; 0.8-0.10 start it with
-- vim.lsp.start from a FileType autocmd; 0.7 uses vim.lsp.start_client and attaches buffers
-- itself. Adds :CopydeskReloadCorpus.

local M = {}

M.name = "copydesk"
M.reload_command = "copydesk.reloadCorpus"

local defaults = {
  cmd = { "copydesk", "lsp" },
  corpus = nil,
  debounce_ms = nil,
  filetypes = { "markdown", "text" },
  root_markers = { "copydesk.toml", ".git" },
  on_attach = nil,
  capabilities = nil,
}

local function has(version)
  return vim.fn.has("nvim-" .. version) == 1
end

-- `cmd` may be a list, or a string naming the binary (then "lsp" is appended).
local function normalize_cmd(cmd)
  if type(cmd) == "string" then
    return { cmd, "lsp" }
  end
  return cmd
end

local function server_settings(opts)
  local section = {}
  if opts.corpus ~= nil then
    section.corpus = type(opts.corpus) == "string" and { opts.corpus } or opts.corpus
  end
  if opts.debounce_ms ~= nil then
    section.debounceMs = opts.debounce_ms
  end
  return { copydesk = section }
end

-- The directory of the nearest root marker above `path`, else the file's own directory.
local function find_root(path, markers)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  local best
  for _, marker in ipairs(markers) do
    local found = vim.fn.finddir(marker, dir .. ";")
    if found == "" then
      found = vim.fn.findfile(marker, dir .. ";")
    end
    if found ~= "" then
      local root = vim.fn.fnamemodify(found, ":p:h")
      if vim.fn.isdirectory(vim.fn.fnamemodify(found, ":p")) == 1 then
        -- finddir returns the marker directory itself (".git/"): its parent is the root.
        root = vim.fn.fnamemodify(vim.fn.fnamemodify(found, ":p"):gsub("/$", ""), ":h")
      end
      if not best or #root > #best then
        best = root
      end
    end
  end
  return best or dir
end

--- The running copydesk clients (optionally only those attached to `bufnr`).
function M.clients(bufnr)
  local list
  if vim.lsp.get_clients then
    list = vim.lsp.get_clients({ name = M.name, bufnr = bufnr })
  else
    list = {}
    local source = bufnr and vim.lsp.buf_get_clients(bufnr) or vim.lsp.get_active_clients()
    for _, client in pairs(source) do
      if client.name == M.name then
        table.insert(list, client)
      end
    end
  end
  return list
end

local function request(client, method, params, handler, bufnr)
  if has("0.11") then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

--- Asks every copydesk server to re-index its corpus; `done(results)` gets one entry per client:
--- `{ name, documents }` or `{ name, error }`.
function M.reload_corpus(done)
  local clients = M.clients()
  if #clients == 0 then
    vim.notify("copydesk: no server is running", vim.log.levels.WARN)
    if done then
      done({})
    end
    return
  end
  local results, pending = {}, #clients
  for _, client in ipairs(clients) do
    request(client, "workspace/executeCommand", { command = M.reload_command, arguments = {} }, function(err, result)
      local entry = { client = client.id }
      if err then
        entry.error = err.message or tostring(err)
        vim.notify("copydesk: could not reload the corpus: " .. entry.error, vim.log.levels.ERROR)
      else
        entry.documents = result and result.documents
        vim.notify(("copydesk: corpus reloaded, %s documents"):format(tostring(entry.documents)), vim.log.levels.INFO)
      end
      table.insert(results, entry)
      pending = pending - 1
      if pending == 0 and done then
        done(results)
      end
    end)
  end
end

-- Neovim 0.7 has no vim.lsp.start: one client per root, started once and attached per buffer.
local legacy_clients = {}

local function start_legacy(config, bufnr)
  local root = config.root_dir
  local id = legacy_clients[root]
  if id and vim.lsp.get_client_by_id(id) and not vim.lsp.get_client_by_id(id).is_stopped() then
    vim.lsp.buf_attach_client(bufnr, id)
    return id
  end
  id = vim.lsp.start_client(config)
  if id then
    legacy_clients[root] = id
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- Configures and enables the server. Returns true when it is set up; M.mode then says how
--- ("vim.lsp.enable", "vim.lsp.start" or "vim.lsp.start_client").
function M.setup(user)
  local opts = vim.tbl_deep_extend("force", {}, defaults, user or {})
  opts.cmd = normalize_cmd(opts.cmd)
  local settings = server_settings(opts)
  M.options = opts

  vim.api.nvim_create_user_command("CopydeskReloadCorpus", function()
    M.reload_corpus()
  end, { desc = "Re-index the copydesk corpus" })

  if vim.lsp.config and vim.lsp.enable then
    vim.lsp.config(M.name, {
      cmd = opts.cmd,
      filetypes = opts.filetypes,
      root_markers = opts.root_markers,
      init_options = settings,
      settings = settings,
      capabilities = opts.capabilities,
      on_attach = opts.on_attach,
    })
    vim.lsp.enable(M.name)
    M.mode = "vim.lsp.enable"
    return true
  end

  if not vim.api.nvim_create_autocmd then
    vim.notify("copydesk: Neovim 0.7 or newer is needed", vim.log.levels.ERROR)
    return false
  end
  M.mode = vim.lsp.start and "vim.lsp.start" or "vim.lsp.start_client"
  local group = vim.api.nvim_create_augroup("copydesk", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = opts.filetypes,
    callback = function(args)
      local bufnr = args.buf
      local path = vim.api.nvim_buf_get_name(bufnr)
      if path == "" or vim.bo[bufnr].buftype ~= "" then
        return
      end
      local config = {
        name = M.name,
        cmd = opts.cmd,
        root_dir = find_root(path, opts.root_markers),
        init_options = settings,
        settings = settings,
        capabilities = opts.capabilities or vim.lsp.protocol.make_client_capabilities(),
        on_attach = opts.on_attach,
      }
      if vim.lsp.start then
        -- 0.8 and 0.9 attach vim.lsp.start's client to the current buffer.
        vim.api.nvim_buf_call(bufnr, function()
          vim.lsp.start(config)
        end)
      else
        start_legacy(config, bufnr)
      end
    end,
  })
  -- Buffers already open when setup() runs.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(opts.filetypes, vim.bo[bufnr].filetype) then
      vim.api.nvim_exec_autocmds("FileType", { group = group, buffer = bufnr, modeline = false })
    end
  end
  return true
end

return M
