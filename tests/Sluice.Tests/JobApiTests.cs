using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Sluice.Tests;

/// <summary>
/// <c>/v2/job</c> over real HTTP: creating a Braze export job (every check a clear 400 that names its key and stores
/// nothing; warnings with the created job), listing, reading and relabelling jobs, operating them (409 for what their
/// state does not allow), their logs, and tenancy.
/// </summary>
public sealed class JobApiTests(BrazeServerFixture fixture) : IClassFixture<BrazeServerFixture>
{
    private TestServer S => fixture.Server;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private string BrazeAuth() => fixture.Credentials.Add(S.Account.Id);

    private static JsonObject Body(string label, string authId, JsonObject? config = null) => new()
    {
        ["label"] = label,
        ["description"] = "to Braze",
        ["auth_ids"] = new JsonArray(authId),
        ["config"] = config ?? new JsonObject { ["segment_ids"] = new JsonArray("all", "known"), ["existing_users"] = true },
    };

    private async Task<JsonObject> CreateAsync(string token, JsonObject body)
    {
        var response = await S.Http.PostJsonAsync($"/v2/job/braze-export-audience?key={token}", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.AssertOkAsync())["data"]!.AsObject();
    }

    private async Task<List<string>> LabelsAsync(string token) =>
        [.. (await S.Http.GetFromJsonAsyncNode($"/v2/job?key={token}"))["data"]!.AsArray().Select(j => (string)j!["label"]!)];

    [Fact]
    public async Task A_braze_export_job_is_created_running_with_its_normalised_config_and_its_worker_started()
    {
        var token = await S.TokenAsync("data_manager");
        var auth = BrazeAuth();
        var label = Unique("export");
        var job = await CreateAsync(token, Body(label, auth));

        foreach (var field in new[] { "id", "aid", "account_id", "workflow", "label", "description", "auth_ids", "config", "status", "created", "updated", "metrics", "progress", "warnings" })
        {
            Assert.True(job.ContainsKey(field), $"missing {field}: {job.ToJsonString()}");
        }
        Assert.Equal("braze-export-audience", (string)job["workflow"]!);
        Assert.Equal(S.AccountNumber, (long)job["aid"]!);
        Assert.Equal("running", (string)job["status"]!);
        Assert.Equal([auth], job["auth_ids"]!.AsArray().Select(a => (string)a!));
        Assert.Empty(job["warnings"]!.AsArray());
        // Every default written out.
        var config = job["config"]!.AsObject();
        Assert.Equal("braze_id", (string)config["external_id_field"]!);
        Assert.Equal("external_id", (string)config["identifier_type"]!);
        Assert.Equal("lytics_segments", (string)config["attribute_name"]!);
        Assert.Equal(75, (int)config["batch_size"]!);
        Assert.True((bool)config["existing_users"]!);
        // The worker was started: it reports a state, and the backfill (existing users) is followed.
        Assert.NotNull(job["progress"]!["state"]);
        Assert.NotNull(job["progress"]!["backfill"]);
        Assert.NotNull(job["metrics"]!["objects_sent"]);
        // The workspace's key is never shown.
        Assert.DoesNotContain("test-key-", job.ToJsonString(), StringComparison.Ordinal);

        var logs = (await S.Http.GetFromJsonAsyncNode($"/v2/job/{job["id"]}/logs?key={token}"))["data"]!.AsArray();
        Assert.Equal("created", (string)logs.Last()!["message"]!);
        Assert.NotNull(logs.Last()!["at"]);
    }

    [Fact]
    public async Task Every_problem_of_a_create_body_is_a_400_naming_its_key_and_nothing_is_stored()
    {
        var token = await S.TokenAsync("data_manager");
        var auth = BrazeAuth();
        var (otherNumber, otherToken) = await S.OtherAccountAsync();
        var other = (await S.Services.GetRequiredService<Sluice.Accounts.IAccountStore>().FindByNumberAsync(otherNumber, CancellationToken.None))!;
        var foreign = fixture.Credentials.Add(other.Id);
        var label = Unique("refused");

        async Task Refused(JsonObject body, params string[] keys)
        {
            var response = await S.Http.PostJsonAsync($"/v2/job/braze-export-audience?key={token}", body);
            var message = await response.AssertErrorAsync(HttpStatusCode.BadRequest);
            foreach (var key in keys) Assert.Contains(key, message, StringComparison.Ordinal);
        }

        await Refused(Body(label, auth, new JsonObject { ["segment_ids"] = new JsonArray("no-such-audience") }), "segment_ids", "no-such-audience");
        await Refused(Body(label, auth, new JsonObject { ["segment_ids"] = new JsonArray("all"), ["external_id_field"] = "no_mapping_writes_this" }),
            "external_id_field", "no_mapping_writes_this");
        await Refused(Body(label, auth, new JsonObject { ["segment_ids"] = new JsonArray("all"), ["batch_size"] = 500, ["identifier_type"] = "phone", ["existing_users"] = "yes" }),
            "batch_size", "identifier_type", "existing_users");
        await Refused(Body(label, auth, new JsonObject()), "segment_ids");
        await Refused(Body(label, "no-such-authorization"), "auth_ids", "no-such-authorization");
        await Refused(Body(label, foreign), "auth_ids", foreign);
        var two = Body(label, auth);
        two["auth_ids"] = new JsonArray(auth, auth);
        await Refused(two, "auth_ids");
        var none = Body(label, auth);
        none.Remove("auth_ids");
        await Refused(none, "auth_ids");
        await Refused(new JsonObject { ["auth_ids"] = new JsonArray(auth), ["config"] = new JsonObject { ["segment_ids"] = new JsonArray("all") } }, "label");
        await Refused(new JsonObject { ["label"] = label, ["auth_ids"] = "x", ["config"] = new JsonArray() }, "auth_ids", "config");
        await (await S.Http.PostRawAsync($"/v2/job/braze-export-audience?key={token}", "{\"label\":")).AssertErrorAsync(HttpStatusCode.BadRequest);

        Assert.DoesNotContain(label, await LabelsAsync(token));
        Assert.Empty((await S.Http.GetFromJsonAsyncNode($"/v2/job?key={otherToken}"))["data"]!.AsArray());
    }

    [Fact]
    public async Task More_audiences_than_the_array_cap_is_a_warning_returned_with_the_created_job_and_logged()
    {
        var token = await S.TokenAsync("data_manager");
        var job = await CreateAsync(token, Body(Unique("capped"), BrazeAuth(), new JsonObject
        {
            ["segment_ids"] = new JsonArray("all", "known", "anonymous"),
            ["max_array_length"] = 2,
            ["identifier_type"] = "braze_id",
        }));
        var warning = (string)job["warnings"]!.AsArray().Single()!;
        Assert.Contains("3 audiences", warning, StringComparison.Ordinal);
        Assert.Contains("max_array_length", warning, StringComparison.Ordinal);
        var logs = (await S.Http.GetFromJsonAsyncNode($"/v2/job/{job["id"]}/logs?key={token}"))["data"]!.AsArray();
        Assert.Contains(logs, l => (string)l!["level"]! == "warning" && ((string)l["message"]!).Contains("3 audiences", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Csv_import_from_an_authorization_that_is_no_import_source_is_refused_with_the_reason_and_an_unknown_workflow_is_not_found()
    {
        var token = await S.TokenAsync("data_manager");
        var csv = await S.Http.PostJsonAsync($"/v2/job/csv-import?key={token}", Body(Unique("csv"), BrazeAuth()));
        Assert.Contains("cannot be imported from: no authorization with id", await csv.AssertErrorAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        var unknown = await S.Http.PostJsonAsync($"/v2/job/zuora-import?key={token}", Body(Unique("x"), BrazeAuth()));
        Assert.Contains("braze-export-audience", await unknown.AssertErrorAsync(HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_are_listed_read_and_relabelled_and_only_label_and_description_change()
    {
        var token = await S.TokenAsync("data_manager");
        var job = await CreateAsync(token, Body(Unique("listed"), BrazeAuth()));
        var id = (string)job["id"]!;

        var list = (await S.Http.GetFromJsonAsyncNode($"/v2/job?key={token}&workflow=braze-export-audience"))["data"]!.AsArray();
        Assert.Contains(list, j => (string)j!["id"]! == id);
        Assert.Empty((await S.Http.GetFromJsonAsyncNode($"/v2/job?key={token}&workflow=csv-import"))["data"]!.AsArray());
        var read = (await S.Http.GetFromJsonAsyncNode($"/v2/job/{id}?key={token}"))["data"]!;
        Assert.Equal((string)job["label"]!, (string)read["label"]!);
        Assert.Equal(job["config"]!.ToJsonString(), read["config"]!.ToJsonString());

        var changed = (await (await S.Http.PutAsJsonAsync($"/v2/job/{id}?key={token}", new JsonObject { ["label"] = "Renamed" })).AssertOkAsync())["data"]!;
        Assert.Equal("Renamed", (string)changed["label"]!);
        Assert.Equal("to Braze", (string)changed["description"]!);
        changed = (await (await S.Http.PutAsJsonAsync($"/v2/job/{id}?key={token}", new JsonObject { ["description"] = null })).AssertOkAsync())["data"]!;
        Assert.Equal("Renamed", (string)changed["label"]!);
        Assert.Null(changed["description"]);

        var config = await S.Http.PutAsJsonAsync($"/v2/job/{id}?key={token}", new JsonObject { ["config"] = new JsonObject { ["batch_size"] = 10 } });
        Assert.Contains("config", await config.AssertErrorAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        await (await S.Http.PutAsJsonAsync($"/v2/job/{id}?key={token}", new JsonObject { ["label"] = "" })).AssertErrorAsync(HttpStatusCode.BadRequest);
        await (await S.Http.PutAsJsonAsync($"/v2/job/{id}?key={token}", new JsonObject())).AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal(75, (int)(await S.Http.GetFromJsonAsyncNode($"/v2/job/{id}?key={token}"))["data"]!["config"]!["batch_size"]!);
    }

    [Fact]
    public async Task Pause_resume_reconcile_and_cancel_follow_the_jobs_state_and_what_it_does_not_allow_is_a_409()
    {
        var token = await S.TokenAsync("data_manager");
        // Without a backfill, so that the run log holds only what the operations wrote.
        var id = (string)(await CreateAsync(token, Body(Unique("ops"), BrazeAuth(), new JsonObject { ["segment_ids"] = new JsonArray("all") })))["id"]!;

        async Task<JsonNode> Do(string op) => (await (await S.Http.PostAsync($"/v2/job/{id}/{op}?key={token}", null)).AssertOkAsync())["data"]!;
        async Task Refuse(string op, string state)
        {
            var message = await (await S.Http.PostAsync($"/v2/job/{id}/{op}?key={token}", null)).AssertErrorAsync(HttpStatusCode.Conflict);
            Assert.Contains(state, message, StringComparison.Ordinal);
        }

        await Refuse("resume", "running");
        Assert.Equal("running", (string)(await Do("reconcile"))["status"]!);
        var paused = await Do("pause");
        Assert.Equal("paused", (string)paused["status"]!);
        Assert.Equal("paused by an operator", (string)paused["status_message"]!);
        Assert.Equal("stopped", (string)paused["progress"]!["state"]!);
        await Refuse("pause", "paused");
        await Refuse("reconcile", "paused");
        Assert.Equal("running", (string)(await Do("resume"))["status"]!);
        var cancelled = await Do("cancel");
        Assert.Equal("completed", (string)cancelled["status"]!);
        Assert.Null(cancelled["progress"]);
        await Refuse("resume", "completed");
        await Refuse("cancel", "completed");
        await Refuse("pause", "completed");

        // Newest first; each operation's line is written by the job's worker as it does it.
        var lines = (await S.Http.GetFromJsonAsyncNode($"/v2/job/{id}/logs?key={token}"))["data"]!.AsArray().Select(l => (string)l!["message"]!).ToList();
        // The end of the reconcile pass is logged whenever the pass ends, so its place among the operations varies.
        var all = lines.Where(l => !l.StartsWith("reconcile finished", StringComparison.Ordinal)).ToList();
        Assert.Collection(all,
            l => Assert.StartsWith("cancelled", l, StringComparison.Ordinal),
            l => Assert.StartsWith("resumed", l, StringComparison.Ordinal),
            l => Assert.StartsWith("paused: paused by an operator", l, StringComparison.Ordinal),
            l => Assert.StartsWith("reconcile requested", l, StringComparison.Ordinal),
            l => Assert.Equal("created", l));
        var newest = (await S.Http.GetFromJsonAsyncNode($"/v2/job/{id}/logs?limit=2&key={token}"))["data"]!.AsArray();
        Assert.Equal(lines.Take(2), newest.Select(l => (string)l!["message"]!));
        await (await S.Http.GetAsync($"/v2/job/{id}/logs?limit=0&key={token}")).AssertErrorAsync(HttpStatusCode.BadRequest);
        await (await S.Http.GetAsync($"/v2/job/{id}/logs?limit=x&key={token}")).AssertErrorAsync(HttpStatusCode.BadRequest);

        var hidden = (await S.Http.GetFromJsonAsyncNode($"/v2/job?show_completed=false&key={token}"))["data"]!.AsArray();
        Assert.DoesNotContain(hidden, j => (string)j!["id"]! == id);
    }

    [Fact]
    public async Task The_row_log_answers_for_a_job_and_its_limit_is_checked()
    {
        var token = await S.TokenAsync("data_manager");
        var id = (string)(await CreateAsync(token, Body(Unique("rows"), BrazeAuth())))["id"]!;
        var rows = await (await S.Http.GetAsync($"/v2/job/{id}/rows?status=failed&user=u1&limit=5&key={token}")).AssertOkAsync();
        Assert.IsType<JsonArray>(rows["data"]);
        await (await S.Http.GetAsync($"/v2/job/{id}/rows?limit=100000&key={token}")).AssertErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_dry_run_checks_the_body_like_a_create_and_returns_the_planned_requests_without_storing_a_job()
    {
        var token = await S.TokenAsync("data_manager");
        var label = Unique("dry");
        var plan = (await (await S.Http.PostJsonAsync($"/v2/job/braze-export-audience/_dryrun?key={token}", Body(label, BrazeAuth()))).AssertOkAsync())["data"]!;
        var request = plan["requests"]!.AsArray().Single()!;
        Assert.Equal(["lytics_all", "lytics_known"], request["attributes"]![0]!["lytics_segments"]!["add"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(1, (long)plan["users"]!);
        Assert.Equal(1, (long)plan["requests_total"]!);
        Assert.DoesNotContain(label, await LabelsAsync(token));

        var bad = await S.Http.PostJsonAsync($"/v2/job/braze-export-audience/_dryrun?key={token}", Body(label, BrazeAuth(), new JsonObject { ["segment_ids"] = new JsonArray("nope") }));
        Assert.Contains("segment_ids", await bad.AssertErrorAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_ids_are_404s_and_another_accounts_token_sees_and_operates_nothing()
    {
        var token = await S.TokenAsync("data_manager");
        var id = (string)(await CreateAsync(token, Body(Unique("mine"), BrazeAuth())))["id"]!;
        var (_, other) = await S.OtherAccountAsync();

        foreach (var (t, jobId) in new[] { (token, "no-such-job"), (other, id) })
        {
            await (await S.Http.GetAsync($"/v2/job/{jobId}?key={t}")).AssertErrorAsync(HttpStatusCode.NotFound);
            await (await S.Http.PutAsJsonAsync($"/v2/job/{jobId}?key={t}", new JsonObject { ["label"] = "x" })).AssertErrorAsync(HttpStatusCode.NotFound);
            foreach (var op in new[] { "pause", "resume", "cancel", "reconcile" })
            {
                await (await S.Http.PostAsync($"/v2/job/{jobId}/{op}?key={t}", null)).AssertErrorAsync(HttpStatusCode.NotFound);
            }
            await (await S.Http.GetAsync($"/v2/job/{jobId}/logs?key={t}")).AssertErrorAsync(HttpStatusCode.NotFound);
            await (await S.Http.GetAsync($"/v2/job/{jobId}/rows?key={t}")).AssertErrorAsync(HttpStatusCode.NotFound);
        }
        Assert.Empty((await S.Http.GetFromJsonAsyncNode($"/v2/job?key={other}"))["data"]!.AsArray());
        Assert.Equal("running", (string)(await S.Http.GetFromJsonAsyncNode($"/v2/job/{id}?key={token}"))["data"]!["status"]!);

        var observer = await S.TokenAsync("observer");
        await (await S.Http.GetAsync($"/v2/job?key={observer}")).AssertErrorAsync(HttpStatusCode.Forbidden);
    }
}
