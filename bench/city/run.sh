#!/usr/bin/env bash
# A city in one silo: 200 halls × 50 windows, one service day simulated at ×60 by the product itself, beside the
# same day of one hall of 50 windows in the same run (the baseline).
#
# For each shape: writes the halls file (bench city-halls), runs the product in Release as a real process
# (`dotnet HallMonitor.Web.dll`, embedded silo; --HallMonitor:Simulate forces memory storage), lets its in-process
# simulator play the day from 08:30 through the public API, and measures
#   - the process's CPU and resident memory from /proc/PID/stat and /proc/PID/status every 5 s;
#   - the GC heap, allocation rate, GC pauses and thread-pool queue with dotnet-counters, when it is installed
#     (dotnet tool install dotnet-counters --tool-path ~/.dotnet-tools; or COUNTERS=/path/to/dotnet-counters);
#   - push latency: `bench watch` SignalR clients joined to a few halls time every event from the moment the hall
#     stamped it (the simulated `at` turned back into real time through GET /api/simulation) to its arrival;
#   - whether the simulator kept up with its clock: the product logs, once a simulated hour, the longest simulated
#     span one step covered (20 s while the calls keep up).
# Stops at the end of the day (every window closed), at UNTIL_HOUR (e.g. 11: once the simulator's first step
# after 11:00 began), or after MAX_SECONDS of real time (default: the day's ten hours at SPEED, plus 2 minutes).
#
#   bench/city/run.sh                              # 200 × 50 and the 1 × 50 baseline, the whole day each
#   UNTIL_HOUR=11 bench/city/run.sh                # the morning peak only (08:30–11:00)
#   SHAPES="200 20" WINDOWS=50 SPEED=60 bench/city/run.sh
set -euo pipefail

shapes=${SHAPES:-"200 1"}
windows=${WINDOWS:-50}
speed=${SPEED:-60}
until_hour=${UNTIL_HOUR:-}
watch_sockets=${WATCH_SOCKETS:-4}
max_seconds=${MAX_SECONDS:-}

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
counters=${COUNTERS:-$(command -v dotnet-counters || ls ~/.dotnet-tools/dotnet-counters 2>/dev/null || true)}
[ -n "$counters" ] && [ ! -x "$counters" ] && { echo "COUNTERS=$counters is not an executable" >&2; exit 2; }

if [ -z "${NO_BUILD:-}" ]; then
  dotnet build -c Release "$root/web" -nologo -clp:ErrorsOnly -v q >&2
  dotnet build -c Release "$root/bench/HallMonitor.Bench" -nologo -clp:ErrorsOnly -v q >&2
fi
bench_dll="$root/bench/HallMonitor.Bench/bin/Release/net10.0/HallMonitor.Bench.dll"

source "$here/../lib.sh"

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# One shape: $1 halls of $windows windows. Leaves its files in $work/$1.
run_shape() {
  local halls=$1 dir="$work/$1"
  mkdir -p "$dir"
  local http_port silo_port gateway_port url
  free_port http_port; free_port silo_port; free_port gateway_port
  url="http://127.0.0.1:$http_port"
  dotnet "$bench_dll" city-halls --halls "$halls" --windows "$windows" --out "$dir/halls.json"

  (
    cd "$root/web/bin/Release/net10.0"
    exec dotnet HallMonitor.Web.dll --urls "$url" --HallMonitor:HallsFile="$dir/halls.json" --HallMonitor:DataDir="$dir/data" \
      --HallMonitor:Simulate="$speed" --HallMonitor:SiloPort="$silo_port" --HallMonitor:GatewayPort="$gateway_port"
  ) >"$dir/server.log" 2>&1 &
  server=$!
  local started; started=$(date +%s.%N)
  wait_ready "$url" "$server" "$dir/server.log"
  echo
  echo "## $halls hall(s) × $windows windows at ×$speed — ready in $(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s, load average $(cut -d' ' -f1-3 /proc/loadavg)"

  local watch_halls clients
  if [ "$halls" -ge "$watch_sockets" ]; then watch_halls=$watch_sockets; clients=1; else watch_halls=$halls; clients=$((watch_sockets / halls)); fi
  dotnet "$bench_dll" watch --url "$url" --hall-count "$watch_halls" --clients "$clients" --progress-every 60 >"$dir/watch.log" 2>&1 &
  watcher=$!
  if [ -n "$counters" ]; then
    "$counters" collect -p "$server" --counters System.Runtime --format csv -o "$dir/counters.csv" --refresh-interval 5 >"$dir/counters.log" 2>&1 &
    collector=$!
  fi

  # Every 5 s: real seconds, server CPU (100 % = one core), server RSS, watcher CPU, load average.
  local day_hours=10 deadline before wbefore t0 now cpu wcpu
  deadline=$(awk -v s="$(date +%s)" -v h="$day_hours" -v x="$speed" -v m="$max_seconds" 'BEGIN { printf "%d", s + (m != "" ? m : h * 3600 / x + 120) }')
  t0=$(date +%s.%N); before=$(cpu_ticks "$server"); wbefore=$(cpu_ticks "$watcher")
  echo -e "seconds\tserver_cpu_percent\trss_mib\twatcher_cpu_percent\tload1" >"$dir/samples.tsv"
  local last=$t0 printed=0
  while kill -0 "$server" 2>/dev/null; do
    sleep 5
    now=$(date +%s.%N); cpu=$(cpu_ticks "$server"); wcpu=$(cpu_ticks "$watcher")
    awk -v n="$now" -v l="$last" -v t0="$t0" -v c="$((cpu - before))" -v w="$((wcpu - wbefore))" -v k="$ticks" -v r="$(rss_kib "$server")" -v la="$(cut -d' ' -f1 /proc/loadavg)" \
      'BEGIN { printf "%.0f\t%.0f\t%.0f\t%.0f\t%s\n", n - t0, 100 * c / k / (n - l), r / 1024, 100 * w / k / (n - l), la }' >>"$dir/samples.tsv"
    last=$now; before=$cpu; wbefore=$wcpu
    if [ $(( $(date +%s) - printed )) -ge 60 ]; then
      printed=$(date +%s)
      echo "  $(tail -1 "$dir/samples.tsv" | awk -F'\t' '{ printf "%4d s: server CPU %s %%, RSS %s MiB, watcher CPU %s %%, load %s", $1, $2, $3, $4, $5 }') | $(grep -o 'Simulated [0-9:]*: [0-9]* tickets' "$dir/server.log" | tail -1)"
    fi
    if grep -q 'Simulated service day over' "$dir/server.log" \
      || { [ -n "$until_hour" ] && grep -q "Simulated $until_hour:" "$dir/server.log"; } \
      || [ "$(date +%s)" -gt "$deadline" ]; then
      break
    fi
  done

  kill -TERM "$watcher" 2>/dev/null || true; wait "$watcher" 2>/dev/null || true
  [ -n "${collector:-}" ] && { kill -INT "$collector" 2>/dev/null || true; sleep 1; kill "$collector" 2>/dev/null || true; wait "$collector" 2>/dev/null || true; }
  echo "  simulator, once a simulated hour:"
  grep -o 'Simulated [0-9][0-9]:.*' "$dir/server.log" | sed 's/^/    /' || true
  grep -o 'Simulated service day over.*' "$dir/server.log" | sed 's/^/    /' || true
  echo "  verify journal of the first hall: $(curl -fsS "$url/api/halls/$(bench_first_hall "$dir")/journal/verify" || echo '?')"
  echo "  KPIs of the first hall: $(curl -fsS "$url/api/halls/$(bench_first_hall "$dir")/snapshot" | python3 -c 'import json,sys; print(json.load(sys.stdin)["kpis"])' || echo '?')"
  kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true
  python3 "$here/summarize.py" "$dir"
  echo "  push: $(grep -o 'push latency over.*' "$dir/watch.log" || tail -3 "$dir/watch.log")"
  echo "  warnings and errors in the server log: $(grep -cE '^(warn|fail|crit)' "$dir/server.log" || true)"
}

bench_first_hall() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]+"/halls.json"))["halls"][0]["id"])' "$1"; }

work=$(mktemp -d -t hallmonitor-city-XXXXXX)
server=""; watcher=""; collector=""
trap 'for p in $collector $watcher $server; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"' EXIT
echo "$(nproc) cores; $(uname -sr); $(dotnet --version); dotnet-counters: ${counters:-not installed}; files in $work"
for shape in $shapes; do
  run_shape "$shape"
done
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
