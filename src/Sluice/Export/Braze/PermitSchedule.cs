namespace Sluice.Export.Braze;

/// <summary>
/// Paces permits on a clock as a token bucket of <c>burst</c> tokens refilled at a steady rate would, kept as the time
/// the next permit is due (virtual scheduling): a caller reserves the earliest permit left and waits until it on the
/// given clock. Only one-shot delays on that clock are involved, so a fake clock drives it exactly; a change of rate
/// applies from the next reservation.
/// </summary>
internal sealed class PermitSchedule(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly List<DateTimeOffset> _waiting = [];
    private DateTimeOffset _due = DateTimeOffset.MinValue;
    private TimeSpan _interval;
    private TimeSpan _tolerance;

    public void Set(double ratePerSecond, int burst)
    {
        lock (_gate)
        {
            _interval = TimeSpan.FromSeconds(1 / ratePerSecond);
            _tolerance = _interval * (burst - 1);
        }
    }

    /// <summary>Callers whose permit is still ahead on the clock: only the clock moving on lets them through.</summary>
    public int WaitingForClock
    {
        get
        {
            var now = time.GetUtcNow();
            lock (_gate) return _waiting.Count(at => at > now);
        }
    }

    public async ValueTask WaitAsync(CancellationToken ct)
    {
        DateTimeOffset at;
        var now = time.GetUtcNow();
        lock (_gate)
        {
            // The bucket is full while the schedule lags the clock; each permit moves it one interval on, and a
            // permit is due once the schedule is at most a bucket's worth of intervals ahead of the clock.
            var due = _due > now ? _due : now;
            at = due - _tolerance > now ? due - _tolerance : now;
            _due = due + _interval;
            if (at <= now) return;
            _waiting.Add(at);
        }
        try
        {
            await Task.Delay(at - now, time, ct);
        }
        finally
        {
            lock (_gate) _waiting.Remove(at);
        }
    }
}
