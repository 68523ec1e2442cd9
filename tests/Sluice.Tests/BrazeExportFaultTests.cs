using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;

namespace Sluice.Tests;

/// <summary>
/// The Braze export against a misbehaving Braze (the simulator's injected faults), over real HTTP: transient faults
/// are retried until every user holds its membership, refused objects become failed rows with Braze's message, a
/// refused key pauses the job with the likely cause, and the array cap is warned about at creation.
/// </summary>
public sealed class BrazeExportFaultTests
{
    private static readonly string[] Cities = ["Oslo", "Rome"];

    /// <summary>A node whose Braze retries are quick and whose attempts give up on a stalled Braze after a second.</summary>
    private static async Task<(TestServer Server, ExportHarness Export)> StartAsync(BrazeSim sim)
    {
        var server = await TestServer.StartAsync(b =>
        {
            b.Configuration["Sluice:Braze:AttemptTimeout"] = "00:00:01";
            b.Configuration["Sluice:Braze:RetryBaseDelay"] = "00:00:00.020";
            b.Configuration["Sluice:Braze:RetryMaxDelay"] = "00:00:00.200";
        });
        return (server, new ExportHarness(server.Http, await server.TokenAsync("admin"), server.AccountNumber, sim));
    }

    private static string[] Expected(string city) => city == "Oslo" ? ["lytics_all", "lytics_oslo"] : ["lytics_all"];

    /// <summary>
    /// Existing users backfilled while live webhooks move some of them between cities, under <paramref name="faults"/>;
    /// at quiescence every Braze user holds exactly its membership.
    /// </summary>
    private static async Task<JsonObject> BackfillWithLiveChangesAsync(JsonObject faults)
    {
        await using var sim = await BrazeSim.StartAsync();
        var (server, x) = await StartAsync(sim);
        await using var _ = server;
        await x.CreateAudienceAsync("oslo", "FILTER city = \"Oslo\"");
        var city = Enumerable.Range(0, 300).ToDictionary(i => $"f-{i}", i => Cities[i % 2]);
        await x.PostBulkAsync(city.Select(c => (c.Key, c.Value)));
        await server.WaitForProcessingAsync();

        await sim.SetFaultsAsync(faults);
        // Small batches make many requests: the simulator's seeded faults then surely include each kind asked for.
        await x.CreateJobAsync(await x.AuthorizeAsync(), existingUsers: true, ["all", "oslo"], new JsonObject { ["batch_size"] = 5 });
        for (var i = 0; i < 300; i += 7)
        {
            var id = $"f-{i}";
            city[id] = city[id] == "Oslo" ? "Rome" : "Oslo";
            await x.PostWebhookAsync(id, city[id]);
        }
        await server.WaitForProcessingAsync();

        await x.EveryUserEventuallyHoldsAsync(city.ToDictionary(c => c.Key, c => Expected(c.Value)), TimeSpan.FromSeconds(60));
        var job = await x.CaughtUpAsync();
        Assert.Empty(await x.RowsAsync("failed"));
        var stats = await sim.StatsAsync();
        // The job counts the 429s Braze answered it, as the simulator counts the ones it injected.
        Assert.Equal((long)stats["injected_rate_limited"]! > 0, (long)job["metrics"]!["rate_limited"]! > 0);
        return stats;
    }

    [Fact]
    public async Task Under_a_storm_of_429s_and_5xx_a_backfill_with_live_changes_leaves_every_Braze_user_with_its_membership()
    {
        var stats = await BackfillWithLiveChangesAsync(new JsonObject { ["rate_limited_fraction"] = 0.3, ["server_error_fraction"] = 0.3, ["seed"] = 3 });

        // The faults did happen: the outcome above was reached through them.
        Assert.True((long)stats["injected_server_errors"]! > 0, stats.ToJsonString());
        Assert.True((long)stats["injected_rate_limited"]! > 0, stats.ToJsonString());
    }

    [Fact]
    public async Task Connections_dropped_after_apply_and_stalled_requests_are_retried_until_every_Braze_user_holds_its_membership()
    {
        var stats = await BackfillWithLiveChangesAsync(new JsonObject
        {
            ["drop_after_apply_fraction"] = 0.3, ["stall_fraction"] = 0.1, ["stall_ms"] = 5000, ["seed"] = 5,
        });

        Assert.True((long)stats["dropped_after_apply"]! > 0, stats.ToJsonString());
        Assert.True((long)stats["stalled"]! > 0, stats.ToJsonString());
    }

    [Fact]
    public async Task An_object_Braze_refuses_is_a_failed_row_with_Brazes_message_and_the_others_are_delivered()
    {
        await using var sim = await BrazeSim.StartAsync();
        var (server, x) = await StartAsync(sim);
        await using var _ = server;
        await x.CreateJobAsync(await x.AuthorizeAsync(), existingUsers: false, ["all"]);

        await x.PostBulkAsync([("ok-1", "Oslo"), ("dummy", "Oslo"), ("ok-2", "Rome")]);

        await x.EventuallyHoldsAsync("ok-1", "lytics_all");
        await x.EventuallyHoldsAsync("ok-2", "lytics_all");
        // The metric counts when Braze answers; the row log is written when the step saves: wait for both.
        // At least once: a step repeated after a failure to save sends the refused object again.
        var failed = await x.JobEventuallyAsync(j => (long)j["metrics"]!["failed_rows"]! >= 1, "the refused object was not counted as failed");
        var deadline = DateTime.UtcNow + ExportHarness.Patience;
        JsonArray rows;
        while ((rows = await x.RowsAsync("failed")).Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.NotEmpty(rows);
        Assert.All(rows, row =>
        {
            Assert.Equal("dummy", (string)row!["user"]!);
            Assert.Contains("BLACKLISTED_EXTERNAL_USER_ID", (string)row["error"]!, StringComparison.Ordinal);
        });
        JsonArray delivered;
        while ((delivered = await x.RowsAsync(user: "ok-1")).Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.All(delivered, row => Assert.Equal("sent", (string)row!["status"]!));
        Assert.Equal("running", (string)failed["status"]!);
    }

    [Fact]
    public async Task A_wrong_key_pauses_the_job_with_a_message_naming_the_likely_cause()
    {
        await using var sim = await BrazeSim.StartAsync();
        var (server, x) = await StartAsync(sim);
        await using var _ = server;
        await x.CreateJobAsync(await x.AuthorizeAsync("not-a-key-of-this-workspace-0123456789"), existingUsers: false, ["all"]);
        await x.PostWebhookAsync("wrong-key-1", "Oslo");

        var job = await x.JobEventuallyAsync(j => (string)j["status"]! == "paused", "a wrong key did not pause the job");

        var text = job.ToJsonString();
        Assert.Contains("401", text, StringComparison.Ordinal);
        Assert.Contains("key is wrong", text, StringComparison.Ordinal);
        Assert.Contains("instance", text, StringComparison.Ordinal);
        Assert.Null(await sim.UserAsync("wrong-key-1"));
    }

    [Fact]
    public async Task Resuming_a_job_whose_key_still_lacks_users_track_pauses_it_again_with_the_reason()
    {
        await using var sim = await BrazeSim.StartAsync();
        var (server, x) = await StartAsync(sim);
        await using var _ = server;
        await x.CreateJobAsync(await x.AuthorizeAsync(BrazeSim.ReaderKey), existingUsers: false, ["all"]);
        await x.PostWebhookAsync("forbidden-1", "Oslo");
        await x.JobEventuallyAsync(j => (string)j["status"]! == "paused" && j.ToJsonString().Contains("users.track", StringComparison.Ordinal),
            "a key without users.track did not pause the job with the reason");
        var refusedBefore = (long)(await sim.StatsAsync())["forbidden"]!;

        // The answer may already show the job paused again: resume stores "running" before the worker runs.
        await x.OperateAsync("resume");

        // Paused again after Braze refused once more: the resumed job did try.
        var job = await x.JobEventuallyAsync(j => (string)j["status"]! == "paused", "the resumed job did not pause again");
        Assert.Contains("users.track", job.ToJsonString(), StringComparison.Ordinal);
        Assert.True((long)(await sim.StatsAsync())["forbidden"]! > refusedBefore);
        Assert.Null(await sim.UserAsync("forbidden-1"));
    }

    [Fact]
    public async Task Creating_a_job_with_more_audiences_than_the_array_cap_warns_that_Braze_drops_values_silently()
    {
        await using var sim = await BrazeSim.StartAsync();
        var (server, x) = await StartAsync(sim);
        await using var _ = server;
        await x.CreateAudienceAsync("oslo", "FILTER city = \"Oslo\"");

        var created = await x.CreateJobAsync(await x.AuthorizeAsync(), existingUsers: false, ["all", "oslo", "known"], new JsonObject { ["max_array_length"] = 2 });

        var warning = (string)Assert.Single(created["data"]!["warnings"]!.AsArray())!;
        Assert.Contains("3 audiences", warning, StringComparison.Ordinal);
        Assert.Contains("at most 2", warning, StringComparison.Ordinal);
        Assert.Contains("silently", warning, StringComparison.Ordinal);
    }
}
