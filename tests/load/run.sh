#!/usr/bin/env bash
# Load test on loopback: a demo server (SQLite by default, or $HEMEI_LOAD_DATABASE_URL), then
# Locust with the mixed workload of tests/load/locustfile.py for a bounded time. Prints Locust's
# figures (requests/s, p50, p99, failures) and the server's memory before and after.
#
#   pip install -e '.[load]' && bash tests/load/run.sh [USERS=20] [SECONDS=60]
#
# Not part of the test suite; every request goes to 127.0.0.1 only and the run stops by itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
users=${1:-20}
seconds=${2:-60}
port=${HEMEI_LOAD_PORT:-8765}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

# The demo config with the rate limits raised: the load comes from a handful of accounts.
cp core/demo/hemei.demo.toml "$work/hemei.toml"
sed -i "s#^url = .*#url = \"${HEMEI_LOAD_DATABASE_URL:-sqlite://$work/hemei.sqlite3}\"#" "$work/hemei.toml"
printf '\n[limits]\nrate_per_minute = 0\nanonymous_rate_per_minute = 0\n' >> "$work/hemei.toml"

.venv/bin/hemei demo --config "$work/hemei.toml" --port "$port" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$port/readyz" > /dev/null 2>&1 && break
    sleep 1
done
rss() { ps -o rss= -p "$server" | awk '{printf "%.1f MB", $1 / 1024}'; }
echo "server RSS before: $(rss)"
.venv/bin/locust -f tests/load/locustfile.py --headless -u "$users" -r "$users" \
    -t "${seconds}s" --host "http://127.0.0.1:$port" --csv "$work/load" --only-summary \
    --stop-timeout 5 || status=$?
echo "server RSS after: $(rss)"
python3 - "$work/load_stats.csv" <<'PY'
import csv, sys
rows = {r["Name"]: r for r in csv.DictReader(open(sys.argv[1]))}
total = rows["Aggregated"]
print(f"requests {total['Request Count']}, failures {total['Failure Count']}, "
      f"{float(total['Requests/s']):.1f} req/s, p50 {total['50%']} ms, p99 {total['99%']} ms")
PY
exit "${status:-0}"
