using System.Collections.Concurrent;

namespace Sluice.Processing;

/// <summary>
/// How each partition's last attempts went on this node, for readiness: consecutive failures (of the machinery;
/// events that fail are set aside and do not count) and the last error's type.
/// </summary>
internal sealed class PartitionHealth(TimeProvider time)
{
    private readonly ConcurrentDictionary<int, Failing> _failing = new();

    public void Succeeded(int partition) => _failing.TryRemove(partition, out _);

    public void Failed(int partition, Exception e) => _failing.AddOrUpdate(partition,
        _ => new Failing(1, e.GetType().Name, time.GetUtcNow()),
        (_, f) => f with { Count = f.Count + 1, Error = e.GetType().Name });

    /// <summary>Partitions whose last <paramref name="threshold"/> or more attempts failed.</summary>
    public IReadOnlyDictionary<int, Failing> FailingAtLeast(int threshold) =>
        _failing.Where(kv => kv.Value.Count >= threshold).ToDictionary(kv => kv.Key, kv => kv.Value);

    internal sealed record Failing(int Count, string Error, DateTimeOffset Since);
}
