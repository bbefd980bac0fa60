-- Durable ticket issuance: POST /api/halls/xinqu/tickets, rotating over a few matters of the demo hall
-- (web/halls.json) so that several matter grains take numbers. Each thread of wrk runs its own copy.
-- Other matters: wrk ... -s issue.lua URL -- BIZ-REG,TAX-INV
local matters = { "BIZ-REG", "BIZ-CHG", "TAX-INV", "RE-TRANS", "HH-ID", "SS-CARD" }
local turn = 0

init = function(args)
  if #args > 0 then
    matters = {}
    for code in string.gmatch(args[1], "[^,]+") do
      matters[#matters + 1] = code
    end
  end
end

wrk.method = "POST"
wrk.path = "/api/halls/xinqu/tickets"
wrk.headers["Content-Type"] = "application/json"

request = function()
  turn = turn % #matters + 1
  return wrk.format(nil, nil, nil, '{"matter":"' .. matters[turn] .. '"}')
end
