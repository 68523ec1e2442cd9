using System.Net;
using System.Text.Json.Nodes;

namespace Sluice.Tests.Lytics;

/// <summary>Unknown routes under the API prefixes, account routes, and tokens in URL paths kept out of the logs.</summary>
public sealed class LyticsRoutingContractTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    [Theory]
    [InlineData("GET", "/api/segment/my.segment/nothing")]
    [InlineData("GET", "/api/segmentcollection/a.b")]
    [InlineData("GET", "/v2/identity/user/email/a@b.com")]
    [InlineData("GET", "/v2")]
    [InlineData("POST", "/api/no/such.route")]
    [InlineData("GET", "/c/1/2/3/x.json")]
    [InlineData("GET", "/collect/nothing/here.txt")]
    public async Task Every_unknown_route_under_an_api_prefix_answers_the_json_404_envelope(string method, string path)
    {
        var response = await S.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"{path}?key={S.AdminToken}"));
        var message = await response.AssertErrorAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain("a@b.com", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_segment_slug_with_a_dot_reaches_the_segment_route()
    {
        var response = await S.Http.GetAsync($"/api/segment/my.segment?key={S.AdminToken}");
        var message = await response.AssertErrorAsync(HttpStatusCode.NotFound);
        Assert.Contains("my.segment", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_account_is_listed_and_found_by_number_id_or_the_callers_own_key()
    {
        var observer = await S.TokenAsync("observer");
        var list = (await S.Http.GetOkAsync($"/api/account?key={observer}"))["data"]!.AsArray();
        var account = Assert.Single(list)!.AsObject();
        LyticsContract.IsString(account["id"]);
        Assert.Equal(S.AccountNumber, (long)account["aid"]!);
        LyticsContract.IsNumber(account["aid"]);
        LyticsContract.IsString(account["name"]);
        LyticsContract.IsTime(account["created"]);
        LyticsContract.IsTime(account["updated"]);
        foreach (var field in new[] { "fid", "domain", "email", "timezone" }) LyticsContract.IsString(account[field]);
        LyticsContract.IsBool(account["pubusers"]);

        foreach (var id in new[] { S.AccountNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), (string)account["id"]!, observer })
        {
            var one = (await S.Http.GetOkAsync($"/api/account/{id}?key={observer}"))["data"]!;
            Assert.Equal((string)account["id"]!, (string)one["id"]!);
        }
    }

    [Fact]
    public async Task Another_account_answers_404_whether_it_exists_or_not()
    {
        var (otherNumber, _) = await S.OtherAccountAsync();
        var token = await S.TokenAsync("observer");
        var existing = await (await S.Http.GetAsync($"/api/account/{otherNumber}?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);
        var missing = await (await S.Http.GetAsync($"/api/account/999999999?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);
        Assert.Equal(existing, missing);
    }

    [Fact]
    public async Task A_key_in_the_url_path_is_not_logged()
    {
        var token = await S.TokenAsync("observer");
        await (await S.Http.GetAsync($"/api/account/{token}")).AssertErrorAsync(HttpStatusCode.Unauthorized);
        await S.Http.GetAsync($"/api/account/{token}?key={token}");
        await S.Http.GetAsync($"/api/nothing/{token}?key={token}");
        Assert.DoesNotContain(S.Logs.Lines, l => l.Contains(token, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/api/account/slc_0123abcd", "/api/account/REDACTED")]
    [InlineData("/api/entity/user/email/a@b.com", "/api/entity/user/email/a@b.com")]
    [InlineData("/c/1/x/slc_ff/y", "/c/1/x/REDACTED/y")]
    public void A_path_segment_holding_a_token_is_redacted(string path, string logged) =>
        Assert.Equal(logged, Sluice.Hosting.Redaction.Path(new Microsoft.AspNetCore.Http.PathString(path)));
}
