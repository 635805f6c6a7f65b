-- Driven by editors.test.ts: `nvim --headless -n -i NONE -u nvim-driver.lua`. Loads the README's
-- Neovim 0.7 configuration (DZ_CONFIG) unchanged, opens the zone (DZ_ZONE), waits for the
-- diagnostics to settle, asks for a hover, fixes one line, waits again, and writes what it saw
-- as JSON to DZ_OUT. The assertions are in editors.test.ts.
local env = function(k) return os.getenv(k) end
local result = { steps = {} }
local function note(s) table.insert(result.steps, s) end

local function finish(code)
  local f = io.open(env('DZ_OUT'), 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  if code == 0 then vim.cmd('qall!') else vim.cmd('cquit ' .. code) end
end

local ok, err = pcall(function()
  dofile(env('DZ_CONFIG'))
  vim.cmd('edit ' .. vim.fn.fnameescape(env('DZ_ZONE')))
  local buf = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[buf].filetype
  note('opened ' .. env('DZ_ZONE') .. ' as ' .. result.filetype)

  local function diags()
    local t = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      table.insert(t, { code = code, line = d.lnum, col = d.col, severity = d.severity })
    end
    table.sort(t, function(a, b) return a.line * 1000 + a.col < b.line * 1000 + b.col end)
    return t
  end
  -- The server publishes in stages: wait until `pred` holds and nothing changed for a second.
  local function settle(what, pred)
    local last, since = nil, vim.loop.now()
    local done = vim.wait(20000, function()
      local s = vim.fn.json_encode(diags())
      if s ~= last then last, since = s, vim.loop.now() end
      return pred(diags()) and vim.loop.now() - since >= 1000
    end, 50)
    note(what .. (done and ' settled' or ' timed out'))
    return diags()
  end
  local function has(ds, code)
    for _, d in ipairs(ds) do if d.code == code then return true end end
    return false
  end

  result.before = settle('diagnostics after opening', function(ds) return #ds > 0 end)
  local clients = vim.lsp.buf_get_clients(buf)
  for _, c in pairs(clients) do result.offset_encoding = c.offset_encoding; result.client = c.name end

  local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = tonumber(env('DZ_HOVER_LINE')), character = tonumber(env('DZ_HOVER_CHAR')) },
  }, 9000)
  for _, r in pairs(hover or {}) do
    local c = r.result and r.result.contents
    if type(c) == 'table' then result.hover = c.value or vim.fn.json_encode(c) elseif c then result.hover = c end
  end
  note('hover: ' .. tostring(result.hover and #result.hover) .. ' characters')

  local line = tonumber(env('DZ_FIX_LINE'))
  vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { env('DZ_FIX_TEXT') })
  result.after = settle('diagnostics after the fix', function(ds) return not has(ds, env('DZ_FIX_CODE')) end)

  for _, c in pairs(vim.lsp.get_active_clients()) do c.stop() end
end)
if not ok then result.error = tostring(err) end
finish(ok and 0 or 3)
