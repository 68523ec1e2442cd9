using System.Globalization;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Sluice.Export.Braze;

namespace Sluice.Tests.Braze;

/// <summary>The limiter's rules on a fake clock: the careful start, learning the budget, AIMD on 429.</summary>
public sealed class WorkspaceRateLimiterTests
{
    /// <summary>A multiple of 3 s since the epoch, so that 3-second windows start here as Braze's do.</summary>
    private static readonly DateTimeOffset WindowStart = DateTimeOffset.FromUnixTimeSeconds(1_767_225_600);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static WorkspaceRateLimiter Limiter(FakeTimeProvider time) => new("test", new BrazeOptions(), time);

    private static HttpResponseMessage Response(HttpStatusCode status, int limit, int remaining, string reset, string? retryAfter = null)
    {
        var response = new HttpResponseMessage(status);
        response.Headers.Add("X-RateLimit-Limit", limit.ToString(CultureInfo.InvariantCulture));
        response.Headers.Add("X-RateLimit-Remaining", remaining.ToString(CultureInfo.InvariantCulture));
        response.Headers.Add("X-RateLimit-Reset", reset);
        if (retryAfter is not null) response.Headers.Add("X-Ratelimit-Retry-After", retryAfter);
        return response;
    }

    private static string EpochReset(FakeTimeProvider time, int window) =>
        ((time.GetUtcNow().ToUnixTimeSeconds() / window + 1) * window).ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Until_braze_has_announced_a_budget_only_one_request_is_in_flight()
    {
        var time = new FakeTimeProvider(WindowStart);
        using var limiter = Limiter(time);

        var first = await limiter.AcquireAsync(Ct);
        var second = limiter.AcquireAsync(Ct).AsTask();
        Assert.False(second.IsCompleted);

        limiter.OnResponse(Response(HttpStatusCode.Created, 5, 4, EpochReset(time, 1)));
        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(5), Ct)).Dispose();
        Assert.Equal((5, TimeSpan.FromSeconds(1)), limiter.Budget);
    }

    [Fact]
    public void The_budget_is_learned_from_epoch_resets_and_a_429_halves_the_rate_which_recovers_additively_window_by_window()
    {
        var time = new FakeTimeProvider(WindowStart + TimeSpan.FromMilliseconds(100));
        using var limiter = Limiter(time);
        limiter.OnResponse(Response(HttpStatusCode.Created, 300, 299, EpochReset(time, 3)));
        var full = limiter.Rate;
        // 95 % of the budget less a 2 % burst: 0.95 × (300 − 6) / 3 s.
        Assert.Equal(0.95 * 294 / 3, full, 3);

        time.Advance(TimeSpan.FromMilliseconds(100));
        limiter.OnResponse(Response(HttpStatusCode.TooManyRequests, 300, 0, EpochReset(time, 3)));
        Assert.Equal(full / 2, limiter.Rate, 3);

        var rates = new List<double>();
        for (var window = 1; window <= 7; window++)
        {
            time.Advance(TimeSpan.FromSeconds(3));
            limiter.OnResponse(Response(HttpStatusCode.Created, 300, 250, EpochReset(time, 3)));
            rates.Add(limiter.Rate);
        }
        Assert.Equal((300, TimeSpan.FromSeconds(3)), limiter.Budget);
        // One step of a tenth of the full share per window, never beyond it.
        Assert.Equal(rates.Order(), rates);
        Assert.Equal(full / 2 + (full / 10), rates[0], 3);
        Assert.Equal(full, rates[^1], 3);
    }

    [Fact]
    public void Seconds_left_resets_of_mau_contracts_teach_the_window_too()
    {
        var time = new FakeTimeProvider(WindowStart + TimeSpan.FromMilliseconds(100));
        using var limiter = Limiter(time);
        limiter.OnResponse(Response(HttpStatusCode.Created, 300, 299, "3"));
        Assert.Equal((300, TimeSpan.FromSeconds(3)), limiter.Budget);
        Assert.Equal(0.95 * 294 / 3, limiter.Rate, 3);
    }

    [Fact]
    public async Task A_429_with_retry_after_holds_every_caller_until_that_time()
    {
        var time = new FakeTimeProvider(WindowStart + TimeSpan.FromMilliseconds(100));
        using var limiter = Limiter(time);
        (await limiter.AcquireAsync(Ct)).Dispose();
        limiter.OnResponse(Response(HttpStatusCode.TooManyRequests, 300, 0, "2", retryAfter: "2"));

        var waiting = limiter.AcquireAsync(Ct).AsTask();
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));
        (await waiting.WaitAsync(TimeSpan.FromSeconds(5), Ct)).Dispose();
    }

    [Fact]
    public async Task A_response_that_says_the_budget_is_spent_pauses_new_requests_until_the_window_resets()
    {
        var time = new FakeTimeProvider(WindowStart + TimeSpan.FromMilliseconds(100));
        using var limiter = Limiter(time);
        limiter.OnResponse(Response(HttpStatusCode.Created, 300, 0, EpochReset(time, 3)));

        var waiting = limiter.AcquireAsync(Ct).AsTask();
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2.9));
        (await waiting.WaitAsync(TimeSpan.FromSeconds(5), Ct)).Dispose();
    }

    [Fact]
    public void Workspaces_with_the_same_endpoint_and_key_share_one_limiter_and_others_get_their_own()
    {
        using var limiters = new BrazeRateLimiters(Microsoft.Extensions.Options.Options.Create(new BrazeOptions()), TimeProvider.System);
        var url = new Uri("https://rest.iad-03.braze.com/");
        var a = new BrazeWorkspace(url, "key-one");
        var b = new BrazeWorkspace(new Uri("https://rest.iad-03.braze.com/"), "key-one");

        Assert.Same(limiters.For(a.Key), limiters.For(b.Key));
        Assert.NotSame(limiters.For(a.Key), limiters.For(new BrazeWorkspace(url, "key-two").Key));
        Assert.DoesNotContain("key-one", a.Key, StringComparison.Ordinal);
    }
}
