#!/usr/bin/env bash
# The live push under load, SignalR beside a raw WebSocket broadcast of the same bytes from the same server.
#
# Builds the product in Release and runs it as a real process (web co-hosting the silo, SQLite with
# synchronous=FULL in a new temporary data folder, loopback ports nobody listens on) with a generated halls file
# (halls.mjs) and the bench-only raw endpoint on (HallMonitor:Bench:RawPush=true). Then, against that one process,
# push.mjs warms up (WARMUP_SECONDS of the city shape with each kind of client), then runs each shape with SignalR
# clients and with raw clients, ROUNDS times, alternating which goes first:
#   city: CITY_HALLS halls × CITY_CLIENTS clients, PER_HOUR ticket lifecycles an hour per hall (5 events each);
#   hall: the first hall alone with HALL_CLIENTS clients, HALL_PER_HOUR lifecycles an hour over HALL_LANES windows.
# Prints one line of JSON per run and a table. Stops the server and deletes its data at the end.
#
#   bench/push/run.sh
#   SECONDS_EACH=30 ROUNDS=1 SHAPES=hall bench/push/run.sh
#   SOURCE=/tmp/before bench/push/run.sh     # the server built from another checkout (git archive <commit>), same driver
set -euo pipefail

seconds=${SECONDS_EACH:-60}
warmup=${WARMUP_SECONDS:-15}
rounds=${ROUNDS:-2}
workers=${WORKERS:-2}
city_halls=${CITY_HALLS:-200}
city_clients=${CITY_CLIENTS:-10}
per_hour=${PER_HOUR:-1000}
hall_clients=${HALL_CLIENTS:-2000}
hall_per_hour=${HALL_PER_HOUR:-1000}
hall_lanes=${HALL_LANES:-1}
shapes=${SHAPES:-city hall}

here=$(cd "$(dirname "$0")" && pwd)
root=${SOURCE:-$(cd "$here/../.." && pwd)}
[[ -d "$here/node_modules/ws" ]] || (cd "$here" && npm ci --no-audit --no-fund >&2)

dotnet build -c Release "$root/web" -nologo -clp:ErrorsOnly -v q >&2

source "$here/../lib.sh"
# Below the ephemeral ports the 2,000 clients take.
free_port http_port 32000; free_port silo_port 32000; free_port gateway_port 32000
url="http://127.0.0.1:$http_port"
data=$(mktemp -d -t hallmonitor-push-XXXXXX)
lanes=$(( hall_lanes > 1 ? hall_lanes : 1 ))
node "$here/halls.mjs" "$city_halls" "$lanes" >"$data/halls.json"

(
  cd "$root/web/bin/Release/net10.0"
  exec dotnet HallMonitor.Web.dll --urls "$url" --HallMonitor:DataDir="$data/data" --HallMonitor:HallsFile="$data/halls.json" \
    --HallMonitor:SiloPort="$silo_port" --HallMonitor:GatewayPort="$gateway_port" --Logging:LogLevel:Default=Warning \
    --HallMonitor:RateLimit:CommandsPerMinute=0 --HallMonitor:Bench:RawPush=true
) >"$data/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$data"' EXIT

wait_ready "$url" "$server" "$data/server.log"

echo "$(nproc) cores; $(uname -sr); node $(node --version); server $url (pid $server) built from $root at $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "an archive"); SQLite in $data"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
results="$data/results.jsonl"
run() {
  local label=$1 mode=$2; shift 2
  node "$here/push.mjs" --url "$url" --mode "$mode" --seconds "$seconds" --workers "$workers" --server-pid "$server" \
    --label "$label" "$@" | tee -a "$results"
}
# Warm-up, not recorded: both kinds of clients on the city shape, so that neither measured run pays for the JIT.
for mode in signalr raw; do
  echo "## warm-up, city, $mode, ${warmup} s"
  node "$here/push.mjs" --url "$url" --mode "$mode" --seconds "$warmup" --workers "$workers" --server-pid "$server" \
    --label warm-up --halls "$city_halls" --clients "$city_clients" --lanes 1 --per-hour "$per_hour" | tail -c 300
done
# SignalR and raw alternate which goes first, round by round.
for round in $(seq "$rounds"); do
  for shape in $shapes; do
    if (( round % 2 )); then modes="signalr raw"; else modes="raw signalr"; fi
    for mode in $modes; do
      echo "## round $round, $shape, $mode — load average $(cut -d' ' -f1-3 /proc/loadavg)"
      if [[ $shape == city ]]; then
        run city "$mode" --halls "$city_halls" --clients "$city_clients" --lanes 1 --per-hour "$per_hour"
      else
        run hall "$mode" --halls 1 --clients "$hall_clients" --lanes "$lanes" --per-hour "$hall_per_hour"
      fi
    done
  done
done

echo
node "$here/table.mjs" <"$results"
echo "series of Kestrel's memory pool meter in /metrics: $(curl -fsS "$url/metrics" | grep -c '^microsoft_aspnetcore_memorypool' || true)"
echo "server log, warnings and errors:"
grep -E '^(warn|fail|crit)' -A1 "$data/server.log" | grep -v '^--' | cut -c1-160 | sort | uniq -c | sort -rn | head -8 || true
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
