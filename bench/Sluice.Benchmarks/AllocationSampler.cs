using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Sluice.Benchmarks;

/// <summary>
/// Which types a run allocates, from the runtime's allocation ticks (one event about every 100 KB allocated, naming the
/// type of the allocation that crossed the mark): a sampled profile, enough to rank the largest allocators.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private volatile bool _on;

    public void Start() => _on = true;

    protected override void OnEventSourceCreated(EventSource source)
    {
        // Keyword 0x1 is GC; allocation ticks are raised at the verbose level.
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_on || e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null) return;
        var type = e.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? e.Payload[t] as string ?? "?" : "?";
        var amount = e.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(e.Payload[a], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        _bytes.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }

    public string Top(int n) =>
        string.Join(Environment.NewLine, _bytes.OrderByDescending(kv => kv.Value).Take(n).Select(kv => $"      {kv.Value / (1024 * 1024),8:N0} MiB  {kv.Key}"));
}
