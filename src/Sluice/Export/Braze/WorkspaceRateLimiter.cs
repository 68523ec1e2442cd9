using System.Threading.RateLimiting;

namespace Sluice.Export.Braze;

/// <summary>
/// The request budget of one Braze workspace, shared by every caller in this process. Braze counts requests in fixed
/// windows (3,000 per 3 s by default, less on some contracts) and says where a workspace stands on every response
/// (<see cref="RateLimitHeaders"/>). This limiter:
/// <list type="bullet">
/// <item>lets <b>one request</b> through at a time until a response has told it the budget, so that even a small
/// budget is respected from the first request;</item>
/// <item>then paces requests with a token bucket of <c>share × (limit − burst) / window</c> per second and a burst of
/// about 2 % of the limit: any stretch of one window gets at most <c>share × limit + 2 %</c> requests, whatever the
/// window's phase, so the budget is used to about <c>share</c> and never exceeded. The bucket is replaced when the
/// headers teach a different budget or window;</item>
/// <item>pauses everyone until the window resets when a response says the budget is spent (another tool may be using
/// the same workspace), or until <c>X-Ratelimit-Retry-After</c> says;</item>
/// <item>on a 429 halves its share (multiplicative decrease) and then adds a tenth of the maximum share back per
/// window without 429 (additive increase);</item>
/// <item>caps the requests in flight (<see cref="BrazeOptions.MaxConcurrency"/>), and when responses carry no
/// budget at all (a proxy, the simulator without a limit) only that cap applies.</item>
/// </list>
/// In a cluster this would become one grain per workspace handing out permits to nodes in blocks; one process is all
/// that exists today.
/// </summary>
internal sealed class WorkspaceRateLimiter : IDisposable
{
    private const double MinShare = 0.05;
    private const double BurstShare = 0.02;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly double _maxShare;
    private readonly ConcurrencyLimiter _probe = new(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = int.MaxValue });
    private readonly ConcurrencyLimiter _inFlight;

    private BudgetMode _mode = BudgetMode.Unknown;
    private int _limit;
    private TimeSpan _window;
    private bool _windowMeasured;
    private DateTimeOffset? _lastReset;
    private double _share;
    private DateTimeOffset _lastIncrease;
    private TokenBucketRateLimiter? _bucket;
    private double _bucketRate;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private int _inFlightCount;

    public WorkspaceRateLimiter(string key, BrazeOptions options, TimeProvider time)
    {
        Key = key;
        _time = time;
        _maxShare = options.BudgetShare;
        _share = options.BudgetShare;
        _inFlight = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = options.MaxConcurrency, QueueLimit = int.MaxValue });
    }

    /// <summary><see cref="BrazeWorkspace.Key"/>: never the API key.</summary>
    public string Key { get; }

    /// <summary>Requests per second the bucket allows now; 0 while the budget is unknown or unlimited.</summary>
    public double Rate
    {
        get { lock (_gate) return _mode == BudgetMode.Limited ? _bucketRate : 0; }
    }

    /// <summary>The budget last announced: requests per window.</summary>
    public (int Limit, TimeSpan Window) Budget
    {
        get { lock (_gate) return (_limit, _window); }
    }

    /// <summary>Waits for permission to send one request; dispose the lease when its response (or failure) is in.</summary>
    public async ValueTask<IDisposable> AcquireAsync(CancellationToken ct)
    {
        while (true)
        {
            await WaitWhilePausedAsync(ct);
            BudgetMode mode;
            TokenBucketRateLimiter? bucket;
            lock (_gate)
            {
                mode = _mode;
                bucket = _bucket;
            }

            if (mode == BudgetMode.Unknown)
            {
                var probe = await _probe.AcquireAsync(1, ct);
                lock (_gate)
                {
                    if (_mode == BudgetMode.Unknown)
                    {
                        _inFlightCount++;
                        return new Lease(this, probe);
                    }
                }
                // The budget was learned while this caller queued for the probe: take the normal way.
                probe.Dispose();
                continue;
            }

            if (mode == BudgetMode.Limited && bucket is not null)
            {
                RateLimitLease token;
                try
                {
                    token = await bucket.AcquireAsync(1, ct);
                }
                catch (ObjectDisposedException)
                {
                    continue; // replaced between reading it and asking it
                }
                using (token)
                {
                    if (!token.IsAcquired) continue; // replaced while this caller queued: queue at the new one
                }
            }

            var slot = await _inFlight.AcquireAsync(1, ct);
            lock (_gate)
            {
                // A 429 or a spent budget may have paused everyone while this caller waited for a slot.
                if (_time.GetUtcNow() < _pausedUntil)
                {
                    slot.Dispose();
                    continue;
                }
                _inFlightCount++;
            }
            return new Lease(this, slot);
        }
    }

    /// <summary>Learns from a response: its budget headers, and whether it was a 429.</summary>
    public void OnResponse(HttpResponseMessage response)
    {
        var now = _time.GetUtcNow();
        var headers = RateLimitHeaders.Read(response, now);
        var limited = (int)response.StatusCode == 429;
        TokenBucketRateLimiter? retired;
        lock (_gate)
        {
            if (!headers.HasBudget)
            {
                // No budget announced: nothing to pace by but the concurrency cap. A 5xx from something in between
                // proves nothing, so only a real answer ends the careful start.
                if (_mode == BudgetMode.Unknown && !limited && (int)response.StatusCode < 500) _mode = BudgetMode.Unlimited;
                if (limited && headers.RetryAfter is { } wait) PauseUntil(now + wait);
                return;
            }

            _mode = BudgetMode.Limited;
            Learn(headers, now);
            var resetAt = headers.ResetAt!.Value;
            if (limited)
            {
                _share = Math.Max(MinShare, _share / 2);
                _lastIncrease = now;
                PauseUntil(headers.RetryAfter is { } wait ? now + wait : resetAt);
            }
            else
            {
                if (_share < _maxShare && now - _lastIncrease >= _window)
                {
                    _share = Math.Min(_maxShare, _share + (_maxShare / 10));
                    _lastIncrease = now;
                }
                // This request is counted in Remaining; the others in flight may not be yet. When they could take
                // what is left, nobody else starts before the window resets.
                if (headers.Remaining is { } remaining && remaining <= Math.Max(0, _inFlightCount - 1)) PauseUntil(resetAt);
            }
            retired = ReplaceBucketIfChanged();
        }
        retired?.Dispose();
    }

    /// <summary>The first response decides how careful to be; until one arrives, a failed request changes nothing.</summary>
    private void Learn(RateLimitHeaders headers, DateTimeOffset now)
    {
        _limit = headers.Limit!.Value;
        var resetAt = headers.ResetAt!.Value;
        // A window is at least as long as the time any response says is left in it...
        var left = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling((resetAt - now).TotalSeconds - 0.05)));
        if (!_windowMeasured && left > _window) _window = left;
        // ...and, with epoch resets (exact window ends), exactly the distance between two successive window ends.
        // Seconds-left resets are only precise to a second, so they never measure a window this way.
        if (headers.ResetIsEpoch && _lastReset is { } last && resetAt - last >= TimeSpan.FromMilliseconds(500))
        {
            var measured = TimeSpan.FromSeconds(Math.Max(1, Math.Round((resetAt - last).TotalSeconds)));
            _window = _windowMeasured ? (measured < _window ? measured : _window) : measured;
            _windowMeasured = true;
        }
        if (_lastReset is null || resetAt > _lastReset) _lastReset = resetAt;
    }

    private TokenBucketRateLimiter? ReplaceBucketIfChanged()
    {
        var burst = Math.Max(1, (int)Math.Floor(_limit * BurstShare));
        var rate = _share * Math.Max(_limit - burst, 0.5) / _window.TotalSeconds;
        if (_bucket is not null && Math.Abs(rate - _bucketRate) <= _bucketRate * 0.02) return null;

        // Replenish at least every 10 ms so that a high rate flows smoothly rather than in lumps.
        var seconds = Math.Max(1.0 / rate, 0.01);
        var tokens = Math.Max(1, (int)Math.Round(rate * seconds));
        var retired = _bucket;
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(burst, tokens),
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = TimeSpan.FromSeconds(tokens / rate),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
        _bucketRate = rate;
        return retired;
    }

    private void PauseUntil(DateTimeOffset until)
    {
        if (until > _pausedUntil) _pausedUntil = until;
    }

    private async ValueTask WaitWhilePausedAsync(CancellationToken ct)
    {
        while (true)
        {
            DateTimeOffset until;
            lock (_gate) until = _pausedUntil;
            var wait = until - _time.GetUtcNow();
            if (wait <= TimeSpan.Zero) return;
            await Task.Delay(wait, _time, ct);
        }
    }

    private void Release(RateLimitLease slot)
    {
        lock (_gate) _inFlightCount--;
        slot.Dispose();
    }

    public void Dispose()
    {
        _bucket?.Dispose();
        _probe.Dispose();
        _inFlight.Dispose();
    }

    private enum BudgetMode
    {
        Unknown,
        Limited,
        Unlimited,
    }

    private sealed class Lease(WorkspaceRateLimiter owner, RateLimitLease slot) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Release(slot);
        }
    }
}
