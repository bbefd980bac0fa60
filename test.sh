#!/usr/bin/env bash
# Runs the whole HallMonitor test suite on a fresh machine: installs what the tests need and is missing
# (Debian and npm packages), then runs every test project with `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")"

# promtool (checks /metrics and the alerting rules), Chromium and CJK fonts (browser tests and screenshots),
# PostgreSQL (the storage tests start throw-away servers from /usr/lib/postgresql/*/bin).
apt_packages=(prometheus chromium fonts-noto-cjk postgresql redis-server)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

dotnet build HallMonitor.sln -nologo -clp:ErrorsOnly
# One test project at a time: the cluster tests run six processes and two databases, and the grain tests time
# their calls; side by side on a small machine they would slow each other into timeouts.
dotnet test HallMonitor.sln --no-build -nologo -m:1 --logger "console;verbosity=minimal"
