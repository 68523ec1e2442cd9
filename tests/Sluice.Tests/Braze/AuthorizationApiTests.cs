using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Sluice.Authorizations;

namespace Sluice.Tests.Braze;

/// <summary>One server and one simulator for the authorization tests.</summary>
public sealed class AuthorizationFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public BrazeSim Sim { get; private set; } = null!;

    /// <summary>Job ids the server believes use an authorization (what the jobs feature will answer).</summary>
    public Dictionary<string, string[]> JobsUsing { get; } = [];

    public async ValueTask InitializeAsync()
    {
        Sim = await BrazeSim.StartAsync();
        Server = await TestServer.StartAsync(b => b.Services.AddSingleton<IAuthorizationUsage>(new FixedUsage(JobsUsing)));
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Sim.DisposeAsync();
    }

    private sealed class FixedUsage(Dictionary<string, string[]> jobs) : IAuthorizationUsage
    {
        public Task<IReadOnlyList<string>> JobsUsingAsync(string accountId, string authorizationId, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<string>>(jobs.GetValueOrDefault(authorizationId) ?? []);
    }
}

/// <summary>Braze authorizations over real HTTP: the key is write-only, encrypted at rest, and testable.</summary>
public sealed class AuthorizationApiTests(AuthorizationFixture fixture) : IClassFixture<AuthorizationFixture>
{
    private TestServer S => fixture.Server;

    private BrazeSim Sim => fixture.Sim;

    private static JsonObject Braze(string key, string label = "Braze (simulator)", string? restUrl = null, string? instance = null)
    {
        var config = new JsonObject { ["api_key"] = key };
        if (instance is not null) config["instance"] = instance;
        else config["rest_url"] = restUrl;
        return new JsonObject { ["provider"] = "braze", ["label"] = label, ["description"] = "exports", ["config"] = config };
    }

    private async Task<JsonObject> CreateAsync(JsonObject body, string? token = null) =>
        (await (await S.Http.PostJsonAsync($"/api/auth?key={token ?? await S.TokenAsync("data_manager")}", body)).AssertOkAsync())["data"]!.AsObject();

    [Fact]
    public async Task A_data_manager_creates_lists_gets_and_deletes_a_braze_authorization_and_the_key_is_never_shown_or_logged()
    {
        var token = await S.TokenAsync("data_manager");
        var key = "braze-key-" + Guid.NewGuid().ToString("D");
        var texts = new List<string>();

        var createdResponse = await S.Http.PostJsonAsync($"/api/auth?key={token}", Braze(key, restUrl: Sim.BaseAddress.AbsoluteUri));
        Assert.Equal(HttpStatusCode.Created, createdResponse.StatusCode);
        texts.Add(await createdResponse.Content.ReadAsStringAsync());
        var created = JsonNode.Parse(texts[^1])!["data"]!.AsObject();
        var id = (string)created["id"]!;
        Assert.Equal("braze", (string)created["provider"]!);
        Assert.Equal("Braze (simulator)", (string)created["label"]!);
        Assert.Equal("exports", (string)created["description"]!);
        Assert.Equal(Sim.BaseAddress.AbsoluteUri, (string)created["config"]!["rest_url"]!);
        Assert.Equal(key[^4..], (string)created["config"]!["api_key_last4"]!);
        Assert.Null(created["config"]!["api_key"]);
        Assert.NotNull(created["created"]);
        Assert.NotNull(created["updated"]);

        texts.Add(await S.Http.GetStringAsync($"/api/auth?key={token}"));
        Assert.Contains(JsonNode.Parse(texts[^1])!["data"]!.AsArray(), a => (string)a!["id"]! == id);
        texts.Add(await S.Http.GetStringAsync($"/api/auth?auth_type=braze&key={token}"));
        Assert.Contains(JsonNode.Parse(texts[^1])!["data"]!.AsArray(), a => (string)a!["id"]! == id);
        texts.Add(await S.Http.GetStringAsync($"/api/auth/{id}?key={token}"));
        Assert.Equal(id, (string)JsonNode.Parse(texts[^1])!["data"]!["id"]!);

        await (await S.Http.DeleteAsync($"/api/auth/{id}?key={token}")).AssertOkAsync();
        await (await S.Http.GetAsync($"/api/auth/{id}?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);

        Assert.All(texts, t => Assert.DoesNotContain(key, t, StringComparison.Ordinal));
        Assert.DoesNotContain(S.Logs.Lines, l => l.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_key_is_encrypted_at_rest_and_nowhere_in_the_store_in_clear()
    {
        var key = "braze-key-" + Guid.NewGuid().ToString("D");
        var id = (string)(await CreateAsync(Braze(key, instance: "US-03")))["id"]!;

        using (var connection = new SqliteConnection($"Data Source={Path.Combine(S.DataDir, "sluice.db")};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            using var read = connection.CreateCommand();
            read.CommandText = "SELECT * FROM authorizations WHERE id = $id";
            read.Parameters.AddWithValue("$id", id);
            using var row = await read.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            Assert.True(await row.ReadAsync(TestContext.Current.CancellationToken));
            for (var i = 0; i < row.FieldCount; i++)
            {
                var value = row.GetValue(i);
                var bytes = value as byte[] ?? Encoding.UTF8.GetBytes(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
                Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(key)), $"column {row.GetName(i)} holds the key");
            }
        }
        foreach (var file in Directory.GetFiles(S.DataDir, "sluice.db*"))
        {
            var bytes = await ReadSharedAsync(file);
            Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(key)), $"{Path.GetFileName(file)} holds the key in clear");
        }

        // Yet the server can decrypt it for an export.
        var workspace = await S.Services.GetRequiredService<IBrazeCredentials>().WorkspaceAsync(S.Account.Id, id, CancellationToken.None);
        Assert.Equal(key, workspace!.ApiKey);
        Assert.Equal(new Uri("https://rest.iad-03.braze.com/"), workspace.RestUrl);
    }

    [Theory]
    [InlineData("US-01", "https://rest.iad-01.braze.com/")]
    [InlineData("us-08", "https://rest.iad-08.braze.com/")]
    [InlineData("US-10", "https://rest.us-10.braze.com/")]
    [InlineData("EU-02", "https://rest.fra-02.braze.eu/")]
    [InlineData("AU-01", "https://rest.au-01.braze.com/")]
    [InlineData("ID-01", "https://rest.id-01.braze.com/")]
    public async Task An_instance_is_shown_as_given_and_resolves_to_brazes_rest_host(string instance, string host)
    {
        var created = await CreateAsync(Braze("k-" + Guid.NewGuid().ToString("N"), instance: instance));
        Assert.Equal(instance.ToUpperInvariant(), (string)created["config"]!["instance"]!);
        var workspace = await S.Services.GetRequiredService<IBrazeCredentials>().WorkspaceAsync(S.Account.Id, (string)created["id"]!, CancellationToken.None);
        Assert.Equal(new Uri(host), workspace!.RestUrl);
    }

    [Theory]
    [InlineData("""{"provider":"braze","label":"x","config":{"api_key":"k","instance":"US-09"}}""", "config.instance")]
    [InlineData("""{"provider":"braze","label":"x","config":{"api_key":"k","instance":"JP-01"}}""", "config.instance")]
    [InlineData("""{"provider":"braze","label":"x","config":{"instance":"US-01"}}""", "config.api_key")]
    [InlineData("""{"provider":"braze","label":"x","config":{"api_key":"","instance":"US-01"}}""", "config.api_key")]
    [InlineData("""{"provider":"braze","label":"x","config":{"api_key":"k","rest_url":"ftp://rest.iad-01.braze.com"}}""", "config.rest_url")]
    [InlineData("""{"provider":"braze","label":"x","config":{"api_key":"k","rest_url":"not a url"}}""", "config.rest_url")]
    [InlineData("""{"provider":"braze","label":"x","config":{"api_key":"k","rest_url":"https://user:pw@rest.iad-01.braze.com"}}""", "config.rest_url")]
    [InlineData("""{"provider":"braze","label":"x","config":{"api_key":"k","instance":"US-01","rest_url":"https://x.example"}}""", "exactly one of instance")]
    [InlineData("""{"provider":"braze","label":"x","config":{"api_key":"k","region":"US-01"}}""", "config.region")]
    [InlineData("""{"provider":"braze","label":"x"}""", "config is required")]
    [InlineData("""{"provider":"braze","label":"x","config":"k"}""", "config must be an object")]
    [InlineData("""{"provider":"braze","config":{"api_key":"k","instance":"US-01"}}""", "label")]
    [InlineData("""{"provider":"sftp","label":"x","config":{}}""", "config.type")]
    [InlineData("""{"provider":"mailchimp","label":"x","config":{}}""", "unknown provider")]
    [InlineData("""{"label":"x","config":{}}""", "provider is required")]
    [InlineData("""{"provider":"braze",""", "malformed JSON")]
    public async Task A_bad_authorization_is_refused_with_a_400_naming_what_is_wrong(string body, string mentioned)
    {
        var token = await S.TokenAsync("data_manager");
        var before = (await S.Http.GetFromJsonAsyncNode($"/api/auth?key={token}"))["data"]!.AsArray().Count;
        var message = await (await S.Http.PostRawAsync($"/api/auth?key={token}", body)).AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains(mentioned, message, StringComparison.Ordinal);
        Assert.Equal(before, (await S.Http.GetFromJsonAsyncNode($"/api/auth?key={token}"))["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_refusal_never_repeats_the_key()
    {
        const string key = "secret-in-a-bad-request-0123456789";
        var body = new JsonObject { ["provider"] = "braze", ["label"] = "x", ["config"] = new JsonObject { ["api_key"] = key, ["rest_url"] = "ftp://x" } }.ToJsonString();
        var message = await (await S.Http.PostRawAsync($"/api/auth?key={await S.TokenAsync("data_manager")}", body)).AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.DoesNotContain(key, message, StringComparison.Ordinal);
        Assert.DoesNotContain(S.Logs.Lines, l => l.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Testing_a_valid_key_answers_ok_and_changes_no_user()
    {
        var token = await S.TokenAsync("data_manager");
        var id = (string)(await CreateAsync(Braze(BrazeSim.TrackKey, restUrl: Sim.BaseAddress.AbsoluteUri), token))["id"]!;
        var usersBefore = (long)(await Sim.StatsAsync())["users"]!;

        var data = (await (await S.Http.PostRawAsync($"/api/auth/{id}/test?key={token}", "")).AssertOkAsync())["data"]!;

        Assert.True((bool)data["ok"]!, data.ToJsonString());
        Assert.Equal(400, (int)data["status"]!);
        Assert.Contains("users.track", (string)data["message"]!, StringComparison.Ordinal);
        Assert.Equal(usersBefore, (long)(await Sim.StatsAsync())["users"]!);
    }

    [Fact]
    public async Task Testing_an_unknown_key_explains_a_401_as_a_wrong_key_or_another_instance()
    {
        var token = await S.TokenAsync("data_manager");
        var key = "wrong-key-" + Guid.NewGuid().ToString("D");
        var id = (string)(await CreateAsync(Braze(key, restUrl: Sim.BaseAddress.AbsoluteUri), token))["id"]!;

        var text = await (await S.Http.PostRawAsync($"/api/auth/{id}/test?key={token}", "")).Content.ReadAsStringAsync();
        var data = JsonNode.Parse(text)!["data"]!;

        Assert.False((bool)data["ok"]!);
        Assert.Equal(401, (int)data["status"]!);
        Assert.Contains("key is wrong", (string)data["message"]!, StringComparison.Ordinal);
        Assert.Contains("another Braze instance", (string)data["message"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(S.Logs.Lines, l => l.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Testing_a_key_without_users_track_explains_the_403()
    {
        var token = await S.TokenAsync("data_manager");
        var id = (string)(await CreateAsync(Braze(BrazeSim.ReaderKey, restUrl: Sim.BaseAddress.AbsoluteUri), token))["id"]!;

        var data = (await (await S.Http.PostRawAsync($"/api/auth/{id}/test?key={token}", "")).AssertOkAsync())["data"]!;

        Assert.False((bool)data["ok"]!);
        Assert.Equal(403, (int)data["status"]!);
        Assert.Contains("lacks the users.track permission", (string)data["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_an_authorization_that_a_job_uses_is_refused_with_409_and_it_stays()
    {
        var token = await S.TokenAsync("data_manager");
        var id = (string)(await CreateAsync(Braze("k-" + Guid.NewGuid().ToString("N"), instance: "EU-01"), token))["id"]!;
        fixture.JobsUsing[id] = ["job-1"];

        var message = await (await S.Http.DeleteAsync($"/api/auth/{id}?key={token}")).AssertErrorAsync(HttpStatusCode.Conflict);

        Assert.Contains("job-1", message, StringComparison.Ordinal);
        await (await S.Http.GetAsync($"/api/auth/{id}?key={token}")).AssertOkAsync();
    }

    [Fact]
    public async Task Authorizations_and_access_tokens_share_the_routes_each_with_its_own_role()
    {
        var dataManager = await S.TokenAsync("data_manager");
        var id = (string)(await CreateAsync(Braze("k-" + Guid.NewGuid().ToString("N"), instance: "US-02"), dataManager))["id"]!;

        // Tokens stay admin-only, at ?auth_type=api_token; authorizations are not in that list.
        await (await S.Http.GetAsync($"/api/auth?auth_type=api_token&key={dataManager}")).AssertErrorAsync(HttpStatusCode.Forbidden);
        var tokens = (await S.Http.GetFromJsonAsyncNode($"/api/auth?auth_type=api_token&key={S.AdminToken}"))["data"]!.AsArray();
        Assert.DoesNotContain(tokens, t => (string)t!["id"]! == id);
        var authorizations = (await S.Http.GetFromJsonAsyncNode($"/api/auth?key={S.AdminToken}"))["data"]!.AsArray();
        Assert.Contains(authorizations, a => (string)a!["id"]! == id);
        await (await S.Http.GetAsync($"/api/auth?auth_type=bogus&key={S.AdminToken}")).AssertErrorAsync(HttpStatusCode.BadRequest);

        // A data manager cannot revoke a token through the shared delete route.
        var tokenId = (string)tokens[0]!["id"]!;
        await (await S.Http.DeleteAsync($"/api/auth/{tokenId}?key={dataManager}")).AssertErrorAsync(HttpStatusCode.NotFound);
        await (await S.Http.GetAsync($"/api/auth?key={S.AdminToken}")).AssertOkAsync();
        // An observer reaches neither.
        var observer = await S.TokenAsync("observer");
        await (await S.Http.GetAsync($"/api/auth?key={observer}")).AssertErrorAsync(HttpStatusCode.Forbidden);
        await (await S.Http.PostJsonAsync($"/api/auth?key={observer}", Braze("k", instance: "US-01"))).AssertErrorAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Authorizations_of_one_account_are_invisible_to_another()
    {
        var id = (string)(await CreateAsync(Braze("k-" + Guid.NewGuid().ToString("N"), instance: "US-04")))["id"]!;
        var (_, otherAdmin) = await S.OtherAccountAsync();

        await (await S.Http.GetAsync($"/api/auth/{id}?key={otherAdmin}")).AssertErrorAsync(HttpStatusCode.NotFound);
        await (await S.Http.PostRawAsync($"/api/auth/{id}/test?key={otherAdmin}", "")).AssertErrorAsync(HttpStatusCode.NotFound);
        await (await S.Http.DeleteAsync($"/api/auth/{id}?key={otherAdmin}")).AssertErrorAsync(HttpStatusCode.NotFound);
        Assert.Empty((await S.Http.GetFromJsonAsyncNode($"/api/auth?key={otherAdmin}"))["data"]!.AsArray());
        await (await S.Http.GetAsync($"/api/auth/{id}?key={S.AdminToken}")).AssertOkAsync();
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, TestContext.Current.CancellationToken);
        return copy.ToArray();
    }
}
