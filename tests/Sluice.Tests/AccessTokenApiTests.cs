using System.Net;
using System.Text.Json.Nodes;

namespace Sluice.Tests;

public sealed class AccessTokenApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    [Fact]
    public async Task Admin_creates_a_data_manager_token_that_collects_and_is_listed_without_its_secret()
    {
        var created = await (await S.Http.PostJsonAsync($"/api/auth/createtoken?key={S.AdminToken}",
            new JsonObject { ["name"] = "braze-webhook", ["roles"] = new JsonArray("data_manager"), ["expires"] = "90d" })).AssertOkAsync();
        var data = created["data"]!;
        var secret = (string)data["token"]!;
        var id = (string)data["id"]!;
        Assert.StartsWith("slc_", secret, StringComparison.Ordinal);
        Assert.Equal(S.AccountNumber, (long)data["account_number"]!);
        var expires = DateTimeOffset.Parse((string)data["expires"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromDays(89), TimeSpan.FromDays(91));

        await (await S.Http.PostRawAsync($"/c/{S.AccountNumber}/app?key={secret}", "{\"a\":1}")).AssertOkAsync();

        var listText = await (await S.Http.GetAsync($"/api/auth?auth_type=api_token&key={S.AdminToken}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, listText, StringComparison.Ordinal);
        var listed = JsonNode.Parse(listText)!["data"]!.AsArray().Single(t => (string)t!["id"]! == id)!;
        Assert.Equal("braze-webhook", (string)listed["name"]!);
        Assert.NotNull(listed["last_used"]);
    }

    [Theory]
    [InlineData("""{"roles":["admin"]}""", "name")]
    [InlineData("""{"name":"x","roles":["wizard"]}""", "wizard")]
    [InlineData("""{"name":"x","roles":[]}""", "role")]
    [InlineData("""{"name":"x","roles":["observer"],"expires":"tomorrow"}""", "expires")]
    [InlineData("""{"name":"x",""", "malformed JSON")]
    public async Task Bad_token_requests_say_what_is_wrong(string body, string mentioned)
    {
        var before = (await S.Http.GetStringAsync($"/api/auth?key={S.AdminToken}")).Length;
        var message = await (await S.Http.PostRawAsync($"/api/auth/createtoken?key={S.AdminToken}", body)).AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains(mentioned, message, StringComparison.Ordinal);
        Assert.Equal(before, (await S.Http.GetStringAsync($"/api/auth?key={S.AdminToken}")).Length);
    }

    [Fact]
    public async Task Only_admins_manage_tokens()
    {
        var dataManager = await S.TokenAsync("data_manager");
        await (await S.Http.GetAsync($"/api/auth?auth_type=api_token&key={dataManager}")).AssertErrorAsync(HttpStatusCode.Forbidden);
        await (await S.Http.PostRawAsync($"/api/auth/createtoken?key={dataManager}", """{"name":"x","roles":["admin"]}""")).AssertErrorAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Tokens_of_one_account_are_invisible_to_another()
    {
        var (_, otherAdmin) = await S.OtherAccountAsync();
        var mine = (await S.Http.GetFromJsonAsyncNode($"/api/auth?auth_type=api_token&key={S.AdminToken}"))["data"]!.AsArray();
        var theirs = (await S.Http.GetFromJsonAsyncNode($"/api/auth?auth_type=api_token&key={otherAdmin}"))["data"]!.AsArray();
        Assert.Single(theirs);
        Assert.DoesNotContain(theirs, t => mine.Any(m => (string)m!["id"]! == (string)t!["id"]!));
        var myId = (string)mine[0]!["id"]!;
        await (await S.Http.DeleteAsync($"/api/auth/{myId}?key={otherAdmin}")).AssertErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Profiles_of_one_account_are_invisible_to_another()
    {
        var token = await S.TokenAsync("data_manager");
        var email = Seed.UniqueEmail();
        await (await S.Http.PostJsonAsync($"/c/{S.AccountNumber}/braze_users?key={token}", Seed.BrazeUser(email, "x" + Guid.NewGuid().ToString("N")))).AssertOkAsync();
        await S.WaitForProcessingAsync();
        var (_, otherAdmin) = await S.OtherAccountAsync();
        await (await S.Http.GetAsync($"/api/entity/user/email/{email}?key={otherAdmin}")).AssertErrorAsync(HttpStatusCode.NotFound);
        await (await S.Http.GetAsync($"/api/entity/user/email/{email}?key={token}")).AssertOkAsync();
    }
}
