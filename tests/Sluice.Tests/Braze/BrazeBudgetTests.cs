using System.Diagnostics;
using System.Text.Json.Nodes;
using Sluice.BrazeSimulator;
using Sluice.Export.Braze;

namespace Sluice.Tests.Braze;

/// <summary>
/// The limiter against the simulator's real budget, on the real clock (windows are aligned to the epoch, as Braze's
/// are). Rates are measured over a few seconds with generous bounds; the 429 count is exact.
/// </summary>
public sealed class BrazeBudgetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Add(string externalId) =>
        new() { ["external_id"] = externalId, ["lytics_segments"] = new JsonObject { ["add"] = new JsonArray("lytics_all") } };

    /// <summary>Each caller holds its own (equal) workspace value, as two jobs with the same authorization would.</summary>
    private static async Task<TrackResult[]> SendAsync(BrazeClientHost host, Uri url, int callers, int requestsEach) =>
        [.. (await Task.WhenAll(Enumerable.Range(0, callers).Select(async c =>
        {
            var workspace = new BrazeWorkspace(url, BrazeSim.TrackKey);
            var results = new List<TrackResult>();
            for (var i = 0; i < requestsEach; i++) results.Add(await host.Client.TrackAsync(workspace, [Add($"c{c}-{i}")], Ct));
            return results;
        }))).SelectMany(r => r)];

    [Theory]
    [InlineData(RateLimitHeaderStyle.EpochReset)]
    [InlineData(RateLimitHeaderStyle.SecondsRemaining)]
    public async Task Two_callers_sharing_a_workspace_of_5_requests_a_second_stay_within_it_from_the_first_request(RateLimitHeaderStyle headers)
    {
        await using var sim = await BrazeSim.StartAsync(o =>
        {
            o.RateLimit = 5;
            o.RateLimitWindow = TimeSpan.FromSeconds(1);
            o.RateLimitHeaders = headers;
        });
        await using var host = new BrazeClientHost();

        var results = await SendAsync(host, sim.BaseAddress, callers: 2, requestsEach: 9);

        Assert.All(results, r => Assert.Equal(TrackOutcome.Delivered, r.Outcome));
        var stats = await sim.StatsAsync();
        // At most 1 % of the requests may meet a 429: none, at this size.
        Assert.Equal(0, (long)stats["rate_limited"]!);
        Assert.Equal(18, (long)stats["requests"]!);
    }

    [Fact]
    public async Task A_budget_of_60_requests_a_second_is_mostly_used_with_at_most_1_percent_429s()
    {
        await using var sim = await BrazeSim.StartAsync(o =>
        {
            o.RateLimit = 60;
            o.RateLimitWindow = TimeSpan.FromSeconds(1);
        });
        await using var host = new BrazeClientHost();

        var started = Stopwatch.GetTimestamp();
        var results = await SendAsync(host, sim.BaseAddress, callers: 8, requestsEach: 25);
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.All(results, r => Assert.Equal(TrackOutcome.Delivered, r.Outcome));
        var stats = await sim.StatsAsync();
        var requests = (long)stats["requests"]!;
        Assert.True((long)stats["rate_limited"]! <= requests / 100, stats.ToJsonString());
        // 200 requests at the full budget take 3.3 s; at the limiter's 93 % about 3.6 s. Half the budget is the floor.
        Assert.True(elapsed < TimeSpan.FromSeconds(200.0 / 30), $"{elapsed.TotalSeconds:0.0} s for 200 requests");
        Assert.True(elapsed > TimeSpan.FromSeconds(200.0 / 60 - 1.5), $"{elapsed.TotalSeconds:0.0} s is faster than the budget allows");
    }
}
