# Shared by the bench's shell scripts (`source "$(dirname "$0")/../lib.sh"`): free loopback ports for the product's
# processes, and waiting until one answers /readyz.

bench_taken=" "

# Sets the variable named $1 to a port nothing answers on loopback and that this script has not handed out before,
# from 20000 to below $2 (default 60000). A name rather than an echo: a command substitution is a subshell, which
# would forget the ports already handed out.
free_port() {
  local -n bench_port=$1
  local below=${2:-60000}
  while :; do
    bench_port=$((20000 + RANDOM % (below - 20000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$bench_port") 2>/dev/null && [[ "$bench_taken" != *" $bench_port "* ]]; then
      bench_taken+="$bench_port "
      return
    fi
  done
}

# Waits until $1 answers /readyz, polling the real process every 0.5 s up to $4 times (default 240). When the
# process $2 ends first, prints its log $3; either way a server that never got ready ends the script.
wait_ready() {
  local url=$1 pid=$2 log=$3 tries=${4:-240}
  for _ in $(seq "$tries"); do
    curl -fsS "$url/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.5
  done
  echo "$url did not get ready" >&2
  exit 1
}
