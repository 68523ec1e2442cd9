namespace Sluice.Export.Braze;

/// <summary>The names and per-request options that tie the Braze HTTP clients and their handlers together.</summary>
internal static class BrazeHttp
{
    /// <summary>Exports: retried without limit inside the client.</summary>
    public const string TrackClient = "braze-track";

    /// <summary>Connection tests: one attempt, a short timeout.</summary>
    public const string CheckClient = "braze-check";

    /// <summary>The workspace whose limiter the request goes through (<see cref="BrazeWorkspace.Key"/>).</summary>
    public static readonly HttpRequestOptionsKey<string> Workspace = new("sluice.braze.workspace");

    /// <summary>Counts the attempts of one logical request, retries included.</summary>
    public static readonly HttpRequestOptionsKey<AttemptCounter> Attempts = new("sluice.braze.attempts");
}

/// <summary>Attempts made for one request; incremented by the rate-limit handler on each send.</summary>
internal sealed class AttemptCounter
{
    private int _count;
    private int _rateLimited;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Attempts Braze answered 429.</summary>
    public int RateLimited => Volatile.Read(ref _rateLimited);

    public void Increment() => Interlocked.Increment(ref _count);

    public void CountRateLimited() => Interlocked.Increment(ref _rateLimited);
}
