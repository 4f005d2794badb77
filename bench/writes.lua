-- Signed-in writes and the mixed scenario. Arguments (after --):
--   <cookie file> <mode: reply|contribute|rsvp|mixed> <read paths, comma-separated> <thread id> <done_on> [tag]
-- Each request takes the next member's session cookie; reply bodies are unique (the tag
-- keeps them so when two wrk clients run at once, as against two instances).
local cookies = {}
local mode, reads, thread_id, done_on
local counter = 0
local threads = {}

setup = function(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

init = function(args)
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(cookies, line) end
  end
  mode = args[2]
  reads = {}
  for path in string.gmatch(args[3] or "", "[^,]+") do table.insert(reads, path) end
  thread_id = args[4]
  done_on = args[5]
  math.randomseed(tid * 7919)
  nonce = os.time() .. (args[6] or "")
end

local function form(fields)
  local parts = {}
  for _, kv in ipairs(fields) do
    table.insert(parts, kv[1] .. "=" .. kv[2])
  end
  return table.concat(parts, "&")
end

local function post(path, cookie, body)
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
    ["Cookie"] = cookie,
  }, body)
end

local function reply(cookie)
  return post("/api/discussions/reply", cookie, form({
    {"slug", "bench-00"}, {"thread_id", thread_id},
    {"body", "Benchmark+reply+" .. mode .. "+" .. nonce .. "+" .. tid .. "+" .. counter .. "+about+the+river"},
  }))
end

local function contribute(cookie)
  return post("/api/impact/log_contribution", cookie, form({
    {"slug", "bench-00"}, {"form[description]", "Bench+work+" .. tid .. "+" .. counter},
    {"form[done_on]", done_on}, {"form[quantity]", "3"}, {"form[hours]", "2"},
    {"form[goal_id]", "2"}, {"form[initiative_id]", "1"}, {"form[evidence_url]", ""}, {"form[note]", ""},
  }))
end

-- Answers the contended event (its id comes in the thread-id argument): going or not
-- going at random, so seats keep freeing and filling while the waitlist moves.
local function rsvp(cookie)
  local answer = (math.random(2) == 1) and "going" or "not_going"
  return post("/api/events/rsvp", cookie, form({
    {"slug", "bench-00"}, {"occurrence_id", thread_id}, {"response", answer}, {"guests", "0"},
  }))
end

request = function()
  counter = counter + 1
  local cookie = cookies[((counter + tid * 13) % #cookies) + 1]
  if mode == "reply" then return reply(cookie) end
  if mode == "contribute" then return contribute(cookie) end
  if mode == "rsvp" then return rsvp(cookie) end
  -- mixed: 80% reads of the read pages, 20% writes (replies and contributions)
  local roll = math.random(100)
  if roll <= 80 then
    return wrk.format("GET", reads[math.random(#reads)], { ["Cookie"] = cookie })
  elseif roll <= 90 then
    return reply(cookie)
  else
    return contribute(cookie)
  end
end

-- The JSON summary and error reporting are report.lua's, next to this file.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")
