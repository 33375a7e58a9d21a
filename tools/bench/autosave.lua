-- wrk script for TA Needs autosave, on top of the peer harness's wrk_stats.lua (loaded
-- unchanged from WRK_STATS_LUA, so timing and status counting are the same as the peer's).
-- Each wrk thread (one connection) edits its own item and sends the version the previous
-- reply returned, so every request is a real save: the row is locked, compared, written and
-- a history row added. A fixed body would save once and then only find nothing to change.
-- Env: WRK_AUTOSAVE_PATHS (space-separated autosave paths, one per thread),
-- WRK_AUTOSAVE_VERSIONS (their versions when the round starts, same order), WRK_CSRF.
dofile(os.getenv("WRK_STATS_LUA"))

local stats_setup, stats_request, stats_response = setup, request, response
local paths = {}
for path in string.gmatch(os.getenv("WRK_AUTOSAVE_PATHS") or "", "%S+") do
  table.insert(paths, path)
end
local versions = {}
for v in string.gmatch(os.getenv("WRK_AUTOSAVE_VERSIONS") or "", "%d+") do
  table.insert(versions, tonumber(v))
end
local next_slot = 0

function setup(thread)
  stats_setup(thread)
  next_slot = next_slot + 1
  thread:set("slot", next_slot)
end

local version, sent = nil, 0

function request()
  stats_request() -- starts the clock
  sent = sent + 1
  local path = paths[(slot - 1) % #paths + 1]
  -- The item's version as the round started (the page the user would have seen), then the
  -- version each reply returns.
  version = version or versions[(slot - 1) % #paths + 1] or 0
  local prefix = string.match(path, "/answers/(%d+)/")
  local body = "a" .. prefix .. "-version=" .. version .. "&a" .. prefix .. "-comment=bench+" .. sent
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = wrk.headers["Cookie"],
    ["X-CSRFToken"] = os.getenv("WRK_CSRF") or "",
  }
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  local v = string.match(body or "", '"version": ?(%d+)')
  if v then version = tonumber(v) end
  stats_response(status, headers, body)
end
