using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Sluice.Tests;

/// <summary>
/// The seed's flow end to end over real HTTP, against the Braze simulator: a webhook builds a profile, the profile
/// enters audiences, and the Braze user's <c>lytics_segments</c> follows every enter and exit, with deltas only.
/// </summary>
public sealed class BrazeExportTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private sealed class Setup : IAsyncDisposable
    {
        public required TestServer Server { get; init; }

        public required BrazeSim Sim { get; init; }

        public required string Token { get; init; }

        public string? JobId { get; set; }

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            await Sim.DisposeAsync();
        }
    }

    private static async Task<Setup> StartAsync()
    {
        var sim = await BrazeSim.StartAsync();
        var server = await TestServer.StartAsync();
        var token = await server.TokenAsync("admin");
        return new Setup { Server = server, Sim = sim, Token = token };
    }

    private static async Task<string> AuthorizeAsync(Setup s, string key = BrazeSim.TrackKey)
    {
        var created = await (await s.Server.Http.PostAsJsonAsync($"/api/auth?key={s.Token}", new JsonObject
        {
            ["provider"] = "braze",
            ["label"] = "simulator",
            ["config"] = new JsonObject { ["api_key"] = key, ["rest_url"] = s.Sim.BaseAddress.ToString() },
        })).AssertOkAsync();
        return (string)created["data"]!["id"]!;
    }

    private static async Task<JsonObject> CreateJobAsync(Setup s, string authId, bool existingUsers, params string[] audiences)
    {
        var created = await (await s.Server.Http.PostAsJsonAsync($"/v2/job/braze-export-audience?key={s.Token}", new JsonObject
        {
            ["label"] = "Braze audiences",
            ["auth_ids"] = new JsonArray(authId),
            ["config"] = new JsonObject
            {
                ["external_id_field"] = "braze_id",
                ["segment_ids"] = new JsonArray([.. audiences.Select(a => (JsonNode)a)]),
                ["existing_users"] = existingUsers,
                ["linger_ms"] = 200,
            },
        })).AssertOkAsync();
        s.JobId = (string)created["data"]!["id"]!;
        return created;
    }

    private static async Task PostWebhookAsync(Setup s, string brazeId, string city) =>
        await (await s.Server.Http.PostRawAsync($"/c/{s.Server.AccountNumber}/braze_users?key={s.Token}",
            $$"""{"braze_id":"{{brazeId}}","email":"{{brazeId}}@example.com","city":"{{city}}"}""")).AssertOkAsync();

    private static async Task CreateAudienceAsync(Setup s, string slug, string ql) =>
        await (await s.Server.Http.PostAsJsonAsync($"/api/segment?key={s.Token}", new JsonObject { ["name"] = slug, ["slug_name"] = slug, ["segment_ql"] = ql }))
            .AssertOkAsync();

    /// <summary>Waits until the simulator's user holds exactly these values (an eventual outcome, polled with a deadline).</summary>
    private static async Task<IReadOnlyList<string>> EventuallyAsync(Setup s, string user, params string[] expected)
    {
        var deadline = DateTime.UtcNow + Patience;
        IReadOnlyList<string> seen;
        do
        {
            seen = await s.Sim.ArrayAsync(user, "lytics_segments");
            if (seen.Order(StringComparer.Ordinal).SequenceEqual(expected.Order(StringComparer.Ordinal))) return seen;
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"{user} holds [{string.Join(", ", seen)}], expected [{string.Join(", ", expected)}]");
        return seen;
    }

    /// <summary>Waits until processing has applied every event and the job has looked at every feed entry so far.</summary>
    private static async Task QuiescentAsync(Setup s)
    {
        await s.Server.WaitForProcessingAsync();
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var job = await (await s.Server.Http.GetAsync($"/v2/job/{s.JobId}?key={s.Token}")).AssertOkAsync();
            var (metrics, progress) = (job["data"]!["metrics"], job["data"]!["progress"]);
            if (metrics is not null && progress is not null && (long)metrics["lag"]! == 0 && (string)progress["state"]! == "streaming") return;
            await Task.Delay(50);
        }
        Assert.Fail("the export job did not catch up with the membership feed");
    }

    [Fact]
    public async Task A_webhook_puts_the_user_into_Braze_audiences_and_an_exit_removes_the_value()
    {
        await using var s = await StartAsync();
        await CreateAudienceAsync(s, "oslo", "FILTER city = \"Oslo\"");
        await CreateJobAsync(s, await AuthorizeAsync(s), existingUsers: false, "all", "oslo");

        await PostWebhookAsync(s, "ABC124ID", "Oslo");
        await EventuallyAsync(s, "ABC124ID", "lytics_all", "lytics_oslo");

        await PostWebhookAsync(s, "ABC124ID", "Bergen");
        await EventuallyAsync(s, "ABC124ID", "lytics_all");
    }

    [Fact]
    public async Task Existing_members_are_backfilled_only_when_asked()
    {
        await using var s = await StartAsync();
        await PostWebhookAsync(s, "early-1", "Oslo");
        await PostWebhookAsync(s, "early-2", "Rome");
        await s.Server.WaitForProcessingAsync();
        var auth = await AuthorizeAsync(s);

        await CreateJobAsync(s, auth, existingUsers: false, "all");
        await QuiescentAsync(s);
        Assert.Null(await s.Sim.UserAsync("early-1"));

        await CreateJobAsync(s, auth, existingUsers: true, "known");
        await EventuallyAsync(s, "early-1", "lytics_known");
        await EventuallyAsync(s, "early-2", "lytics_known");
    }

    [Fact]
    public async Task Posting_the_same_webhook_again_sends_nothing_to_Braze()
    {
        await using var s = await StartAsync();
        await CreateJobAsync(s, await AuthorizeAsync(s), existingUsers: false, "all");
        await PostWebhookAsync(s, "same-1", "Oslo");
        await EventuallyAsync(s, "same-1", "lytics_all");
        await QuiescentAsync(s);
        var before = (long)(await s.Sim.StatsAsync())["requests"]!;

        await PostWebhookAsync(s, "same-1", "Oslo");
        await QuiescentAsync(s);

        Assert.Equal(before, (long)(await s.Sim.StatsAsync())["requests"]!);
    }

    [Fact]
    public async Task A_key_without_users_track_pauses_the_job_with_the_reason_and_resume_delivers()
    {
        await using var s = await StartAsync();
        var auth = await AuthorizeAsync(s, BrazeSim.ReaderKey);
        await CreateJobAsync(s, auth, existingUsers: false, "all");
        await PostWebhookAsync(s, "paused-1", "Oslo");

        var deadline = DateTime.UtcNow + Patience;
        JsonObject job;
        do
        {
            job = (await (await s.Server.Http.GetAsync($"/v2/job/{s.JobId}?key={s.Token}")).AssertOkAsync())["data"]!.AsObject();
            if ((string)job["status"]! == "paused") break;
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal("paused", (string)job["status"]!);
        Assert.Contains("users.track", job.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(await s.Sim.UserAsync("paused-1"));
    }

    [Fact]
    public async Task A_dry_run_shows_the_backfill_requests_without_sending_any()
    {
        await using var s = await StartAsync();
        await PostWebhookAsync(s, "dry-1", "Oslo");
        await (await s.Server.Http.PostRawAsync($"/c/{s.Server.AccountNumber}/braze_users?key={s.Token}", """{"email":"no-id@example.com"}""")).AssertOkAsync();
        await s.Server.WaitForProcessingAsync();
        var auth = await AuthorizeAsync(s);

        var plan = (await (await s.Server.Http.PostAsJsonAsync($"/v2/job/braze-export-audience/_dryrun?key={s.Token}", new JsonObject
        {
            ["label"] = "dry",
            ["auth_ids"] = new JsonArray(auth),
            ["config"] = new JsonObject { ["external_id_field"] = "braze_id", ["segment_ids"] = new JsonArray("all", "known") },
        })).AssertOkAsync())["data"]!;

        var objects = plan["requests"]!.AsArray().Single()!["attributes"]!.AsArray();
        Assert.Equal("dry-1", (string)objects.Single()!["external_id"]!);
        Assert.Equal(["lytics_all", "lytics_known"], objects.Single()!["lytics_segments"]!["add"]!.AsArray().Select(v => (string)v!));
        Assert.Equal((1, 1, 1), ((long)plan["users"]!, (long)plan["requests_total"]!, (long)plan["skipped_no_id"]!));
        Assert.Equal(0, (long)(await s.Sim.StatsAsync())["requests"]!);
    }

    [Fact]
    public async Task A_privacy_delete_removes_the_users_values_from_Braze()
    {
        await using var s = await StartAsync();
        await CreateJobAsync(s, await AuthorizeAsync(s), existingUsers: false, "all", "known");
        await PostWebhookAsync(s, "forget-me", "Oslo");
        await EventuallyAsync(s, "forget-me", "lytics_all", "lytics_known");

        await (await s.Server.Http.DeleteAsync($"/api/entity/user/braze_id/forget-me?key={s.Token}")).AssertOkAsync();

        await EventuallyAsync(s, "forget-me");
        await QuiescentAsync(s);
        var rows = await (await s.Server.Http.GetAsync($"/v2/job/{s.JobId}/rows?key={s.Token}")).AssertOkAsync();
        Assert.DoesNotContain("forget-me", rows.ToJsonString(), StringComparison.Ordinal);
    }
}
