-- wrk script: each thread (one connection each) alternates activate and
-- opt-out on its own unlocked benefit of Contoso, carrying the benefit's
-- version (ETag) of each response into the next If-Match. Every request is a
-- real, durable state change (domain re-evaluation, If-Match check, audit
-- entry, committed write). Environment: COOKIE and CSRF of a Contoso admin;
-- FIRST_BENEFIT (default 1) picks where this wrk's threads start in the list,
-- so that two wrk processes (one per app server) never share a benefit.
local cookie = os.getenv("COOKIE")
local csrf = os.getenv("CSRF")
local benefits = {"listing-optimization", "promotion-resources", "sales-enablement", "technical-presales"}
local counter = tonumber(os.getenv("FIRST_BENEFIT") or "1") - 1
local threads = {}
function setup(thread)
  counter = counter + 1
  thread:set("bid", benefits[((counter - 1) % #benefits) + 1])
  table.insert(threads, thread)
end
function init(args)
  version = 0
  activate = true
  ok = 0
  stale = 0
  conflict = 0
end
function request()
  local action = activate and "activate" or "opt-out"
  return wrk.format("POST", "/api/partners/contoso/benefits/" .. bid .. "/" .. action, {
    ["Cookie"] = cookie, ["X-CSRF-Token"] = csrf, ["If-Match"] = '"' .. version .. '"'
  }, "")
end
function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
    local etag = headers["etag"] or headers["ETag"]
    version = tonumber(string.match(etag, "%d+"))
    activate = not activate
  elseif status == 412 then
    stale = stale + 1
  else
    conflict = conflict + 1
    activate = not activate
  end
end
function done(summary, latency, requests)
  local o, s, c = 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok"); s = s + t:get("stale"); c = c + t:get("conflict")
  end
  io.write(string.format("activation responses: 200=%d 412=%d other=%d\n", o, s, c))
end
