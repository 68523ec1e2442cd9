using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Sluice.EventLog;
using Sluice.Processing;
using Sluice.Profiles;

namespace Sluice.Health;

/// <summary>
/// Processing keeps up: unhealthy while a partition keeps failing (its profiles stop following the log), degraded
/// while one lags (its oldest unprocessed event is older than <see cref="ProcessingOptions.ReadinessMaxLag"/>).
/// Lag only degrades: a node behind on processing still accepts events durably, and taking it out of rotation
/// would stop collect for no gain.
/// </summary>
internal sealed class ProcessingHealthCheck(
    PartitionHealth health, ProcessingProgress progress, IEventLog log, IProfileStore profiles, IOptions<ProcessingOptions> options, TimeProvider time)
    : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var failing = health.FailingAtLeast(o.ReadinessFailures);
        if (failing.Count > 0)
        {
            return HealthCheckResult.Unhealthy(
                string.Join("; ", failing.Select(f => $"partition {f.Key} failed {f.Value.Count} times in a row ({f.Value.Error})")),
                data: failing.ToDictionary(f => $"partition_{f.Key}", f => (object)f.Value.Count));
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var lagging = new Dictionary<string, object>();
        for (var p = 0; p < o.Partitions; p++)
        {
            var applied = Math.Max(progress.PositionOf(p), (await profiles.PositionAsync(p, cancellationToken)).Position);
            if (await log.ReceivedAfterAsync(p, applied, cancellationToken) is { } oldest && now - oldest > o.ReadinessMaxLag.TotalMilliseconds)
            {
                lagging[$"partition_{p}"] = TimeSpan.FromMilliseconds(now - oldest).TotalSeconds;
            }
        }
        return lagging.Count > 0
            ? HealthCheckResult.Degraded($"{lagging.Count} partition(s) behind by more than {o.ReadinessMaxLag}", data: lagging)
            : HealthCheckResult.Healthy();
    }
}
