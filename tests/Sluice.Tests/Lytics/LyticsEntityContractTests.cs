using System.Net;
using System.Text.Json.Nodes;

namespace Sluice.Tests.Lytics;

/// <summary>
/// <c>/api/entity</c> as go-lytics (<c>GetEntity</c>: <c>meta.by_fields</c>, the fields as a map) and lytics-js
/// (<c>getEntity</c>, <c>getFragments</c>) read it, and collect as lytics-js' <c>uploadData</c> calls it.
/// </summary>
public sealed class LyticsEntityContractTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    private async Task<(string Token, string Email, string BrazeId)> SeedAsync()
    {
        var token = await S.TokenAsync("data_manager");
        var email = Seed.UniqueEmail("entity");
        var brazeId = "ent-" + Guid.NewGuid().ToString("N");
        await LyticsContract.OkAsync(await S.Http.PostJsonAsync($"/c/{S.AccountNumber}/braze_users?key={token}", Seed.BrazeUser(email, brazeId)));
        await S.WaitForProcessingAsync();
        return (token, email, brazeId);
    }

    [Fact]
    public async Task A_profile_comes_with_its_segments_by_fields_and_identities_of_its_own()
    {
        var (token, email, brazeId) = await SeedAsync();
        var body = await S.Http.GetOkAsync($"/api/entity/user/email/{Uri.EscapeDataString(email)}?key={token}");
        Assert.Equal("user", (string)body["meta"]!["name"]!);
        Assert.Contains("email", body["meta"]!["by_fields"]!.AsArray().Select(f => (string)f!));
        var data = body["data"]!.AsObject();
        Assert.Contains("all", data["segments"]!.AsArray().Select(s => (string)s!));
        // _uids holds cookie ids (_uid) as in Lytics; a Braze user has none. Identity values are in _identities.
        Assert.Empty(data["_uids"]!.AsArray());
        Assert.Equal([brazeId], data["_identities"]!["braze_id"]!.AsArray().Select(v => (string)v!));
        Assert.Null((await S.Http.GetOkAsync($"/api/entity/user/email/{Uri.EscapeDataString(email)}?segments=false&key={token}"))["data"]!["segments"]);
    }

    [Fact]
    public async Task Uids_hold_the_cookie_ids_a_profile_was_seen_with()
    {
        var token = await S.TokenAsync("data_manager");
        await LyticsContract.OkAsync(await S.Http.PostRawAsync($"/api/query?key={token}",
            "SELECT _uid, email(email) AS email FROM web_tag INTO user BY _uid OR email ALIAS web_tag", "text/plain"));
        var uid = "114940." + Random.Shared.Next(10000000, 99999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await LyticsContract.OkAsync(await S.Http.GetAsync($"/c/{S.AccountNumber}/web_tag?_e=pv&_uid={uid}&key={token}"));
        await S.WaitForProcessingAsync();

        // lytics-js' getEntity test: by _uid, answering the _uid field.
        var data = (await S.Http.GetOkAsync($"/api/entity/user/_uid/{uid}?wait=false&key={token}"))["data"]!;
        Assert.Equal(uid, (string)data["_uid"]!);
        Assert.Equal([uid], data["_uids"]!.AsArray().Select(v => (string)v!));
    }

    [Fact]
    public async Task A_profile_is_found_by_any_identity_without_naming_the_field()
    {
        var (token, _, brazeId) = await SeedAsync();
        var data = (await S.Http.GetOkAsync($"/api/entity/user/{brazeId}?key={token}"))["data"]!;
        Assert.Equal(brazeId, (string)data["braze_id"]!);
        await (await S.Http.GetAsync($"/api/entity/user/nobody-{Guid.NewGuid():N}?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);
        await (await S.Http.GetAsync($"/api/entity/content/hashedurl/1?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_looked_up_value_is_normalised_as_the_identity_mapping_normalises_it()
    {
        var token = await S.TokenAsync("data_manager");
        await LyticsContract.OkAsync(await S.Http.PostRawAsync($"/api/query?key={token}",
            "SELECT email(email) AS email, phone(phone) AS phone_number FROM phone_app INTO user BY email OR phone_number ALIAS phone_app", "text/plain"));
        var phone = "+1555" + Random.Shared.Next(1000000, 9999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var email = Seed.UniqueEmail("phone");
        await LyticsContract.OkAsync(await S.Http.PostJsonAsync($"/c/{S.AccountNumber}/phone_app?key={token}", new JsonObject { ["email"] = email, ["phone"] = phone }));
        await S.WaitForProcessingAsync();

        var typed = $"({phone[2..5]}) {phone[5..8]}-{phone[8..]}";
        var data = (await S.Http.GetOkAsync($"/api/entity/user/phone_number/{Uri.EscapeDataString(typed)}?key={token}"))["data"]!;
        Assert.Equal(email, (string)data["email"]!);
        var upper = (await S.Http.GetOkAsync($"/api/entity/user/email/{Uri.EscapeDataString(" " + email.ToUpperInvariant())}?key={token}"))["data"]!;
        Assert.Equal(email, (string)upper["email"]!);
    }

    [Fact]
    public async Task Explain_answers_the_fragment_collection_lytics_js_reads()
    {
        var (token, email, _) = await SeedAsync();
        var data = (await S.Http.GetOkAsync($"/api/entity/user/email/{Uri.EscapeDataString(email)}?explain=true&key={token}"))["data"]!;
        Assert.Equal(email, (string)data["entity"]!["email"]!);
        var key = data["keys"]!.AsArray().Single(k => (string)k!["key"]! == "email")!;
        Assert.Equal(email, (string)key["value"]!);
        var fragment = data["fragments"]!.AsArray().First(f => (string)f!["key"]![0]!["key"]! == "email")!;
        Assert.Contains("braze_users", fragment["meta"]!["streams"]!.AsArray().Select(s => (string)s!));
        Assert.NotEmpty(fragment["neighbors"]!.AsArray());
    }

    [Fact]
    public async Task Upload_with_an_undefined_timestamp_field_takes_the_receipt_time()
    {
        var token = await S.TokenAsync("data_manager");
        var body = await LyticsContract.OkAsync(await S.Http.PostRawAsync($"/collect/json/js_upload?timestamp_field=undefined&dryrun=false&key={token}", "{\"name\":\"aaa\"}"));
        Assert.Equal(1, (int)body["data"]!["message_count"]!);
        Assert.Equal(0, (int)body["data"]!["rejected_count"]!);
    }

    [Fact]
    public async Task A_missing_profile_answers_404_by_default()
    {
        var token = await S.TokenAsync("observer");
        await (await S.Http.GetAsync($"/api/entity/user/email/zzz?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_server_set_to_answer_as_lytics_gives_200_not_found_for_a_missing_profile()
    {
        await using var s = await TestServer.StartAsync(b => b.Configuration["Sluice:Entity:MissingAnswersOk"] = "true");
        var token = await s.TokenAsync("observer");
        var response = await s.Http.GetAsync($"/api/entity/user/email/zzz?key={token}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(200, (int)body["status"]!);
        Assert.Equal("Not Found", (string)body["message"]!);
        Assert.Equal(["not_found", "all"], body["data"]!["segments"]!.AsArray().Select(x => (string)x!));
    }
}
