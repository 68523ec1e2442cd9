using System.Globalization;
using System.Net.Http.Headers;

namespace Sluice.Export.Braze;

/// <summary>
/// What one Braze response says about the workspace's budget. Braze has two conventions: data-point contracts send
/// <c>X-RateLimit-Reset</c> as the UTC epoch second the window ends; MAU contracts send the seconds left and, on a
/// 429, <c>X-Ratelimit-Retry-After</c>. A value that cannot be an epoch second (before 2001) is taken as seconds left.
/// Header names are case-insensitive (HTTP/2 lowercases them).
/// </summary>
internal readonly record struct RateLimitHeaders(int? Limit, int? Remaining, DateTimeOffset? ResetAt, bool ResetIsEpoch, TimeSpan? RetryAfter)
{
    private const long EpochThreshold = 1_000_000_000;

    public bool HasBudget => Limit is > 0 && ResetAt is not null;

    /// <summary>Reads the headers of a response received at <paramref name="now"/> (the local clock).</summary>
    public static RateLimitHeaders Read(HttpResponseMessage response, DateTimeOffset now)
    {
        var headers = response.Headers;
        var limit = Int(headers, "X-RateLimit-Limit");
        var remaining = Int(headers, "X-RateLimit-Remaining");
        DateTimeOffset? resetAt = null;
        var epoch = false;
        if (Long(headers, "X-RateLimit-Reset") is { } reset)
        {
            if (reset >= EpochThreshold)
            {
                epoch = true;
                // An epoch second is on Braze's clock; measure it against Braze's Date header when ours is far off.
                var serverNow = headers.Date is { } date && (now - date).Duration() > TimeSpan.FromSeconds(2) ? date : now;
                resetAt = now + (DateTimeOffset.FromUnixTimeSeconds(reset) - serverNow);
            }
            else
            {
                resetAt = now + TimeSpan.FromSeconds(reset);
            }
        }

        TimeSpan? retryAfter = null;
        if (Long(headers, "X-Ratelimit-Retry-After") is { } seconds) retryAfter = TimeSpan.FromSeconds(Math.Max(0, seconds));
        else if (headers.RetryAfter is { } standard)
        {
            retryAfter = standard.Delta ?? (standard.Date is { } at ? at - (headers.Date ?? now) : null);
        }
        if (retryAfter < TimeSpan.Zero) retryAfter = TimeSpan.Zero;
        return new RateLimitHeaders(limit, remaining, resetAt, epoch, retryAfter);
    }

    private static int? Int(HttpResponseHeaders headers, string name) =>
        Long(headers, name) is { } v && v is >= 0 and <= int.MaxValue ? (int)v : null;

    private static long? Long(HttpResponseHeaders headers, string name)
    {
        if (!headers.TryGetValues(name, out var values)) return null;
        var first = values.FirstOrDefault();
        return long.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
            : double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d is >= 0 and < long.MaxValue ? (long)Math.Ceiling(d)
            : null;
    }
}
