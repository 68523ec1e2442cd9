using System.Text.Json.Nodes;
using Sluice.Authorizations;
using Sluice.Jobs;

namespace Sluice.Tests;

/// <summary>
/// What needs its own node: the Braze id warning (it samples the account's profiles), the restart that starts the
/// workers of active jobs, and the authorizations in use by jobs.
/// </summary>
public sealed class JobStartTests
{
    private static JsonObject Body(string authId, JsonObject config) => new()
    {
        ["label"] = "export",
        ["auth_ids"] = new JsonArray(authId),
        ["config"] = config,
    };

    [Fact]
    public async Task An_external_id_field_holding_braze_internal_ids_is_a_warning_when_the_identifier_type_is_external_id()
    {
        var (server, credentials) = await BrazeTestNode.StartAsync();
        await using var _ = server;
        var token = await server.TokenAsync("data_manager");
        for (var i = 0; i < 3; i++)
        {
            var user = Seed.BrazeUser(Seed.UniqueEmail(), Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..24]);
            await (await server.Http.PostJsonAsync($"/c/{server.AccountNumber}/braze_users?key={token}", user)).AssertOkAsync();
        }
        await server.WaitForProcessingAsync();
        var auth = credentials.Add(server.Account.Id);

        var warned = await server.Http.PostJsonAsync($"/v2/job/braze-export-audience?key={token}", Body(auth, new JsonObject { ["segment_ids"] = new JsonArray("all") }));
        var warning = (string)(await warned.AssertOkAsync())["data"]!["warnings"]!.AsArray().Single()!;
        Assert.Contains("24 hexadecimal", warning, StringComparison.Ordinal);
        Assert.Contains("identifier_type", warning, StringComparison.Ordinal);

        var asBrazeIds = await server.Http.PostJsonAsync($"/v2/job/braze-export-audience?key={token}",
            Body(auth, new JsonObject { ["segment_ids"] = new JsonArray("all"), ["identifier_type"] = "braze_id" }));
        Assert.Empty((await asBrazeIds.AssertOkAsync())["data"]!["warnings"]!.AsArray());
    }

    [Fact]
    public async Task After_a_restart_the_workers_of_running_jobs_are_started_and_paused_jobs_stay_paused()
    {
        var (first, credentials) = await BrazeTestNode.StartAsync();
        string running, paused, dataDir = first.DataDir;
        try
        {
            var token = await first.TokenAsync("data_manager");
            var auth = credentials.Add(first.Account.Id);
            var config = new JsonObject { ["segment_ids"] = new JsonArray("all"), ["identifier_type"] = "braze_id" };
            running = (string)(await (await first.Http.PostJsonAsync($"/v2/job/braze-export-audience?key={token}", Body(auth, config))).AssertOkAsync())["data"]!["id"]!;
            paused = (string)(await (await first.Http.PostJsonAsync($"/v2/job/braze-export-audience?key={token}", Body(auth, config.DeepClone().AsObject()))).AssertOkAsync())["data"]!["id"]!;
            await (await first.Http.PostAsync($"/v2/job/{paused}/pause?key={token}", null)).AssertOkAsync();

            // The jobs use the authorization until they are completed.
            var usage = first.Services.GetRequiredService<IAuthorizationUsage>();
            Assert.Equal(new[] { running, paused }.Order(), (await usage.JobsUsingAsync(first.Account.Id, auth, CancellationToken.None)).Order());
            await (await first.Http.PostAsync($"/v2/job/{running}/cancel?key={token}", null)).AssertOkAsync();
            Assert.Equal([paused], await usage.JobsUsingAsync(first.Account.Id, auth, CancellationToken.None));
            Assert.Empty(await usage.JobsUsingAsync(first.Account.Id, "another", CancellationToken.None));
            await (await first.Http.PostAsync($"/v2/job/{paused}/resume?key={token}", null)).AssertOkAsync();
            await (await first.Http.PostAsync($"/v2/job/{paused}/pause?key={token}", null)).AssertOkAsync();
            running = (string)(await (await first.Http.PostJsonAsync($"/v2/job/braze-export-audience?key={token}", Body(auth, config.DeepClone().AsObject()))).AssertOkAsync())["data"]!["id"]!;
        }
        finally
        {
            // Stopped, not disposed: the data folder stays for the restart.
            await first.StopAsync();
        }

        var (second, _) = await BrazeTestNode.StartAsync(dataDir, credentials);
        await using (second)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await second.Services.GetRequiredService<JobStarter>().Completion.WaitAsync(timeout.Token);
            var token = await second.TokenAsync("data_manager");
            var job = (await second.Http.GetFromJsonAsyncNode($"/v2/job/{running}?key={token}"))["data"]!;
            Assert.Equal("running", (string)job["status"]!);
            Assert.NotEqual("stopped", (string)job["progress"]!["state"]!);
            var stillPaused = (await second.Http.GetFromJsonAsyncNode($"/v2/job/{paused}?key={token}"))["data"]!;
            Assert.Equal("paused", (string)stillPaused["status"]!);
            Assert.Equal("stopped", (string)stillPaused["progress"]!["state"]!);
        }
    }
}
