#!/usr/bin/env bash
# Durable ticket issuance over HTTP beside the HTTP floor of the same server, with wrk.
#
# Builds the product in Release and runs it as a real process (web co-hosting the silo, SQLite with
# synchronous=FULL in a new temporary data folder) on loopback ports nobody listens on. After a short warm-up
# of both, wrk measures GET /healthz (the floor: a constant answer of the same server, through the same
# Kestrel and middleware, touching no grain) and then POST /api/halls/xinqu/tickets (issue.lua). Prints the
# load average and the server's CPU with each run. Stops the server and deletes its data at the end.
#
#   bench/http/run.sh                          # 2 threads, 64 connections, 15 s each, six matters
#   DURATION=30s CONNECTIONS=128 bench/http/run.sh
#   MATTERS=BIZ-REG,TAX-INV bench/http/run.sh   # issue for these matters (codes of web/halls.json)
#   SERVER=/tmp/before bench/http/run.sh        # run another build (a copy of web/bin/Release/net10.0), not built here
set -euo pipefail

duration=${DURATION:-15s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
warmup=${WARMUP:-3s}
matters=${MATTERS:-}
server_dir=${SERVER:-}

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }

if [[ -z $server_dir ]]; then
  dotnet build -c Release "$root/web" -nologo -clp:ErrorsOnly -v q >&2
  server_dir=$root/web/bin/Release/net10.0
fi

source "$here/../lib.sh"
free_port http_port; free_port silo_port; free_port gateway_port
url="http://127.0.0.1:$http_port"
data=$(mktemp -d -t hallmonitor-http-XXXXXX)

(
  cd "$server_dir"
  exec dotnet HallMonitor.Web.dll --urls "$url" --HallMonitor:DataDir="$data/data" \
    --HallMonitor:SiloPort="$silo_port" --HallMonitor:GatewayPort="$gateway_port" --Logging:LogLevel:Default=Warning \
    --HallMonitor:RateLimit:CommandsPerMinute=0
) >"$data/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$data"' EXIT

wait_ready "$url" "$server" "$data/server.log" 120

ticks=$(getconf CLK_TCK)
server_cpu() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }

# Runs wrk with the given arguments and prints the server's CPU over the run (100 % = one core).
measure() {
  local name=$1; shift
  echo
  echo "## $name — load average $(cut -d' ' -f1-3 /proc/loadavg)"
  local before started ended
  before=$(server_cpu); started=$(date +%s.%N)
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@"
  ended=$(date +%s.%N)
  awk -v c="$(( $(server_cpu) - before ))" -v t="$ticks" -v s="$started" -v e="$ended" \
    'BEGIN { printf "server CPU: %.0f %% (100 %% = one core)\n", 100 * c / t / (e - s) }'
}

echo "$(nproc) cores; $(uname -sr); $server_dir; server $url, silo port $silo_port, gateway port $gateway_port; SQLite in $data"
echo "warm-up: $warmup of each"
wrk -t"$threads" -c"$connections" -d"$warmup" "$url/healthz" >/dev/null
wrk -t"$threads" -c"$connections" -d"$warmup" -s "$here/issue.lua" "$url" ${matters:+-- "$matters"} >/dev/null

measure "floor: GET /healthz" "$url/healthz"
measure "durable issuance: POST /api/halls/xinqu/tickets${matters:+ ($matters)}" -s "$here/issue.lua" "$url" ${matters:+-- "$matters"}

echo
echo "tickets in the journal: $(sqlite3 "$data/data/hallmonitor.db" "SELECT count(*) FROM journal WHERE type = 'ticketIssued'" 2>/dev/null || echo '?')"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
