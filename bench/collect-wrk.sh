#!/usr/bin/env bash
# The collect benchmark of record: `sluice serve` (Release, fresh data folder) against a bare Kestrel endpoint that
# reads and parses the same JSON body, each driven from outside the process by `wrk -t2 -c64` after a warm-up, with
# the seed's Braze webhook body: one event per request, then 100 per request (a JSON array). Prints requests/s,
# p50/p99, the ratio to the bare endpoint, and CPU per request (the server process's utime+stime from /proc/PID/stat
# over the measured run, divided by its requests), plus processing lag sampled from /readyz.
#
#   bench/collect-wrk.sh [measure seconds, default 10] [warm-up seconds, default 20]
#   SLUICE_DLL=/path/to/sluice.dll bench/collect-wrk.sh   # measure another build (A/B), same bare endpoint
set -euo pipefail
cd "$(dirname "$0")/.."
MEASURE=${1:-10}
WARMUP=${2:-20}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
SLUICE_PORT=${SLUICE_PORT:-5181}
BARE_PORT=${BARE_PORT:-5191}

if ! command -v wrk >/dev/null; then
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi

if [[ -z "${SLUICE_DLL:-}" ]]; then
  dotnet build -c Release src/Sluice -v q -nologo >/dev/null
  SLUICE_DLL=src/Sluice/bin/Release/net10.0/sluice.dll
fi
dotnet build -c Release bench/Sluice.Benchmarks -v q -nologo >/dev/null
BENCH_DLL=bench/Sluice.Benchmarks/bin/Release/net10.0/Sluice.Benchmarks.dll

WORK=$(mktemp -d /tmp/sluice-wrk.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# The seed's webhook body (the integration guide's example), alone and as an array of 100.
BODY='{"city":"AnyTown","country":"United States","first_name":"John","gender":"male","language":"English","last_name":"Smith","date_of_birth":"19820101","phone_number":"5551231234","time_zone":"GMT+7","twitter_handle":"johnsmith","email":"john.smith@email.com","braze_id":"xxxxxx"}'
printf '%s' "$BODY" > "$WORK/one.json"
{ printf '['; for i in $(seq 1 100); do [[ $i -gt 1 ]] && printf ','; printf '%s' "$BODY"; done; printf ']'; } > "$WORK/hundred.json"

TICK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
wait_for() { for _ in $(seq 1 300); do curl -fs -o /dev/null "$1" -X "${2:-GET}" -d '{}' 2>/dev/null && return 0; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }

# Runs wrk against URL with BODY_FILE; prints "req/s p50 p99 cpu_us/request" and the raw RESULT line to the log.
measure() {
  local url=$1 body=$2 pid=$3 label=$4
  BODY_FILE=$body wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/wrk/post.lua "$url" >/dev/null
  local before after out
  before=$(cpu_ticks "$pid")
  out=$(BODY_FILE=$body wrk -t"$THREADS" -c"$CONNECTIONS" -d"${MEASURE}s" -s bench/wrk/post.lua "$url" | grep '^RESULT')
  after=$(cpu_ticks "$pid")
  echo "$label $out cpu_ticks=$((after - before))" >> "$WORK/results"
}

echo "$(date -u '+%Y-%m-%d %H:%M:%S') UTC; $(nproc) cores; load:$(uptime | sed 's/.*load average://'); wrk -t$THREADS -c$CONNECTIONS, ${WARMUP} s warm-up, ${MEASURE} s measured"

# Bare endpoint.
dotnet "$BENCH_DLL" bare "http://127.0.0.1:$BARE_PORT" > "$WORK/bare.log" 2>&1 &
BARE_PID=$!; PIDS+=("$BARE_PID")
wait_for "http://127.0.0.1:$BARE_PORT/c/1/s" POST

# Sluice on a fresh data folder, with a data_manager token as a Braze webhook would use. ReadinessMaxLag=0 makes
# /readyz list every partition with an unprocessed event and its age: the lag sampler reads that.
DATA="$WORK/data"
TOKEN_OUT=$(dotnet "$SLUICE_DLL" token create --data "$DATA" --name bench --role data_manager --expires never)
ACCOUNT=$(sed -n 's/.*for account \([0-9]*\),.*/\1/p' <<<"$TOKEN_OUT")
SECRET=$(grep -m1 '^slc_' <<<"$TOKEN_OUT")
Sluice__Processing__ReadinessMaxLag=00:00:00 dotnet "$SLUICE_DLL" serve --data "$DATA" --urls "http://127.0.0.1:$SLUICE_PORT" > "$WORK/sluice.log" 2>&1 &
SLUICE_PID=$!; PIDS+=("$SLUICE_PID")
wait_for "http://127.0.0.1:$SLUICE_PORT/healthz"
SLUICE_URL="http://127.0.0.1:$SLUICE_PORT/c/$ACCOUNT/braze_users?key=$SECRET"

measure "http://127.0.0.1:$BARE_PORT/c/1/braze_users" "$WORK/one.json" "$BARE_PID" bare-1
( sleep "$WARMUP"; python3 bench/wrk/lag.py "http://127.0.0.1:$SLUICE_PORT" "$MEASURE" > "$WORK/lag-1" ) &
measure "$SLUICE_URL" "$WORK/one.json" "$SLUICE_PID" sluice-1
wait $!
measure "http://127.0.0.1:$BARE_PORT/c/1/braze_users" "$WORK/hundred.json" "$BARE_PID" bare-100
( sleep "$WARMUP"; python3 bench/wrk/lag.py "http://127.0.0.1:$SLUICE_PORT" "$MEASURE" > "$WORK/lag-100" ) &
measure "$SLUICE_URL" "$WORK/hundred.json" "$SLUICE_PID" sluice-100
wait $!
python3 bench/wrk/lag.py "http://127.0.0.1:$SLUICE_PORT" 60 --until-caught-up > "$WORK/catchup-100"

python3 - "$WORK" "$TICK" <<'PY'
import re, sys
work, tick = sys.argv[1], int(sys.argv[2])
rows = {}
for line in open(f"{work}/results"):
    label, rest = line.split(" ", 1)
    rows[label] = {k: float(v) for k, v in re.findall(r"(\w+)=(\d+)", rest)}
def fig(label, per):
    r = rows[label]
    rps = r["requests"] / (r["duration_us"] / 1e6)
    cpu = r["cpu_ticks"] / tick * 1e6 / max(r["requests"], 1)
    return rps, rps * per, r["p50_us"] / 1000, r["p99_us"] / 1000, cpu, int(r["non2xx"] + r["socket_errors"])
print(f"{'case':<22}{'req/s':>10}{'events/s':>11}{'p50 ms':>8}{'p99 ms':>8}{'CPU µs/req':>12}{'errors':>8}")
for per in (1, 100):
    b, s = fig(f"bare-{per}", per), fig(f"sluice-{per}", per)
    for name, f in ((f"bare, {per}/request", b), (f"sluice, {per}/request", s)):
        print(f"{name:<22}{f[0]:>10,.0f}{f[1]:>11,.0f}{f[2]:>8.2f}{f[3]:>8.2f}{f[4]:>12.1f}{f[5]:>8}")
    print(f"{'':<22}ratio (req/s) {s[0] / b[0]:.2f}; CPU per request sluice/bare {s[4] / b[4]:.1f}x")
    print(f"{'':<22}" + open(f"{work}/lag-{per}").read().strip())
print(f"{'':<22}after the 100/request load: " + open(f"{work}/catchup-100").read().strip())
PY
echo "load at the end:$(uptime | sed 's/.*load average://')"
grep -E 'fail|error|Error' "$WORK/sluice.log" | grep -v 'First start' | head -5 || true
