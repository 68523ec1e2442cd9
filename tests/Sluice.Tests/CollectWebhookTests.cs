using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Sluice.Tests;

/// <summary>The Braze webhook path of the integration document, end to end over HTTP.</summary>
public sealed class CollectWebhookTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    [Fact]
    public async Task Braze_webhook_body_becomes_a_profile_found_by_email_and_by_braze_id()
    {
        var token = await S.TokenAsync("data_manager");
        var email = Seed.UniqueEmail("john.smith");
        var brazeId = Guid.NewGuid().ToString("N")[..24];
        var body = Seed.BrazeUser("  " + email.ToUpperInvariant() + " ", brazeId);

        var response = await S.Http.PostJsonAsync($"/c/{S.AccountNumber}/braze_users?key={token}", body);
        var envelope = await response.AssertOkAsync();
        Assert.Equal(200, (int)envelope["status"]!);
        Assert.Equal("success", (string)envelope["message"]!);
        Assert.Equal(1, (int)envelope["data"]!["message_count"]!);
        Assert.Equal(0, (int)envelope["data"]!["rejected_count"]!);

        await S.WaitForProcessingAsync();
        var byEmail = await S.GetProfileAsync("email", email, token);
        var data = byEmail["data"]!.AsObject();
        Assert.Equal(email, (string)data["email"]!);
        Assert.Equal(brazeId, (string)data["braze_id"]!);
        Assert.Equal("John", (string)data["first_name"]!);
        Assert.Equal("Smith", (string)data["last_name"]!);
        Assert.Equal("AnyTown", (string)data["city"]!);
        Assert.Equal("United States", (string)data["country"]!);
        Assert.Equal("1982-01-01T00:00:00Z", (string)data["date_of_birth"]!);
        Assert.Equal("+15551231234", (string)data["phone_number"]!);
        Assert.Equal("GMT+7", (string)data["time_zone"]!);
        Assert.Contains(email, data["_identities"]!["email"]!.AsArray().Select(v => (string)v!));
        Assert.Contains(brazeId, data["_identities"]!["braze_id"]!.AsArray().Select(v => (string)v!));
        Assert.Empty(data["_uids"]!.AsArray());
        Assert.NotNull(data["_created"]);
        Assert.NotNull(data["_modified"]);
        Assert.Equal(1, (int)data["_num_events"]!["braze_users"]!);

        var byBrazeId = await S.GetProfileAsync("braze_id", brazeId, token);
        Assert.Equal(email, (string)byBrazeId["data"]!["email"]!);
    }

    [Fact]
    public async Task Token_is_accepted_as_key_access_token_and_both_authorization_forms()
    {
        var token = await S.TokenAsync("data_manager");
        var url = $"/c/{S.AccountNumber}/app";
        var body = """{"user_id":"u1","event":"login"}""";

        (await S.Http.PostRawAsync($"{url}?key={token}", body)).EnsureSuccessStatusCode();
        (await S.Http.PostRawAsync($"{url}?access_token={token}", body)).EnsureSuccessStatusCode();
        foreach (var header in new[] { token, "Bearer " + token })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Authorization", header);
            (await S.Http.SendAsync(request)).EnsureSuccessStatusCode();
        }
        using var json = new HttpRequestMessage(HttpMethod.Post, "/collect/json/app") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        json.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await S.Http.SendAsync(json)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Array_and_ndjson_bodies_store_every_event()
    {
        var token = await S.TokenAsync("data_manager");
        var before = await S.StoredEventCountAsync();
        var array = """[{"a":1},{"a":2},{"a":3}]""";
        var ndjson = "{\"a\":1}\n{\"a\":2}\r\n\n{\"a\":3}\n";

        var r1 = await (await S.Http.PostRawAsync($"/collect/json/app?key={token}", array)).AssertOkAsync();
        var r2 = await (await S.Http.PostRawAsync($"/collect/json/app?key={token}", ndjson, "application/x-ndjson")).AssertOkAsync();

        Assert.Equal(3, (int)r1["data"]!["message_count"]!);
        Assert.Equal(3, (int)r2["data"]!["message_count"]!);
        Assert.Equal(before + 6, await S.StoredEventCountAsync());
    }

    [Fact]
    public async Task Pixel_get_and_form_post_become_events()
    {
        var token = await S.TokenAsync("data_manager");
        var email = Seed.UniqueEmail();
        var get = await S.Http.GetAsync($"/c/{S.AccountNumber}/braze_users?key={token}&email={Uri.EscapeDataString(email)}&first_name=Ann");
        await get.AssertOkAsync();
        var form = new FormUrlEncodedContent([new("email", email), new("city", "Lyon")]);
        await (await S.Http.PostAsync($"/c/{S.AccountNumber}/braze_users?key={token}", form)).AssertOkAsync();

        await S.WaitForProcessingAsync();
        var profile = (await S.GetProfileAsync("email", email, token))["data"]!;
        Assert.Equal("Ann", (string)profile["first_name"]!);
        Assert.Equal("Lyon", (string)profile["city"]!);
        Assert.Equal(2, (int)profile["_num_events"]!["braze_users"]!);
        Assert.DoesNotContain("key", profile.AsObject().Select(kv => kv.Key));
    }

    [Fact]
    public async Task Latest_value_wins_by_event_time_not_by_arrival()
    {
        var token = await S.TokenAsync("data_manager");
        var email = Seed.UniqueEmail();
        var newer = Seed.BrazeUser(email, "b-" + Guid.NewGuid().ToString("N"), "Newer");
        newer["ts"] = "2026-05-02T10:00:00Z";
        var older = Seed.BrazeUser(email, "b-" + Guid.NewGuid().ToString("N"), "Older");
        older["ts"] = "2026-05-01T10:00:00Z";

        await (await S.Http.PostJsonAsync($"/c/{S.AccountNumber}/braze_users?key={token}&timestamp_field=ts", newer)).AssertOkAsync();
        await (await S.Http.PostJsonAsync($"/c/{S.AccountNumber}/braze_users?key={token}&timestamp_field=ts", older)).AssertOkAsync();

        await S.WaitForProcessingAsync();
        var profile = (await S.GetProfileAsync("email", email, token))["data"]!;
        Assert.Equal("Newer", (string)profile["first_name"]!);
        Assert.Equal("2026-05-01T10:00:00.000Z", (string)profile["_created"]!);
        Assert.Equal("2026-05-02T10:00:00.000Z", (string)profile["_last_event"]!);
    }

    [Fact]
    public async Task Dry_run_validates_and_stores_nothing()
    {
        var token = await S.TokenAsync("data_manager");
        var before = await S.StoredEventCountAsync();
        var r = await (await S.Http.PostRawAsync($"/collect/json/app?key={token}&dryrun=true", """[{"a":1},{"a":2}]""")).AssertOkAsync();
        Assert.True((bool)r["data"]!["dryrun"]!);
        Assert.Equal(2, (int)r["data"]!["message_count"]!);
        Assert.Equal(before, await S.StoredEventCountAsync());
    }

    [Fact]
    public async Task Droperrors_keeps_the_good_events_and_counts_the_rest()
    {
        var token = await S.TokenAsync("data_manager");
        var before = await S.StoredEventCountAsync();
        var r = await (await S.Http.PostRawAsync($"/collect/json/app?key={token}&droperrors=true", """[{"a":1},42,{"a":2},"x"]""")).AssertOkAsync();
        Assert.Equal(2, (int)r["data"]!["message_count"]!);
        Assert.Equal(2, (int)r["data"]!["rejected_count"]!);
        Assert.Equal(before + 2, await S.StoredEventCountAsync());
    }

    [Fact]
    public async Task Health_and_readiness_answer_without_a_token()
    {
        Assert.Equal(HttpStatusCode.OK, (await S.Http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await S.Http.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Tokens_never_appear_in_logs()
    {
        var token = await S.TokenAsync("data_manager");
        await S.Http.PostRawAsync($"/c/{S.AccountNumber}/app?key={token}", """{"a":1}""");
        await S.Http.PostRawAsync($"/c/{S.AccountNumber}/app?access_token={token}", "{bad");
        await S.Http.GetAsync($"/c/{S.AccountNumber}/app?key={token}&x=1");
        await S.Http.GetAsync($"/nowhere?key={token}");

        Assert.Contains(S.Logs.Lines, l => l.Contains("key=REDACTED", StringComparison.Ordinal));
        Assert.DoesNotContain(S.Logs.Lines, l => l.Contains(token, StringComparison.Ordinal) || l.Contains(S.AdminToken, StringComparison.Ordinal));
    }
}
