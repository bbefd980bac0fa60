#!/usr/bin/env bash
# Where the server's time goes during durable issuance: the Release product as a real process (as run.sh runs it),
# wrk issuing as in run.sh, and dotnet-trace sampling the server's thread stacks for 10 s in the middle of the run.
# The trace is converted to speedscope and summed by split.py: the share of the server's running samples by the
# innermost component on the stack (SQLite's writer, GC, Kestrel and ASP.NET Core, Orleans, grain code, ...).
#
#   bench/http/profile.sh                  # builds web in Release; trace and summary under a new temporary folder
#   SERVER=/tmp/before bench/http/profile.sh
#
# dotnet-trace is installed as a local tool in that folder (10.0.750501 restores here).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
server_dir=${SERVER:-}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
if [[ -z $server_dir ]]; then
  dotnet build -c Release "$root/web" -nologo -clp:ErrorsOnly -v q >&2
  server_dir=$root/web/bin/Release/net10.0
fi

out=$(mktemp -d -t hallmonitor-profile-XXXXXX)
(cd "$out" && dotnet new tool-manifest >/dev/null && dotnet tool install dotnet-trace --version 10.0.750501 >/dev/null)

source "$here/../lib.sh"
free_port http_port; free_port silo_port; free_port gateway_port
url="http://127.0.0.1:$http_port"
(
  cd "$server_dir"
  exec dotnet HallMonitor.Web.dll --urls "$url" --HallMonitor:DataDir="$out/data" \
    --HallMonitor:SiloPort="$silo_port" --HallMonitor:GatewayPort="$gateway_port" --Logging:LogLevel:Default=Warning \
    --HallMonitor:RateLimit:CommandsPerMinute=0
) >"$out/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$out/data"' EXIT
wait_ready "$url" "$server" "$out/server.log"

echo "load average $(cut -d' ' -f1-3 /proc/loadavg); $server_dir; results in $out"
wrk -t2 -c64 -d3s -s "$here/issue.lua" "$url" >/dev/null
wrk -t2 -c64 -d16s --latency -s "$here/issue.lua" "$url" >"$out/wrk.txt" &
load=$!
sleep 2
(cd "$out" && dotnet tool run dotnet-trace collect -p "$server" --profile dotnet-sampled-thread-time \
  --duration 00:00:00:10 --format Speedscope -o "$out/trace.nettrace" >"$out/trace.log" 2>&1)
wait "$load"
grep -E "Requests/sec|50%|99%" "$out/wrk.txt"
python3 "$here/split.py" "$out/trace.speedscope.json"
