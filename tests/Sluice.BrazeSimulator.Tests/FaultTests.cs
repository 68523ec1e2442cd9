using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Sluice.BrazeSimulator.Tests;

public sealed class FaultTests
{
    private static object Track(string id) => new { attributes = new[] { new { external_id = id } } };

    [Fact]
    public async Task A_fraction_of_429s_is_injected_without_applying_the_request()
    {
        await using var sim = await SimFixture.StartAsync(o => o.Faults = new FaultSettings { RateLimitedFraction = 1 });
        using var response = await sim.TrackAsync(Track("x"));
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.Contains("X-RateLimit-Reset"));
        Assert.Null(await sim.UserAsync("x"));
        Assert.Equal(1, (int)(await sim.StatsAsync())["injected_rate_limited"]!);
    }

    [Fact]
    public async Task Server_errors_are_500_502_or_503_and_the_same_seed_gives_the_same_sequence()
    {
        async Task<int[]> RunAsync()
        {
            await using var sim = await SimFixture.StartAsync(o => o.Faults = new FaultSettings { ServerErrorFraction = 0.5, Seed = 42 });
            var statuses = new List<int>();
            for (var i = 0; i < 40; i++)
            {
                using var response = await sim.TrackAsync(Track($"u{i}"));
                statuses.Add((int)response.StatusCode);
            }

            var stats = await sim.StatsAsync();
            Assert.Equal(statuses.Count(s => s == 201), (int)stats["users"]!);
            return [.. statuses];
        }

        var first = await RunAsync();
        var second = await RunAsync();
        Assert.Equal(first, second);
        Assert.All(first, s => Assert.Contains(s, new[] { 201, 500, 502, 503 }));
        Assert.InRange(first.Count(s => s != 201), 10, 30);
        Assert.True(first.Distinct().Count() >= 3, "several kinds of 5xx expected");
    }

    [Fact]
    public async Task Added_latency_delays_every_response()
    {
        await using var sim = await SimFixture.StartAsync(o => o.Faults = new FaultSettings { LatencyMilliseconds = 150 }, TimeProvider.System);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var response = await sim.TrackAsync(Track("slow"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(145));
    }

    [Fact]
    public async Task A_stalled_request_outlasts_the_client_timeout_and_is_not_applied()
    {
        await using var sim = await SimFixture.StartAsync(o => o.Faults = new FaultSettings { StallFraction = 1, StallMilliseconds = 600_000 }, TimeProvider.System);
        using var client = sim.NewClient();
        client.Timeout = TimeSpan.FromMilliseconds(300);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sim.TrackAsync(Track("stalled"), client));
        Assert.Null(await sim.UserAsync("stalled"));
        Assert.Equal(1, (int)(await sim.StatsAsync())["stalled"]!);
    }

    [Fact]
    public async Task A_dropped_connection_after_apply_makes_a_retry_repeat_applied_work()
    {
        await using var sim = await SimFixture.StartAsync(o => o.Faults = new FaultSettings { DropAfterApplyFraction = 1 });
        var body = new { events = new[] { new { external_id = "dup", name = "paid", time = "2025-01-01T00:00:00Z" } } };
        await Assert.ThrowsAsync<HttpRequestException>(() => sim.TrackAsync(body));
        Assert.Equal(1, (int)(await sim.UserAsync("dup"))!["custom_events"]!["paid"]!["count"]!);

        // The client cannot tell it was applied, retries, and Braze records the event twice.
        await Assert.ThrowsAsync<HttpRequestException>(() => sim.TrackAsync(body));
        Assert.Equal(2, (int)(await sim.UserAsync("dup"))!["custom_events"]!["paid"]!["count"]!);
        Assert.Equal(2, (int)(await sim.StatsAsync())["dropped_after_apply"]!);
    }

    [Fact]
    public async Task Maintenance_mode_answers_202_queued_and_still_applies_the_request()
    {
        await using var sim = await SimFixture.StartAsync(o => o.Faults = FaultSettings.Parse("queued=1"));
        using var response = await sim.TrackAsync(Track("later"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("{\"message\":\"queued\"}", (await SimFixture.ReadObjectAsync(response)).ToJsonString());
        Assert.NotNull(await sim.UserAsync("later"));
    }

    [Fact]
    public async Task Faults_can_be_changed_at_run_time_and_bad_settings_are_refused()
    {
        await using var sim = await SimFixture.StartAsync();
        using (var before = await sim.TrackAsync(Track("a")))
        {
            Assert.Equal(HttpStatusCode.Created, before.StatusCode);
        }

        using var set = await sim.Client.PostAsJsonAsync("sim/faults", new JsonObject { ["server_error_fraction"] = 1.0, ["seed"] = 3 }, SimFixture.Ct);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        using (var during = await sim.TrackAsync(Track("b")))
        {
            Assert.True((int)during.StatusCode >= 500);
        }

        var current = await sim.Client.GetFromJsonAsync<JsonObject>("sim/faults", SimFixture.Ct);
        Assert.Equal(1.0, (double)current!["server_error_fraction"]!);

        using var bad = await sim.Client.PostAsJsonAsync("sim/faults", new JsonObject { ["rate_limited_fraction"] = 0.7, ["server_error_fraction"] = 0.7 }, SimFixture.Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        using var clear = await sim.Client.PostAsJsonAsync("sim/faults", new JsonObject(), SimFixture.Ct);
        using var after = await sim.TrackAsync(Track("c"));
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
    }

    [Fact]
    public void Fault_specs_from_the_command_line_parse_and_bad_ones_say_why()
    {
        var parsed = FaultSettings.Parse("429=0.05, 5xx=0.02,stall=0.01,stall-ms=5000,drop=0.01,latency-ms=20,seed=7");
        Assert.Equal(new FaultSettings
        {
            RateLimitedFraction = 0.05, ServerErrorFraction = 0.02, StallFraction = 0.01, StallMilliseconds = 5000,
            DropAfterApplyFraction = 0.01, LatencyMilliseconds = 20, Seed = 7,
        }, parsed);
        Assert.Contains("Unknown fault", Assert.Throws<FormatException>(() => FaultSettings.Parse("boom=1")).Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => FaultSettings.Parse("429=2"));
    }
}
