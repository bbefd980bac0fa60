-- Durable ticket issuance: POST /api/halls/xinqu/tickets, rotating over a few matters of the demo hall
-- (web/halls.json) so that several matter grains take numbers. Each thread of wrk runs its own copy.
local matters = { "BIZ-REG", "BIZ-CHG", "TAX-INV", "RE-TRANS", "HH-ID", "SS-CARD" }
local turn = 0

wrk.method = "POST"
wrk.path = "/api/halls/xinqu/tickets"
wrk.headers["Content-Type"] = "application/json"

request = function()
  turn = turn % #matters + 1
  return wrk.format(nil, nil, nil, '{"matter":"' .. matters[turn] .. '"}')
end
