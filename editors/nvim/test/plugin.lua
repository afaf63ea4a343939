-- Headless test of the copydesk Neovim plugin (lua/copydesk) against `copydesk lsp`.
--
-- Usage (any Neovim from 0.7; arguments in the environment because 0.7 has no `nvim -l`):
--   COPYDESK_BIN=... COPYDESK_WORK=DIR COPYDESK_SEEDS=DIR COPYDESK_PLUGIN=editors/nvim \
--     nvim --headless -u NONE -c "luafile plugin.lua"
--
-- Calls require("copydesk").setup() with the binary and the seeds as the corpus, then opens
-- DIR/draft.md and DIR/notes.txt (both saying NT$ where the source says US$) and checks that:
-- both buffers get a unit-mismatch from a client named "copydesk" covering the figure;
-- :CopydeskReloadCorpus reports the documents re-indexed; correcting the Markdown buffer clears
-- its diagnostic (the edit reaches the server). Prints a JSON report; exits non-zero on failure.

local bin = os.getenv("COPYDESK_BIN")
local work = os.getenv("COPYDESK_WORK")
local seeds = os.getenv("COPYDESK_SEEDS")
local plugin = os.getenv("COPYDESK_PLUGIN")
local failures = {}
local report = { nvim = tostring(vim.version().major .. "." .. vim.version().minor .. "." .. vim.version().patch) }
local figure = "NT$1.8 billion"

local function check(cond, message)
  if not cond then
    table.insert(failures, message)
  end
  return cond
end

local function finish()
  report.failures = failures
  io.stdout:write(vim.fn.json_encode(report) .. "\n")
  for _, f in ipairs(failures) do
    io.stderr:write("FAIL: " .. f .. "\n")
  end
  if #failures == 0 then
    io.stderr:write("ok: the plugin attaches to markdown and text, reloads the corpus and follows edits (nvim " .. report.nvim .. ", " .. tostring(report.mode) .. ")\n")
  end
  local all = vim.lsp.get_clients or vim.lsp.get_active_clients
  for _, client in pairs(all()) do
    vim.lsp.stop_client(client.id)
  end
  vim.wait(3000, function()
    return #all() == 0
  end, 50)
  os.exit(#failures == 0 and 0 or 1)
end

if not (bin and work and seeds and plugin) then
  io.stderr:write("set COPYDESK_BIN, COPYDESK_WORK, COPYDESK_SEEDS and COPYDESK_PLUGIN\n")
  os.exit(2)
end

-- Record notifications (the reload command reports through vim.notify).
local notes = {}
vim.notify = function(msg, level)
  table.insert(notes, { msg = msg, level = level })
end

vim.opt.swapfile = false
vim.opt.runtimepath:prepend(plugin)
vim.cmd("filetype on")
local copydesk = require("copydesk")
-- COPYDESK_HIDE_ENABLE=1 hides vim.lsp.enable during setup(), so Neovim 0.11 takes the
-- plugin's 0.8-0.10 path (FileType autocmd + vim.lsp.start).
local enable = vim.lsp.enable
if os.getenv("COPYDESK_HIDE_ENABLE") == "1" then
  vim.lsp.enable = nil
end
-- The binary as a string: setup() appends "lsp".
local ok = copydesk.setup({ cmd = bin, corpus = { seeds }, debounce_ms = 0 })
vim.lsp.enable = enable
report.mode = copydesk.mode
local expected_mode = os.getenv("COPYDESK_EXPECT_MODE")
check(expected_mode == nil or copydesk.mode == expected_mode, "setup() used " .. tostring(copydesk.mode) .. ", expected " .. tostring(expected_mode))
if not check(ok == true, "setup() did not return true") then
  finish()
end
check(vim.fn.exists(":CopydeskReloadCorpus") == 2, ":CopydeskReloadCorpus is not defined")

local function diagnostics_in(path)
  vim.cmd("edit " .. vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  local got = vim.wait(30000, function()
    return #vim.diagnostic.get(buf) > 0
  end, 50)
  local entry = { filetype = vim.bo[buf].filetype }
  report[vim.fn.fnamemodify(path, ":t")] = entry
  local clients = copydesk.clients(buf)
  entry.clients = #clients
  check(#clients == 1, path .. ": " .. #clients .. " copydesk clients attached, expected 1")
  if not check(got, path .. ": no diagnostics within 30 s") then
    return buf
  end
  local d = vim.diagnostic.get(buf)[1]
  local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]
  entry.code = d.code
  entry.text = line:sub(d.col + 1, d.end_col)
  entry.message = d.message
  check(d.code == "unit-mismatch", path .. ": code " .. tostring(d.code) .. ", expected unit-mismatch")
  check(entry.text:find("NT$", 1, true) ~= nil, path .. ": the diagnostic covers '" .. entry.text .. "', not the figure")
  check(d.message:find("US$1.8 billion", 1, true) ~= nil, path .. ": the message does not quote the source's US$1.8 billion")
  return buf
end

local md = diagnostics_in(work .. "/draft.md")
diagnostics_in(work .. "/notes.txt")
check(#copydesk.clients() == 1, "the two buffers should share one copydesk client, got " .. #copydesk.clients())

-- :CopydeskReloadCorpus re-indexes and says how many documents.
local reloaded
vim.cmd("CopydeskReloadCorpus")
vim.wait(30000, function()
  for _, n in ipairs(notes) do
    local count = n.msg:match("corpus reloaded, (%d+) documents")
    if count then
      reloaded = tonumber(count)
      return true
    end
  end
  return false
end, 50)
report.reloaded_documents = reloaded
check(reloaded ~= nil and reloaded > 0, ":CopydeskReloadCorpus did not report re-indexed documents")

-- Correct the figure in the Markdown buffer: the server re-checks and clears the diagnostic.
vim.api.nvim_set_current_buf(md)
local lines = vim.api.nvim_buf_get_lines(md, 0, -1, false)
for i, l in ipairs(lines) do
  lines[i] = l:gsub("NT%$", "US$")
end
vim.api.nvim_buf_set_lines(md, 0, -1, false, lines)
local cleared = vim.wait(30000, function()
  return #vim.diagnostic.get(md) == 0
end, 50)
report.cleared_after_edit = cleared
check(cleared, "draft.md: the diagnostic stayed after the figure was corrected")

finish()
