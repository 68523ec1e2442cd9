using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Sluice.Tests;

/// <summary>
/// Escaped lone surrogates (valid JSON, invalid Unicode) are refused with their place on every path that stores JSON,
/// and the account's later events still become profiles.
/// </summary>
public sealed class InvalidUnicodeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    private static string Unique() => $"u-{Guid.NewGuid():N}";

    [Theory]
    [InlineData("{\"braze_id\":\"ID\",\"first_name\":\"\\uD800\"}")]
    [InlineData("{\"braze_id\":\"ID\",\"nested\":{\"deep\":[\"ok\",\"\\uDC00x\"]}}")]
    [InlineData("{\"braze_id\":\"ID\",\"\\uDBFF\":1}")]
    [InlineData("[{\"braze_id\":\"ID\"},{\"braze_id\":\"ID\",\"_ts\":\"\\uDC00\"}]")]
    public async Task A_lone_surrogate_anywhere_is_refused_with_its_place_and_nothing_is_stored(string template)
    {
        var token = await S.TokenAsync("data_manager");
        var before = await S.StoredEventCountAsync();
        var body = template.Replace("ID", Unique(), StringComparison.Ordinal);

        var message = await (await S.Http.PostRawAsync($"/collect/json/braze_users?key={token}", body)).AssertErrorAsync(HttpStatusCode.BadRequest);

        Assert.Contains("invalid Unicode at line 1, position", message, StringComparison.Ordinal);
        Assert.Equal(before, await S.StoredEventCountAsync());
    }

    [Fact]
    public async Task With_droperrors_only_the_event_holding_a_lone_surrogate_is_dropped()
    {
        var token = await S.TokenAsync("data_manager");
        var (good, bad) = (Unique(), Unique());
        var body = $"{{\"braze_id\":\"{good}\"}}\n{{\"braze_id\":\"{bad}\",\"first_name\":\"\\uD83D\"}}";

        var envelope = await (await S.Http.PostRawAsync($"/collect/json/braze_users?key={token}&droperrors=true", body)).AssertOkAsync();

        Assert.Equal(1, (long)envelope["data"]!["message_count"]!);
        Assert.Equal(1, (long)envelope["data"]!["rejected_count"]!);
        await S.WaitForProcessingAsync();
        Assert.Equal(HttpStatusCode.OK, (await S.Http.GetAsync($"/api/entity/user/braze_id/{good}?key={token}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await S.Http.GetAsync($"/api/entity/user/braze_id/{bad}?key={token}")).StatusCode);
    }

    [Fact]
    public async Task A_well_formed_surrogate_pair_is_accepted()
    {
        var token = await S.TokenAsync("data_manager");
        var id = Unique();
        var body = $"{{\"braze_id\":\"{id}\",\"first_name\":\"\\uD83D\\uDE00\"}}";

        await (await S.Http.PostRawAsync($"/collect/json/braze_users?key={token}", body)).AssertOkAsync();

        await S.WaitForProcessingAsync();
        var profile = (await S.GetProfileAsync("braze_id", id, token))["data"]!;
        Assert.Equal("\U0001F600", (string)profile["first_name"]!);
    }

    [Fact]
    public async Task Bulk_ndjson_stops_at_the_line_with_a_lone_surrogate_with_a_400_naming_it()
    {
        var token = await S.TokenAsync("data_manager");
        var lines = new StringBuilder();
        for (var i = 0; i < 6000; i++) lines.Append("{\"braze_id\":\"").Append(Unique()).Append("\"}\n");
        lines.Append("{\"_ts\":\"\\uDC00\"}\n");
        using var content = new StringContent(lines.ToString(), Encoding.UTF8, "application/x-ndjson");

        var response = await S.Http.PostAsync($"/collect/bulk/braze_users?key={token}", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var envelope = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains("line 6001", (string)envelope["message"]!, StringComparison.Ordinal);
        Assert.Contains("invalid Unicode", (string)envelope["message"]!, StringComparison.Ordinal);
        Assert.Equal(6000, (long)envelope["data"]!["message_count"]!);
    }

    [Fact]
    public async Task A_mapping_test_record_with_a_lone_surrogate_is_a_400()
    {
        var token = await S.TokenAsync("data_manager");

        var message = await (await S.Http.PostRawAsync($"/api/query/_test?alias=braze_users&key={token}", "{\"email\":\"\\uDC00\"}"))
            .AssertErrorAsync(HttpStatusCode.BadRequest);

        Assert.Contains("invalid Unicode", message, StringComparison.Ordinal);
    }
}
