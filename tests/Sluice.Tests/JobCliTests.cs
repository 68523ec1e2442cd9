using System.Text.Json.Nodes;

namespace Sluice.Tests;

/// <summary><c>sluice job list|watch</c>, run as the real executable.</summary>
public sealed class JobCliTests
{
    private static JsonObject Body(string label, string authId, bool existingUsers) => new()
    {
        ["label"] = label,
        ["auth_ids"] = new JsonArray(authId),
        ["config"] = new JsonObject { ["segment_ids"] = new JsonArray("all"), ["identifier_type"] = "braze_id", ["existing_users"] = existingUsers },
    };

    private static async Task<string> CreateAsync(TestServer server, string token, JsonObject body) =>
        (string)(await (await server.Http.PostJsonAsync($"/v2/job/braze-export-audience?key={token}", body)).AssertOkAsync())["data"]!["id"]!;

    [Fact]
    public async Task Job_list_shows_the_folders_jobs_with_their_status_without_a_server()
    {
        var (server, credentials) = await BrazeTestNode.StartAsync();
        await using var node = server;
        var token = await server.TokenAsync("data_manager");
        var auth = credentials.Add(server.Account.Id);
        var id = await CreateAsync(server, token, Body("Nightly export", auth, existingUsers: true));
        await (await server.Http.PostAsync($"/v2/job/{id}/pause?key={token}", null)).AssertOkAsync();
        await server.StopAsync();

        var (exit, stdout, stderr) = await SluiceProcess.RunAsync("job", "list", "--data", server.DataDir, "--json");
        Assert.True(exit == 0, stderr);
        var job = JsonNode.Parse(stdout)!.AsArray().Single()!;
        Assert.Equal(id, (string)job["id"]!);
        Assert.Equal("paused", (string)job["status"]!);
        Assert.Equal("braze-export-audience", (string)job["workflow"]!);
        Assert.Equal(server.AccountNumber, (long)job["aid"]!);

        var (tableExit, table, _) = await SluiceProcess.RunAsync("job", "list", "--data", server.DataDir);
        Assert.Equal(0, tableExit);
        Assert.Contains("Nightly", table, StringComparison.Ordinal);
        Assert.Contains("paused", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_watch_ends_when_the_job_has_no_backfill_or_has_stopped_and_fails_clearly_for_an_unknown_job()
    {
        var (server, credentials) = await BrazeTestNode.StartAsync();
        await using var node = server;
        var token = await server.TokenAsync("data_manager");
        var auth = credentials.Add(server.Account.Id);
        var url = server.BaseAddress.ToString();

        var live = await CreateAsync(server, token, Body("Live only", auth, existingUsers: false));
        var (exit, stdout, stderr) = await SluiceProcess.RunAsync("job", "watch", live, "--url", url, "--token", token, "--interval", "0.1");
        Assert.True(exit == 0, stderr);
        Assert.Contains("no backfill", stdout, StringComparison.Ordinal);

        var stopped = await CreateAsync(server, token, Body("Stopped", auth, existingUsers: true));
        await (await server.Http.PostAsync($"/v2/job/{stopped}/cancel?key={token}", null)).AssertOkAsync();
        (exit, stdout, stderr) = await SluiceProcess.RunAsync("job", "watch", stopped, "--url", url, "--token", token);
        Assert.True(exit == 0, stderr);
        Assert.Contains("completed", stdout, StringComparison.Ordinal);

        (exit, stdout, stderr) = await SluiceProcess.RunAsync("job", "watch", "no-such-job", "--url", url, "--token", token);
        Assert.NotEqual(0, exit);
        Assert.Contains("404", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(token, stdout + stderr, StringComparison.Ordinal);

        (exit, _, stderr) = await SluiceProcess.RunAsync("job", "watch", live, "--url", url);
        Assert.NotEqual(0, exit);
        Assert.Contains("--token", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_watch_follows_a_backfill_to_its_end()
    {
        var (server, credentials) = await BrazeTestNode.StartAsync();
        await using var node = server;
        var token = await server.TokenAsync("data_manager");
        var auth = credentials.Add(server.Account.Id);
        var url = server.BaseAddress.ToString();
        // A backfill of the account's members, to a Braze that takes everything: watching ends once it is done.
        for (var i = 0; i < 3; i++)
        {
            await (await server.Http.PostJsonAsync($"/c/{server.AccountNumber}/braze_users?key={token}", Seed.BrazeUser(Seed.UniqueEmail(), $"b{i}"))).AssertOkAsync();
        }
        await server.WaitForProcessingAsync();
        var backfill = await CreateAsync(server, token, Body("Backfill", auth, existingUsers: true));
        var (exit, stdout, stderr) = await SluiceProcess.RunAsync("job", "watch", backfill, "--url", url, "--token", token, "--interval", "0.1");
        Assert.True(exit == 0, stderr);
        Assert.Contains("backfill done", stdout, StringComparison.Ordinal);
    }
}
