-- Drives Neovim's built-in LSP client (0.7 .. 0.11) against the Thea server, headless.
-- Run: nvim --headless -u NONE -i NONE -n -c "luafile nvim_client.lua", with THEA_NVIM_SPEC naming a JSON
-- file: {file, cmd, mode = "quickfix" | "fixall", rule, title (quickfix), kind (fixall), out, timeout_ms}.
-- It does what a user does (open, wait for diagnostics, ask for code actions, apply one, :write) and
-- writes what it saw to `out` as JSON; test_neovim.py makes the assertions. Exit status 0 unless
-- something could not be done at all (then `error` in the JSON says what).
local spec = vim.fn.json_decode(table.concat(vim.fn.readfile(os.getenv("THEA_NVIM_SPEC")), "\n"))
local result = { nvim = tostring(vim.version().major) .. "." .. vim.version().minor .. "." .. vim.version().patch }

local function lsp_diagnostics(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(out, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
                        code = d.code, source = d.source, severity = d.severity, message = d.message })
  end
  table.sort(out, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  return out
end

local function of_rule(diags)
  return vim.tbl_filter(function(d) return d.code == spec.rule end, diags)
end

-- vim columns are bytes; LSP characters are in the negotiated encoding
local function lsp_position(bufnr, row, col, encoding)
  local line = vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ""
  if encoding == "utf-8" then return { line = row, character = col } end
  local ok, utf32, utf16 = pcall(vim.str_utfindex, line, col)
  if not ok or type(utf16) ~= "number" then  -- 0.11's signature: (s, encoding, index)
    return { line = row, character = vim.str_utfindex(line, encoding, col) }
  end
  return { line = row, character = encoding == "utf-16" and utf16 or utf32 }
end

local function code_actions(bufnr, client, range, diagnostics, only)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = range,
    context = { diagnostics = diagnostics, only = only },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, spec.timeout_ms)
  local actions = {}
  for id, resp in pairs(responses or {}) do
    if id == client.id then
      for _, a in ipairs(resp.result or {}) do table.insert(actions, a) end
    end
  end
  return actions
end

-- 0.11 made client methods take `self` (client:request_sync); 0.7 only has the closure form
local function request_sync(client, method, params, bufnr)
  if vim.fn.has("nvim-0.11") == 1 then
    return client:request_sync(method, params, spec.timeout_ms, bufnr)
  end
  return client.request_sync(method, params, spec.timeout_ms, bufnr)
end

local function apply(bufnr, client, action)
  if not action.edit and not action.command and action.data then  -- lazily resolved action
    local resp = request_sync(client, "codeAction/resolve", action, bufnr)
    action = (resp and resp.result) or action
  end
  if action.edit then
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  end
  if action.command then
    local command = type(action.command) == "table" and action.command or action
    request_sync(client, "workspace/executeCommand", { command = command.command, arguments = command.arguments }, bufnr)
  end
end

local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(spec.file))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = "javascript" -- -u NONE: no filetype detection
  local config = { name = "thea", cmd = spec.cmd, root_dir = vim.fn.fnamemodify(spec.file, ":p:h") }
  local client_id
  if vim.lsp.start then  -- 0.8+; 0.11 deprecates start_client
    client_id = vim.lsp.start(config, { bufnr = bufnr })
  else
    client_id = vim.lsp.start_client(config)
    if client_id then vim.lsp.buf_attach_client(bufnr, client_id) end
  end
  assert(client_id, "the LSP client did not start")
  local client = vim.lsp.get_client_by_id(client_id)

  assert(vim.wait(spec.timeout_ms, function() return #of_rule(vim.diagnostic.get(bufnr)) > 0 end, 50),
    "no " .. spec.rule .. " diagnostic within " .. spec.timeout_ms .. " ms")
  result.offset_encoding = client.offset_encoding
  result.before = lsp_diagnostics(bufnr)
  local target = of_rule(result.before)[1]

  local actions
  if spec.mode == "quickfix" then
    local range = {
      start = lsp_position(bufnr, target.lnum, target.col, client.offset_encoding),
      ["end"] = lsp_position(bufnr, target.end_lnum, target.end_col, client.offset_encoding),
    }
    -- send the diagnostic as published (0.10+ keep it in user_data.lsp, with its `data`); 0.7 keeps
    -- no range there, so rebuild it as 0.7's own code-action request does
    local raw = of_rule(vim.diagnostic.get(bufnr))
    table.sort(raw, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
    local published = raw[1].user_data and raw[1].user_data.lsp
    local diagnostic = (published and published.range) and published
      or { range = range, message = target.message, severity = target.severity, code = target.code,
           source = target.source }
    actions = code_actions(bufnr, client, range, { diagnostic }, { "quickfix" })
  else
    local last = vim.api.nvim_buf_line_count(bufnr) - 1
    local range = { start = { line = 0, character = 0 }, ["end"] = { line = last, character = 0 } }
    actions = code_actions(bufnr, client, range, {}, { spec.kind })
  end
  result.titles = vim.tbl_map(function(a) return a.title end, actions)
  local chosen
  for _, a in ipairs(actions) do
    local wanted = (spec.mode == "quickfix" and a.title:find(spec.title, 1, true))
      or (spec.mode == "fixall" and a.kind == spec.kind)
    if wanted and not chosen then chosen = a end
  end
  assert(chosen, "no matching code action among: " .. vim.inspect(result.titles))
  result.applied = chosen.title
  local tick = vim.api.nvim_buf_get_changedtick(bufnr)
  apply(bufnr, client, chosen)
  assert(vim.wait(spec.timeout_ms, function() return vim.api.nvim_buf_get_changedtick(bufnr) ~= tick end, 20),
    "the code action did not change the buffer")
  vim.cmd("write")
  -- the server republishes after didChange; wait for the rule's findings to drop
  local before = #of_rule(result.before)
  vim.wait(spec.timeout_ms, function() return #of_rule(vim.diagnostic.get(bufnr)) < before end, 50)
  result.after = lsp_diagnostics(bufnr)
end)

if not ok then result.error = tostring(err) end
local fh = assert(io.open(spec.out, "w"))
fh:write(vim.json.encode(result))
fh:close()
local get_clients = vim.lsp.get_clients or vim.lsp.get_active_clients
vim.lsp.stop_client(get_clients(), true)
vim.cmd("qall!")
