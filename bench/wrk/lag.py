"""Samples processing lag from /readyz while a load runs: the server is started with ReadinessMaxLag=0, so every
partition with an unprocessed event is listed with the age of its oldest one. Prints p50/p99/max of the samples (ms).
With --until-caught-up it instead waits until no partition lags and prints how long that took."""
import json, sys, time, urllib.request

url, seconds = sys.argv[1], float(sys.argv[2])
until_caught_up = "--until-caught-up" in sys.argv

def lag_ms():
    try:
        with urllib.request.urlopen(url + "/readyz", timeout=5) as r:
            body = r.read()
    except urllib.error.HTTPError as e:  # 503 while degraded or unhealthy still carries the report
        body = e.read()
    checks = json.loads(body).get("checks", {})
    worst = 0.0
    for check in checks.values():
        for key, value in (check.get("data") or {}).items():
            if key.startswith("partition_") and "behind" in (check.get("description") or ""):
                worst = max(worst, float(value) * 1000)
    return worst

start = time.monotonic()
if until_caught_up:
    while time.monotonic() - start < seconds:
        if lag_ms() == 0:
            print(f"LAG caught_up_after_s={time.monotonic() - start:.1f}")
            sys.exit(0)
        time.sleep(0.1)
    print(f"LAG caught_up_after_s=>{seconds:.0f}")
    sys.exit(0)

samples = []
while time.monotonic() - start < seconds:
    samples.append(lag_ms())
    time.sleep(0.25)
samples.sort()
def pct(p):
    return samples[min(len(samples) - 1, int(p / 100 * len(samples)))] if samples else 0
print(f"LAG samples={len(samples)} p50_ms={pct(50):.0f} p99_ms={pct(99):.0f} max_ms={samples[-1] if samples else 0:.0f}")
