namespace Sluice.Export.Braze;

/// <summary>
/// The wait a response asks for before the next attempt: <c>X-Ratelimit-Retry-After</c> (MAU contracts) or a
/// standard <c>Retry-After</c>, plus up to 10 % jitter so that the callers paused together do not return together.
/// Without either, the retry strategy's own exponential backoff applies (null).
/// </summary>
internal static class BrazeRetryDelay
{
    public static TimeSpan? FromHeaders(HttpResponseMessage? response)
    {
        if (response is null) return null;
        var wait = RateLimitHeaders.Read(response, DateTimeOffset.UtcNow).RetryAfter;
        return wait is { } w ? w + (w * (Random.Shared.NextDouble() * 0.1)) : null;
    }
}
