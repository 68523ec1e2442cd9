using Sluice.EventLog;

namespace Sluice.Processing.Lag;

/// <summary>
/// A partition's lag from collect to profile, per stream and minute: for each event a batch applies, the time from
/// the log's commit of the event (its receipt) to the batch being applied, which is when the profile API shows it
/// (it reads through the partition's state). A checkpoint writes the minutes its events touched, in its own
/// transaction, so a batch that is rolled back and replayed is counted once, when it is applied for good.
/// </summary>
/// <remarks>
/// The cost per event is a histogram increment; a batch's events mostly share a stream, so the lookup of the
/// stream's histogram is skipped while it repeats. Memory is a histogram (about 1 KB) per stream active in the
/// current minute.
/// </remarks>
internal sealed class StreamLagRecorder
{
    /// <summary>How long minutes are kept: the console draws the last 24 hours.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(25);

    private const long MinuteMs = 60_000;

    /// <summary>Applied since the last checkpoint; dropped, not written, when the partition's state is invalidated.</summary>
    private readonly Dictionary<(string Account, string Stream, long Minute), LagHistogram> _pending = [];

    /// <summary>What earlier checkpoints wrote of the current minute, so that its percentile covers the whole minute.</summary>
    private readonly Dictionary<(string Account, string Stream, long Minute), LagHistogram> _written = [];

    private long _prunedMinute = long.MinValue;

    /// <summary>Counts the lag of each event of a batch applied at <paramref name="appliedAt"/>.</summary>
    public void Record(IReadOnlyList<LoggedEvent> events, DateTimeOffset appliedAt)
    {
        var nowMs = appliedAt.ToUnixTimeMilliseconds();
        var minute = nowMs - (nowMs % MinuteMs);
        LagHistogram? histogram = null;
        string? account = null, stream = null;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (histogram is null || !string.Equals(e.AccountId, account, StringComparison.Ordinal) || !string.Equals(e.Stream, stream, StringComparison.Ordinal))
            {
                (account, stream) = (e.AccountId, e.Stream);
                var key = (account, stream, minute);
                if (!_pending.TryGetValue(key, out histogram)) _pending[key] = histogram = new LagHistogram();
            }
            histogram.Add(nowMs - e.ReceivedAtMs);
        }
    }

    /// <summary>
    /// The rows a checkpoint writes: for each stream and minute with events applied since the last checkpoint, those
    /// events' count and the minute's longest lag and 95th percentile so far. Changes nothing until
    /// <see cref="Committed"/>.
    /// </summary>
    public IReadOnlyList<StreamLagMinute> Unwritten()
    {
        if (_pending.Count == 0) return [];
        var rows = new List<StreamLagMinute>(_pending.Count);
        foreach (var ((account, stream, minute), pending) in _pending)
        {
            var before = _written.GetValueOrDefault((account, stream, minute));
            rows.Add(new StreamLagMinute(account, stream, minute, pending.Count,
                Math.Max(pending.MaxMs, before?.MaxMs ?? 0), pending.Percentile(0.95, before)));
        }
        return rows;
    }

    /// <summary>The instant before which stored minutes are pruned, once per minute; null when this minute already did.</summary>
    public long? PruneBefore(DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var minute = nowMs - (nowMs % MinuteMs);
        if (minute == _prunedMinute) return null;
        _prunedMinute = minute;
        return nowMs - (long)Retention.TotalMilliseconds;
    }

    /// <summary>The checkpoint that wrote <see cref="Unwritten"/> committed: its events now count toward their minutes.</summary>
    public void Committed(DateTimeOffset now)
    {
        foreach (var (key, pending) in _pending)
        {
            if (_written.TryGetValue(key, out var before)) before.Add(pending);
            else _written[key] = pending;
        }
        _pending.Clear();
        // Batches apply in time order: a minute before the current one gets no more events.
        var nowMs = now.ToUnixTimeMilliseconds();
        var current = nowMs - (nowMs % MinuteMs);
        foreach (var key in _written.Keys.Where(k => k.Minute < current).ToList()) _written.Remove(key);
    }

    /// <summary>The batches since the last checkpoint are dropped and will be applied again: so are their lags.</summary>
    public void Discard() => _pending.Clear();
}
