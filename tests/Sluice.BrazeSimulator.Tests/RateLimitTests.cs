using System.Globalization;
using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Sluice.BrazeSimulator.Tests;

public sealed class RateLimitTests
{
    private static readonly object OneObject = new { attributes = new[] { new { external_id = "r" } } };

    private static long Header(HttpResponseMessage response, string name) =>
        long.Parse(response.Headers.GetValues(name).Single(), CultureInfo.InvariantCulture);

    [Fact]
    public async Task Every_response_carries_the_rate_limit_headers_and_the_budget_resets_with_the_window()
    {
        var clock = new FakeTimeProvider(SimFixture.Start);
        await using var sim = await SimFixture.StartAsync(o =>
        {
            o.RateLimit = 3;
            o.RateLimitWindow = TimeSpan.FromSeconds(3);
        }, clock);
        var windowEnd = ((SimFixture.Start.ToUnixTimeSeconds() / 3) + 1) * 3;

        for (var expectedRemaining = 2; expectedRemaining >= 0; expectedRemaining--)
        {
            using var ok = await sim.TrackAsync(OneObject);
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
            Assert.Equal(3, Header(ok, "X-RateLimit-Limit"));
            Assert.Equal(expectedRemaining, Header(ok, "X-RateLimit-Remaining"));
            Assert.Equal(windowEnd, Header(ok, "X-RateLimit-Reset"));
        }

        using var limited = await sim.TrackAsync(OneObject);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(0, Header(limited, "X-RateLimit-Remaining"));
        Assert.NotNull((await SimFixture.ReadObjectAsync(limited))["message"]);

        // Errors that never reach the budget still carry the headers.
        using var anonymous = sim.NewClient(key: null);
        using var unauthorized = await sim.TrackAsync(OneObject, anonymous);
        Assert.Equal(3, Header(unauthorized, "X-RateLimit-Limit"));

        clock.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds(windowEnd));
        using var next = await sim.TrackAsync(OneObject);
        Assert.Equal(HttpStatusCode.Created, next.StatusCode);
        Assert.Equal(2, Header(next, "X-RateLimit-Remaining"));
        Assert.Equal(windowEnd + 3, Header(next, "X-RateLimit-Reset"));
        Assert.Equal(1, (int)(await sim.StatsAsync())["rate_limited"]!);
    }

    [Fact]
    public async Task Two_clients_hammering_together_never_get_more_than_the_budget_through_in_a_window()
    {
        const int budget = 40;
        var clock = new FakeTimeProvider(SimFixture.Start);
        await using var sim = await SimFixture.StartAsync(o =>
        {
            o.RateLimit = budget;
            o.RateLimitWindow = TimeSpan.FromSeconds(3);
        }, clock);
        using var first = sim.NewClient();
        using var second = sim.NewClient();

        for (var window = 0; window < 3; window++)
        {
            // Both clients fire at once; the clock stands still, so every request falls in this window.
            var attempts = Enumerable.Range(0, 70).SelectMany(_ => new[] { first, second }).Select(async client =>
            {
                using var response = await sim.TrackAsync(OneObject, client);
                return ((int)response.StatusCode, response.StatusCode == HttpStatusCode.Created ? Header(response, "X-RateLimit-Remaining") : -1);
            });
            var results = await Task.WhenAll(attempts);

            Assert.Equal(budget, results.Count(r => r.Item1 == 201));
            Assert.Equal(140 - budget, results.Count(r => r.Item1 == 429));
            // Exact accounting: each remaining value from budget-1 down to 0 was handed out exactly once.
            Assert.Equal(Enumerable.Range(0, budget).Select(i => (long)i), results.Where(r => r.Item1 == 201).Select(r => r.Item2).Order());

            clock.Advance(TimeSpan.FromSeconds(3));
        }
    }

    [Fact]
    public async Task Mau_style_headers_give_seconds_left_and_a_retry_after_on_429()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_740_000_000));
        await using var sim = await SimFixture.StartAsync(o =>
        {
            o.RateLimit = 1;
            o.RateLimitWindow = TimeSpan.FromSeconds(60);
            o.RateLimitHeaders = RateLimitHeaderStyle.SecondsRemaining;
        }, clock);
        clock.Advance(TimeSpan.FromSeconds(15));
        using var ok = await sim.TrackAsync(OneObject);
        Assert.Equal(45, Header(ok, "X-RateLimit-Reset"));
        Assert.False(ok.Headers.Contains("X-Ratelimit-Retry-After"));

        clock.Advance(TimeSpan.FromSeconds(5));
        using var limited = await sim.TrackAsync(OneObject);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(40, Header(limited, "X-Ratelimit-Retry-After"));
    }

    [Fact]
    public async Task A_rate_limit_of_zero_turns_limiting_off()
    {
        await using var sim = await SimFixture.StartAsync(o => o.RateLimit = 0);
        using var response = await sim.TrackAsync(OneObject);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.Headers.Contains("X-RateLimit-Limit"));
    }
}
