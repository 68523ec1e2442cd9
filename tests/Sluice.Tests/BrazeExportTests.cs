using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sluice.Export;

namespace Sluice.Tests;

/// <summary>
/// The seed's flow end to end over real HTTP, against the Braze simulator: a webhook builds a profile, the profile
/// enters audiences, and the Braze user's <c>lytics_segments</c> follows every enter and exit, with deltas only.
/// </summary>
public sealed class BrazeExportTests
{
    private sealed class Setup(TestServer server, BrazeSim sim, string token) : IAsyncDisposable
    {
        public TestServer Server { get; } = server;

        public ExportHarness H { get; } = new(server.Http, token, server.AccountNumber, sim);

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            await H.Sim.DisposeAsync();
        }
    }

    private static async Task<Setup> StartAsync()
    {
        var sim = await BrazeSim.StartAsync();
        var server = await TestServer.StartAsync();
        return new Setup(server, sim, await server.TokenAsync("admin"));
    }

    /// <summary>Waits until processing has applied every event and the job has looked at every feed entry so far.</summary>
    private static async Task QuiescentAsync(Setup s)
    {
        await s.Server.WaitForProcessingAsync();
        await s.H.CaughtUpAsync();
    }

    [Fact]
    public async Task A_webhook_puts_the_user_into_Braze_audiences_and_an_exit_removes_the_value()
    {
        await using var s = await StartAsync();
        await s.H.CreateAudienceAsync("oslo", "FILTER city = \"Oslo\"");
        await s.H.CreateJobAsync(await s.H.AuthorizeAsync(), existingUsers: false, ["all", "oslo"]);

        await s.H.PostWebhookAsync("ABC124ID", "Oslo");
        await s.H.EventuallyHoldsAsync("ABC124ID", "lytics_all", "lytics_oslo");

        await s.H.PostWebhookAsync("ABC124ID", "Bergen");
        await s.H.EventuallyHoldsAsync("ABC124ID", "lytics_all");
    }

    [Fact]
    public async Task Existing_members_are_backfilled_only_when_asked()
    {
        await using var s = await StartAsync();
        await s.H.PostWebhookAsync("early-1", "Oslo");
        await s.H.PostWebhookAsync("early-2", "Rome");
        await s.Server.WaitForProcessingAsync();
        var auth = await s.H.AuthorizeAsync();

        await s.H.CreateJobAsync(auth, existingUsers: false, ["all"]);
        await QuiescentAsync(s);
        Assert.Null(await s.H.Sim.UserAsync("early-1"));

        await s.H.CreateJobAsync(auth, existingUsers: true, ["known"]);
        await s.H.EventuallyHoldsAsync("early-1", "lytics_known");
        await s.H.EventuallyHoldsAsync("early-2", "lytics_known");
    }

    [Fact]
    public async Task Posting_the_same_webhook_again_sends_nothing_to_Braze()
    {
        await using var s = await StartAsync();
        await s.H.CreateJobAsync(await s.H.AuthorizeAsync(), existingUsers: false, ["all"]);
        await s.H.PostWebhookAsync("same-1", "Oslo");
        await s.H.EventuallyHoldsAsync("same-1", "lytics_all");
        await QuiescentAsync(s);
        var before = (long)(await s.H.Sim.StatsAsync())["requests"]!;

        await s.H.PostWebhookAsync("same-1", "Oslo");
        await QuiescentAsync(s);

        Assert.Equal(before, (long)(await s.H.Sim.StatsAsync())["requests"]!);
    }

    [Fact]
    public async Task A_key_without_users_track_pauses_the_job_with_the_reason_and_resume_delivers()
    {
        await using var s = await StartAsync();
        var auth = await s.H.AuthorizeAsync(BrazeSim.ReaderKey);
        await s.H.CreateJobAsync(auth, existingUsers: false, ["all"]);
        await s.H.PostWebhookAsync("paused-1", "Oslo");

        var job = await s.H.JobEventuallyAsync(j => (string)j["status"]! == "paused", "the job did not pause");

        Assert.Equal("paused", (string)job["status"]!);
        Assert.Contains("users.track", job.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(await s.H.Sim.UserAsync("paused-1"));
    }

    [Fact]
    public async Task A_dry_run_shows_the_backfill_requests_without_sending_any()
    {
        await using var s = await StartAsync();
        await s.H.PostWebhookAsync("dry-1", "Oslo");
        await (await s.Server.Http.PostRawAsync($"/c/{s.Server.AccountNumber}/braze_users?key={s.H.Token}", """{"email":"no-id@example.com"}""")).AssertOkAsync();
        await s.Server.WaitForProcessingAsync();
        var auth = await s.H.AuthorizeAsync();

        var plan = (await (await s.Server.Http.PostAsJsonAsync($"/v2/job/braze-export-audience/_dryrun?key={s.H.Token}", new JsonObject
        {
            ["label"] = "dry",
            ["auth_ids"] = new JsonArray(auth),
            ["config"] = new JsonObject { ["external_id_field"] = "braze_id", ["segment_ids"] = new JsonArray("all", "known") },
        })).AssertOkAsync())["data"]!;

        var objects = plan["requests"]!.AsArray().Single()!["attributes"]!.AsArray();
        Assert.Equal("dry-1", (string)objects.Single()!["external_id"]!);
        Assert.Equal(["lytics_all", "lytics_known"], objects.Single()!["lytics_segments"]!["add"]!.AsArray().Select(v => (string)v!));
        Assert.Equal((1, 1, 1), ((long)plan["users"]!, (long)plan["requests_total"]!, (long)plan["skipped_no_id"]!));
        Assert.Equal(0, (long)(await s.H.Sim.StatsAsync())["requests"]!);
    }

    [Fact]
    public async Task A_privacy_delete_removes_the_users_values_from_Braze()
    {
        await using var s = await StartAsync();
        await s.H.CreateJobAsync(await s.H.AuthorizeAsync(), existingUsers: false, ["all", "known"]);
        await s.H.PostWebhookAsync("forget-me", "Oslo");
        await s.H.EventuallyHoldsAsync("forget-me", "lytics_all", "lytics_known");

        await (await s.Server.Http.DeleteAsync($"/api/entity/user/braze_id/forget-me?key={s.H.Token}")).AssertOkAsync();

        await s.H.EventuallyHoldsAsync("forget-me");
        await QuiescentAsync(s);
        var rows = await (await s.Server.Http.GetAsync($"/v2/job/{s.H.JobId}/rows?key={s.H.Token}")).AssertOkAsync();
        Assert.DoesNotContain("forget-me", rows.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_job_forgets_what_it_told_Braze_about_each_user()
    {
        await using var s = await StartAsync();
        await s.H.CreateJobAsync(await s.H.AuthorizeAsync(), existingUsers: false, ["all"]);
        await s.H.PostWebhookAsync("told-1", "Oslo");
        await s.H.EventuallyHoldsAsync("told-1", "lytics_all");
        await QuiescentAsync(s);
        var state = s.Server.Services.GetRequiredService<IExportStateStore>();
        var jobId = s.H.JobId!;
        Assert.NotEmpty(await state.ToldProfilesAsync(jobId, 0, 10, CancellationToken.None));

        await s.H.OperateAsync("cancel");

        Assert.Empty(await state.ToldProfilesAsync(jobId, 0, 10, CancellationToken.None));
        Assert.Null(await state.LoadAsync(jobId, CancellationToken.None));
    }
}
