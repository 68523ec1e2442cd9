using System.Net;
using System.Text.Json.Nodes;

namespace Sluice.Tests;

/// <summary>Webhook, Braze segment export and app events of one person become one profile, and stay one.</summary>
public sealed class IdentityResolutionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    private const string AppMapping =
        """
        SELECT user_id, set(event) AS events, count(event) AS event_count, max(todate(ts)) AS last_seen
        FROM app INTO user BY user_id ALIAS app_events
        """;

    [Fact]
    public async Task Three_sources_merge_into_one_profile_with_the_merge_visible_in_explain()
    {
        var token = await S.TokenAsync("admin");
        await (await S.Http.PostRawAsync($"/api/query?key={token}", AppMapping, "text/plain")).AssertOkAsync();
        var userId = "U-" + Guid.NewGuid().ToString("N")[..8];
        var email = Seed.UniqueEmail("three");
        var brazeId = "bz" + Guid.NewGuid().ToString("N")[..22];

        // The app knows only the user id; the webhook only email + Braze id: two profiles so far.
        await (await S.Http.PostRawAsync($"/collect/json/app?key={token}", $$"""{"user_id":"{{userId}}","event":"login","ts":"2026-03-01T10:00:00Z"}""")).AssertOkAsync();
        await (await S.Http.PostJsonAsync($"/c/{S.AccountNumber}/braze_users?key={token}", Seed.BrazeUser(email, brazeId, "Jane"))).AssertOkAsync();
        await S.WaitForProcessingAsync();
        var appProfile = (long)(await S.GetProfileAsync("user_id", userId, token))["data"]!["_id"]!;
        var webhookProfile = (long)(await S.GetProfileAsync("email", email, token))["data"]!["_id"]!;
        Assert.NotEqual(appProfile, webhookProfile);

        // A Braze segment export (CSV, bulk upload) row carries all three: the profiles merge, the older one survives.
        var csv = $"user_id,Braze ID,email,first_name,random_bucket\n{userId},{brazeId},{email},Jane,1234\n";
        await (await S.Http.PostRawAsync($"/collect/bulk/braze_segment_export?key={token}", csv, "text/csv")).AssertOkAsync();
        await (await S.Http.PostRawAsync($"/collect/json/app?key={token}", $$"""{"user_id":"{{userId}}","event":"purchase","ts":"2026-03-02T10:00:00Z"}""")).AssertOkAsync();
        await S.WaitForProcessingAsync();

        var byUserId = await S.GetProfileAsync("user_id", userId, token);
        var byEmail = await S.GetProfileAsync("email", email, token);
        var byBrazeId = await S.GetProfileAsync("braze_id", brazeId, token);
        var id = (long)byUserId["data"]!["_id"]!;
        Assert.Equal(id, (long)byEmail["data"]!["_id"]!);
        Assert.Equal(id, (long)byBrazeId["data"]!["_id"]!);
        Assert.Equal(Math.Min(appProfile, webhookProfile), id);

        var data = byUserId["data"]!;
        Assert.Equal("Jane", (string)data["first_name"]!);
        Assert.Equal(1234, (long)data["random_bucket"]!);
        Assert.Equal(["login", "purchase"], data["events"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(2, (long)data["event_count"]!);
        Assert.Equal(2, (long)data["_num_events"]!["app"]!);
        Assert.Equal(1, (long)data["_num_events"]!["braze_users"]!);
        Assert.Equal(1, (long)data["_num_events"]!["braze_segment_export"]!);

        // Explain names the merged profile and which streams carried each identity value.
        var explained = await S.Http.GetFromJsonAsyncNode($"/api/entity/user/email/{email}?key={token}&explain=true");
        var merged = explained["explain"]!["merged_profiles"]!.AsArray().Select(v => (long)v!).ToList();
        Assert.Equal([Math.Max(appProfile, webhookProfile)], merged);
        var identities = explained["explain"]!["identities"]!.AsArray();
        var emailSources = identities.Single(i => (string)i!["field"]! == "email")!["streams"]!.AsArray().Select(v => (string)v!);
        Assert.Equal(["braze_segment_export", "braze_users"], emailSources);
        var userSources = identities.Single(i => (string)i!["field"]! == "user_id")!["streams"]!.AsArray().Select(v => (string)v!);
        Assert.Equal(["app", "braze_segment_export"], userSources);

        // The id of the merged-away profile still finds the survivor.
        var byOldId = await S.GetProfileAsync("_id", Math.Max(appProfile, webhookProfile).ToString(System.Globalization.CultureInfo.InvariantCulture), token);
        Assert.Equal(id, (long)byOldId["data"]!["_id"]!);
    }

    [Fact]
    public async Task Events_without_identity_are_stored_but_build_no_profile()
    {
        var token = await S.TokenAsync("data_manager");
        var before = await S.StoredEventCountAsync();
        await (await S.Http.PostRawAsync($"/c/{S.AccountNumber}/braze_users?key={token}", """{"first_name":"Nobody","city":"Nowhere"}""")).AssertOkAsync();
        await S.WaitForProcessingAsync();
        Assert.Equal(before + 1, await S.StoredEventCountAsync());
        await (await S.Http.GetAsync($"/api/entity/user/first_name/Nobody?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Identity_value_over_1_KB_is_refused_with_a_message()
    {
        var token = await S.TokenAsync("data_manager");
        var before = await S.StoredEventCountAsync();
        var body = Seed.BrazeUser("ok@email.com", new string('b', 1100));
        var message = await (await S.Http.PostJsonAsync($"/c/{S.AccountNumber}/braze_users?key={token}", body)).AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("braze_id", message, StringComparison.Ordinal);
        Assert.Equal(before, await S.StoredEventCountAsync());
    }

    [Fact]
    public async Task Privacy_delete_removes_the_profile_its_identities_and_its_raw_events()
    {
        var token = await S.TokenAsync("data_manager");
        var email = Seed.UniqueEmail("forget.me");
        var brazeId = "fm" + Guid.NewGuid().ToString("N");
        await (await S.Http.PostJsonAsync($"/c/{S.AccountNumber}/braze_users?key={token}", Seed.BrazeUser(email, brazeId))).AssertOkAsync();
        await (await S.Http.PostJsonAsync($"/c/{S.AccountNumber}/braze_users?key={token}", Seed.BrazeUser(email, brazeId, "Again"))).AssertOkAsync();
        await (await S.Http.PostJsonAsync($"/c/{S.AccountNumber}/braze_users?key={token}", Seed.BrazeUser(Seed.UniqueEmail("keep"), "keep" + Guid.NewGuid().ToString("N")))).AssertOkAsync();
        await S.WaitForProcessingAsync();
        var before = await S.StoredEventCountAsync();

        var deleted = await (await S.Http.DeleteAsync($"/api/entity/user/braze_id/{brazeId}?key={token}")).AssertOkAsync();
        Assert.Equal(2, (int)deleted["data"]!["events_deleted"]!);
        Assert.Equal(before - 2, await S.StoredEventCountAsync());
        await (await S.Http.GetAsync($"/api/entity/user/email/{email}?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);
        await (await S.Http.GetAsync($"/api/entity/user/braze_id/{brazeId}?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);
        await (await S.Http.DeleteAsync($"/api/entity/user/braze_id/{brazeId}?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);
    }
}
