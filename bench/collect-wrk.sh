#!/usr/bin/env bash
# The collect benchmark of record: `sluice serve` (Release, fresh data folder) against a bare Kestrel endpoint that
# reads and parses the same JSON body, each driven from outside the process by `wrk -t2 -c64` after a warm-up, with
# the seed's Braze webhook body: one event per request, then 100 per request (a JSON array). Prints requests/s,
# p50/p99, the ratio to the bare endpoint, and CPU per request (the server process's utime+stime from /proc/PID/stat
# over the measured run, divided by its requests), plus processing lag sampled from /readyz.
#
#   bench/collect-wrk.sh [measure seconds, default 10] [warm-up seconds, default 20]
#   SLUICE_DLL=/path/to/sluice.dll bench/collect-wrk.sh   # measure another build, same bare endpoint
#   SLUICE_DLL_B=/path/to/other/sluice.dll bench/collect-wrk.sh   # A/B: a second build measured right after the first
#   SLUICE_ENV_sluiceB="Sluice__Processing__LiveBatchWindow=00:00:00" ...   # settings for one of them only
#   PER_REQUEST="1" bench/collect-wrk.sh   # only the single-event case (default "1 100")
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

PER_REQUEST=${PER_REQUEST:-1 100}
if [[ -z "${SLUICE_DLL:-}" ]]; then
  dotnet build -c Release src/Sluice -v q -nologo >/dev/null
  SLUICE_DLL=src/Sluice/bin/Release/net10.0/sluice.dll
fi
[[ -f bench/Sluice.Benchmarks/bin/Release/net10.0/Sluice.Benchmarks.dll && -n "${SKIP_BENCH_BUILD:-}" ]] ||
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

# Warms up, then measures: appends "LABEL RESULT ... cpu_ticks=N" (the server's CPU over the measured run) to results.
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
# start_sluice NAME DLL PORT: sets URL_<NAME>, PID_<NAME>, PORT_<NAME>.
start_sluice() {
  local name=$1 dll=$2 port=$3 data="$WORK/data-$1" out account secret pid
  out=$(dotnet "$dll" token create --data "$data" --name bench --role data_manager --expires never)
  account=$(sed -n 's/.*for account \([0-9]*\),.*/\1/p' <<<"$out")
  secret=$(grep -m1 '^slc_' <<<"$out")
  local extra=SLUICE_ENV_$name
  env ${!extra:-} Sluice__Processing__ReadinessMaxLag=00:00:00 dotnet "$dll" serve --data "$data" --urls "http://127.0.0.1:$port" > "$WORK/$name.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  wait_for "http://127.0.0.1:$port/healthz"
  printf -v "URL_$name" '%s' "http://127.0.0.1:$port/c/$account/braze_users?key=$secret"
  printf -v "PID_$name" '%s' "$pid"
  printf -v "PORT_$name" '%s' "$port"
}
NAMES=(sluice)
start_sluice sluice "$SLUICE_DLL" "$SLUICE_PORT"
if [[ -n "${SLUICE_DLL_B:-}" ]]; then
  NAMES+=(sluiceB)
  start_sluice sluiceB "$SLUICE_DLL_B" $((SLUICE_PORT + 1))
fi

for per in $PER_REQUEST; do
  body="$WORK/one.json"; [[ $per == 100 ]] && body="$WORK/hundred.json"
  measure "http://127.0.0.1:$BARE_PORT/c/1/braze_users" "$body" "$BARE_PID" "bare-$per"
  for name in "${NAMES[@]}"; do
    url="URL_$name"; pid="PID_$name"; port="PORT_$name"
    ( sleep "$WARMUP"; python3 bench/wrk/lag.py "http://127.0.0.1:${!port}" "$MEASURE" > "$WORK/lag-$name-$per" ) &
    measure "${!url}" "$body" "${!pid}" "$name-$per"
    # Counted from the moment the load stops (the lag sampler may still be finishing its last look).
    if [[ $per == 100 ]]; then
      python3 bench/wrk/lag.py "http://127.0.0.1:${!port}" 60 --until-caught-up > "$WORK/catchup-$name-100"
    fi
    wait $!
  done
done

python3 - "$WORK" "$TICK" "$PER_REQUEST" "${NAMES[@]}" <<'PY'
import re, sys
work, tick, pers, names = sys.argv[1], int(sys.argv[2]), [int(p) for p in sys.argv[3].split()], sys.argv[4:]
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
for per in pers:
    b = fig(f"bare-{per}", per)
    print(f"{f'bare, {per}/request':<22}{b[0]:>10,.0f}{b[1]:>11,.0f}{b[2]:>8.2f}{b[3]:>8.2f}{b[4]:>12.1f}{b[5]:>8}")
    for name in names:
        s = fig(f"{name}-{per}", per)
        print(f"{f'{name}, {per}/request':<22}{s[0]:>10,.0f}{s[1]:>11,.0f}{s[2]:>8.2f}{s[3]:>8.2f}{s[4]:>12.1f}{s[5]:>8}")
        print(f"{'':<22}ratio (req/s) {s[0] / b[0]:.2f}; CPU per request {name}/bare {s[4] / b[4]:.1f}x; " + open(f"{work}/lag-{name}-{per}").read().strip())
        if per == 100:
            print(f"{'':<22}after the load: " + open(f"{work}/catchup-{name}-100").read().strip())
PY
echo "load at the end:$(uptime | sed 's/.*load average://')"
for name in "${NAMES[@]}"; do grep -E 'fail|error|Error' "$WORK/$name.log" | head -5 || true; done
