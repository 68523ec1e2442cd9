namespace Sluice.BrazeSimulator.RateLimiting;

/// <summary>Braze's burst limit: a fixed budget per window for the whole workspace (every key shares it). Windows are
/// aligned to the epoch, so <c>X-RateLimit-Reset</c> is the same for every request in a window. A lock keeps the
/// count exact under concurrency; it is held for a few instructions.</summary>
internal sealed class FixedWindowRateLimiter(BrazeSimulatorOptions options)
{
    private readonly Lock _gate = new();
    private long _window = long.MinValue;
    private int _used;

    public bool Enabled => options.RateLimit > 0;

    /// <summary>Takes one request from the budget if any is left.</summary>
    public RateDecision Acquire() => Decide(consume: true);

    /// <summary>The current state without taking anything, for responses that do not count (401s, inspection).</summary>
    public RateDecision Peek() => Decide(consume: false);

    public void Reset()
    {
        lock (_gate)
        {
            _window = long.MinValue;
            _used = 0;
        }
    }

    private RateDecision Decide(bool consume)
    {
        var limit = options.RateLimit;
        if (limit <= 0)
        {
            return new RateDecision(true, 0, 0, 0);
        }

        var windowTicks = Math.Max(1, options.RateLimitWindow.Ticks);
        var nowTicks = options.TimeProvider.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks;
        var window = nowTicks / windowTicks;
        var resetTicks = (window + 1) * windowTicks;
        var resetSeconds = (resetTicks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
        lock (_gate)
        {
            if (window != _window)
            {
                _window = window;
                _used = 0;
            }

            if (!consume)
            {
                return new RateDecision(true, limit, Math.Max(0, limit - _used), resetSeconds);
            }

            if (_used >= limit)
            {
                return new RateDecision(false, limit, 0, resetSeconds);
            }

            _used++;
            return new RateDecision(true, limit, limit - _used, resetSeconds);
        }
    }
}

internal readonly record struct RateDecision(bool Allowed, int Limit, int Remaining, long ResetEpochSeconds);
