using System.Text.Json.Nodes;
using Sluice.BrazeSimulator;
using Sluice.Export.Braze;

namespace Sluice.Tests.Braze;

/// <summary>The /users/track client against the simulator over real HTTP: outcomes, retries and faults.</summary>
public sealed class BrazeTrackClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static BrazeWorkspace Workspace(BrazeSim sim, string key = BrazeSim.TrackKey) => new(sim.BaseAddress, key);

    private static JsonObject Add(string externalId, params string[] values) =>
        new() { ["external_id"] = externalId, ["lytics_segments"] = new JsonObject { ["add"] = new JsonArray([.. values.Select(v => (JsonNode)v)]) } };

    private static string Id() => "u" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task A_batch_is_delivered_in_one_request_and_braze_users_get_their_values()
    {
        await using var sim = await BrazeSim.StartAsync();
        await using var host = new BrazeClientHost();
        var (a, b) = (Id(), Id());

        var result = await host.Client.TrackAsync(Workspace(sim), [Add(a, "lytics_all"), Add(b, "lytics_all", "lytics_us")], Ct);

        Assert.Equal(TrackOutcome.Delivered, result.Outcome);
        Assert.Empty(result.Errors);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(["lytics_all"], await sim.ArrayAsync(a, "lytics_segments"));
        Assert.Equal(["lytics_all", "lytics_us"], await sim.ArrayAsync(b, "lytics_segments"));
    }

    [Fact]
    public async Task Objects_braze_refuses_in_a_2xx_come_back_with_their_index_and_message_and_the_others_are_applied()
    {
        await using var sim = await BrazeSim.StartAsync();
        await using var host = new BrazeClientHost();
        var (good, alsoGood) = (Id(), Id());

        var result = await host.Client.TrackAsync(Workspace(sim),
            [Add(good, "lytics_all"), Add("dummy", "lytics_all"), Add(alsoGood, "lytics_all"), Add(new string('x', 1000), "lytics_all")], Ct);

        Assert.Equal(TrackOutcome.Delivered, result.Outcome);
        Assert.Equal([1, 3], result.Errors.Select(e => e.Index).Order());
        Assert.Contains("BLACKLISTED_EXTERNAL_USER_ID", result.Errors.Single(e => e.Index == 1).Message, StringComparison.Ordinal);
        Assert.Contains("EXTERNAL_USER_ID_TOO_LARGE", result.Errors.Single(e => e.Index == 3).Message, StringComparison.Ordinal);
        Assert.Equal(["lytics_all"], await sim.ArrayAsync(good, "lytics_segments"));
        Assert.Equal(["lytics_all"], await sim.ArrayAsync(alsoGood, "lytics_segments"));
    }

    [Fact]
    public async Task A_storm_of_429s_and_5xx_is_retried_until_every_batch_is_delivered_and_nothing_is_dropped()
    {
        await using var sim = await BrazeSim.StartAsync(o => o.Faults = new FaultSettings { RateLimitedFraction = 0.3, ServerErrorFraction = 0.3, Seed = 3 });
        await using var host = new BrazeClientHost();
        var ids = Enumerable.Range(0, 30).Select(_ => Id()).ToArray();

        var results = await Task.WhenAll(ids.Chunk(3).Select(batch =>
            host.Client.TrackAsync(Workspace(sim), [.. batch.Select(id => Add(id, "lytics_storm"))], Ct)));

        Assert.All(results, r => Assert.Equal(TrackOutcome.Delivered, r.Outcome));
        Assert.Contains(results, r => r.Attempts > 1);
        foreach (var id in ids) Assert.Equal(["lytics_storm"], await sim.ArrayAsync(id, "lytics_segments"));
        var stats = await sim.StatsAsync();
        Assert.True((long)stats["injected_rate_limited"]! > 0 && (long)stats["injected_server_errors"]! > 0, stats.ToJsonString());
        Assert.Equal(results.Sum(r => r.Attempts), (long)stats["requests"]!);
    }

    [Fact]
    public async Task A_connection_dropped_after_braze_applied_the_request_is_retried_and_the_set_is_unchanged_by_the_repeat()
    {
        await using var sim = await BrazeSim.StartAsync(o => o.Faults = new FaultSettings { DropAfterApplyFraction = 0.6, Seed = 5 });
        await using var host = new BrazeClientHost();
        var ids = Enumerable.Range(0, 8).Select(_ => Id()).ToArray();

        var results = new List<TrackResult>();
        foreach (var id in ids) results.Add(await host.Client.TrackAsync(Workspace(sim), [Add(id, "lytics_a", "lytics_b")], Ct));

        Assert.All(results, r => Assert.Equal(TrackOutcome.Delivered, r.Outcome));
        Assert.True((long)(await sim.StatsAsync())["dropped_after_apply"]! > 0);
        foreach (var id in ids) Assert.Equal(["lytics_a", "lytics_b"], await sim.ArrayAsync(id, "lytics_segments"));
    }

    [Fact]
    public async Task A_stalled_request_is_abandoned_after_the_attempt_timeout_and_retried()
    {
        await using var sim = await BrazeSim.StartAsync(o => o.Faults = new FaultSettings { StallFraction = 0.5, StallMilliseconds = 60_000, Seed = 2 });
        await using var host = new BrazeClientHost(new() { ["Sluice:Braze:AttemptTimeout"] = "00:00:00.300" });
        var ids = Enumerable.Range(0, 4).Select(_ => Id()).ToArray();

        var results = new List<TrackResult>();
        foreach (var id in ids) results.Add(await host.Client.TrackAsync(Workspace(sim), [Add(id, "lytics_slow")], Ct));

        Assert.All(results, r => Assert.Equal(TrackOutcome.Delivered, r.Outcome));
        Assert.True((long)(await sim.StatsAsync())["stalled"]! > 0);
        foreach (var id in ids) Assert.Equal(["lytics_slow"], await sim.ArrayAsync(id, "lytics_segments"));
    }

    [Fact]
    public async Task An_unknown_key_is_unauthorized_with_a_message_naming_a_wrong_key_or_instance_and_the_key_is_never_logged()
    {
        await using var sim = await BrazeSim.StartAsync();
        await using var host = new BrazeClientHost();
        const string wrong = "not-a-key-of-this-workspace-0123456789";

        var result = await host.Client.TrackAsync(Workspace(sim, wrong), [Add(Id(), "lytics_all")], Ct);

        Assert.Equal(TrackOutcome.Unauthorized, result.Outcome);
        Assert.Equal(1, result.Attempts);
        Assert.Contains("key is wrong", result.Message!, StringComparison.Ordinal);
        Assert.Contains("instance", result.Message!, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, result.Message!, StringComparison.Ordinal);
        Assert.NotEmpty(host.Logs.Lines);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains(wrong, StringComparison.Ordinal));
        Assert.Contains(host.Logs.Lines, l => l.Contains(Workspace(sim, wrong).Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_without_users_track_is_forbidden_with_a_message_naming_the_permission()
    {
        await using var sim = await BrazeSim.StartAsync();
        await using var host = new BrazeClientHost();

        var result = await host.Client.TrackAsync(Workspace(sim, BrazeSim.ReaderKey), [Add(Id(), "lytics_all")], Ct);

        Assert.Equal(TrackOutcome.Forbidden, result.Outcome);
        Assert.Contains("users.track", result.Message!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_braze_refuses_as_a_whole_is_rejected_with_brazes_message()
    {
        await using var sim = await BrazeSim.StartAsync();
        await using var host = new BrazeClientHost();

        var result = await host.Client.TrackAsync(Workspace(sim), [Add("dummy", "lytics_all")], Ct);

        Assert.Equal(TrackOutcome.Rejected, result.Outcome);
        Assert.Contains("Valid data must be provided", result.Message!, StringComparison.Ordinal);
        Assert.Contains("attributes[0]: BLACKLISTED_EXTERNAL_USER_ID", result.Message!, StringComparison.Ordinal);
        Assert.Equal(0, (long)(await sim.StatsAsync())["users"]!);
    }

    [Fact]
    public async Task A_retried_request_ends_when_its_caller_cancels()
    {
        await using var sim = await BrazeSim.StartAsync(o => o.Faults = new FaultSettings { ServerErrorFraction = 1 });
        await using var host = new BrazeClientHost();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Client.TrackAsync(Workspace(sim), [Add(Id(), "lytics_all")], cts.Token));
        Assert.True((long)(await sim.StatsAsync())["injected_server_errors"]! > 1);
    }
}
