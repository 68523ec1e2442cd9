using System.Net;

namespace Sluice.Tests;

/// <summary>LQL mappings over <c>/api/query</c>: validation with positions, upsert, list, delete and <c>_test</c>.</summary>
public sealed class QueryApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    [Fact]
    public async Task Invalid_lql_is_refused_with_line_and_column()
    {
        var token = await S.TokenAsync("data_manager");
        var response = await S.Http.PostRawAsync($"/api/query?key={token}", "SELECT email\nFORM web INTO user BY email", "text/plain");
        var message = await response.AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("line 2", message, StringComparison.Ordinal);
        var body = await S.Http.GetFromJsonAsyncNode($"/api/query?key={token}");
        Assert.DoesNotContain(body["data"]!.AsArray(), m => (string)m!["stream"]! == "web");
    }

    [Fact]
    public async Task A_mapping_that_references_no_identity_is_refused()
    {
        var token = await S.TokenAsync("data_manager");
        var message = await (await S.Http.PostRawAsync($"/api/query?key={token}", "SELECT city FROM web INTO user BY email", "text/plain")).AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("identity", message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Mappings_are_listed_replaced_and_deleted_and_built_ins_stay()
    {
        var token = await S.TokenAsync("data_manager");
        var list = (await S.Http.GetFromJsonAsyncNode($"/api/query?key={token}"))["data"]!.AsArray();
        Assert.Contains(list, m => (string)m!["alias"]! == "braze_users" && (bool)m["built_in"]!);
        Assert.Contains(list, m => (string)m!["alias"]! == "braze_segment_export");

        await (await S.Http.PostRawAsync($"/api/query?key={token}", "SELECT email(mail) AS email FROM web INTO user BY email ALIAS web_v", "text/plain")).AssertOkAsync();
        await (await S.Http.PostRawAsync($"/api/query?key={token}", "SELECT email(mail) AS email, tolower(plan) AS plan FROM web INTO user BY email ALIAS web_v", "text/plain")).AssertOkAsync();
        var one = (await S.Http.GetFromJsonAsyncNode($"/api/query/web_v?key={token}"))["data"]!;
        Assert.Equal(2, one["fields"]!.AsObject().Count);

        Assert.Equal(HttpStatusCode.NoContent, (await S.Http.DeleteAsync($"/api/query/web_v?key={token}")).StatusCode);
        await (await S.Http.GetAsync($"/api/query/web_v?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);
        await (await S.Http.DeleteAsync($"/api/query/braze_users?key={token}")).AssertErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Test_evaluates_a_record_from_the_query_string()
    {
        var token = await S.TokenAsync("data_manager");
        var result = (await (await S.Http.PostAsync($"/api/query/_test?key={token}&diagnostics=true&alias=braze_users&email=%20Ann@Example.COM&date_of_birth=19900215&phone_number=(555)%20123-1234&braze_id=b1", null)).AssertOkAsync())["data"]!;
        Assert.Equal("ann@example.com", (string)result["fields"]!["email"]!);
        Assert.Equal("+15551231234", (string)result["fields"]!["phone_number"]!);
        Assert.Equal("1990-02-15T00:00:00Z", (string)result["fields"]!["date_of_birth"]!);
        Assert.Contains("b1", result.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_with_lql_in_the_body_and_a_failing_kind_reports_the_field()
    {
        var token = await S.TokenAsync("data_manager");
        var result = (await (await S.Http.PostRawAsync($"/api/query/_test?key={token}&diagnostics=true&id=7&age=old",
            "SELECT id, age KIND int FROM t INTO user BY id", "text/plain")).AssertOkAsync())["data"]!;
        Assert.Equal("7", (string)result["fields"]!["id"]!);
        Assert.Null(result["fields"]!["age"]);
        Assert.Contains("age", result["errors"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Observers_cannot_change_mappings()
    {
        var observer = await S.TokenAsync("observer");
        await (await S.Http.PostRawAsync($"/api/query?key={observer}", "SELECT email FROM web INTO user BY email", "text/plain")).AssertErrorAsync(HttpStatusCode.Forbidden);
    }
}
