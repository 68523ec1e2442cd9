namespace Sluice.BrazeSimulator.Faults;

internal enum FaultKind
{
    None,
    RateLimited,
    ServerError,
    Stall,
    DropAfterApply,
    Queued,
}

internal readonly record struct FaultDecision(FaultKind Kind, int StatusCode, TimeSpan Latency, TimeSpan Stall);

/// <summary>Draws one fault per request from a seeded sequence. Every request draws, faulty or not, so the n-th
/// request of a sequential client meets the same fate on every run.</summary>
internal sealed class FaultInjector
{
    private static readonly int[] ServerErrors = [500, 502, 503];
    private readonly Lock _gate = new();
    private FaultSettings _settings;
    private Random _random;

    public FaultInjector(FaultSettings initial)
    {
        initial.Validate();
        _settings = initial;
        _random = new Random(initial.Seed);
    }

    public FaultSettings Current
    {
        get
        {
            lock (_gate)
            {
                return _settings;
            }
        }
    }

    /// <summary>Replaces the settings and restarts the random sequence from their seed.</summary>
    public void Set(FaultSettings settings)
    {
        settings.Validate();
        lock (_gate)
        {
            _settings = settings;
            _random = new Random(settings.Seed);
        }
    }

    public FaultDecision Next()
    {
        lock (_gate)
        {
            var s = _settings;
            var roll = _random.NextDouble();
            var latency = TimeSpan.FromMilliseconds(s.LatencyMilliseconds);
            var stall = TimeSpan.FromMilliseconds(s.StallMilliseconds);
            var kind = FaultKind.None;
            var status = 0;
            if ((roll -= s.RateLimitedFraction) < 0)
            {
                kind = FaultKind.RateLimited;
                status = 429;
            }
            else if ((roll -= s.ServerErrorFraction) < 0)
            {
                kind = FaultKind.ServerError;
                status = ServerErrors[_random.Next(ServerErrors.Length)];
            }
            else if ((roll -= s.StallFraction) < 0)
            {
                kind = FaultKind.Stall;
            }
            else if ((roll -= s.DropAfterApplyFraction) < 0)
            {
                kind = FaultKind.DropAfterApply;
            }
            else if (roll - s.QueuedFraction < 0)
            {
                kind = FaultKind.Queued;
            }

            return new FaultDecision(kind, status, latency, stall);
        }
    }
}
