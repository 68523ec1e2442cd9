using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Tests.Lytics;

/// <summary>
/// <c>/api/query</c> as go-lytics (<c>Query</c>, <c>QueryField</c>, <c>_test</c>, <c>_validate</c>) and lytics-js
/// (upsert, get, delete, validate, testQuery, testFunction) use it. lytics-js posts LQL under a JSON content type.
/// </summary>
public sealed class LyticsQueryContractTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    private async Task<string> TokenAsync() => await S.TokenAsync("data_manager");

    [Fact]
    public async Task Upsert_answers_a_list_and_get_answers_the_query_with_fields_keyed_by_name()
    {
        var token = await TokenAsync();
        const string lql = "SELECT email FROM test_stream INTO user BY email ALIAS _delete_me_unit_test";
        var upserted = (await LyticsContract.OkAsync(await S.Http.PostRawAsync($"/api/query?key={token}", lql)))["data"]!.AsArray();
        Assert.Equal("_delete_me_unit_test", (string)upserted[0]!["alias"]!);

        var query = (await S.Http.GetOkAsync($"/api/query/_delete_me_unit_test?key={token}"))["data"]!.AsObject();
        foreach (var name in new[] { "id", "alias", "table", "from", "into", "text" }) LyticsContract.IsString(query[name]);
        Assert.Equal(lql, (string)query["text"]!);
        Assert.Equal("test_stream", (string)query["from"]!);
        Assert.Equal("user", (string)query["table"]!);
        LyticsContract.IsTime(query["created"]);
        LyticsContract.IsTime(query["updated"]);
        var email = query["fields"]!.AsObject()["email"]!.AsObject();
        Assert.Equal("email", (string)email["as"]!);
        Assert.Equal("string", (string)email["type"]!);
        Assert.True((bool)email["is_by"]!);
        LyticsContract.IsString(email["shortdesc"]);
        LyticsContract.IsString(email["longdesc"]);
        Assert.Equal(["email"], email["identities"]!.AsArray().Select(i => (string)i!));
        Assert.Equal(["test_stream"], email["froms"]!.AsArray().Select(i => (string)i!));

        var list = (await S.Http.GetOkAsync($"/api/query?key={token}"))["data"]!.AsArray();
        Assert.All(list, q => Assert.Equal(JsonValueKind.Object, q!["fields"]!.GetValueKind()));
        // go-lytics decodes created and updated as times: built-ins carry them too.
        Assert.All(list, q => LyticsContract.IsTime(q!["created"]));

        Assert.Equal(HttpStatusCode.NoContent, (await S.Http.DeleteAsync($"/api/query/_delete_me_unit_test?key={token}")).StatusCode);
        await (await S.Http.GetAsync($"/api/query/_delete_me_unit_test?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Invalid_lql_is_refused_on_upsert()
    {
        await (await S.Http.PostRawAsync($"/api/query?key={await TokenAsync()}", "xxx")).AssertErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Validate_answers_the_parsed_queries_or_400_with_the_position()
    {
        var token = await TokenAsync();
        var ok = (await LyticsContract.OkAsync(await S.Http.PostRawAsync($"/api/query/_validate?key={token}",
            "SELECT email(`email`) AS email FROM test INTO user BY email ALIAS test", "text/plain")))["data"]!.AsArray();
        Assert.Equal("test", (string)ok[0]!["alias"]!);
        Assert.Equal("string", (string)ok[0]!["fields"]!["email"]!["type"]!);
        await (await S.Http.GetAsync($"/api/query/test?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);

        var bad = await S.Http.PostRawAsync($"/api/query/_validate?key={token}", "SELECT email(`email) AS email FROM test INTO user BY email ALIAS test", "text/plain");
        var message = await bad.AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("line 1", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_answers_the_evaluated_profile_as_data()
    {
        const string lql = """
                    SELECT
                    first                   AS first_name               SHORTDESC "First Name"
                    , last                  AS last_name                SHORTDESC "Last Name"
                    -- By Fields/Unique Keys
                    , email(email)          AS email                    SHORTDESC "Email"
                FROM test_stream
                INTO user BY email
                ALIAS test_query
            """;
        var data = (await LyticsContract.OkAsync(await S.Http.PostRawAsync(
            $"/api/query/_test?first=Adam&last=Conn&email=adam.conn%40lytics.com&key={await TokenAsync()}", lql)))["data"]!;
        Assert.Equal("Adam", (string)data["first_name"]!);
        Assert.Equal("Conn", (string)data["last_name"]!);
        Assert.Equal("adam.conn@lytics.com", (string)data["email"]!);
    }

    [Theory]
    [InlineData("tobool(\"true\")", "true")]
    [InlineData("toint(\"100\")", "100")]
    [InlineData("qs(\"https://www.lytics.com/test?name=First+Last\",\"name\")", "\"First Last\"")]
    public async Task Functions_evaluate_as_lytics_js_testFunction_reads_them(string expression, string json)
    {
        var lql = $"SELECT {expression} AS value, email(email) AS email FROM test_stream INTO user BY email ALIAS test_query";
        var data = (await LyticsContract.OkAsync(await S.Http.PostRawAsync($"/api/query/_test?email=test%40test.com&key={await TokenAsync()}", lql)))["data"]!;
        Assert.Equal(json, data["value"]!.ToJsonString());
    }

    [Fact]
    public async Task A_mapping_that_disagrees_on_a_fields_merge_is_refused_with_409_naming_the_first()
    {
        var token = await TokenAsync();
        await LyticsContract.OkAsync(await S.Http.PostRawAsync($"/api/query?key={token}",
            "SELECT email(e) AS email, plan MERGEOP OLDEST FROM first_app INTO user BY email ALIAS first_app", "text/plain"));
        var message = await (await S.Http.PostRawAsync($"/api/query?key={token}",
            "SELECT email(e) AS email, plan MERGEOP LATEST FROM second_app INTO user BY email ALIAS second_app", "text/plain")).AssertErrorAsync(HttpStatusCode.Conflict);
        Assert.Contains("first_app", message, StringComparison.Ordinal);
        Assert.Contains("plan", message, StringComparison.Ordinal);
        await (await S.Http.GetAsync($"/api/query/second_app?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);
        var kind = await (await S.Http.PostRawAsync($"/api/query?key={token}",
            "SELECT email(e) AS email, date_of_birth FROM third_app INTO user BY email ALIAS third_app", "text/plain")).AssertErrorAsync(HttpStatusCode.Conflict);
        Assert.Contains("braze_", kind, StringComparison.Ordinal);
    }
}
