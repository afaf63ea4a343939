-- Headless Neovim end-to-end test of `copydesk lsp`.
--
-- Usage: nvim --headless -u NONE -l check.lua COPYDESK_BIN WORKSPACE SEEDS_DIR
--
-- Opens WORKSPACE/draft.md (an emoji and CJK text before a wrong figure), starts the server
-- once per position encoding (UTF-8 as Neovim offers it, then UTF-16 only), waits for the
-- diagnostics, requests hover and definition on the figure, and exits non-zero unless the
-- diagnostic's byte columns land on the figure, the hover carries the source passage with the
-- source's figure in bold, and the definition points at the source file and line.

local bin, root, seeds = arg[1], arg[2], arg[3]
if not (bin and root and seeds) then
  io.stderr:write("usage: nvim --headless -u NONE -l check.lua COPYDESK_BIN WORKSPACE SEEDS_DIR\n")
  os.exit(2)
end

local draft = root .. "/draft.md"
local figure = "28 percent lower"
local source_figure = "82 percent lower"
local source_file = "000_7fed2c55703098c4.txt"
local source_line = 18 -- 0-based line of the passage in the source file
local failures = {}
local report = {}

local function check(cond, message)
  if not cond then
    table.insert(failures, message)
  end
  return cond
end

local function run(encodings)
  local label = table.concat(encodings, "+")
  vim.cmd("silent! %bwipeout!")
  vim.cmd.edit(vim.fn.fnameescape(draft))
  local buf = vim.api.nvim_get_current_buf()
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  capabilities.general = capabilities.general or {}
  capabilities.general.positionEncodings = encodings
  local id = vim.lsp.start({
    name = "copydesk-" .. label,
    cmd = { bin, "lsp", "--log-level", "info" },
    root_dir = root,
    capabilities = capabilities,
    init_options = { copydesk = { corpus = { seeds }, debounceMs = 0 } },
  }, { bufnr = buf })
  if not check(id ~= nil, label .. ": the client did not start") then
    return
  end
  local client = vim.lsp.get_client_by_id(id)
  local ok = vim.wait(30000, function()
    return #vim.diagnostic.get(buf) > 0
  end, 50)
  local result = { encoding = client and client.offset_encoding }
  report[label] = result
  if not check(ok, label .. ": no diagnostics within 30 s") then
    return
  end

  -- The diagnostic's columns (converted by Neovim from the negotiated encoding to bytes)
  -- must cover exactly the figure.
  local d = vim.diagnostic.get(buf)[1]
  local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]
  local under = line:sub(d.col + 1, d.end_col)
  result.diagnostic = { code = d.code, lnum = d.lnum, col = d.col, end_col = d.end_col, text = under, message = d.message }
  check(under == figure, label .. ": diagnostic covers '" .. under .. "', not the figure")
  check(d.code == "number-mismatch", label .. ": unexpected code " .. tostring(d.code))
  check(d.source == "copydesk", label .. ": unexpected source " .. tostring(d.source))

  -- Hover and definition with the cursor inside the figure.
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col + 2 })
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  local hover = vim.lsp.buf_request_sync(buf, "textDocument/hover", params, 10000) or {}
  local h = hover[id] and hover[id].result
  local value = h and h.contents and h.contents.value or ""
  result.hover = value
  check(value:find("**" .. source_figure .. "**", 1, true) ~= nil, label .. ": hover lacks the source figure in bold")
  check(value:find("capital expenditures from 2023 to 2025", 1, true) ~= nil, label .. ": hover lacks the source passage")

  local definition = vim.lsp.buf_request_sync(buf, "textDocument/definition", params, 10000) or {}
  local def = definition[id] and definition[id].result
  if def and def[1] then
    def = def[1]
  end
  local uri = def and (def.targetUri or def.uri) or ""
  local range = def and (def.targetSelectionRange or def.range)
  result.definition = { uri = uri, range = range }
  check(uri:sub(-#source_file) == source_file, label .. ": definition points at " .. uri)
  check(range ~= nil and range.start.line == source_line, label .. ": definition not on line " .. source_line)
  if range and uri ~= "" then
    -- The target range, read from the file itself, must be the source's figure.
    local lines = vim.fn.readfile(vim.uri_to_fname(uri))
    local target = lines[range.start.line + 1] or ""
    local s = vim.str_byteindex(target, client.offset_encoding, range.start.character, false)
    local e = vim.str_byteindex(target, client.offset_encoding, range["end"].character, false)
    local text = target:sub(s + 1, e)
    result.definition.text = text
    check(text == source_figure, label .. ": definition range covers '" .. text .. "'")
  end

  client:stop()
  vim.wait(5000, function()
    return client:is_stopped()
  end, 50)
end

run({ "utf-8", "utf-16" })
run({ "utf-16" })

report.failures = failures
io.stdout:write(vim.json.encode(report) .. "\n")
if #failures > 0 then
  for _, f in ipairs(failures) do
    io.stderr:write("FAIL: " .. f .. "\n")
  end
  os.exit(1)
end
io.stderr:write("ok: diagnostics, hover and definition agree in utf-8 and utf-16\n")
os.exit(0)
