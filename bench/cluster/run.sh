#!/usr/bin/env bash
# The city on one machine, measured: two silos (membership and reminders in Redis, journal in PostgreSQL) and two
# web replicas that are Orleans clients, all Release builds on loopback, beside the single process of the same
# build on the same PostgreSQL and on SQLite.
#
#   1. durable issuance (wrk, bench/http/issue.lua): the single process; the cluster through one replica; through
#      both at once (two wrk, half the connections each);
#   2. command-to-wall latency: a wall on one replica, commands through the other (and through the same one);
#   3. false evictions: the silos' logs after the load, for any silo suspected or declared dead;
#   4. failover: each silo in turn killed with SIGKILL during a burst, then started again; then a SIGTERM.
#
#   bench/cluster/run.sh                    # 64 connections, 15 s per wrk run
#   DURATION=30s CONNECTIONS=128 bench/cluster/run.sh
#
# Needs redis-server, PostgreSQL (Debian's packages), wrk and node; run as root or as a user that can run
# PostgreSQL's binaries. Everything runs in a temporary folder, deleted at the end.
set -euo pipefail

duration=${DURATION:-15s}
connections=${CONNECTIONS:-64}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
for tool in wrk node redis-server; do command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 2; }; done
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

dotnet build -c Release "$root/silo" -nologo -clp:ErrorsOnly -v q >&2
dotnet build -c Release "$root/web" -nologo -clp:ErrorsOnly -v q >&2
silo_dir="$root/silo/bin/Release/net10.0"
web_dir="$root/web/bin/Release/net10.0"

source "$here/../lib.sh"

work=$(mktemp -d -t hallmonitor-city-XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  [ -d "$work/pg/data" ] && as_postgres "$pgbin/pg_ctl" stop -D "$work/pg/data" -m immediate >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# Redis (append-only file, as in production) and PostgreSQL.
free_port redis_port
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --appendonly yes --save "" --loglevel warning >"$work/redis.log" 2>&1 &
pids+=($!)
free_port pg_port
mkdir -p "$work/pg"
[ "$(id -u)" -eq 0 ] && chown postgres "$work/pg"
as_postgres "$pgbin/initdb" -D "$work/pg/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
as_postgres "$pgbin/pg_ctl" start -D "$work/pg/data" -w -l "$work/pg/server.log" \
  -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=120" >/dev/null
for db in city single; do
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE $db" >/dev/null
done
pg() { echo "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$1"; }

halls="$root/web/halls.json"
cluster=(--HallMonitor:HallsFile="$halls" --HallMonitor:Clustering=redis --HallMonitor:Redis="127.0.0.1:$redis_port"
  --HallMonitor:ClusterId=bench --HallMonitor:ServiceId=bench --Logging:LogLevel:Default=Warning
  --HallMonitor:RateLimit:CommandsPerMinute=0)

# start NAME DIR DLL HTTP_PORT ARGS...: starts a process, records its pid in pid_NAME.
start() {
  local name=$1 dir=$2 dll=$3 port=$4; shift 4
  (cd "$dir" && exec dotnet "$dll" --urls "http://127.0.0.1:$port" "$@") >>"$work/$name.log" 2>&1 &
  pids+=($!)
  printf -v "pid_$name" '%s' "$!"
}
ready() {
  for _ in $(seq 240); do
    curl -fsS "http://127.0.0.1:$1/readyz" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "port $1 did not get ready" >&2
  return 1
}

free_port silo1_http; free_port silo2_http; free_port web1_http; free_port web2_http
free_port silo1_silo; free_port silo1_gateway; free_port silo2_silo; free_port silo2_gateway
silo1_ports=(--HallMonitor:SiloPort="$silo1_silo" --HallMonitor:GatewayPort="$silo1_gateway")
silo2_ports=(--HallMonitor:SiloPort="$silo2_silo" --HallMonitor:GatewayPort="$silo2_gateway")
start_silo() {
  local n=$1 http=$2; shift 2
  start "silo$n" "$silo_dir" HallMonitor.Silo.dll "$http" "${cluster[@]}" --HallMonitor:SiloName="silo$n" \
    --HallMonitor:Storage=postgres --HallMonitor:Postgres="$(pg city)" "$@"
}
start_silo 1 "$silo1_http" "${silo1_ports[@]}"
start_silo 2 "$silo2_http" "${silo2_ports[@]}"
ready "$silo1_http"; ready "$silo2_http"
start web1 "$web_dir" HallMonitor.Web.dll "$web1_http" "${cluster[@]}" --HallMonitor:Silo=client
start web2 "$web_dir" HallMonitor.Web.dll "$web2_http" "${cluster[@]}" --HallMonitor:Silo=client
ready "$web1_http"; ready "$web2_http"
web1="http://127.0.0.1:$web1_http"; web2="http://127.0.0.1:$web2_http"

summary() { grep -E "^Requests/sec|^  Latency  |^     50%|^     99%|Non-2xx" || true; }
issue() { wrk -t2 -c"$1" -d"$duration" --latency -s "$root/bench/http/issue.lua" "$2"; }

echo "$(nproc) cores; $(uname -sr); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "warm-up"
wrk -t2 -c"$connections" -d3s -s "$root/bench/http/issue.lua" "$web1" >/dev/null
wrk -t2 -c"$connections" -d3s -s "$root/bench/http/issue.lua" "$web2" >/dev/null

echo; echo "## cluster, durable issuance through one replica ($connections connections)"
issue "$connections" "$web1" | summary
echo; echo "## cluster, durable issuance through both replicas ($((connections / 2)) connections each, at once)"
issue $((connections / 2)) "$web1" >"$work/wrk1.txt" & a=$!
issue $((connections / 2)) "$web2" >"$work/wrk2.txt" & b=$!
wait $a $b
echo "web1:"; summary <"$work/wrk1.txt"; echo "web2:"; summary <"$work/wrk2.txt"

echo; echo "## command-to-wall latency (one command at a time)"
echo -n "wall on web2, commands through web1: "; node "$here/push.mjs" "$web2" "$web1" 1000
echo -n "wall on web1, commands through web1: "; node "$here/push.mjs" "$web1" "$web1" 1000

echo; echo "## false evictions under the load above"
grep -hiE "declared dead|Evicting|as suspect|DeclareDead" "$work"/silo*.log | head -5 || true
echo "silo log lines naming a suspicion or death: $(grep -hciE "declared dead|Evicting|as suspect|DeclareDead" "$work"/silo*.log | awk '{ s += $1 } END { print s + 0 }')"

echo; echo "## failover"
node "$here/failover.mjs" "$web1,$web2" "$pid_silo1" SIGKILL 15 3000
start_silo 1 "$silo1_http" "${silo1_ports[@]}"; ready "$silo1_http"; sleep 3
node "$here/failover.mjs" "$web1,$web2" "$pid_silo2" SIGKILL 15 3000
start_silo 2 "$silo2_http" "${silo2_ports[@]}"; ready "$silo2_http"; sleep 3
node "$here/failover.mjs" "$web1,$web2" "$pid_silo1" SIGTERM 15 3000
start_silo 1 "$silo1_http" "${silo1_ports[@]}"; ready "$silo1_http"
for hall in xinqu ganjingzi; do
  echo "journal of $hall: $(curl -fsS "$web1/api/halls/$hall/journal/verify")"
done

# The single process on the same build: PostgreSQL, then SQLite.
for pid in "${pids[@]:1}"; do kill "$pid" 2>/dev/null || true; done
sleep 3
free_port single_http
free_port single_silo; free_port single_gateway
single=(--HallMonitor:HallsFile="$halls" --HallMonitor:SiloPort="$single_silo" --HallMonitor:GatewayPort="$single_gateway" --Logging:LogLevel:Default=Warning
  --HallMonitor:RateLimit:CommandsPerMinute=0)
start single_pg "$web_dir" HallMonitor.Web.dll "$single_http" "${single[@]}" --HallMonitor:Storage=postgres --HallMonitor:Postgres="$(pg single)"
ready "$single_http"
wrk -t2 -c"$connections" -d3s -s "$root/bench/http/issue.lua" "http://127.0.0.1:$single_http" >/dev/null
echo; echo "## single process on PostgreSQL, durable issuance ($connections connections)"
issue "$connections" "http://127.0.0.1:$single_http" | summary
kill "$pid_single_pg"; sleep 2
free_port single_http
start single_sqlite "$web_dir" HallMonitor.Web.dll "$single_http" "${single[@]}" --HallMonitor:DataDir="$work/sqlite"
ready "$single_http"
wrk -t2 -c"$connections" -d3s -s "$root/bench/http/issue.lua" "http://127.0.0.1:$single_http" >/dev/null
echo; echo "## single process on SQLite (FULL), durable issuance ($connections connections)"
issue "$connections" "http://127.0.0.1:$single_http" | summary
echo; echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
