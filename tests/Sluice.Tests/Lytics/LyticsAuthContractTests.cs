using System.Net;
using System.Text.Json.Nodes;

namespace Sluice.Tests.Lytics;

/// <summary>Access tokens as lytics-js creates, lists, reads and deletes them (<c>/api/auth</c>).</summary>
public sealed class LyticsAuthContractTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    private async Task<JsonObject> CreateAsync(JsonObject body) =>
        (await LyticsContract.OkAsync(await S.Http.PostJsonAsync($"/api/auth/createtoken?key={S.AdminToken}", body)))["data"]!.AsObject();

    [Fact]
    public async Task A_token_created_with_lytics_body_comes_back_in_the_auth_shape_with_its_key_once()
    {
        var created = await CreateAsync(new JsonObject
        {
            ["name"] = "webhook", ["description"] = "Braze", ["scopes"] = new JsonArray("data_manager"), ["expires"] = "720h",
        });
        var id = (string)created["id"]!;
        Assert.Equal(S.AccountNumber, (long)created["aid"]!);
        LyticsContract.IsString(created["account_id"]);
        Assert.Equal("webhook", (string)created["name"]!);
        Assert.Equal("Braze", (string)created["description"]!);
        Assert.Equal(["data_manager"], created["scopes"]!.AsArray().Select(s => (string)s!));
        Assert.Equal("api_token", (string)created["auth_type"]!);
        LyticsContract.IsString(created["provider_name"]);
        LyticsContract.IsTime(created["created"]);
        LyticsContract.IsTime(created["updated"]);
        var expires = DateTimeOffset.Parse((string)created["expires"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromDays(29), TimeSpan.FromDays(31));
        var config = Assert.Single(created["config"]!.AsArray())!;
        Assert.Equal("api_key", (string)config["name"]!);
        var key = (string)config["value"]!;

        // The key works as lytics-js sends it: the raw token in the Authorization header.
        using var collect = new HttpRequestMessage(HttpMethod.Post, "/collect/json/app") { Content = new StringContent("{\"a\":1}") };
        collect.Headers.TryAddWithoutValidation("Authorization", key);
        await LyticsContract.OkAsync(await S.Http.SendAsync(collect));

        var listText = await (await S.Http.GetAsync($"/api/auth?auth_type=api_token&account_id={(string)created["account_id"]!}&key={S.AdminToken}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(key, listText, StringComparison.Ordinal);
        var listed = JsonNode.Parse(listText)!["data"]!.AsArray().Single(t => (string)t!["id"]! == id)!;
        Assert.Empty(listed["config"]!.AsArray());

        var one = (await S.Http.GetOkAsync($"/api/auth/{id}?account_id=x&key={S.AdminToken}"))["data"]!;
        Assert.Equal("webhook", (string)one["name"]!);
        Assert.DoesNotContain(key, one.ToJsonString(), StringComparison.Ordinal);

        var deleted = await S.Http.DeleteAsync($"/api/auth/{id}?key={S.AdminToken}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await deleted.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("segment_manager", "segment_manager")]
    [InlineData("audience_manager", "segment_manager")]
    [InlineData("observer", "observer")]
    [InlineData("data", "data_manager")]
    public async Task Lytics_scopes_map_onto_sluice_roles(string scope, string shown)
    {
        var created = await CreateAsync(new JsonObject { ["label"] = "t", ["scopes"] = new JsonArray(scope), ["expires"] = "10m" });
        Assert.Equal([shown], created["scopes"]!.AsArray().Select(s => (string)s!));
        Assert.Equal("t", (string)created["name"]!);
    }

    [Fact]
    public async Task A_scope_without_a_sluice_role_is_refused_naming_the_accepted_ones()
    {
        var message = await (await S.Http.PostJsonAsync($"/api/auth/createtoken?key={S.AdminToken}",
            new JsonObject { ["name"] = "x", ["scopes"] = new JsonArray("campaign_manager") })).AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("campaign_manager", message, StringComparison.Ordinal);
        Assert.Contains("segment_manager", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1h30m", 90)]
    [InlineData("7d", 7 * 24 * 60)]
    public async Task Expiry_takes_go_durations_and_days(string expires, int minutes)
    {
        var created = await CreateAsync(new JsonObject { ["name"] = "x", ["scopes"] = new JsonArray("observer"), ["expires"] = expires });
        var at = DateTimeOffset.Parse((string)created["expires"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(at - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(minutes - 2), TimeSpan.FromMinutes(minutes + 1));
    }
}
