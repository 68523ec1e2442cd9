using System.Diagnostics.Metrics;

namespace Sluice.Benchmarks;

/// <summary>Sums the processor's phase durations (<c>sluice.processing.phase.duration</c>) by phase.</summary>
internal sealed class PhaseListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, double> _seconds = new();

    public PhaseListener()
    {
        _listener.InstrumentPublished = (i, l) =>
        {
            if (i.Name == "sluice.processing.phase.duration") l.EnableMeasurementEvents(i);
        };
        _listener.SetMeasurementEventCallback<double>((_, v, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "phase", Value: string phase }) _seconds.AddOrUpdate(phase, v, (_, sum) => sum + v);
            }
        });
        _listener.Start();
    }

    private static readonly string[] Known = ["prepare", "resolve", "build", "checkpoint"];

    /// <summary>The four phases in order, then any other phase the processor reported.</summary>
    public override string ToString() =>
        string.Join(", ", Known.Concat(_seconds.Keys.Except(Known).Order(StringComparer.Ordinal)).Select(p => $"{p} {_seconds.GetValueOrDefault(p):0.0} s"));

    public void Dispose() => _listener.Dispose();
}
