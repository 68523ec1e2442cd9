using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Sluice.BrazeSimulator;
using Sluice.Export.Braze;

namespace Sluice.Tests.Braze;

/// <summary>
/// The limiter against the simulator's real budget (windows are aligned to the epoch, as Braze's are): on the real
/// clock for a small budget, and on a fake clock shared by both for the rate a budget allows.
/// </summary>
public sealed class BrazeBudgetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Add(string externalId) =>
        new() { ["external_id"] = externalId, ["lytics_segments"] = new JsonObject { ["add"] = new JsonArray("lytics_all") } };

    /// <summary>
    /// Each caller holds its own (equal) workspace value, as two jobs with the same authorization would;
    /// <paramref name="done"/> is told as each caller finishes.
    /// </summary>
    private static async Task<TrackResult[]> SendAsync(BrazeClientHost host, Uri url, int callers, int requestsEach, Action? done = null) =>
        [.. (await Task.WhenAll(Enumerable.Range(0, callers).Select(async c =>
        {
            var workspace = new BrazeWorkspace(url, BrazeSim.TrackKey);
            var results = new List<TrackResult>();
            for (var i = 0; i < requestsEach; i++) results.Add(await host.Client.TrackAsync(workspace, [Add($"c{c}-{i}")], Ct));
            done?.Invoke();
            return results;
        }))).SelectMany(r => r)];

    /// <summary>
    /// Runs <paramref name="sending"/> to its end, moving <paramref name="clock"/> on by <paramref name="step"/> only
    /// when every caller still sending waits for the clock (for a token or for a pause to end) and no request is in
    /// flight: every request then reaches the simulator at the fake time it was let through, however slowly the
    /// machine runs, so the outcome does not depend on the machine's load.
    /// </summary>
    private static async Task DriveAsync(FakeTimeProvider clock, TimeSpan step, WorkspaceRateLimiter limiter, Func<int> active, Task sending)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (!sending.IsCompleted)
        {
            var callers = active();
            if (callers > 0 && limiter.InFlight == 0 && limiter.WaitingForClock == callers)
            {
                clock.Advance(step);
                continue;
            }
            Assert.False(deadline.IsCancellationRequested,
                $"callers neither finished nor all waited for the clock within 60 s: {callers} sending, {limiter.InFlight} in flight, {limiter.WaitingForClock} waiting");
            // A caller is between a response and its next request, or a request is on the wire: look again shortly.
            await Task.WhenAny(sending, Task.Delay(1, CancellationToken.None));
        }
        await sending;
    }

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
        // Half way through a window: the budget holds whatever the window's phase at the first request.
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_767_225_600).AddMilliseconds(500));
        await using var sim = await BrazeSim.StartAsync(o =>
        {
            o.RateLimit = 60;
            o.RateLimitWindow = TimeSpan.FromSeconds(1);
            o.TimeProvider = clock;
        });
        await using var host = new BrazeClientHost(time: clock);
        var limiter = host.Limiters.For(new BrazeWorkspace(sim.BaseAddress, BrazeSim.TrackKey).Key);

        var started = clock.GetUtcNow();
        var active = 8;
        var sending = SendAsync(host, sim.BaseAddress, callers: 8, requestsEach: 25, () => Interlocked.Decrement(ref active));
        await DriveAsync(clock, TimeSpan.FromMilliseconds(10), limiter, () => Volatile.Read(ref active), sending);
        var results = await sending;
        var elapsed = clock.GetUtcNow() - started;

        Assert.All(results, r => Assert.Equal(TrackOutcome.Delivered, r.Outcome));
        var stats = await sim.StatsAsync();
        var requests = (long)stats["requests"]!;
        Assert.True((long)stats["rate_limited"]! <= requests / 100, stats.ToJsonString());
        // By the fake clock: 200 requests at the full budget take 3.3 s; at the limiter's 95 % less its burst about
        // 3.6 s. Half the budget is the floor.
        Assert.True(elapsed < TimeSpan.FromSeconds(200.0 / 30), $"{elapsed.TotalSeconds:0.0} s for 200 requests");
        Assert.True(elapsed > TimeSpan.FromSeconds(200.0 / 60 - 1.5), $"{elapsed.TotalSeconds:0.0} s is faster than the budget allows");
    }
}
