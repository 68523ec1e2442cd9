using System.Text.Json.Nodes;

namespace Sluice.Tests;

/// <summary>
/// When a profile's Braze identifier changes, or two profiles merge, the Braze user under the old identifier loses
/// the values and the one under the new identifier holds them; over real HTTP against the simulator.
/// </summary>
public sealed class BrazeExportIdentityTests
{
    private static async Task<(TestServer Server, ExportHarness Export)> StartAsync(BrazeSim sim)
    {
        var server = await TestServer.StartAsync();
        var x = new ExportHarness(server.Http, await server.TokenAsync("admin"), server.AccountNumber, sim);
        await x.CreateAudienceAsync("oslo", "FILTER city = \"Oslo\"");
        await x.CreateJobAsync(await x.AuthorizeAsync(), existingUsers: false, ["all", "oslo"]);
        return (server, x);
    }

    /// <summary>The profile's braze_id and its Braze values now, as Sluice sees it.</summary>
    private static async Task<(string BrazeId, string[] Values)> ProfileAsync(ExportHarness x, string email)
    {
        var profile = await x.Http.GetFromJsonAsyncNode($"/api/entity/user/email/{Uri.EscapeDataString(email)}?segments=true&key={x.Token}");
        var data = profile["data"]!;
        string[] exported = ["all", "oslo"];
        return ((string)data["braze_id"]!, [.. data["segments"]!.AsArray().Select(s => (string)s!).Where(exported.Contains).Select(s => "lytics_" + s)]);
    }

    [Fact]
    public async Task A_profile_whose_braze_id_changes_moves_its_values_from_the_old_Braze_user_to_the_new_one()
    {
        await using var sim = await BrazeSim.StartAsync();
        var (server, x) = await StartAsync(sim);
        await using var _ = server;
        await x.PostWebhookAsync("before-1", "Oslo", "mover@example.com");
        await x.EventuallyHoldsAsync("before-1", "lytics_all", "lytics_oslo");

        await x.PostWebhookAsync("after-1", "Oslo", "mover@example.com");
        await server.WaitForProcessingAsync();

        Assert.Equal("after-1", (await ProfileAsync(x, "mover@example.com")).BrazeId);
        await x.EventuallyHoldsAsync("after-1", "lytics_all", "lytics_oslo");
        await x.EventuallyHoldsAsync("before-1");
    }

    [Fact]
    public Task Two_profiles_that_merge_under_the_braze_id_of_the_surviving_one_leave_their_values_only_on_that_Braze_user() =>
        MergeAsync("a");

    [Fact]
    public Task Two_profiles_that_merge_under_the_braze_id_of_the_merged_away_one_leave_their_values_only_on_that_Braze_user() =>
        MergeAsync("b");

    /// <summary>
    /// Profiles a (Oslo, the older one, which survives) and b (Rome) merge through one event naming one's email and
    /// the other's braze_id; the merged profile keeps <paramref name="whoseBrazeId"/>'s braze_id.
    /// </summary>
    private static async Task MergeAsync(string whoseBrazeId)
    {
        await using var sim = await BrazeSim.StartAsync();
        var (server, x) = await StartAsync(sim);
        await using var _ = server;
        await x.PostWebhookAsync("merge-a", "Oslo", "a@example.com");
        await x.PostWebhookAsync("merge-b", "Rome", "b@example.com");
        await x.EventuallyHoldsAsync("merge-a", "lytics_all", "lytics_oslo");
        await x.EventuallyHoldsAsync("merge-b", "lytics_all");

        // One event names a's email and b's braze_id (or the other way round): the two profiles are one person.
        if (whoseBrazeId == "b") await x.PostWebhookAsync("merge-b", "Oslo", "a@example.com");
        else await x.PostWebhookAsync("merge-a", "Oslo", "b@example.com");
        await server.WaitForProcessingAsync();

        var (brazeId, values) = await ProfileAsync(x, "a@example.com");
        Assert.Equal(brazeId, (await ProfileAsync(x, "b@example.com")).BrazeId);
        Assert.Equal($"merge-{whoseBrazeId}", brazeId);
        Assert.Equal(["lytics_all", "lytics_oslo"], values.Order(StringComparer.Ordinal));
        await x.EveryUserEventuallyHoldsAsync(new Dictionary<string, string[]> { [brazeId] = values });
        await x.CaughtUpAsync();
        await x.EveryUserEventuallyHoldsAsync(new Dictionary<string, string[]> { [brazeId] = values });
    }

    [Fact]
    public async Task Reconcile_restores_every_Braze_user_that_was_changed_behind_Sluices_back()
    {
        await using var sim = await BrazeSim.StartAsync();
        var (server, x) = await StartAsync(sim);
        await using var _ = server;
        var city = Enumerable.Range(0, 40).ToDictionary(i => $"rc-{i}", i => i % 3 == 0 ? "Oslo" : "Rome");
        await x.PostBulkAsync(city.Select(c => (c.Key, c.Value)));
        var expected = city.ToDictionary(c => c.Key, c => c.Value == "Oslo" ? new[] { "lytics_all", "lytics_oslo" } : ["lytics_all"]);
        await x.EveryUserEventuallyHoldsAsync(expected);

        // Behind Sluice's back: one user loses a value, another gains a stale one, then Braze forgets everyone.
        await Tamper(sim, new JsonObject { ["external_id"] = "rc-0", ["lytics_segments"] = new JsonObject { ["remove"] = new JsonArray("lytics_oslo") } });
        await Tamper(sim, new JsonObject { ["external_id"] = "rc-1", ["lytics_segments"] = new JsonObject { ["add"] = new JsonArray("lytics_oslo") } });
        Assert.DoesNotContain("lytics_oslo", await sim.ArrayAsync("rc-0", "lytics_segments"));
        (await sim.Http.PostAsync("sim/reset", null)).EnsureSuccessStatusCode();
        await Tamper(sim, new JsonObject { ["external_id"] = "rc-1", ["lytics_segments"] = new JsonObject { ["add"] = new JsonArray("lytics_oslo") } });

        await x.OperateAsync("reconcile");
        await ReconciledAsync(x);

        await x.EveryUserEventuallyHoldsAsync(expected);
    }

    [Fact]
    public async Task Reconcile_sends_nothing_for_a_profile_that_cannot_be_identified_in_Braze()
    {
        await using var sim = await BrazeSim.StartAsync();
        var (server, x) = await StartAsync(sim);
        await using var _ = server;
        // Profiles without a braze_id are in "all" but cannot be sent; a reconcile over them costs nothing.
        await (await x.Http.PostRawAsync($"/c/{x.AccountNumber}/braze_users?key={x.Token}", """{"email":"no-id@example.com","city":"Oslo"}""")).AssertOkAsync();
        await server.WaitForProcessingAsync();
        await x.CaughtUpAsync();
        var before = (long)(await sim.StatsAsync())["requests"]!;

        await x.OperateAsync("reconcile");
        await ReconciledAsync(x);

        Assert.Equal(before, (long)(await sim.StatsAsync())["requests"]!);
    }

    /// <summary>Waits for the run log's word that the reconcile pass went over every profile.</summary>
    private static async Task ReconciledAsync(ExportHarness x)
    {
        var deadline = DateTime.UtcNow + ExportHarness.Patience;
        while (!(await x.Http.GetStringAsync($"/v2/job/{x.JobId}/logs?key={x.Token}")).Contains("reconcile finished", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the reconcile did not finish");
            await Task.Delay(50);
        }
    }

    private static async Task Tamper(BrazeSim sim, JsonObject attributes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "users/track")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new JsonObject { ["attributes"] = new JsonArray(attributes) }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", BrazeSim.TrackKey);
        (await sim.Http.SendAsync(request)).EnsureSuccessStatusCode();
    }
}
