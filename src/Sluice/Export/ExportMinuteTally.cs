namespace Sluice.Export;

/// <summary>
/// An export job's per-minute counts (objects sent, failed, retried; 429 answers) gathered in memory as requests
/// finish, and handed over whole with the next step's save: a counter row per minute and job, never one per request.
/// </summary>
internal sealed class ExportMinuteTally
{
    private readonly Lock _lock = new();
    private Dictionary<long, ExportMinute> _minutes = [];

    /// <summary>Counts one finished request: its objects sent and failed, how many of them needed a retry, and its 429 answers.</summary>
    public void Add(DateTimeOffset at, long sent, long failed, long retried, long rateLimited)
    {
        if (sent == 0 && failed == 0 && retried == 0 && rateLimited == 0) return;
        var minute = at.ToUnixTimeMilliseconds() / 60_000;
        lock (_lock)
        {
            _minutes[minute] = _minutes.TryGetValue(minute, out var m)
                ? m with { Sent = m.Sent + sent, Failed = m.Failed + failed, Retried = m.Retried + retried, RateLimited = m.RateLimited + rateLimited }
                : new ExportMinute(DateTimeOffset.FromUnixTimeMilliseconds(minute * 60_000), sent, failed, retried, rateLimited);
        }
    }

    /// <summary>What was counted since the last call, to be added to the stored counters.</summary>
    public IReadOnlyList<ExportMinute> Take()
    {
        Dictionary<long, ExportMinute> taken;
        lock (_lock)
        {
            if (_minutes.Count == 0) return [];
            (taken, _minutes) = (_minutes, []);
        }
        return [.. taken.Values];
    }

    /// <summary>Counts that could not be saved go back, to be saved with a later step.</summary>
    public void Return(IReadOnlyList<ExportMinute> minutes)
    {
        foreach (var m in minutes) Add(m.Minute, m.Sent, m.Failed, m.Retried, m.RateLimited);
    }
}
