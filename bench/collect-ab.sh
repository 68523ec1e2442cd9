#!/usr/bin/env bash
# A/B of collect builds on a busy machine: every build runs at once (each `sluice serve` on a fresh data folder with a
# data_manager token), warmed up in turn, then measured in alternating windows of WIN seconds (`wrk -t2 -c64`, the
# seed's webhook body, one event per request), the order reversed every other round. Windows of different builds are
# seconds apart, so load from outside hits them alike; the median over rounds of each build's CPU per request (its
# utime+stime over the window, divided by its requests) is the figure to compare. Processing's catch-up after a
# window is counted by the 0.3 s tail of that window only.
#
#   bench/collect-ab.sh ROUNDS "name|path/to/sluice.dll|ENV=value ...|&query=extra" ...
#   e.g. bench/collect-ab.sh 6 "before|/tmp/a/sluice.dll||" "after|src/Sluice/bin/Release/net10.0/sluice.dll||"
#   HUNDRED=1 ... (100 events per request)   BARE=1 ... (the bare endpoint as one more contender)
set -uo pipefail
cd "$(dirname "$0")/.."
ROUNDS=$1; shift
WIN=${WIN:-5}
WORK=$(mktemp -d /tmp/sluice-ab.XXXXXX)
BODY='{"city":"AnyTown","country":"United States","first_name":"John","gender":"male","language":"English","last_name":"Smith","date_of_birth":"19820101","phone_number":"5551231234","time_zone":"GMT+7","twitter_handle":"johnsmith","email":"john.smith@email.com","braze_id":"xxxxxx"}'
printf '%s' "$BODY" > "$WORK/body.json"
if [[ -n "${HUNDRED:-}" ]]; then
  { printf '['; for i in $(seq 1 100); do [[ $i -gt 1 ]] && printf ','; printf '%s' "$BODY"; done; printf ']'; } > "$WORK/body.json"
fi
names=(); pids=(); urls=(); port=5300
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
for v in "$@"; do
  IFS='|' read -r name dll envs qs <<<"$v"
  port=$((port + 1)); data="$WORK/data-$name"
  out=$(dotnet "$dll" token create --data "$data" --name bench --role data_manager --expires never)
  account=$(sed -n 's/.*for account \([0-9]*\),.*/\1/p' <<<"$out"); secret=$(grep -m1 '^slc_' <<<"$out")
  env $envs dotnet "$dll" serve --data "$data" --urls "http://127.0.0.1:$port" > "$WORK/$name.log" 2>&1 &
  pids+=($!); names+=("$name"); urls+=("http://127.0.0.1:$port/c/$account/braze_users?key=$secret$qs")
done
if [[ -n "${BARE:-}" ]]; then
  [[ -f bench/Sluice.Benchmarks/bin/Release/net10.0/Sluice.Benchmarks.dll ]] || dotnet build -c Release bench/Sluice.Benchmarks -v q -nologo >/dev/null
  dotnet bench/Sluice.Benchmarks/bin/Release/net10.0/Sluice.Benchmarks.dll bare http://127.0.0.1:5399 > "$WORK/bare.log" 2>&1 &
  pids+=($!); names+=(bare); urls+=("http://127.0.0.1:5399/c/1/braze_users")
fi
for u in "${urls[@]}"; do for _ in $(seq 1 300); do curl -fs -o /dev/null -X POST -d '{}' "$u" && break; sleep 0.2; done; done
for u in "${urls[@]}"; do BODY_FILE="$WORK/body.json" wrk -t2 -c64 -d"${WARM:-15}s" -s bench/wrk/post.lua "$u" >/dev/null; done
echo "$(date -u '+%H:%M:%S') UTC, load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$ROUNDS"); do
  order=("${!names[@]}"); (( r % 2 == 0 )) && mapfile -t order < <(printf '%s\n' "${order[@]}" | tac)
  for i in "${order[@]}"; do
    before=$(awk '{print $14 + $15}' "/proc/${pids[$i]}/stat")
    res=$(BODY_FILE="$WORK/body.json" wrk -t2 -c64 -d"${WIN}s" -s bench/wrk/post.lua "${urls[$i]}" | grep RESULT)
    sleep 0.3
    after=$(awk '{print $14 + $15}' "/proc/${pids[$i]}/stat")
    echo "${names[$i]} $((after - before)) $res" >> "$WORK/raw"
  done
done
python3 - "$WORK/raw" "$(getconf CLK_TCK)" <<'PY'
import re, sys, statistics as st
tick = int(sys.argv[2]); rows = {}
for line in open(sys.argv[1]):
    name, ticks, rest = line.split(" ", 2)
    f = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", rest)}
    rows.setdefault(name, []).append((int(ticks) / tick * 1e6 / max(f["requests"], 1), f["requests"] / (f["duration_us"] / 1e6), f["p99_us"] / 1000))
for name, v in rows.items():
    cpu = [x[0] for x in v]
    print(f"{name:<12} CPU µs/req median {st.median(cpu):6.1f} (each window: {' '.join(f'{c:.0f}' for c in cpu)}); "
          f"req/s median {st.median(x[1] for x in v):8,.0f}; p99 median {st.median(x[2] for x in v):.1f} ms")
PY
echo "$(date -u '+%H:%M:%S') UTC, load $(cut -d' ' -f1-3 /proc/loadavg)"
