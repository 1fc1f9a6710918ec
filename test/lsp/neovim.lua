-- Neovim's built-in LSP client driving `kubeconn lsp --stdio` on a copy of examples/shop, headless
-- (test/lsp/neovim.test.ts runs `nvim --headless -u NONE -c "luafile test/lsp/neovim.lua"`). It opens
-- k8s/orders.yaml, waits for kubeconn's diagnostics, asks for the code actions of the prestop-sleep
-- diagnostic, applies the preferred one, waits for the diagnostic to go, saves, hovers the Service name,
-- and writes what it saw to $KUBECONN_OUT as JSON. Every wait is bounded; any error is written too.
-- Works with Neovim 0.7 (Debian 12: vim.lsp.start_client) and later (vim.lsp.start).
local repo = os.getenv('KUBECONN_REPO')
local ws = os.getenv('KUBECONN_WS')
local out = os.getenv('KUBECONN_OUT')
local result = { steps = {} }

local function step(name) table.insert(result.steps, name) end

local function finish()
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qa!')
end

local function codes(bufnr, client_id)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr, { namespace = vim.lsp.diagnostic.get_namespace(client_id) })) do
    local lsp = d.user_data and d.user_data.lsp or {}
    -- Neovim keeps the position in its own fields; the LSP form is rebuilt for the code-action context.
    local code = lsp.code or d.code
    local range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum or d.lnum, character = d.end_col or d.col } }
    table.insert(list, { code = code, source = d.source or lsp.source, line = d.lnum, col = d.col, message = d.message,
      lsp = { range = range, code = code, source = d.source, message = d.message, severity = d.severity } })
  end
  return list
end

local function find(list, code)
  for _, d in ipairs(list) do if d.code == code then return d end end
end

local ok, err = pcall(function()
  local config = {
    name = 'kubeconn',
    cmd = { 'node', repo .. '/bin/kubeconn.js', 'lsp', '--stdio' },
    root_dir = ws,
    settings = { kubeconn = {} },
  }
  local orders = ws .. '/k8s/orders.yaml'
  vim.cmd('edit ' .. vim.fn.fnameescape(orders))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id
  if vim.lsp.start then
    client_id = vim.lsp.start(config)
  else
    client_id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(bufnr, client_id)
  end
  assert(client_id, 'the client did not start')
  step('started')
  result.nvim = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch)

  assert(vim.wait(90000, function() return find(codes(bufnr, client_id), 'prestop-sleep') ~= nil end, 50), 'no prestop-sleep diagnostic within 90 s')
  step('diagnostics')
  result.before = codes(bufnr, client_id)
  local server = vim.lsp.get_client_by_id(client_id)
  result.server = server.server_capabilities and server.server_capabilities.codeActionProvider ~= nil
  -- Diagnostics of files never opened arrive too (the server scans the workspace).
  local js = vim.uri_to_bufnr(vim.uri_from_fname(ws .. '/services/frontend/server.js'))
  assert(vim.wait(30000, function() return find(codes(js, client_id), 'grpc-client-load-balancing') ~= nil end, 50), 'no diagnostics for server.js')
  result.unopened = codes(js, client_id)

  local target = find(result.before, 'prestop-sleep')
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = target.lsp.range,
    context = { diagnostics = { target.lsp } },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 30000)
  assert(responses and responses[client_id] and responses[client_id].result, 'no code action response')
  result.actions = {}
  local preferred
  for _, action in ipairs(responses[client_id].result) do
    table.insert(result.actions, action.title)
    if action.isPreferred then preferred = action end
  end
  assert(preferred, 'no preferred action')
  step('code actions')
  result.applied = preferred.title
  vim.lsp.util.apply_workspace_edit(preferred.edit, 'utf-16')
  step('applied')
  assert(vim.wait(30000, function() return find(codes(bufnr, client_id), 'prestop-sleep') == nil end, 50), 'the prestop-sleep diagnostic stayed after the fix')
  step('fixed')
  result.after = codes(bufnr, client_id)
  vim.cmd('write')

  local line
  for i, text in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if text == '  name: orders' then line = i - 1; break end
  end
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = line, character = 9 } }, 30000)
  local contents = hover and hover[client_id] and hover[client_id].result and hover[client_id].result.contents
  result.hover = contents and (contents.value or contents) or vim.NIL
  step('hover')

  vim.lsp.stop_client(client_id)
  vim.wait(10000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
  step('stopped')
end)
if not ok then result.error = tostring(err) end
finish()
